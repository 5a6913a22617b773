"""Every list one person can grow is bounded (journey/limits.py): at the limit the next one is refused with
its own kind words and nothing changes; below it, it is added."""

from __future__ import annotations

import copy
import dataclasses
from datetime import timedelta

import pytest

from journey import appointments, cases, limits, prompts, records
from journey import insurance as ins
from journey import questions as qs
from journey import specialist as sp
from journey.errors import (
    Gone,
    JourneyError,
    TooManyCalls,
    TooManyDoctors,
    TooManyFiles,
    TooManyNotes,
    TooManyPlans,
    TooManyQuestions,
    TooManyVisits,
)
from journey.models import AppointmentStatus, Case, Member, PromptKind, RecordKind, ReminderKind, Role
from journey.reminders import SNOOZE, SNOOZED, snooze
from templates import Words
from tests.unit.factories import NOW, OWNER, TODAY, new_case, photo

WORDS = Words()
RENDERER = WORDS.default
ZONE = "America/Chicago"


def refused_unchanged(case: Case, act: object, error: type[JourneyError]) -> JourneyError:
    """`act()` raises `error` and leaves the case exactly as it was."""
    before = copy.deepcopy(case)
    with pytest.raises(error) as raised:
        act()  # type: ignore[operator]
    assert case == before
    return raised.value


def plan(case_id: str, owner: int, helper: int | None = None) -> Case:
    case = cases.start_case(case_id, owner, NOW, ())
    if helper is not None:
        case.members.append(Member(user_id=helper, role=Role.EDITOR))
    return case


# --- plans per person --------------------------------------------------------------------------------


def test_a_person_who_owns_the_most_plans_cannot_start_another() -> None:
    theirs = [plan(f"p{n}", OWNER) for n in range(limits.PLANS_OWNED)]
    with pytest.raises(TooManyPlans) as raised:
        cases.start_case("one-more", OWNER, NOW, theirs)
    assert raised.value.details == {"limit": limits.PLANS_OWNED}


def test_plans_a_person_only_helps_with_do_not_count() -> None:
    theirs = [plan(f"p{n}", OWNER) for n in range(limits.PLANS_OWNED - 1)]
    theirs += [plan(f"h{n}", 5000 + n, helper=OWNER) for n in range(25)]
    assert cases.owned(theirs, OWNER) == limits.PLANS_OWNED - 1
    case = cases.start_case("one-more", OWNER, NOW, theirs)
    assert case.owner_id == OWNER and case.id == "one-more"


# --- lists in a plan -----------------------------------------------------------------------------------


def test_a_full_short_list_refuses_a_doctor_even_before_the_name_is_typed() -> None:
    case = new_case()
    for n in range(limits.DOCTORS - 1):
        sp.add_candidate(case, f"c{n}", f"Dr {n}")
    prompts.ask(case, OWNER, PromptKind.CANDIDATE_NAME)  # one more fits: asked
    sp.add_candidate(case, "last", "Dr Last")
    prompts.leave(case, OWNER)
    refused_unchanged(case, lambda: prompts.ask(case, OWNER, PromptKind.CANDIDATE_NAME), TooManyDoctors)
    refused_unchanged(case, lambda: sp.add_candidate(case, "over", "Dr Over"), TooManyDoctors)
    assert len(case.specialist.candidates) == limits.DOCTORS


def test_a_full_question_list_refuses_one_more_from_the_bank_or_typed() -> None:
    case = new_case()
    for n in range(limits.QUESTIONS - 1):
        qs.add_own_question(case, f"q{n}", f"Question {n}?")
    prompts.ask(case, OWNER, PromptKind.OWN_QUESTION)
    qs.add_own_question(case, "last", "The last one?")
    prompts.leave(case, OWNER)
    refused_unchanged(case, lambda: prompts.ask(case, OWNER, PromptKind.OWN_QUESTION), TooManyQuestions)
    refused_unchanged(case, lambda: qs.add_own_question(case, "over", "One more?"), TooManyQuestions)
    bank = frozenset({"b1"})
    refused_unchanged(case, lambda: qs.toggle_bank_question(case, "b1", bank, on=True), TooManyQuestions)


