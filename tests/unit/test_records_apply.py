"""Records that apply: "no surgery" takes the surgery notes off the list, and the counts follow."""

from __future__ import annotations

from handlers.records import applies
from handlers.records import screens as records_screens
from journey import appointments, records
from journey.models import RecordKind, RecordStatus, StepId, StepStatus
from journey.progress import progress
from journey.records import Fact
from tests.unit.factories import TODAY, new_case, photo
from tests.unit.test_screens import RENDERER, turn_for

NOTES = RecordKind.OPERATIVE_NOTES


def test_no_surgery_marks_the_surgery_notes_not_needed_and_yes_puts_them_back() -> None:
    case = new_case()
    assert records.fact_answer(case, Fact.SURGERY) is None
    records.answer_fact(case, Fact.SURGERY, False)
    assert records.find_item(case, NOTES).status is RecordStatus.NOT_NEEDED
    assert records.fact_answer(case, Fact.SURGERY) is False
    assert NOTES not in {i.kind for i in records.missing_items(case)}
    records.answer_fact(case, Fact.SURGERY, True)
    assert records.find_item(case, NOTES).status is RecordStatus.TO_REQUEST


def test_no_surgery_leaves_notes_already_asked_for_or_held() -> None:
    case = new_case()
    records.set_status(case, NOTES, RecordStatus.REQUESTED, TODAY)
    records.answer_fact(case, Fact.SURGERY, False)
    assert records.find_item(case, NOTES).status is RecordStatus.REQUESTED
    assert records.fact_answer(case, Fact.SURGERY) is True


def test_the_done_count_and_the_visit_warning_count_only_records_that_apply() -> None:
    case = new_case()
    for item in case.records.items:
        if item.kind is not NOTES:
            item.status = RecordStatus.ARRIVED
    assert progress(case).statuses[StepId.RECORDS] is not StepStatus.DONE
    assert appointments.readiness(case).missing_records == (NOTES,)
    records.answer_fact(case, Fact.SURGERY, False)
    assert progress(case).statuses[StepId.RECORDS] is StepStatus.DONE
    assert appointments.readiness(case).missing_records == ()


def test_the_question_screen_shows_the_answer_and_a_way_back() -> None:
    case = new_case()
    screen = applies.show_applies(turn_for(case))
    assert "Have you had surgery for this cancer?" in screen.text
    shown = [b.text for row in screen.rows for b in row]
    assert RENDERER.label("back_to_records") in shown
    records.answer_fact(case, Fact.SURGERY, False)
    screen = applies.show_applies(turn_for(case))
    assert "Surgery notes are marked not needed." in screen.text
    assert RENDERER.label("toggle", on=True, text="No") in [b.text for row in screen.rows for b in row]


def test_the_records_list_asks_first_then_stops_asking() -> None:
    case = new_case()
    hint = 'First, tap "Which records apply?"'
    assert hint in records_screens.show_records(turn_for(case)).text
    records.answer_fact(case, Fact.SURGERY, False)
    assert hint not in records_screens.show_records(turn_for(case)).text


def test_a_file_keeps_the_record_on_the_list() -> None:
    case = new_case()
    records.attach(case, NOTES, photo("1"))
    records.answer_fact(case, Fact.SURGERY, False)
    assert records.find_item(case, NOTES).status is RecordStatus.RECEIVED
