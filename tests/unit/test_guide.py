"""The guides: each says its key lines, is offered where it is needed, and goes Back to where it was opened."""

from __future__ import annotations

from handlers.guide import screens as guide
from handlers.guide.taps import AtTheVisitTap, CallScriptTap, Opened, TellDoctorTap, WhoToSeeTap
from handlers.plumbing.callbacks import decode
from handlers.plumbing.turn import Screen
from handlers.records import screens as records
from handlers.records.taps import RecordsTap
from handlers.specialist import screens as specialist
from handlers.specialist.taps import CandidateTap, SpecialistTap
from handlers.visit import mode
from handlers.visit.taps import VisitModeTap
from journey import specialist as sp
from journey.models import Case
from tests.unit.factories import new_case
from tests.unit.test_screens import turn_for, with_visit


def taps(screen: Screen) -> list[object]:
    return [decode(str(b.callback_data)).tap for row in screen.rows for b in row]


def with_doctor() -> Case:
    case = with_visit(new_case())
    sp.add_candidate(case, "c1", "Dr Rivera")
    return case


def test_telling_your_doctor_says_asking_is_common_and_gives_a_script() -> None:
    text = guide.show_tell_doctor(turn_for(new_case()), TellDoctorTap(Opened.SPECIALIST)).text
    assert "It is common. It does not mean you do not trust your doctor." in text
    assert "I would like a second opinion" in text
    assert "can your office send my records" in text
    assert "Records to ask for:</b> pathology reports" in text


def test_telling_your_doctor_goes_back_where_it_was_opened() -> None:
    turn = turn_for(new_case())
    assert taps(guide.show_tell_doctor(turn, TellDoctorTap(Opened.SPECIALIST))) == [SpecialistTap(page=0)]
    assert taps(guide.show_tell_doctor(turn, TellDoctorTap(Opened.RECORDS))) == [RecordsTap(page=0)]


def test_the_call_script_names_the_doctor_and_asks_the_four_things() -> None:
    screen = guide.show_call_script(turn_for(with_doctor()), CallScriptTap("c1"))
    assert "Calling Dr Rivera" in screen.text
    for line in (
        "Which records do you need before the visit? How do I send them to you?",
        "Do you take my insurance?",
        "What is the earliest date you have?",
        "Can the doctor look at my records without an in-person visit? Or see me by video?",
    ):
        assert line in screen.text
    assert taps(screen) == [CandidateTap("c1")]


def test_who_to_see_says_when_a_pathology_review_matters_and_after_treatment() -> None:
    screen = guide.show_who_to_see(turn_for(new_case()), WhoToSeeTap())
    for line in (
        "the report does not give a clear diagnosis;",
        "the cancer is very rare;",
        "the cancer has spread.",
        "<b>A tumor board.</b>",
        "Some cancer centers set up a group consult.",
        "Already started treatment?</b> You can still get a second opinion.",
    ):
        assert line in screen.text
    assert taps(screen) == [SpecialistTap(page=0)]


def test_what_happens_at_the_visit() -> None:
    screen = guide.show_at_the_visit(turn_for(with_visit(new_case())), AtTheVisitTap("a1"))
    assert "does a physical exam" in screen.text
    assert "They may want more tests or scans." in screen.text
    assert taps(screen) == [VisitModeTap("a1", 0)]


def test_each_guide_is_offered_where_it_is_needed() -> None:
    case = with_doctor()
    turn = turn_for(case)
    assert TellDoctorTap(Opened.SPECIALIST) in taps(specialist.show_specialist(turn))
    assert WhoToSeeTap() in taps(specialist.show_specialist(turn))
    assert TellDoctorTap(Opened.RECORDS) in taps(records.show_records(turn))
    assert CallScriptTap("c1") in taps(specialist.candidate_screen(turn, "c1"))
    assert AtTheVisitTap("a1") in taps(mode.mode_screen(turn, "a1"))
    assert all(len(row) <= 2 for row in mode.mode_screen(turn, "a1").rows)