def test_a_full_call_log_refuses_a_new_call_before_its_first_question() -> None:
    case = new_case()
    for n in range(limits.INSURANCE_CALLS - 1):
        ins.start_call(case, f"k{n}", TODAY)
    prompts.ask(case, OWNER, PromptKind.CALL_WHO)
    ins.start_call(case, "last", TODAY)
    prompts.leave(case, OWNER)
    refused_unchanged(case, lambda: prompts.ask(case, OWNER, PromptKind.CALL_WHO), TooManyCalls)
    refused_unchanged(case, lambda: ins.start_call(case, "over", TODAY), TooManyCalls)
    # The questions about a call already logged are still asked.
    prompts.ask(case, OWNER, PromptKind.CALL_REFERENCE, "last")


def test_a_record_with_the_most_files_refuses_another_and_keeps_the_others() -> None:
    case = new_case()
    for n in range(limits.FILES_PER_RECORD - 1):
        records.attach(case, RecordKind.LABS, photo(f"f{n}"))
    prompts.ask(case, OWNER, PromptKind.RECORD_FILE, RecordKind.LABS.value)
    records.attach(case, RecordKind.LABS, photo("last"))
    prompts.leave(case, OWNER)
    asking = lambda: prompts.ask(case, OWNER, PromptKind.RECORD_FILE, RecordKind.LABS.value)  # noqa: E731
    refused_unchanged(case, asking, TooManyFiles)
    refused_unchanged(case, lambda: records.attach(case, RecordKind.LABS, photo("over")), TooManyFiles)
    assert records.attach(case, RecordKind.LABS, photo("last")).attachments[-1].file_unique_id == "last"
    records.attach(case, RecordKind.BIOPSY, photo("over"))  # another record has room


def test_at_most_ten_upcoming_visits() -> None:
    case = new_case()
    for n in range(limits.UPCOMING_VISITS):
        appointments.add(case, f"a{n}", NOW + timedelta(days=n + 1), ZONE, NOW)
    add = lambda: appointments.add(case, "over", NOW + timedelta(days=30), ZONE, NOW)  # noqa: E731
    refused_unchanged(case, add, TooManyVisits)
    refused_unchanged(case, lambda: appointments.check_room(case, NOW), TooManyVisits)
    appointments.cancel(case, "a3")
    assert appointments.add(case, "over", NOW + timedelta(days=30), ZONE, NOW).id == "over"


def test_past_visits_do_not_block_new_ones() -> None:
    case = new_case()
    for n in range(limits.UPCOMING_VISITS):
        appointments.add(case, f"a{n}", NOW + timedelta(days=n + 1), ZONE, NOW)
    later = NOW + timedelta(days=40)  # every one of them is over
    assert appointments.add(case, "new", later + timedelta(days=1), ZONE, later).id == "new"


def test_adding_and_cancelling_in_a_loop_never_piles_visits_up() -> None:
    case = new_case()
    for n in range(200):
        now = NOW + timedelta(minutes=n)
        appointments.add(case, f"a{n}", NOW + timedelta(days=5), ZONE, now)
        appointments.cancel(case, f"a{n}")
    assert len(case.appointments) == limits.VISITS_KEPT
    # The oldest cancelled ones made room: the newest are kept.
    assert [a.id for a in case.appointments][-1] == "a199" and "a0" not in {a.id for a in case.appointments}
    appointments.add(case, "real", NOW + timedelta(days=5), ZONE, NOW + timedelta(hours=5))
    assert len(case.appointments) == limits.VISITS_KEPT
    assert appointments.next_appointment(case, NOW + timedelta(hours=5)) is not None


def test_a_plan_full_of_recent_visits_refuses_one_more() -> None:
    case = new_case()
    for n in range(limits.VISITS_KEPT):  # one every two hours, each over before the next is added
        at = NOW + timedelta(hours=2 * n)
        appointments.add(case, f"a{n}", at + timedelta(minutes=30), ZONE, at)
    now = NOW + timedelta(days=3)  # all over, but none long enough to make room
    with pytest.raises(TooManyVisits) as raised:
        appointments.add(case, "over", now + timedelta(days=1), ZONE, now)
    assert raised.value.details == {"limit": limits.VISITS_KEPT} and len(case.appointments) == 30
    much_later = NOW + limits.VISIT_KEPT_AFTER + timedelta(days=2)
    appointments.add(case, "over", much_later + timedelta(days=1), ZONE, much_later)
    assert len(case.appointments) == limits.VISITS_KEPT and "a0" not in {a.id for a in case.appointments}
    assert all(a.status is AppointmentStatus.ACTIVE for a in case.appointments)


