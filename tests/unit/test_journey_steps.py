"""The four steps' rules, tested directly on plain objects."""

from __future__ import annotations

import pytest

from journey import cases, insurance, questions, records, specialist
from journey.errors import EmptyText, Gone, TooLong, TooManyItems, TooManyTop
from journey.models import (
    Answer,
    CandidateStatus,
    InsuranceOutcome,
    InsuranceQuestion,
    Reason,
    RecordKind,
    RecordStatus,
    SpecialistKind,
    Urgency,
)
from journey.text import clean
from tests.unit.factories import TODAY, new_case, photo


def test_a_new_case_has_every_record_to_request_in_checklist_order() -> None:
    case = new_case()
    assert [i.kind for i in case.records.items] == list(RecordKind)
    assert {i.status for i in case.records.items} == {RecordStatus.TO_REQUEST}


def test_clean_trims_and_squeezes_blank_lines_and_refuses_empty_or_long() -> None:
    assert clean("  Dr. Rivera \n\n\n  City Hospital ", 100) == "Dr. Rivera\n\nCity Hospital"
    with pytest.raises(EmptyText):
        clean(" \n \t", 100)
    with pytest.raises(TooLong) as raised:
        clean("x" * 11, 10)
    assert raised.value.details == {"limit": 10, "length": 11}


def test_reasons_toggle_and_keep_a_stable_order() -> None:
    case = new_case()
    cases.toggle_reason(case, Reason.NOT_COMFORTABLE)
    cases.toggle_reason(case, Reason.RARE_OR_UNCLEAR)
    assert case.profile.reasons == [Reason.RARE_OR_UNCLEAR, Reason.NOT_COMFORTABLE]
    cases.toggle_reason(case, Reason.RARE_OR_UNCLEAR)
    assert case.profile.reasons == [Reason.NOT_COMFORTABLE]


def test_treatment_starting_soon_makes_the_case_time_sensitive() -> None:
    case = new_case()
    assert not case.profile.time_sensitive
    cases.set_urgency(case, Urgency.SOON)
    assert case.profile.time_sensitive and case.profile.onboarded
    cases.set_urgency(case, None)
    assert not case.profile.time_sensitive and case.profile.onboarded


def test_adding_a_candidate_twice_with_the_same_id_keeps_one() -> None:
    case = new_case()
    first = specialist.add_candidate(case, "c1", "Dr. Rivera")
    again = specialist.add_candidate(case, "c1", "Dr. Rivera")
    assert first is again and len(case.specialist.candidates) == 1


def test_candidate_fields_status_and_removal() -> None:
    case = new_case()
    specialist.add_candidate(case, "c1", "Dr. Rivera")
    specialist.set_institution(case, "c1", "City Cancer Center")
    specialist.set_contact(case, "c1", "555-0100")
    specialist.set_candidate_status(case, "c1", CandidateStatus.BOOKED)
    assert [c.name for c in specialist.booked(case)] == ["Dr. Rivera"]
    specialist.remove_candidate(case, "c1")
    assert case.specialist.candidates == []
    with pytest.raises(Gone):
        specialist.set_candidate_status(case, "c1", CandidateStatus.CONTACTED)


def test_the_short_list_has_a_limit() -> None:
    case = new_case()
    for n in range(specialist.MAX_CANDIDATES):
        specialist.add_candidate(case, f"c{n}", f"Doctor {n}")
    with pytest.raises(TooManyItems):
        specialist.add_candidate(case, "one-more", "Doctor X")


def test_specialist_kinds_toggle_in_enum_order() -> None:
    case = new_case()
    specialist.toggle_needed(case, SpecialistKind.PATHOLOGY)
    specialist.toggle_needed(case, SpecialistKind.MEDICAL)
    assert case.specialist.needed == [SpecialistKind.MEDICAL, SpecialistKind.PATHOLOGY]


def test_marking_a_record_requested_stamps_the_first_date_only() -> None:
    case = new_case()
    item = records.set_status(case, RecordKind.LABS, RecordStatus.REQUESTED, TODAY)
    assert item.requested_on == TODAY
    later = TODAY.replace(day=30)
    records.set_status(case, RecordKind.LABS, RecordStatus.REQUESTED, later)
    assert item.requested_on == TODAY


def test_attaching_a_file_marks_the_record_received_and_ignores_duplicates() -> None:
    case = new_case()
    records.attach(case, RecordKind.PATHOLOGY_REPORT, photo("u1"))
    records.attach(case, RecordKind.PATHOLOGY_REPORT, photo("u1"))
    item = records.find_item(case, RecordKind.PATHOLOGY_REPORT)
    assert len(item.attachments) == 1 and item.status is RecordStatus.RECEIVED


def test_attaching_does_not_move_a_record_backwards() -> None:
    case = new_case()
    records.set_status(case, RecordKind.LABS, RecordStatus.ARRIVED, TODAY)
    records.attach(case, RecordKind.LABS, photo())
    assert records.find_item(case, RecordKind.LABS).status is RecordStatus.ARRIVED


def test_missing_items_leave_out_not_needed_and_arrived() -> None:
    case = new_case()
    for item in case.records.items:
        item.status = RecordStatus.NOT_NEEDED
    records.set_status(case, RecordKind.LABS, RecordStatus.SENT, TODAY)
    records.set_status(case, RecordKind.STAGING, RecordStatus.ARRIVED, TODAY)
    assert [i.kind for i in records.missing_items(case)] == [RecordKind.LABS]


def test_insurance_answers_calls_and_outcome() -> None:
    case = new_case()
    insurance.answer(case, InsuranceQuestion.COVERED, Answer.YES)
    assert insurance.unanswered(case)[0] is InsuranceQuestion.REFERRAL
    call = insurance.start_call(case, "k1", TODAY, who="  Sam ")
    assert (call.on, call.who) == (TODAY, "Sam")
    assert insurance.start_call(case, "k1", TODAY) is call
    insurance.set_call_reference(case, "k1", "REF-42")
    insurance.set_outcome(case, InsuranceOutcome.PARTLY)
    assert case.insurance.outcome is InsuranceOutcome.PARTLY


def test_a_call_with_bad_text_is_not_created() -> None:
    case = new_case()
    with pytest.raises(EmptyText):
        insurance.start_call(case, "k1", TODAY, who="   ")
    assert case.insurance.calls == []


def test_bank_questions_toggle_and_unknown_ids_are_refused() -> None:
    case = new_case()
    bank = frozenset({"dx1", "tx1"})
    assert questions.toggle_bank_question(case, "dx1", bank) is True
    assert questions.is_chosen(case, "dx1")
    assert questions.toggle_bank_question(case, "dx1", bank) is False
    with pytest.raises(Gone):
        questions.toggle_bank_question(case, "gone1", bank)
    assert case.questions.chosen == []


def test_at_most_three_questions_are_marked_top_and_they_come_first() -> None:
    case = new_case()
    for n in range(5):
        questions.add_own_question(case, f"q{n}", f"Question {n}?")
    for n in (4, 2, 0):
        questions.toggle_top(case, f"q{n}")
    with pytest.raises(TooManyTop):
        questions.toggle_top(case, "q1")
    assert [q.id for q in questions.ordered(case)] == ["q0", "q2", "q4", "q1", "q3"]
    questions.toggle_top(case, "q2")
    questions.toggle_top(case, "q1")
    assert [q.id for q in questions.top_questions(case)] == ["q0", "q1", "q4"]


def test_removing_a_question_that_is_gone_is_refused() -> None:
    case = new_case()
    with pytest.raises(Gone):
        questions.remove_question(case, "nope")
