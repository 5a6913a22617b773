"""Every screen, rendered from an empty case and from a worst-case full one, is something Telegram accepts:
valid HTML of the allowed tags, at most 4096 characters once its entities are parsed, at most 100 buttons,
buttons with labels and callback data <= 64 bytes.

The full case has every list at its limit (journey/limits.py) and every text at its longest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from handlers.guide import screens as guide
from handlers.guide.taps import AtTheVisitTap, CallScriptTap, Opened, TellDoctorTap
from handlers.insurance import screens as insurance
from handlers.menu import screens as menu
from handlers.notes import screens as notes_screens
from handlers.notes.taps import RemoveNoteTap
from handlers.onboarding import screens as onboarding
from handlers.outcome import screens as outcome_screens
from handlers.outcome import summary as summary_screens
from handlers.outcome.taps import KeepSummaryTap, OutcomeTap, SendSummaryTap, SummaryTap
from handlers.plumbing.callbacks import MAX_BYTES, decode
from handlers.plumbing.turn import Screen, Services, Turn
from handlers.prompts.asking import show_prompt
from handlers.questions import screens as questions
from handlers.records import applies as records_apply
from handlers.records import screens as records
from handlers.reminders import screens as reminder_views
from handlers.settings import screens as settings_screen
from handlers.sharing import screens as sharing_views
from handlers.sharing.taps import CasesPageTap
from handlers.specialist import screens as specialist
from handlers.visit import mode as visit_mode
from handlers.visit import picker
from handlers.visit import screens as appointment
from handlers.visit.taps import CancelVisitTap, EditDetailsTap, KindsOfVisitTap
from journey import appointments, cases, limits, notes, sharing
from journey import insurance as ins
from journey import questions as qs
from journey import specialist as sp
from journey import visit_mode as visit_mode_rules
from journey.models import (
    Answer,
    Case,
    InsuranceOutcome,
    InsuranceQuestion,
    Member,
    Offer,
    OfferKind,
    OpinionSays,
    Prompt,
    PromptKind,
    Reason,
    RecordKind,
    RecordStatus,
    Reminder,
    ReminderKind,
    Role,
    Urgency,
)
from journey.records import WRITTEN
from journey.targets import NEW_VISIT
from journey.text import LINK, LONG, SHORT
from sandbox.html_check import parse_html, utf16_len
from storage import InMemoryCaseRepository
from templates import ROOT as TEMPLATES_ROOT
from templates import Words
from tests.unit.factories import NOW, OWNER, TODAY, new_case, photo

WORDS = Words()
RENDERER = WORDS.default
WIDE = "Ω<&>" * 200  # HTML-special and non-ASCII, to be cut to each field's limit
# The longest value each visit detail may hold: any text, a number to call, a single web link.
LONGEST_DETAIL = {
    **{detail: WIDE[:limit] for detail, limit in appointments.DETAILS.items()},
    "phone": ("+1 555 <&>" * 50)[:SHORT],
    "video_link": ("https://example.org/j/1?p=Ω&q=" + "Ω&x" * 500)[:LINK],
}


def full_case() -> Case:
    """Every list at its limit, every text at its longest, with characters that need escaping."""
    case = new_case()
    case.profile.patient_name = WIDE[:SHORT]
    case.profile.diagnosis = WIDE[:LONG]
    cases.set_urgency(case, Urgency.SOON)
    case.profile.reasons = list(Reason)  # every tip shown
    for n in range(sp.MAX_CANDIDATES):
        sp.add_candidate(case, f"c{n}", f"{n}{WIDE}"[:SHORT])
        sp.set_institution(case, f"c{n}", WIDE[:SHORT])
        sp.set_contact(case, f"c{n}", WIDE[:SHORT])
        sp.set_notes(case, f"c{n}", WIDE[:LONG])
    for item in case.records.items:
        item.status, item.requested_from, item.requested_on = RecordStatus.REQUESTED, WIDE[:SHORT], TODAY
        if item.kind in WRITTEN:  # a list you write is never asked for: its longest state is "I wrote it"
            item.status, item.requested_from, item.requested_on = RecordStatus.RECEIVED, None, None
        item.attachments = [photo(str(n)) for n in range(limits.FILES_PER_RECORD)]
    for n in range(ins.MAX_CALLS):
        call = ins.start_call(case, f"k{n}", TODAY - timedelta(days=n), who=WIDE[:SHORT])
        call.reference, call.notes = WIDE[:SHORT], WIDE[:LONG]
    for q in InsuranceQuestion:
        ins.answer(case, q, Answer.UNSURE)
    case.insurance.expected_cost = WIDE[:SHORT]
    case.insurance.outcome = InsuranceOutcome.PARTLY
    for n in range(qs.MAX_QUESTIONS):
        qs.add_own_question(case, f"q{n}", f"{n}{WIDE}"[:LONG])
    for n in range(notes.MAX_NOTES):
        notes.add_note(case, f"n{n}", f"{n}{WIDE}"[:LONG], NOW, OWNER)
    for n in range(limits.VISITS_KEPT - limits.UPCOMING_VISITS):  # cancelled ones fill the rest
        appointments.add(case, f"x{n}", NOW + timedelta(days=n + 3), "America/Chicago", NOW)
        appointments.cancel(case, f"x{n}")
    for n in range(limits.UPCOMING_VISITS):
        appointments.add(case, f"a{n + 1}", NOW + timedelta(days=n + 3), "America/Chicago", NOW)
        for detail, value in LONGEST_DETAIL.items():
            appointments.set_detail(case, f"a{n + 1}", detail, value)
        appointments.set_visit_note(case, f"a{n + 1}", WIDE[:LONG])
    assert len(case.appointments) == limits.VISITS_KEPT
    case.members[0].name = sharing.clean_name(WIDE)
    for n in range(sharing.MAX_MEMBERS - len(case.members)):
        case.members.append(Member(user_id=1000 + n, role=Role.EDITOR, name=sharing.clean_name(f"{n}{WIDE}")))
    for n in range(sharing.MAX_OPEN_INVITES):
        sharing.create_invite(case, OWNER, Role.VIEWER, NOW, f"i{n}")
    return case


def with_visit(case: Case) -> Case:
    if not case.appointments:
        appointments.add(case, "a1", NOW + timedelta(days=10), "America/Chicago", NOW)
    return case


def turn_for(case: Case, language: str | None = None) -> Turn:
    """A turn of the owner (who reads `language`). With a full case, the owner also owns the most plans and
    helps with 40 more."""
    if language is not None:
        next(m for m in case.members if m.user_id == OWNER).settings.language = language
    repo = InMemoryCaseRepository()
    repo.save_case(case)
    if len(case.members) == sharing.MAX_MEMBERS:
        for n in range(limits.PLANS_OWNED - 1 + 40):
            other = cases.start_case(
                f"case-{n:04d}x", OWNER if n < limits.PLANS_OWNED - 1 else 5000 + n, NOW, ()
            )
            other.profile.patient_name = f"{n}{WIDE}"[:SHORT]
            if other.owner_id != OWNER:
                other.members.append(Member(user_id=OWNER, role=Role.VIEWER))
            repo.save_case(other)
    services = Services(repo, WORDS, lambda: NOW, ZoneInfo("America/Chicago"))
    return Turn(services, case, OWNER, NOW, "newid")


PROMPT_TARGETS = {
    PromptKind.RECORD_FILE: RecordKind.LABS.value,
    PromptKind.RECORD_REQUESTED_FROM: RecordKind.LABS.value,
    PromptKind.APPOINTMENT_TIME: "new",
    PromptKind.APPOINTMENT_DETAIL: "a1.doctor",
    PromptKind.VISIT_NOTE: "a1",
    PromptKind.ZONE: "settings",
}
SAMPLE_REMINDERS = {
    kind: Reminder(f"r-{kind.value}", kind, NOW, OWNER, appointment_id="a1", target=RecordKind.LABS.value)
    for kind in ReminderKind
}


def _theme(theme_id: str, turn: Turn) -> Screen:
    theme = turn.words.content.theme(theme_id)
    assert theme is not None
    return questions.theme_screen(turn, theme, 0)


def with_args(build: Callable[..., Screen], *args: object) -> Callable[[Turn], Screen]:
    return lambda turn: build(turn, *args)


def after_visit(build: Callable[[Turn], Screen]) -> Callable[[Turn], Screen]:
    """The screen once visit a1 is over: every question asked with the longest answer, what the opinion
    said and its advice at their longest (the summary's worst case)."""

    def show(turn: Turn) -> Screen:
        case = turn.case
        visit = appointments.find_appointment(case, "a1")
        visit.starts_at = NOW - timedelta(days=1)
        visit.says, visit.advice = OpinionSays.DIFFERENT, WIDE[:LONG]
        for question in case.questions.chosen:
            visit_mode_rules.set_answer(case, "a1", question.id, WIDE[:LONG])
        return build(turn)

    return show


def offer(turn: Turn, kind: OfferKind, zone: str | None = "America/Chicago") -> Screen:
    """An offer for typed text at its longest (the words are rendered as the offer screen shows them)."""
    starts_at = datetime(2026, 12, 11, 15, 30, tzinfo=UTC) if kind is OfferKind.VISIT and zone else None
    kept = Offer(kind, f"Dr {WIDE}"[:LONG], OWNER, 7, starts_at)
    return turn.screen(f"offers/{kind.value}", [], offer=kept, zone=zone)


SCREENS: dict[str, Callable[[Turn], Screen]] = {
    "menu": menu.show_menu,
    "progress": menu.show_progress,
    "help": menu.show_help,
    "reasons": onboarding.show_reasons,
    "urgency": onboarding.show_urgency,
    "specialist": specialist.show_specialist,
    "kinds": specialist.show_kinds,
    "where": specialist.show_where,
    **{
        f"tell your doctor from {o.name}": with_args(guide.show_tell_doctor, TellDoctorTap(o)) for o in Opened
    },
    "who to see": guide.show_who_to_see,
    "call script c0": with_args(guide.show_call_script, CallScriptTap("c0")),
    "at the visit": with_args(guide.show_at_the_visit, AtTheVisitTap("a1")),
    "records": records.show_records,
    "which record": records.which_record_screen,
    "which records apply": records_apply.show_applies,
    "insurance": insurance.show_insurance,
    "outcome": insurance.show_outcome,
    "questions": questions.show_questions,
    **{f"record {k.value}": with_args(records.attached_screen, k) for k in RecordKind},
    **{f"candidate {n}": with_args(specialist.candidate_screen, f"c{n}") for n in (0, 29)},
    **{f"calls page {p}": with_args(insurance.calls_screen, p) for p in (0, 99)},
    **{f"my list page {p}": with_args(questions.list_screen, p) for p in (0, 99)},
    # Each theme as the reader's own words have it (the bank is content, per locale).
    **{f"theme {th.id}": partial(_theme, th.id) for th in RENDERER.content.themes},
    **{f"prompt {k.value}": with_args(show_prompt, Prompt(k, PROMPT_TARGETS.get(k))) for k in PromptKind},
    "appointment": appointment.show_appointment,
    "appointment a1": with_args(appointment.visit_screen, "a1"),
    "visit details": with_args(appointment.show_details, EditDetailsTap("a1")),
    "visit kinds": with_args(appointment.show_kinds, KindsOfVisitTap("a1")),
    "cancel visit?": with_args(appointment.on_cancel_visit, CancelVisitTap("a1")),
    "visit mode": with_args(visit_mode.mode_screen, "a1"),
    "outcome a1": after_visit(lambda turn: outcome_screens.on_outcome(turn, OutcomeTap("a1"))),
    "send the summary?": after_visit(lambda turn: summary_screens.on_summary(turn, SummaryTap("a1"))),
    "summary sent": after_visit(lambda turn: summary_screens.on_send(turn, SendSummaryTap("a1"))),
    "summary kept": after_visit(lambda turn: summary_screens.on_keep(turn, KeepSummaryTap("a1"))),
    "confirm time": with_args(appointment.propose, datetime(2026, 12, 3, 20, 30, tzinfo=UTC), NEW_VISIT),
    "pick day": with_args(picker.month_screen, 2026, 12, "new"),
    "pick hour": with_args(picker.hour_screen, date(2026, 12, 3), "new"),
    "two days": with_args(picker.two_days_screen, date(2026, 12, 3), date(2026, 3, 12), None, "new"),
    "settings": settings_screen.show_settings,
    **{f"notes page {p}": with_args(notes_screens.list_screen, p) for p in (0, 99)},
    "delete note?": with_args(notes_screens.on_remove, RemoveNoteTap("n0", 0)),
    **{f"offer {k.value}": with_args(offer, k) for k in OfferKind},
    "offer a visit, zone first": with_args(offer, OfferKind.VISIT, None),
    "share": sharing_views.show_share,
    "members": sharing_views.show_members,
    "member": with_args(sharing_views.member_screen, 222),
    "leave": sharing_views.show_leave,
    "cases": sharing_views.show_cases,
    "cases page 99": with_args(sharing_views.show_cases, CasesPageTap(99)),
    **{
        f"reminder {k.value}": with_args(reminder_views.reminder_screen, SAMPLE_REMINDERS[k])
        for k in ReminderKind
    },
}


def assert_telegram_accepts(screen: Screen) -> None:
    formatted = parse_html(screen.text)  # raises on a tag Telegram refuses or bad nesting
    assert 0 < utf16_len(formatted.text) <= 4096
    assert sum(len(row) for row in screen.rows) <= 100
    for row in screen.rows:
        assert 0 < len(row) <= 8
        for button in row:
            assert button.text.strip()
            assert button.callback_data is not None
            assert len(str(button.callback_data).encode()) <= MAX_BYTES
            decode(str(button.callback_data))


@pytest.mark.parametrize("language", WORDS.locales)
@pytest.mark.parametrize("name", list(SCREENS))
@pytest.mark.parametrize("make_case", [new_case, full_case], ids=["empty", "full"])
def test_every_screen_is_valid_for_telegram(name: str, make_case: Callable[[], Case], language: str) -> None:
    case = with_visit(make_case())
    if name.startswith(("candidate", "call script")) and not case.specialist.candidates:
        pytest.skip("no candidates in an empty case")
    if name == "delete note?" and not case.notes:
        pytest.skip("no notes in an empty case")
    assert_telegram_accepts(SCREENS[name](turn_for(case, language)))


def test_user_text_is_escaped_not_interpreted() -> None:
    screen = specialist.candidate_screen(turn_for(full_case()), "c0")
    assert "&lt;&amp;&gt;" in screen.text and "<&>" not in screen.text


@pytest.mark.parametrize("language", WORDS.locales)
@pytest.mark.parametrize("key", ["errors", "next"])
def test_every_one_line_message_renders(key: str, language: str) -> None:
    details = {"limit": 3, "length": 9, "count": 4, "name": "Dr. <Rivera>", "record": RecordKind.LABS.value}
    words = WORDS.of(language)
    for name in words._strings[key]:
        text = words.render(f"{key}/{name}", **details)
        parse_html(text)
        assert "{{" not in text and text.strip()


def test_words_stay_plain_short_sentences() -> None:
    """A rough guard on reading level: no sentence in a screen template runs past 30 words."""
    sentences = []
    for path in (TEMPLATES_ROOT / "en").rglob("*.j2"):
        text = re.sub(r"{[{%#].*?[}%#]}|<[^>]+>", " ", path.read_text())
        sentences += [(path.name, s) for s in re.split(r"[.!?:]\s|\n", text) if s.strip()]
    too_long = [(name, s) for name, s in sentences if len(s.split()) > 30]
    assert sentences and not too_long, too_long
