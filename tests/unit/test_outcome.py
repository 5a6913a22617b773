"""After the visit: what an opinion said, the first plan, the opinions side by side, and the news of it."""

from __future__ import annotations

import copy
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.plumbing.turn import Services
from handlers.sharing import news
from journey import appointments, outcome
from journey.activity import Change, ChangeKind, audience, changes, hears
from journey.errors import Gone, TooLong
from journey.models import AppointmentKind, AppointmentStatus, Case, Member, Notify, OpinionSays, Role
from journey.targets import NEW_VISIT, THIRD_VISIT, VisitTarget
from service.work import News
from storage import InMemoryCaseRepository
from templates import Words
from tests.unit.factories import NOW, OWNER, VIEWER, new_case

HELPER = 333


def _plan_with_visits() -> Case:
    """A second opinion a week ago, a third two days ago, and one still to come."""
    case = new_case()
    appointments.add(case, "second", NOW - timedelta(days=7), "America/Chicago", NOW - timedelta(days=30))
    appointments.add(case, "third", NOW - timedelta(days=2), "America/Chicago", NOW - timedelta(days=6))
    appointments.set_kind(case, "third", AppointmentKind.THIRD_OPINION)
    appointments.add(case, "later", NOW + timedelta(days=5), "America/Chicago", NOW)
    return case


def test_only_active_visits_that_are_over_count_and_the_latest_is_last() -> None:
    case = _plan_with_visits()
    appointments.add(case, "gone", NOW - timedelta(days=1), "America/Chicago", NOW - timedelta(days=9))
    appointments.cancel(case, "gone")
    assert [v.id for v in outcome.past_visits(case, NOW)] == ["second", "third"]
    latest = outcome.latest_past(case, NOW)
    assert latest is not None and latest.id == "third"
    assert outcome.latest_past(new_case(), NOW) is None


def test_a_visit_is_over_only_once_it_has_ended() -> None:
    case = new_case()
    visit = appointments.add(
        case, "a1", NOW - timedelta(minutes=30), "America/Chicago", NOW
    )  # 60 minutes long
    assert not outcome.is_over(visit, NOW)
    assert outcome.is_over(visit, NOW + timedelta(minutes=30))
    visit.status = AppointmentStatus.CANCELLED
    assert not outcome.is_over(visit, NOW + timedelta(days=1))


def test_what_the_user_typed_is_kept_cleaned_and_too_long_is_refused_unchanged() -> None:
    case = _plan_with_visits()
    outcome.set_advice(case, "second", "  Add radiation\u200b after surgery  ")
    assert case.appointments[0].advice == "Add radiation after surgery"
    with pytest.raises(TooLong):
        outcome.set_first_plan(case, "Surgery " + "x" * 900)
    assert case.first_plan is None
    with pytest.raises(Gone):
        outcome.set_says(case, "no-such-visit", OpinionSays.AGREES)


@pytest.mark.parametrize(
    ("says", "differs"),
    [
        (None, False),
        (OpinionSays.AGREES, False),
        (OpinionSays.CHANGES, True),
        (OpinionSays.DIFFERENT, True),
        (OpinionSays.MORE_TESTS, True),
    ],
)
def test_an_opinion_differs_only_as_the_user_marked_it(says: OpinionSays | None, differs: bool) -> None:
    assert outcome.differs(says) is differs


def test_side_by_side_is_the_first_plan_the_latest_second_and_the_latest_third() -> None:
    case = _plan_with_visits()
    outcome.set_first_plan(case, "Surgery")
    outcome.set_says(case, "second", OpinionSays.CHANGES)
    outcome.set_says(case, "third", OpinionSays.AGREES)
    view = outcome.side_by_side(case, NOW)
    assert view.first_plan == "Surgery"
    assert view.second is not None and view.second.id == "second"
    assert view.third is not None and view.third.id == "third"
    assert [v.id for v in view.later] == ["second", "third"]
    assert view.any_differ and not view.all_agree

    outcome.set_says(case, "second", OpinionSays.AGREES)
    view = outcome.side_by_side(case, NOW)
    assert view.all_agree and not view.any_differ


def test_before_the_third_opinion_there_are_two_and_nothing_marked_is_no_difference() -> None:
    case = _plan_with_visits()
    view = outcome.side_by_side(case, NOW - timedelta(days=3))  # the third one is not over yet
    assert view.third is None and view.second is not None and view.second.id == "second"
    assert not view.any_differ and not view.all_agree
    empty = outcome.side_by_side(new_case(), NOW)
    assert empty.later == () and not empty.all_agree


def test_a_third_opinion_visit_target_reads_back_and_is_a_new_visit() -> None:
    assert VisitTarget.read(THIRD_VISIT.text()) == THIRD_VISIT
    assert THIRD_VISIT.is_new and THIRD_VISIT.third and THIRD_VISIT != NEW_VISIT
    assert not VisitTarget.read(NEW_VISIT.text()).third


def _family() -> Case:
    case = _plan_with_visits()
    case.members.append(Member(HELPER, Role.EDITOR, name="Dana"))
    return case


def test_recording_what_an_opinion_said_is_news_once() -> None:
    case = _family()
    before = copy.deepcopy(case)
    outcome.set_says(case, "second", OpinionSays.CHANGES)
    found = changes(before, case, HELPER)
    assert found == [Change(ChangeKind.OUTCOME, "second", "second")]

    again = copy.deepcopy(case)
    outcome.set_says(case, "second", OpinionSays.MORE_TESTS)  # a change of mind is not news again
    outcome.set_advice(case, "second", "More scans first")
    assert changes(again, case, HELPER) == []


def test_members_who_hear_only_about_the_visit_hear_what_it_said() -> None:
    change = Change(ChangeKind.OUTCOME, "second", "second")
    assert hears(Notify.APPOINTMENTS, change) and hears(Notify.ALL, change)
    assert not hears(Notify.NONE, change)


def test_the_news_says_who_recorded_what_the_second_opinion_said() -> None:
    case = _family()
    before = copy.deepcopy(case)
    outcome.set_says(case, "second", OpinionSays.DIFFERENT)
    found = changes(before, case, HELPER)
    s = Services(InMemoryCaseRepository(), Words(), lambda: NOW, ZoneInfo("America/Chicago"))
    letters = news.compose(s, News(before, case, found, HELPER, HELPER))
    to = {letter.chat_id: letter.text for letter in letters}
    assert set(to) == {d.chat_id for d in audience(before, case, found, HELPER, HELPER)} == {OWNER, VIEWER}
    assert "Dana recorded what the second opinion said." in to[OWNER]
