"""Progress, the next action, typed-answer chains, access rules and repeat updates."""

from __future__ import annotations

import pytest

from journey import cases, insurance, prompts, questions, records, specialist
from journey.access import require_editor, require_member
from journey.errors import EmptyText, Gone, NotAMember, ReadOnly, TooLong
from journey.models import (
    Answer,
    CandidateStatus,
    InsuranceOutcome,
    InsuranceQuestion,
    Prompt,
    PromptKind,
    RecordKind,
    RecordStatus,
    StepId,
    StepStatus,
    Urgency,
)
from journey.progress import progress
from tests.unit.factories import NOW, OWNER, STRANGER, TODAY, VIEWER, new_case, photo

S = StepStatus


def test_a_new_case_has_nothing_done_and_starts_with_finding_a_doctor() -> None:
    state = progress(new_case())
    assert state.done == 0 and state.total == 4
    assert set(state.statuses.values()) == {S.NOT_STARTED}
    assert state.next_action.key == "next/add_candidate"
    assert state.next_action.step is StepId.SPECIALIST


def test_specialist_step_is_done_once_a_visit_is_booked_and_next_moves_on() -> None:
    case = new_case()
    specialist.add_candidate(case, "c1", "Dr. Rivera")
    state = progress(case)
    assert state.statuses[StepId.SPECIALIST] is S.IN_PROGRESS
    assert (state.next_action.key, state.next_action.details) == ("next/contact", {"name": "Dr. Rivera"})
    specialist.set_candidate_status(case, "c1", CandidateStatus.REFERRAL_NEEDED)
    assert progress(case).next_action.key == "next/get_referral"
    specialist.set_candidate_status(case, "c1", CandidateStatus.BOOKED)
    state = progress(case)
    assert state.statuses[StepId.SPECIALIST] is S.DONE
    assert state.next_action.key == "next/request_record"
    assert state.next_action.details == {"record": RecordKind.PATHOLOGY_REPORT.value}


def test_a_declined_short_list_asks_for_another_doctor() -> None:
    case = new_case()
    specialist.add_candidate(case, "c1", "Dr. Rivera")
    specialist.set_candidate_status(case, "c1", CandidateStatus.DECLINED)
    assert progress(case).next_action.key == "next/add_candidate"


@pytest.mark.parametrize(
    ("status", "key"),
    [
        (RecordStatus.REQUESTED, "next/follow_up_record"),
        (RecordStatus.RECEIVED, "next/send_record"),
        (RecordStatus.SENT, "next/confirm_record"),
    ],
)
def test_the_next_record_action_follows_the_first_missing_item(status: RecordStatus, key: str) -> None:
    case = new_case()
    specialist.add_candidate(case, "c1", "Dr. Rivera")
    specialist.set_candidate_status(case, "c1", CandidateStatus.BOOKED)
    records.set_status(case, RecordKind.PATHOLOGY_REPORT, status, TODAY)
    assert progress(case).next_action.key == key


def test_records_are_done_when_every_needed_item_has_arrived() -> None:
    case = new_case()
    for item in case.records.items:
        item.status = RecordStatus.ARRIVED
    records.set_status(case, RecordKind.REFERRAL_LETTER, RecordStatus.NOT_NEEDED, TODAY)
    assert progress(case).statuses[StepId.RECORDS] is S.DONE
    records.set_status(case, RecordKind.LABS, RecordStatus.SENT, TODAY)
    assert progress(case).statuses[StepId.RECORDS] is S.IN_PROGRESS


def test_insurance_is_done_when_the_outcome_is_set() -> None:
    case = new_case()
    insurance.answer(case, InsuranceQuestion.COVERED, Answer.UNSURE)
    assert progress(case).statuses[StepId.INSURANCE] is S.IN_PROGRESS
    insurance.set_outcome(case, InsuranceOutcome.SELF_PAY)
    assert progress(case).statuses[StepId.INSURANCE] is S.DONE


def test_all_four_steps_done() -> None:
    case = new_case()
    specialist.add_candidate(case, "c1", "Dr. Rivera")
    specialist.set_candidate_status(case, "c1", CandidateStatus.BOOKED)
    for item in case.records.items:
        item.status = RecordStatus.ARRIVED
    insurance.set_outcome(case, InsuranceOutcome.COVERED)
    questions.add_own_question(case, "q1", "What is the goal of treatment?")
    state = progress(case)
    assert state.done == 4
    assert state.next_action.key == "next/all_done"


def test_time_sensitive_shows_in_progress() -> None:
    case = new_case()
    cases.set_urgency(case, Urgency.SOON)
    assert progress(case).time_sensitive


def test_a_candidate_chain_asks_name_place_contact_notes_and_skips_work() -> None:
    case = new_case()
    prompts.ask(case, OWNER, PromptKind.CANDIDATE_NAME)
    step = prompts.answer(case, OWNER, "Dr. Rivera", "m1", NOW, TODAY)
    assert step.next is not None and step.next.kind is PromptKind.CANDIDATE_INSTITUTION
    assert step.next.target == "m1"
    prompts.answer(case, OWNER, "City Cancer Center", "m2", NOW, TODAY)
    step = prompts.skip(case, OWNER, "m3", TODAY)
    assert step.next is not None and step.next.kind is PromptKind.CANDIDATE_NOTES
    step = prompts.answer(case, OWNER, "Suggested by my nurse", "m4", NOW, TODAY)
    assert step.next is None and step.answered.target == "m1"
    candidate = specialist.find_candidate(case, "m1")
    assert (candidate.institution, candidate.contact, candidate.notes) == (
        "City Cancer Center",
        None,
        "Suggested by my nurse",
    )
    assert prompts.pending(case, OWNER) is None


