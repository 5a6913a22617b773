"""Records that apply: "no surgery" takes the surgery notes off the list, "no biopsy" the pathology report, slides and
biopsy results, "no scans" the imaging reports and images, and the counts and the visit warning follow. The
medication list is one the person writes: "To write", "I wrote it", never "asked for"."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from telegram import InlineKeyboardButton

from handlers.plumbing.callbacks import Tap, decode
from handlers.plumbing.turn import Screen
from handlers.records import applies
from handlers.records import screens as records_screens
from handlers.records.taps import RecordStatusTap
from handlers.visit import screens as visit_screens
from journey import appointments, records
from journey import specialist as sp
from journey.errors import NotAStep
from journey.models import CandidateStatus, RecordKind, RecordStatus, StepId, StepStatus
from journey.progress import progress
from journey.records import Fact
from paper.sheet import prep_sheet
from tests.unit.factories import NOW, TODAY, new_case, photo
from tests.unit.test_paper import read as pdf_text
from tests.unit.test_screens import RENDERER, turn_for, with_visit

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
    shown = [b.text for row in screen.rows for b in row]
    assert "✅ Surgery: No" in shown and "▫️ Surgery: Yes" in shown and "▫️ Biopsy: No" in shown


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


TISSUE = (RecordKind.PATHOLOGY_REPORT, RecordKind.PATHOLOGY_SLIDES, RecordKind.BIOPSY)
SCANS = (RecordKind.IMAGING_REPORTS, RecordKind.IMAGING_FILES)
MEDS = RecordKind.MEDICATIONS


def labels(screen: Screen) -> list[str]:
    return [b.text for row in screen.rows for b in row]


@pytest.mark.parametrize(("fact", "kinds"), [(Fact.TISSUE, TISSUE), (Fact.SCANS, SCANS)])
def test_no_biopsy_or_no_scans_takes_their_records_off_and_yes_puts_them_back(
    fact: Fact, kinds: tuple[RecordKind, ...]
) -> None:
    case = new_case()
    records.answer_fact(case, fact, False)
    assert {records.find_item(case, k).status for k in kinds} == {RecordStatus.NOT_NEEDED}
    assert records.fact_answer(case, fact) is False
    assert not set(kinds) & {i.kind for i in records.missing_items(case)}
    others = [i for i in case.records.items if i.kind not in kinds]
    assert all(i.status is RecordStatus.TO_REQUEST for i in others)
    records.answer_fact(case, fact, True)
    assert {records.find_item(case, k).status for k in kinds} == {RecordStatus.TO_REQUEST}


def test_no_biopsy_keeps_a_report_already_asked_for() -> None:
    case = new_case()
    records.set_status(case, RecordKind.PATHOLOGY_REPORT, RecordStatus.REQUESTED, TODAY)
    records.answer_fact(case, Fact.TISSUE, False)
    assert records.find_item(case, RecordKind.PATHOLOGY_REPORT).status is RecordStatus.REQUESTED
    assert records.find_item(case, RecordKind.BIOPSY).status is RecordStatus.NOT_NEEDED
    assert records.fact_answer(case, Fact.TISSUE) is None  # part done, part not: the question stays open


def test_the_count_and_the_visit_warning_leave_out_what_does_not_apply() -> None:
    case = with_visit(new_case())
    turn = turn_for(case)
    assert "12 still to arrive" in records_screens.show_records(turn).text
    warning = visit_screens.visit_screen(turn, "a1").text
    assert "Imaging reports" in warning and "Pathology report" in warning
    for fact in (Fact.TISSUE, Fact.SCANS):
        records.answer_fact(case, fact, False)
    assert "7 still to arrive" in records_screens.show_records(turn_for(case)).text
    warning = visit_screens.visit_screen(turn_for(case), "a1").text
    assert "Not confirmed as arrived yet" in warning
    for kind in TISSUE + SCANS:
        assert RENDERER.content.records[kind].label not in warning
    assert RENDERER.content.records[RecordKind.LABS].label in warning
    for item in case.records.items:
        if item.status is not RecordStatus.NOT_NEEDED:
            item.status = RecordStatus.ARRIVED
    assert progress(case).statuses[StepId.RECORDS] is StepStatus.DONE
    assert "Not confirmed as arrived yet" not in visit_screens.visit_screen(turn_for(case), "a1").text


def test_the_question_screen_asks_all_three_with_their_topic_on_each_button() -> None:
    case = new_case()
    screen = applies.show_applies(turn_for(case))
    assert "Has a doctor taken tissue to test, in a biopsy or in surgery?" in screen.text
    assert "Have you had scans for this cancer, such as CT, MRI, PET or X-ray?" in screen.text
    assert {"▫️ Biopsy: Yes", "▫️ Biopsy: No", "▫️ Scans: Yes", "▫️ Scans: No"} <= set(labels(screen))
    records.answer_fact(case, Fact.SCANS, False)
    screen = applies.show_applies(turn_for(case))
    assert "Imaging reports and scan images are marked not needed." in screen.text
    assert "The pathology report, slides and biopsy results are marked not needed." not in screen.text


def test_the_medication_list_is_written_not_asked_for() -> None:
    case = new_case()
    screen = records_screens.item_screen(turn_for(case), MEDS)
    shown = labels(screen)
    assert "✅ To write" in shown and "▫️ I wrote it" in shown
    assert not any("Asked for" in label for label in shown)
    assert "Status: <b>To write</b>" in screen.text
    assert "You write this one yourself" in screen.text
    with pytest.raises(NotAStep):  # an "Asked for" button from an older screen
        records.set_status(case, MEDS, RecordStatus.REQUESTED, TODAY)
    assert records.find_item(case, MEDS).status is RecordStatus.TO_REQUEST
    records.set_status(case, MEDS, RecordStatus.RECEIVED, TODAY)
    screen = records_screens.item_screen(turn_for(case), MEDS)
    assert "Status: <b>I wrote it</b>" in screen.text and "✅ I wrote it" in labels(screen)


def test_the_checklist_shows_the_medication_list_to_write_and_other_records_to_ask_for() -> None:
    case = new_case()
    screen = records_screens.show_records(turn_for(case))
    assert "✍️ Medication list" in labels(screen) and "⬜ Lab work (blood tests)" in labels(screen)
    assert "✍️ to write: a list you make yourself" in screen.text
    rows = records_screens.item_screen(turn_for(case), RecordKind.LABS).rows
    assert RecordStatusTap(RecordKind.LABS, RecordStatus.REQUESTED) in _taps(rows)
    assert RecordStatusTap(MEDS, RecordStatus.REQUESTED) not in _taps(
        records_screens.item_screen(turn_for(case), MEDS).rows
    )


def test_the_next_step_says_to_write_the_list_and_the_sheet_says_written() -> None:
    case = new_case()
    sp.add_candidate(case, "c1", "Dr. Rivera")
    sp.set_candidate_status(case, "c1", CandidateStatus.BOOKED)
    for item in case.records.items:
        if item.kind is not MEDS:
            item.status = RecordStatus.ARRIVED
    assert progress(case).next_action.key == "next/write_record"
    assert RENDERER.render("next/write_record", record=MEDS.value) == (
        "Write your medication list. You make this one yourself."
    )
    records.set_status(case, MEDS, RecordStatus.RECEIVED, TODAY)
    assert progress(case).next_action.key == "next/send_record"
    assert records.answer_by(records.find_item(case, MEDS)) is None
    _, sheet = pdf_text(prep_sheet(case, RENDERER, NOW))
    assert "Medication list: I wrote it" in sheet


def _taps(rows: Sequence[Sequence[InlineKeyboardButton]]) -> list[Tap]:
    return [decode(str(b.callback_data)).tap for row in rows for b in row]
