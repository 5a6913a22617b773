"""What people type holds what it should: nothing invisible, one line where one is expected, a phone with
digits, a video link that is one web link (the rest of a pasted invitation offered for the notes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from journey import appointments, cases, insurance, prompts, sharing, specialist
from journey.calendar import CalendarEvent, build_ics
from journey.errors import EmptyText, Gone, NotALink, NotAPhone, SeveralLinks, TooLong
from journey.models import Case, Member, PromptKind, Role
from journey.targets import DetailTarget
from journey.text import LINK, LONG, SHORT, clean, is_web_link, line, name, phone, video_link, visible
from tests.unit.factories import NOW, OWNER, TODAY, new_case

ZOOM = "Join Zoom Meeting\nhttps://us02web.zoom.us/j/123?pwd=abc\n\nMeeting ID: 123 456\nPasscode: 9x8y"
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧: one emoji made of three joined


# --- what cannot be seen ---------------------------------------------------------------------------------


def test_control_characters_go_and_a_newline_stays_only_where_lines_are_allowed() -> None:
    typed = "Dr.\x00 Rivera\x1b[31m\r\nroom\t4\x7f"
    assert clean(typed, LONG) == "Dr. Rivera[31m\nroom 4"
    assert line(typed, SHORT) == "Dr. Rivera[31m room 4"


def test_every_kind_of_line_break_is_one_newline() -> None:
    assert clean("a\u2028b\u2029c\x85d\re\x0bf", LONG) == "a\nb\nc\nd\ne\nf"


def test_bidi_controls_and_invisible_formatting_are_removed() -> None:
    typed = "\u202eevil\u202c \u2066Ann\u2069\u200e\u200f\u061c \u200bLee\ufeff\u2060\u00ad\u200c"
    assert line(typed, SHORT) == "evil Ann Lee"


def test_a_joiner_between_emoji_stays_so_the_family_is_one_emoji() -> None:
    assert visible(f"Dana {FAMILY}") == f"Dana {FAMILY}"
    assert visible("A\u200dB 1\u200d\U0001f600 \U0001f600\u200d") == "AB 1\U0001f600 \U0001f600"


def test_text_of_nothing_visible_is_empty() -> None:
    with pytest.raises(EmptyText):
        line("\u200b\u202e\u3164 \x00", SHORT)
    with pytest.raises(EmptyText):
        clean("\n\u2066\u2069\n", LONG)


def test_limits_count_what_is_kept() -> None:
    assert line("a" * SHORT + "\u200b" * 50, SHORT) == "a" * SHORT
    with pytest.raises(TooLong):
        line("a" * (SHORT + 1), SHORT)


@pytest.mark.parametrize(
    "apply",
    [
        lambda c: cases.set_patient_name(c, "Ann\nLee"),
        lambda c: specialist.set_institution(c, "c1", "MD\nAnderson"),
        lambda c: insurance.set_call_reference(c, "k1", "REF\n42"),
        lambda c: insurance.set_expected_cost(c, "$200\ncopay"),
    ],
)
def test_one_line_fields_hold_one_line(apply: object) -> None:
    case = new_case()
    specialist.add_candidate(case, "c1", "Dr. Rivera")
    insurance.start_call(case, "k1", TODAY)
    assert callable(apply)
    apply(case)
    stored = [
        case.profile.patient_name,
        case.specialist.candidates[0].institution,
        case.insurance.calls[0].reference,
        case.insurance.expected_cost,
    ]
    assert [s for s in stored if s] and all("\n" not in s for s in stored if s)


# --- names shown to others -------------------------------------------------------------------------------


def test_a_telegram_name_loses_bidi_controls_and_keeps_its_emoji() -> None:
    assert name("\u202eanaD\u202c") == "anaD"
    assert name(f" Dana\u200b {FAMILY} ") == f"Dana {FAMILY}"
    assert name("x" * 300) == "x" * SHORT


def test_a_name_of_nothing_visible_is_no_name() -> None:
    member = Member(user_id=5, role=Role.EDITOR)
    assert name("\u2066\u200b\u3164\u2069") is None
    assert not sharing.note_name(member, "\u202e\u200f")
    assert member.name is None  # the screens then say "Someone"
    assert sharing.note_name(member, "\u202eDana")
    assert member.name == "Dana"


# --- phone numbers ---------------------------------------------------------------------------------------


def test_a_phone_is_kept_as_typed() -> None:
    assert phone(" +1 (555) 010-2030  ext. 4 ") == "+1 (555) 010-2030 ext. 4"


@pytest.mark.parametrize("typed", ["call the front desk", "12", "https://zoom.us"])
def test_a_phone_without_digits_is_refused(typed: str) -> None:
    with pytest.raises(NotAPhone):
        phone(typed)


# --- video links -----------------------------------------------------------------------------------------


def test_a_pasted_zoom_invitation_keeps_the_link_and_hands_back_the_rest() -> None:
    pasted = video_link(ZOOM)
    assert pasted.link == "https://us02web.zoom.us/j/123?pwd=abc"
    assert pasted.rest == "Join Zoom Meeting\n\nMeeting ID: 123 456\nPasscode: 9x8y"


@pytest.mark.parametrize(
    ("typed", "link"),
    [
        ("https://zoom.us/j/1", "https://zoom.us/j/1"),
        ("  HTTPS://Meet.Example.org/abc-def  ", "HTTPS://Meet.Example.org/abc-def"),  # as given
        ("Join here: https://zoom.us/j/1.", "https://zoom.us/j/1"),
        ("(https://zoom.us/j/1)", "https://zoom.us/j/1"),
        ("<https://zoom.us/j/1> or https://zoom.us/j/1", "https://zoom.us/j/1"),  # the same link twice
        ("https://en.wikipedia.org/wiki/Bone_(x)", "https://en.wikipedia.org/wiki/Bone_(x)"),
    ],
)
def test_one_link_is_found_in_what_was_pasted(typed: str, link: str) -> None:
    assert video_link(typed).link == link


@pytest.mark.parametrize(
    "typed",
    ["zoom.us/j/1", "javascript:alert(1)", "ftp://example.org/x", "https://", "http://:80/x", "Room 4"],
)
def test_text_without_a_web_link_is_refused(typed: str) -> None:
    with pytest.raises(NotALink):
        video_link(typed)


def test_several_links_are_refused() -> None:
    with pytest.raises(SeveralLinks) as refused:
        video_link(ZOOM + "\nFind your local number: https://us02web.zoom.us/u/kbX")
    assert refused.value.details == {"count": 2}


def test_a_link_longer_than_a_link_may_be_is_refused() -> None:
    with pytest.raises(TooLong):
        video_link("https://example.org/" + "a" * LINK)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("https://zoom.us/j/1", True),
        ("https://zoom.us/j/1\nMeeting ID", False),
        ("https://zoom.us/j/ 1", False),
        ("https://zoom.us/\u202ej/1", False),
        ("mailto:a@b.org", False),
        ("", False),
    ],
)
def test_is_web_link(text: str, ok: bool) -> None:
    assert is_web_link(text) is ok


def _visit_with_link_asked() -> Case:
    case = new_case()
    appointments.add(case, "a1", NOW + timedelta(days=5), "Europe/Berlin", NOW)
    prompts.ask(case, OWNER, PromptKind.APPOINTMENT_DETAIL, DetailTarget("a1", "video_link").text())
    return case


def test_answering_with_an_invitation_saves_the_link_and_sets_the_rest_aside() -> None:
    case = _visit_with_link_asked()
    prompts.answer(case, OWNER, ZOOM, "n1", NOW, TODAY)
    visit, member = case.appointments[0], case.members[0]
    assert visit.video_link == "https://us02web.zoom.us/j/123?pwd=abc" and visit.notes is None
    assert member.aside is not None and member.aside.visit_id == "a1"
    assert member.aside.text == "Join Zoom Meeting\n\nMeeting ID: 123 456\nPasscode: 9x8y"


def test_a_bare_link_sets_nothing_aside() -> None:
    case = _visit_with_link_asked()
    prompts.answer(case, OWNER, "https://zoom.us/j/1", "n1", NOW, TODAY)
    assert case.members[0].aside is None


def test_the_rest_goes_to_the_end_of_the_notes_once() -> None:
    case = _visit_with_link_asked()
    appointments.set_detail(case, "a1", "notes", "Bring the scans")
    prompts.answer(case, OWNER, ZOOM, "n1", NOW, TODAY)
    before = case.appointments[0].sequence
    assert appointments.add_aside_to_notes(case, case.members[0], "a1")
    visit = case.appointments[0]
    assert visit.notes == "Bring the scans\n\nJoin Zoom Meeting\n\nMeeting ID: 123 456\nPasscode: 9x8y"
    assert visit.sequence == before + 1  # calendar apps update the event
    assert case.members[0].aside is None
    with pytest.raises(Gone):  # a second tap: nothing is left to add
        appointments.add_aside_to_notes(case, case.members[0], "a1")


def test_what_does_not_fit_in_the_notes_is_left_out_and_said_so() -> None:
    case = _visit_with_link_asked()
    appointments.set_detail(case, "a1", "notes", "n" * (LONG - 30))
    prompts.answer(case, OWNER, ZOOM, "n1", NOW, TODAY)
    assert not appointments.add_aside_to_notes(case, case.members[0], "a1")
    notes = case.appointments[0].notes
    assert notes is not None and len(notes) <= LONG and notes.startswith("n" * (LONG - 30) + "\n\nJoin Zoom")
    assert clean(notes, LONG) == notes


def test_the_rest_is_for_its_own_visit_only() -> None:
    case = _visit_with_link_asked()
    appointments.add(case, "a2", NOW + timedelta(days=9), "Europe/Berlin", NOW)
    prompts.answer(case, OWNER, ZOOM, "n1", NOW, TODAY)
    with pytest.raises(Gone):
        appointments.add_aside_to_notes(case, case.members[0], "a2")
    assert case.appointments[1].notes is None


def test_going_elsewhere_drops_what_was_set_aside() -> None:
    case = _visit_with_link_asked()
    prompts.answer(case, OWNER, ZOOM, "n1", NOW, TODAY)
    assert prompts.leave(case, OWNER)  # something to forget: the plan is saved
    assert case.members[0].aside is None


def test_refused_text_changes_nothing() -> None:
    case = _visit_with_link_asked()
    for typed, refusal in ((ZOOM + " https://x.org/2", SeveralLinks), ("Room 4", NotALink)):
        with pytest.raises(refusal):
            prompts.answer(case, OWNER, typed, "n1", NOW, TODAY)
    assert case.appointments[0].video_link is None and case.appointments[0].sequence == 0
    assert case.members[0].aside is None and case.members[0].prompt is not None  # asked again


# --- the calendar file with text an older version stored --------------------------------------------------


def test_the_calendar_file_builds_when_an_old_video_link_is_a_whole_invitation() -> None:
    event = CalendarEvent(
        uid="c-a1@x",
        sequence=3,
        starts_at=datetime(2027, 1, 5, 14, 0, tzinfo=UTC),
        zone="Europe/Berlin",
        duration_minutes=60,
        summary="Second opinion with \u202eDr.\x00 Rivera\nMD",
        location=None,
        url=ZOOM,
        description="Video visit:\x1b " + ZOOM,
    )
    parsed = Calendar.from_ical(build_ics(event, NOW))
    vevent = parsed.walk("VEVENT")[0]
    assert "URL" not in vevent  # not a link: no URL property
    assert "Passcode: 9x8y" in str(vevent["LOCATION"])  # but the words are still there
    assert str(vevent["SUMMARY"]) == "Second opinion with Dr. Rivera MD"
