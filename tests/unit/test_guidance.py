"""The guidance a nurse navigator would give: urgency, the records clock, the decide-by date, support."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from handlers.menu import screens as menu
from handlers.onboarding import screens as onboarding
from handlers.onboarding.taps import UrgencyAnswer, UrgencyTap
from handlers.records import screens as record_screens
from handlers.reminders import screens as reminder_views
from journey import cases, records
from journey.models import RecordKind, RecordStatus, Reminder, ReminderKind, Urgency
from journey.progress import progress
from tests.unit.factories import NOW, OWNER, TODAY, new_case
from tests.unit.test_screens import turn_for


def test_not_sure_about_urgency_gets_the_same_care_as_soon() -> None:
    case = new_case()
    cases.set_urgency(case, Urgency.UNSURE)
    assert case.profile.time_sensitive and progress(case).time_sensitive
    done = onboarding.on_urgency(turn_for(case), UrgencyTap(UrgencyAnswer.UNSURE)).text
    assert "It is fine not to know" in done
    assert "how long it is safe to wait" in done
    assert "the kind of cancer, its stage and how fast it grows" in done
    for screen in (menu.show_menu, menu.show_progress):
        text = screen(turn_for(case)).text
        assert "You were not sure how soon treatment should start" in text
        assert "how fast it grows" in text


def test_no_urgency_says_nothing_about_waiting() -> None:
    case = new_case()
    cases.set_urgency(case, Urgency.NOT_SOON)
    assert not case.profile.time_sensitive
    assert "safe to wait" not in menu.show_menu(turn_for(case)).text


def test_a_record_asked_for_should_be_answered_within_30_days() -> None:
    case = new_case()
    item = records.set_status(case, RecordKind.LABS, RecordStatus.REQUESTED, date(2026, 11, 23))
    assert records.answer_by(item) == date(2026, 12, 23)
    assert not records.answer_late(item, date(2026, 12, 23))
    assert records.answer_late(item, date(2026, 12, 24))
    assert records.waiting_answers(case) == [(item, date(2026, 12, 23))]


@pytest.mark.parametrize("status", [s for s in RecordStatus if s is not RecordStatus.REQUESTED])
def test_only_a_record_still_asked_for_has_an_answer_day(status: RecordStatus) -> None:
    case = new_case()
    item = records.set_status(case, RecordKind.LABS, RecordStatus.REQUESTED, date(2026, 11, 23))
    records.set_status(case, RecordKind.LABS, status, date(2026, 11, 30))
    assert records.answer_by(item) is None
    assert records.waiting_answers(case) == []


def test_no_answer_day_without_the_day_it_was_asked() -> None:
    case = new_case()
    item = records.find_item(case, RecordKind.LABS)
    item.status = RecordStatus.REQUESTED  # an old plan, asked before the day was kept
    assert records.answer_by(item) is None


def test_the_record_screens_and_the_follow_up_show_the_clock_and_who_to_call() -> None:
    case = new_case()
    records.set_status(case, RecordKind.LABS, RecordStatus.REQUESTED, TODAY)
    records.set_requested_from(case, RecordKind.LABS, "City Lab")
    due = (TODAY + timedelta(days=30)).strftime("%d %b %Y")
    item_text = record_screens.item_screen(turn_for(case), RecordKind.LABS).text
    assert "They should answer by" in item_text and due in item_text
    assert (
        "call the records office (also called medical records) of the place you asked: City Lab" in item_text
    )
    assert "They should answer by" not in record_screens.item_screen(turn_for(case), RecordKind.BIOPSY).text
    list_text = record_screens.show_records(turn_for(case)).text
    assert "Lab work (blood tests): they should answer by" in list_text and due in list_text
    nudge = Reminder("r1", ReminderKind.RECORD_FOLLOW_UP, NOW, OWNER, target=RecordKind.LABS.value)
    assert "They should answer by" in reminder_views.reminder_screen(turn_for(case), nudge).text


def test_a_late_answer_says_kindly_who_to_call() -> None:
    case = new_case()
    records.set_status(case, RecordKind.LABS, RecordStatus.REQUESTED, TODAY - timedelta(days=31))
    text = record_screens.item_screen(turn_for(case), RecordKind.LABS).text
    assert "They should have answered by" in text and "It is fine to call and ask" in text
    assert "(late)" in record_screens.show_records(turn_for(case)).text
