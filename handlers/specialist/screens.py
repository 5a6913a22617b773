"""Step 1 screens: which specialists, where to look, and the short list of doctors."""

from __future__ import annotations

from handlers.guide.taps import CallScriptTap, Opened, TellDoctorTap, WhoToSeeTap
from handlers.menu.taps import MenuTap
from handlers.plumbing.turn import Screen, Turn, choices, page_row, paginate, toggles
from handlers.prompts.asking import ask
from handlers.specialist.taps import (
    AddCandidateTap,
    CandidateStatusTap,
    CandidateTap,
    KindsTap,
    RemoveCandidateTap,
    RemoveCandidateYesTap,
    SpecialistTap,
    ToggleKindTap,
    WhereTap,
)
from handlers.visit.taps import FromCandidateTap
from journey import specialist, tailor
from journey.models import CandidateStatus, PromptKind, SpecialistKind


def show_specialist(turn: Turn, tap: SpecialistTap | None = None) -> Screen:
    page = paginate(turn.case.specialist.candidates, tap.page if tap else 0)
    rows = [[turn.button(turn.label("candidate", c=c), CandidateTap(c.id))] for c in page.items]
    rows.append(page_row(turn, page, SpecialistTap))
    rows.append([turn.button(turn.label("add_candidate"), AddCandidateTap())])
    rows.append([turn.button(turn.label("kinds"), KindsTap()), turn.button(turn.label("where"), WhereTap())])
    rows.append(
        [
            turn.button(turn.label("tell_doctor"), TellDoctorTap(Opened.SPECIALIST)),
            turn.button(turn.label("who_to_see"), WhoToSeeTap()),
        ]
    )
    rows.append([turn.button(turn.label("menu"), MenuTap())])
    return turn.screen("specialist/main", rows, page=page, tips=tailor.tips(turn.case))


def show_kinds(turn: Turn, _: KindsTap | None = None) -> Screen:
    kinds = turn.words.content.specialist_kinds
    needed = turn.case.specialist.needed.__contains__
    rows = toggles(turn, SpecialistKind, needed, lambda k: kinds[k].label, ToggleKindTap)
    rows.append([turn.button(turn.label("back"), SpecialistTap(page=0))])
    return turn.screen("specialist/kinds", rows)


def on_toggle_kind(turn: Turn, tap: ToggleKindTap) -> Screen:
    specialist.toggle_needed(turn.case, tap.kind, tap.on)
    return show_kinds(turn)


def show_where(turn: Turn, _: WhereTap | None = None) -> Screen:
    rows = [
        [turn.button(turn.label("add_candidate"), AddCandidateTap())],
        [turn.button(turn.label("back"), SpecialistTap(page=0))],
    ]
    return turn.screen("specialist/where", rows)


def on_add_candidate(turn: Turn, _: AddCandidateTap) -> Screen:
    return ask(turn, PromptKind.CANDIDATE_NAME)


def candidate_screen(turn: Turn, candidate_id: str) -> Screen:
    candidate = specialist.find_candidate(turn.case, candidate_id)
    rows = choices(
        turn,
        CandidateStatus,
        lambda s: s is candidate.status,
        lambda s: turn.label(f"candidate_{s.value}"),
        lambda s: CandidateStatusTap(candidate.id, s),
        per_row=2,
    )
    if candidate.status is CandidateStatus.BOOKED:
        rows.append([turn.button(turn.label("add_visit"), FromCandidateTap(candidate.id))])
    rows.append([turn.button(turn.label("call_script"), CallScriptTap(candidate.id))])
    rows.append([turn.button(turn.label("remove"), RemoveCandidateTap(candidate.id))])
    rows.append([turn.button(turn.label("back"), SpecialistTap(page=0))])
    return turn.screen("specialist/candidate", rows, c=candidate)


def show_candidate(turn: Turn, tap: CandidateTap) -> Screen:
    return candidate_screen(turn, tap.candidate)


def on_candidate_status(turn: Turn, tap: CandidateStatusTap) -> Screen:
    specialist.set_candidate_status(turn.case, tap.candidate, tap.status)
    return candidate_screen(turn, tap.candidate)


def on_remove(turn: Turn, tap: RemoveCandidateTap) -> Screen:
    candidate = specialist.find_candidate(turn.case, tap.candidate)
    rows = [
        [
            turn.button(turn.label("remove_yes"), RemoveCandidateYesTap(candidate.id)),
            turn.button(turn.label("remove_no"), CandidateTap(candidate.id)),
        ]
    ]
    return turn.screen("specialist/remove", rows, c=candidate)


def on_remove_yes(turn: Turn, tap: RemoveCandidateYesTap) -> Screen:
    specialist.remove_candidate(turn.case, tap.candidate)
    return show_specialist(turn)
