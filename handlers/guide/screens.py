"""The guide screens: words only, each with a Back button to where it was opened."""

from __future__ import annotations

from handlers.guide.taps import AtTheVisitTap, CallScriptTap, Opened, TellDoctorTap, WhoToSeeTap
from handlers.plumbing.turn import Screen, Turn
from handlers.records.taps import RecordsTap
from handlers.specialist.taps import CandidateTap, SpecialistTap
from handlers.visit.taps import VisitModeTap
from journey import appointments, specialist


def show_tell_doctor(turn: Turn, tap: TellDoctorTap) -> Screen:
    back = RecordsTap(page=0) if tap.opened is Opened.RECORDS else SpecialistTap(page=0)
    return turn.screen("guide/tell_doctor", [[turn.button(turn.label("back"), back)]])


def show_call_script(turn: Turn, tap: CallScriptTap) -> Screen:
    candidate = specialist.find_candidate(turn.case, tap.candidate)
    back = CandidateTap(candidate.id)
    return turn.screen("guide/call_script", [[turn.button(turn.label("back"), back)]], c=candidate)


def show_who_to_see(turn: Turn, _: WhoToSeeTap | None = None) -> Screen:
    return turn.screen("guide/who_to_see", [[turn.button(turn.label("back"), SpecialistTap(page=0))]])


def show_at_the_visit(turn: Turn, tap: AtTheVisitTap) -> Screen:
    visit = appointments.find_appointment(turn.case, tap.visit)
    return turn.screen("guide/at_the_visit", [[turn.button(turn.label("back"), VisitModeTap(visit.id, 0))]])