# --- "Later" ---------------------------------------------------------------------------------------------


def with_visit() -> Case:
    case = new_case()
    case.members[0].settings.quiet_start = case.members[0].settings.quiet_end = 0  # no quiet hours
    appointments.add(case, "v1", NOW + timedelta(days=9), ZONE, NOW)
    return case


def pending_snoozes(case: Case) -> list[object]:
    return [r for r in case.reminders if r.id.startswith(SNOOZED)]


def test_a_second_later_on_the_same_reminder_moves_it_instead_of_adding_one() -> None:
    case = with_visit()
    first = snooze(case, OWNER, ReminderKind.WEEK_BEFORE, "v1", NOW, "tap1")
    assert first.due_at == NOW + SNOOZE
    again = NOW + timedelta(hours=2)
    for n in range(50):
        second = snooze(case, OWNER, ReminderKind.WEEK_BEFORE, "v1", again, f"tap-{n}")
    assert second is first and first.due_at == again + SNOOZE
    assert pending_snoozes(case) == [first]


def test_later_on_different_reminders_keeps_one_each() -> None:
    case = with_visit()
    snooze(case, OWNER, ReminderKind.WEEK_BEFORE, "v1", NOW, "t1")
    snooze(case, OWNER, ReminderKind.DAY_BEFORE, "v1", NOW, "t2")
    snooze(case, OWNER, ReminderKind.RECORD_FOLLOW_UP, RecordKind.LABS.value, NOW, "t3")
    snooze(case, OWNER, ReminderKind.RECORD_FOLLOW_UP, RecordKind.LABS.value, NOW, "t4")
    assert len(pending_snoozes(case)) == 3


def test_the_same_tap_again_is_a_repeat_not_a_move() -> None:
    case = with_visit()
    first = snooze(case, OWNER, ReminderKind.WEEK_BEFORE, "v1", NOW, "tap1")
    again = snooze(case, OWNER, ReminderKind.WEEK_BEFORE, "v1", NOW + timedelta(hours=1), "tap1")
    assert again is first and first.due_at == NOW + SNOOZE


@pytest.mark.parametrize(
    ("kind", "about"),
    [(ReminderKind.WEEK_BEFORE, "no-such-visit"), (ReminderKind.RECORD_FOLLOW_UP, "x" * 40)],
)
def test_later_about_something_the_plan_does_not_have_is_refused(kind: ReminderKind, about: str) -> None:
    case = with_visit()
    refused_unchanged(case, lambda: snooze(case, OWNER, kind, about, NOW, "t1"), Gone)


def test_a_pile_of_laters_saved_before_the_rule_shrinks_to_one() -> None:
    case = with_visit()
    first = snooze(case, OWNER, ReminderKind.WEEK_BEFORE, "v1", NOW, "t1")
    case.reminders += [dataclasses.replace(first, id=f"{SNOOZED}old{n}") for n in range(30)]
    kept = snooze(case, OWNER, ReminderKind.WEEK_BEFORE, "v1", NOW + timedelta(hours=1), "t2")
    assert pending_snoozes(case) == [kept]


# --- the words -------------------------------------------------------------------------------------------

LIMIT_MESSAGES = {
    TooManyPlans: limits.PLANS_OWNED,
    TooManyDoctors: limits.DOCTORS,
    TooManyFiles: limits.FILES_PER_RECORD,
    TooManyCalls: limits.INSURANCE_CALLS,
    TooManyQuestions: limits.QUESTIONS,
    TooManyNotes: limits.NOTES,
    TooManyVisits: limits.VISITS_KEPT,
}


@pytest.mark.parametrize("error", list(LIMIT_MESSAGES), ids=lambda e: e.__name__)
def test_each_limit_has_its_own_words_that_fit_in_a_button_alert(error: type[JourneyError]) -> None:
    text = RENDERER.render(error.key, limit=LIMIT_MESSAGES[error])
    assert str(LIMIT_MESSAGES[error]) in text
    assert len(text) <= 200  # Telegram's limit for an alert after a button press
    assert "<" not in text  # alerts are plain text
    assert text != RENDERER.render("errors/too_many_items", limit=1)
