"""The visit screen: the common actions first; the details one tap away, two to a row, short enough for a
phone (360 px), with Back to the visit."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from handlers.paper.taps import PrepSheetTap
from handlers.plumbing.callbacks import Tap, decode
from handlers.plumbing.turn import Screen, Services, Turn
from handlers.settings.taps import ZonesTap
from handlers.visit import mode
from handlers.visit import screens as visit
from handlers.visit.taps import (
    AppointmentTap,
    CalendarFileTap,
    CancelVisitTap,
    ChangeTimeTap,
    DetailTap,
    EditDetailsTap,
    KindsOfVisitTap,
    NewAppointmentTap,
    VisitModeTap,
)
from journey import appointments, limits, questions, visit_mode
from journey.models import Case
from journey.text import LONG
from storage import InMemoryCaseRepository
from templates import Words
from tests.unit.factories import NOW, OWNER, new_case
from tests.unit.test_screens import assert_telegram_accepts

# Two buttons share a row of a 360 px phone: each label fits on one line at this many characters.
PER_HALF_ROW = 18


def turn_with_visit() -> tuple[Case, Turn]:
    case = new_case()
    appointments.add(case, "a1", NOW + timedelta(days=10), "America/Chicago", NOW)
    repo = InMemoryCaseRepository()
    repo.save_case(case)
    services = Services(repo, Words(), lambda: NOW, ZoneInfo("America/Chicago"))
    return case, Turn(services, case, OWNER, NOW, "newid")


def layout(screen: Screen) -> list[list[str]]:
    return [[button.text for button in row] for row in screen.rows]


def taps(screen: Screen) -> list[list[Tap]]:
    return [[decode(str(button.callback_data)).tap for button in row] for row in screen.rows]


def test_the_visit_shows_the_common_actions_and_one_button_for_the_details() -> None:
    _, turn = turn_with_visit()
    screen = visit.visit_screen(turn, "a1")
    assert layout(screen) == [
        ["🕑 Change time", "📅 Calendar file"],
        ["✏️ Edit details", "📄 Prep sheet"],
        ["🩺 At the visit"],
        ["❌ Cancel this visit"],
        ["\u2795 Add another visit"],
        ["🏠 Menu"],
    ]
    assert taps(screen)[:5] == [
        [ChangeTimeTap("a1"), CalendarFileTap("a1")],
        [EditDetailsTap("a1"), PrepSheetTap("a1")],
        [VisitModeTap("a1", 0)],
        [CancelVisitTap("a1")],
        [NewAppointmentTap()],
    ]


def test_edit_details_has_every_detail_two_to_a_row_and_back_to_the_visit() -> None:
    _, turn = turn_with_visit()
    screen = visit.show_details(turn, EditDetailsTap("a1"))
    assert layout(screen) == [
        ["👩\u200d⚕️ Doctor", "🏥 Place"],
        ["📍 Address", "🎥 Video link"],
        ["📞 Phone", "📝 Notes"],
        ["🗂 Kind of visit", "🌐 Time zone"],
        ["\u2039 Back"],
    ]
    pressed = [tap for row in taps(screen) for tap in row]
    assert pressed == [
        *(DetailTap("a1", detail) for detail in appointments.DETAILS),
        KindsOfVisitTap("a1"),
        ZonesTap("a1"),
        AppointmentTap("a1"),
    ]
    assert "Edit details" in screen.text and "Tap what you want to add or change." in screen.text


def test_every_button_of_both_screens_fits_half_a_phone_row() -> None:
    _, turn = turn_with_visit()
    for screen in (visit.visit_screen(turn, "a1"), visit.show_details(turn, EditDetailsTap("a1"))):
        for row in layout(screen):
            if len(row) == 2:
                assert all(len(label) <= PER_HALF_ROW for label in row), row


def test_the_details_screen_shows_what_is_filled_in() -> None:
    case, turn = turn_with_visit()
    appointments.set_detail(case, "a1", "doctor", "Dr. Rivera")
    appointments.set_detail(case, "a1", "phone", "+1 555 010 2030")
    text = visit.show_details(turn, EditDetailsTap("a1")).text
    assert "Doctor: Dr. Rivera" in text and "Phone: +1 555 010 2030" in text
    assert "Thursday 3 December 2026" in text  # which visit this is


def test_the_kinds_of_visit_lead_back_to_the_details() -> None:
    _, turn = turn_with_visit()
    screen = visit.show_kinds(turn, KindsOfVisitTap("a1"))
    assert taps(screen)[-1] == [EditDetailsTap("a1")]


def test_a_cancelled_visit_has_no_details_to_edit() -> None:
    """An "Edit details" button from before the visit was cancelled shows the visit as it is now."""
    case, turn = turn_with_visit()
    appointments.cancel(case, "a1")
    screen = visit.show_details(turn, EditDetailsTap("a1"))
    assert "(cancelled)" in screen.text
    assert not any(isinstance(tap, DetailTap) for row in taps(screen) for tap in row)


def test_visit_mode_at_its_fullest_fits_one_message_and_half_rows() -> None:
    """Three questions a page, each with the longest answer and a voice note, and the longest note of what
    they said: Telegram still takes the message, and two buttons share a row only when both fit."""
    case, turn = turn_with_visit()
    for n in range(limits.QUESTIONS):
        questions.add_own_question(case, f"q{n}", ("Ω<&>" * LONG)[:LONG])  # escaped, yet counted as typed
        visit_mode.set_answer(case, "a1", f"q{n}", ("Ω<&>" * LONG)[:LONG])
        visit_mode.set_voice(case, "a1", f"q{n}", "AwAC" + "v" * 60)
    appointments.set_visit_note(case, "a1", ("Ω<&>" * LONG)[:LONG])
    for page in range(-(-limits.QUESTIONS // mode.PER_PAGE)):
        screen = mode.mode_screen(turn, "a1", page)
        assert_telegram_accepts(screen)
        assert screen.text.count("✅ Asked") == mode.PER_PAGE or page == limits.QUESTIONS // mode.PER_PAGE
        for row in layout(screen):
            assert len(row) <= 2 and (len(row) < 2 or all(len(label) <= PER_HALF_ROW for label in row)), row