def test_bad_text_changes_nothing_and_keeps_the_question() -> None:
    case = new_case()
    prompts.ask(case, OWNER, PromptKind.CANDIDATE_NAME)
    with pytest.raises(EmptyText):
        prompts.answer(case, OWNER, "   ", "m1", NOW, TODAY)
    with pytest.raises(TooLong):
        prompts.answer(case, OWNER, "x" * 1000, "m1", NOW, TODAY)
    assert case.specialist.candidates == []
    pending = prompts.pending(case, OWNER)
    assert pending is not None and pending.kind is PromptKind.CANDIDATE_NAME


def test_required_questions_cannot_be_skipped() -> None:
    case = new_case()
    prompts.ask(case, OWNER, PromptKind.OWN_QUESTION)
    with pytest.raises(Gone):
        prompts.skip(case, OWNER, "m1", TODAY)


def test_skipping_who_on_a_call_still_logs_the_call_dated_today() -> None:
    case = new_case()
    prompts.ask(case, OWNER, PromptKind.CALL_WHO)
    step = prompts.skip(case, OWNER, "k1", TODAY)
    assert step.next is not None and step.next.kind is PromptKind.CALL_REFERENCE
    assert [(c.id, c.on, c.who) for c in case.insurance.calls] == [("k1", TODAY, None)]


def test_text_when_nothing_is_pending_is_refused() -> None:
    with pytest.raises(prompts.NothingPending):
        prompts.answer(new_case(), OWNER, "hello", "m1", NOW, TODAY)


def test_a_file_for_a_requested_record_is_attached_at_once() -> None:
    case = new_case()
    prompts.ask(case, OWNER, PromptKind.RECORD_FILE, RecordKind.LABS.value)
    with pytest.raises(prompts.ExpectedFile):
        prompts.answer(case, OWNER, "here it is", "m1", NOW, TODAY)
    assert prompts.receive_file(case, OWNER, photo()) is RecordKind.LABS
    assert records.find_item(case, RecordKind.LABS).attachments[0].file_unique_id == "u1"


def test_a_file_out_of_the_blue_waits_until_the_user_picks_the_record() -> None:
    case = new_case()
    assert prompts.receive_file(case, OWNER, photo()) is None
    prompts.attach_pending(case, OWNER, RecordKind.STAGING)
    assert records.find_item(case, RecordKind.STAGING).status is RecordStatus.RECEIVED
    with pytest.raises(prompts.NothingPending):
        prompts.attach_pending(case, OWNER, RecordKind.STAGING)


def test_leaving_forgets_the_question_and_any_unplaced_file() -> None:
    case = new_case()
    prompts.receive_file(case, OWNER, photo())
    assert prompts.leave(case, OWNER) is True
    assert prompts.leave(case, OWNER) is False
    with pytest.raises(prompts.NothingPending):
        prompts.attach_pending(case, OWNER, RecordKind.STAGING)


def test_strangers_and_viewers() -> None:
    case = new_case()
    assert require_editor(case, OWNER).user_id == OWNER
    assert require_member(case, VIEWER).user_id == VIEWER
    with pytest.raises(ReadOnly):
        require_editor(case, VIEWER)
    with pytest.raises(ReadOnly):
        prompts.ask(case, VIEWER, PromptKind.OWN_QUESTION)
    with pytest.raises(NotAMember):
        require_member(case, STRANGER)
    with pytest.raises(NotAMember):
        require_member(None, OWNER)


def test_a_repeated_update_is_recognised_and_memory_is_bounded() -> None:
    member = new_case().members[0]
    cases.remember_update(member, 500)
    assert cases.is_repeat(member, 500) and not cases.is_repeat(member, 501)
    for update_id in range(1000, 1100):
        cases.remember_update(member, update_id)
    assert len(member.recent_updates) == cases.RECENT_UPDATES_KEPT
    assert cases.is_repeat(member, 1099) and not cases.is_repeat(member, 500)


def test_the_zone_question_holds_the_typed_time_until_it_is_answered() -> None:
    """/appointment 15 Dec 15:30 with no zone: the zone question keeps the words (cleaned to one line);
    answering it hands them back with the answer, and nothing else holds them after."""
    case = new_case()
    prompts.ask(case, OWNER, PromptKind.ZONE, "new", held="  15 Dec\n2026   15:30 ")
    assert require_member(case, OWNER).prompt == Prompt(PromptKind.ZONE, "new", held="15 Dec 2026 15:30")
    step = prompts.answer(case, OWNER, "Houston", "id-1", NOW, TODAY)
    assert step.answered.held == "15 Dec 2026 15:30" and step.next is None
    assert require_member(case, OWNER).settings.zone == "America/Chicago"
    assert require_member(case, OWNER).prompt is None


def test_held_words_too_long_for_a_time_are_refused_before_anything_is_asked() -> None:
    case = new_case()
    with pytest.raises(TooLong):
        prompts.ask(case, OWNER, PromptKind.ZONE, "new", held="15 Dec " * 40)
    assert require_member(case, OWNER).prompt is None


def test_leaving_the_zone_question_drops_the_held_time() -> None:
    case = new_case()
    prompts.ask(case, OWNER, PromptKind.ZONE, "new", held="15 Dec 2026 15:30")
    assert prompts.leave(case, OWNER) is True
    prompts.ask(case, OWNER, PromptKind.ZONE, "new")
    step = prompts.answer_zone(case, OWNER, "America/Chicago", "new")
    assert step.answered.held is None
