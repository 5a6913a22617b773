"""The guidance a nurse navigator would give: urgency, the records clock, the decide-by date, support."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from handlers.menu import screens as menu
from handlers.menu.taps import ClearDecideByTap, DecideByTap
from handlers.onboarding import screens as onboarding
from handlers.onboarding.taps import UrgencyAnswer, UrgencyTap
from handlers.records import screens as record_screens
from handlers.reminders import screens as reminder_views
from journey import appointments, cases, deadline, prompts, records
from journey.models import PromptKind, RecordKind, RecordStatus, Reminder, ReminderKind, Urgency
from journey.progress import progress
from journey.when import InPast, TooFar
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


# --- the decide-by date ------------------------------------------------------------------------------


def test_the_decide_by_date_is_read_as_a_day_from_today_on() -> None:
    today = date(2026, 11, 23)
    assert deadline.read_decide_by("23 Dec", today) == date(2026, 12, 23)
    assert deadline.read_decide_by("3 Jan", today) == date(2027, 1, 3)
    assert deadline.read_decide_by("today", today) == today
    with pytest.raises(deadline.NoDay):
        deadline.read_decide_by("soon", today)
    with pytest.raises(deadline.TwoDays):
        deadline.read_decide_by("3/12", today)
    with pytest.raises(InPast):
        deadline.read_decide_by("1 Nov 2026", today)
    with pytest.raises(TooFar):
        deadline.read_decide_by("1 Jan 2030", today)


def test_the_decide_by_date_is_read_in_the_readers_language() -> None:
    today = date(2026, 11, 23)
    assert deadline.read_decide_by("25 de diciembre", today, locale="es") == date(2026, 12, 25)
    assert deadline.read_decide_by("pasado mañana", today, locale="es") == date(2026, 11, 25)
    with pytest.raises(deadline.NoDay):
        deadline.read_decide_by("25 de diciembre", today)  # English: "diciembre" is no month
    with pytest.raises(deadline.TwoDays):
        deadline.read_decide_by("3/12", today, locale="es")
    case = new_case()
    prompts.ask(case, OWNER, PromptKind.DECIDE_BY, None)
    prompts.answer(case, OWNER, "el 15 de enero", "n1", NOW, TODAY, locale="es")
    assert case.profile.decide_by == date(2027, 1, 15)


def test_days_left_count_to_the_date_and_below_zero_after_it() -> None:
    case = new_case()
    assert deadline.days_left(case, TODAY) is None and deadline.deadline(case, TODAY, None) is None
    deadline.set_decide_by(case, TODAY + timedelta(days=10))
    assert deadline.days_left(case, TODAY) == 10
    assert deadline.days_left(case, TODAY + timedelta(days=12)) == -2


def test_a_visit_on_a_later_day_than_the_date_is_late_in_its_own_zone() -> None:
    case = new_case()
    # 05:00 UTC on 3 Dec is still 2 Dec in Chicago, the visit's own zone.
    visit = appointments.add(case, "a1", datetime(2026, 12, 3, 5, 0, tzinfo=UTC), "America/Chicago", NOW)
    deadline.set_decide_by(case, date(2026, 12, 2))
    assert not deadline.visit_after(case, visit)
    deadline.set_decide_by(case, date(2026, 12, 1))
    assert deadline.visit_after(case, visit)
    due = deadline.deadline(case, date(2026, 11, 23), visit)
    assert due is not None and due.visit_late and due.at_risk


def test_records_that_may_come_after_the_date() -> None:
    case = new_case()
    today = date(2026, 11, 23)
    for item in case.records.items:
        item.status = RecordStatus.ARRIVED
    records.set_status(case, RecordKind.LABS, RecordStatus.REQUESTED, today)  # answer due 23 Dec
    records.set_status(case, RecordKind.BIOPSY, RecordStatus.TO_REQUEST, today)  # asked today: 23 Dec
    records.set_status(case, RecordKind.STAGING, RecordStatus.RECEIVED, today)  # in hand: the user sends it
    deadline.set_decide_by(case, date(2026, 12, 23))
    assert deadline.records_after(case, today) == []
    deadline.set_decide_by(case, date(2026, 12, 22))
    late = [item.kind for item in deadline.records_after(case, today)]
    assert sorted(late) == sorted([RecordKind.BIOPSY, RecordKind.LABS])


def test_menu_and_progress_show_days_left_and_ways_to_go_faster_when_at_risk() -> None:
    case = new_case()
    deadline.set_decide_by(case, TODAY + timedelta(days=40))
    for screen in (menu.show_menu, menu.show_progress):
        text = screen(turn_for(case)).text
        assert "40 days left" in text and "Ways to go faster" not in text
    appointments.add(case, "a1", NOW + timedelta(days=45), "America/Chicago", NOW)
    text = menu.show_menu(turn_for(case)).text
    assert "⚠️ Your visit is after this date." in text
    assert "Ways to go faster: ask for the earliest open visit." in text
    visit = record_screens.show_records(turn_for(case)).text
    assert "may come after the day treatment should start" not in visit  # answers due in 30 days: in time


def test_the_date_question_offers_remove_only_when_a_date_is_set() -> None:
    case = new_case()
    asked = menu.on_decide_by(turn_for(case), DecideByTap())
    assert "By what day should treatment start?" in asked.text
    assert all(b.text != "Remove the date" for row in asked.rows for b in row)
    deadline.set_decide_by(case, TODAY + timedelta(days=5))
    asked = menu.on_decide_by(turn_for(case), DecideByTap())
    assert any(b.text == "Remove the date" for row in asked.rows for b in row)
    after = menu.on_clear_decide_by(turn_for(case), ClearDecideByTap())
    assert case.profile.decide_by is None and "Start treatment by" not in after.text


# --- feelings and support ------------------------------------------------------------------------------


def test_help_and_the_time_sensitive_path_name_support_and_both_numbers() -> None:
    case = new_case()
    texts = [menu.show_help(turn_for(case)).text]
    for urgency in (UrgencyAnswer.SOON, UrgencyAnswer.UNSURE):
        texts.append(onboarding.on_urgency(turn_for(case), UrgencyTap(urgency)).text)
    for text in texts:
        assert "Feeling overwhelmed is common" in text
        assert "social worker or patient navigator" in text
        assert "1-800-4-CANCER" in text and "https://www.cancer.gov/contact" in text
        assert "call or text 988" in text and "https://988lifeline.org" in text
    calm = onboarding.on_urgency(turn_for(case), UrgencyTap(UrgencyAnswer.NOT_SOON)).text
    assert "988" not in calm
