"""Properties over any text at all (control characters, bidi marks, emoji, very long):

- every typed answer is either refused with nothing changed, or stored in a form that passes its field's
  own rule, and the screen that follows renders as HTML Telegram accepts;
- whatever text a visit holds (typed today, or stored by an older version), its calendar file builds and
  reads back, and the screens that show the visit render.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from handlers.prompts import prompting
from handlers.reminders import screens as reminder_views
from handlers.visit import screens as visit_views
from handlers.visit.taps import CancelVisitTap
from journey import appointments, insurance, prompts, questions, specialist
from journey.errors import JourneyError
from journey.models import Case, Prompt, PromptKind, RecordKind, Reminder, ReminderKind
from journey.targets import DetailTarget
from journey.text import LINK, LONG, SHORT, clean, is_web_link, line, phone
from tests.unit.factories import NOW, OWNER, TODAY, new_case
from tests.unit.test_screens import assert_telegram_accepts, turn_for

K = PromptKind
SPECIAL = [
    "\x00", "\x1b", "\x7f", "\t", "\r", "\n", "\u2028", "\x85",  # controls and line breaks
    "\u202e", "\u2066", "\u2069", "\u200e", "\u061c",  # bidi
    "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u3164",  # invisible
    "\U0001f468", "\U0001f469", "\ufe0f", "<", "&", ">", '"', " ", "a", "7", "+",
    "https://zoom.us/j/1?pwd=x", "https://ex.org/", "http://", "(", ")", ".",
]  # fmt: skip
TEXT = st.one_of(
    st.text(),
    st.lists(st.sampled_from(SPECIAL), max_size=40).map("".join),
    st.text(min_size=SHORT - 5, max_size=LONG + 50),
)

# Where each answer lands, and the rule what is stored there must pass.
Rule = Callable[[str], bool]


def one_line(limit: int) -> Rule:
    return lambda value: line(value, limit) == value


def lines(limit: int) -> Rule:
    return lambda value: clean(value, limit) == value


def a_phone(value: str) -> bool:
    return phone(value) == value


def a_link(value: str) -> bool:
    return is_web_link(value) and len(value) <= LINK


def nothing_invisible(value: str) -> bool:
    """No control character but a newline, no bidi control or invisible formatting but a joiner inside
    an emoji, and no space at either end."""
    for i, char in enumerate(value):
        if char == "\u200d":
            if not (0 < i < len(value) - 1 and unicodedata.category(value[i + 1]) in ("So", "Sk")):
                return False
        elif char != "\n" and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            return False
    return value == value.strip()


Stored = Callable[[Case], str | None]


def detail(name: str) -> Stored:
    return lambda case: getattr(case.appointments[0], name)


FIELDS: dict[str, tuple[Prompt, Stored, Rule]] = {
    "patient name": (Prompt(K.PATIENT_NAME), lambda c: c.profile.patient_name, one_line(SHORT)),
    "diagnosis": (Prompt(K.DIAGNOSIS), lambda c: c.profile.diagnosis, lines(LONG)),
    "doctor name": (
        Prompt(K.CANDIDATE_NAME),
        lambda c: c.specialist.candidates[-1].name if len(c.specialist.candidates) > 1 else None,
        one_line(SHORT),
    ),
    "doctor's place": (
        Prompt(K.CANDIDATE_INSTITUTION, "c1"),
        lambda c: c.specialist.candidates[0].institution,
        one_line(SHORT),
    ),
    "doctor's contact": (
        Prompt(K.CANDIDATE_CONTACT, "c1"),
        lambda c: c.specialist.candidates[0].contact,
        one_line(SHORT),
    ),
    "doctor's notes": (
        Prompt(K.CANDIDATE_NOTES, "c1"),
        lambda c: c.specialist.candidates[0].notes,
        lines(LONG),
    ),
    "requested from": (
        Prompt(K.RECORD_REQUESTED_FROM, RecordKind.LABS.value),
        lambda c: next(i.requested_from for i in c.records.items if i.kind is RecordKind.LABS),
        one_line(SHORT),
    ),
    "call who": (
        Prompt(K.CALL_WHO),
        lambda c: c.insurance.calls[-1].who if len(c.insurance.calls) > 1 else None,
        one_line(SHORT),
    ),
    "call reference": (
        Prompt(K.CALL_REFERENCE, "k1"),
        lambda c: c.insurance.calls[0].reference,
        one_line(SHORT),
    ),
    "call notes": (Prompt(K.CALL_NOTES, "k1"), lambda c: c.insurance.calls[0].notes, lines(LONG)),
    "expected cost": (Prompt(K.EXPECTED_COST), lambda c: c.insurance.expected_cost, one_line(SHORT)),
    "own question": (
        Prompt(K.OWN_QUESTION),
        lambda c: c.questions.chosen[-1].text if c.questions.chosen else None,
        lines(LONG),
    ),
    "visit note": (Prompt(K.VISIT_NOTE, "a1"), lambda c: c.appointments[0].outcome_note, lines(LONG)),
    "visit answer": (
        Prompt(K.VISIT_ANSWER, "a1.q1"),
        lambda c: c.appointments[0].answers[0].text if c.appointments[0].answers else None,
        lines(LONG),
    ),
    # A date is read, never kept as typed: stored as a day from today to two years on.
    "decide by": (
        Prompt(K.DECIDE_BY),
        lambda c: c.profile.decide_by.isoformat() if c.profile.decide_by else None,
        lambda value: TODAY.isoformat() <= value <= (TODAY + timedelta(days=2 * 366)).isoformat(),
    ),
    "their advice": (Prompt(K.VISIT_ADVICE, "a1"), lambda c: c.appointments[0].advice, lines(LONG)),
    "first plan": (Prompt(K.FIRST_PLAN, "a1"), lambda c: c.first_plan, lines(LONG)),
    **{
        f"visit {name}": (
            Prompt(K.APPOINTMENT_DETAIL, DetailTarget("a1", name).text()),
            detail(name),
            {"video_link": a_link, "phone": a_phone, "address": lines(LONG), "notes": lines(LONG)}.get(
                name, one_line(SHORT)
            ),
        )
        for name in appointments.DETAILS
    },
}


def test_every_typed_field_is_covered() -> None:
    """A new applier (or visit detail) must be added to FIELDS, with its rule."""
    asked = {prompt.kind for prompt, _, _ in FIELDS.values()}
    assert asked == set(prompts._APPLY)
    assert {n for n in FIELDS if n.startswith("visit ") and n not in ("visit note", "visit answer")} == {
        f"visit {d}" for d in appointments.DETAILS
    }


def ready_case() -> Case:
    """A plan with one of everything an answer can be about: a doctor, a call, a visit."""
    case = new_case()
    specialist.add_candidate(case, "c1", "Dr. Rivera")
    insurance.start_call(case, "k1", TODAY)
    appointments.add(case, "a1", NOW + timedelta(days=5), "America/Chicago", NOW)
    questions.add_own_question(case, "q1", "How sure are you?")
    return case


@pytest.mark.parametrize("field", list(FIELDS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_any_answer_is_refused_unchanged_or_stored_by_its_rule(field: str, text: str) -> None:
    prompt, stored, rule = FIELDS[field]
    case = ready_case()
    prompts.ask(case, OWNER, prompt.kind, prompt.target)
    before = copy.deepcopy(case)
    try:
        step = prompts.answer(case, OWNER, text, "new1", NOW, TODAY)
    except JourneyError:
        assert case == before  # refused: nothing changed, the question still waits
        return
    value = stored(case)
    assert value is not None and rule(value), (field, value)
    assert nothing_invisible(value), (field, value)
    aside = case.members[0].aside
    assert aside is None or (field == "visit video_link" and lines(LONG)(aside.text))
    assert_telegram_accepts(prompting.after(turn_for(case), step))
    if case.appointments:
        visit_views.calendar_file(turn_for(case), case.appointments[0])


# --- a visit holding any text ------------------------------------------------------------------------------

VISIT_TEXT = ("doctor", "institution", "address", "video_link", "phone", "notes", "outcome_note")
LIMITS = {**appointments.DETAILS, "outcome_note": LONG}


def any_text(limit: int) -> st.SearchStrategy[str | None]:
    return (
        st.none()
        | st.text(max_size=limit)
        | st.lists(st.sampled_from(SPECIAL), max_size=limit // 20).map("".join)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    stored=st.fixed_dictionaries({name: any_text(LIMITS[name]) for name in VISIT_TEXT}),
    patient=any_text(SHORT),
    question=any_text(LONG),
    cancelled=st.booleans(),
)
def test_a_visit_holding_any_text_makes_a_calendar_file_and_its_screens(
    stored: dict[str, str | None], patient: str | None, question: str | None, cancelled: bool
) -> None:
    """As stored, not as typed: an older version kept text without today's rules (a whole invitation as
    the video link, control characters, bidi marks)."""
    case = ready_case()
    visit = case.appointments[0]
    for name, value in stored.items():
        setattr(visit, name, value)
    case.profile.patient_name = patient
    if question:
        questions.add_own_question(case, "q1", "Is it safe to wait?")
        case.questions.chosen[0].text, case.questions.chosen[0].top = question, True
    if cancelled:
        appointments.cancel(case, "a1")
    turn = turn_for(case)
    file = visit_views.calendar_file(turn, visit)
    parsed = Calendar.from_ical(file.data)
    assert len(parsed.walk("VEVENT")) == 1
    assert_telegram_accepts(visit_views.visit_screen(turn, "a1"))
    assert_telegram_accepts(visit_views.on_cancel_visit(turn, CancelVisitTap("a1")))
    for kind in (ReminderKind.DAY_BEFORE, ReminderKind.HOURS_BEFORE, ReminderKind.AFTER):
        reminder = Reminder(f"r-{kind.value}", kind, NOW, OWNER, appointment_id="a1")
        assert_telegram_accepts(reminder_views.reminder_screen(turn, reminder))
