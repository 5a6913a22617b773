"""Step 1 screens: which specialists, where to look, and the short list of doctors."""

from __future__ import annotations

from handlers.plumbing.callbacks import Action, Button
from handlers.plumbing.turn import Screen, Turn, choices, page_row, paginate, parse, wanted
from handlers.prompts.asking import ask
from journey import specialist
from journey.models import CandidateStatus, PromptKind, SpecialistKind


def show_specialist(turn: Turn, button: Button | None = None) -> Screen:
    page = paginate(turn.case.specialist.candidates, button.page() if button else 0)
    rows = [[turn.button(turn.label("candidate", c=c), Action.CANDIDATE, c.id)] for c in page.items]
    rows.append(page_row(turn, page, Action.SPECIALIST))
    rows.append([turn.button(turn.label("add_candidate"), Action.ADD_CANDIDATE)])
    rows.append(
        [turn.button(turn.label("kinds"), Action.KINDS), turn.button(turn.label("where"), Action.WHERE)]
    )
    rows.append([turn.button(turn.label("menu"), Action.MENU)])
    return turn.screen("specialist/main", rows, page=page)


def show_kinds(turn: Turn, _: Button | None = None) -> Screen:
    kinds = turn.services.renderer.content.specialist_kinds
    needed = turn.case.specialist.needed.__contains__
    rows = choices(turn, SpecialistKind, needed, lambda k: kinds[k].label, Action.TOGGLE_KIND, toggle=True)
    rows.append([turn.button(turn.label("back"), Action.SPECIALIST, 0)])
    return turn.screen("specialist/kinds", rows)


def on_toggle_kind(turn: Turn, button: Button) -> Screen:
    specialist.toggle_needed(turn.case, parse(SpecialistKind, button.arg(0)), wanted(button, 1))
    return show_kinds(turn)


def show_where(turn: Turn, _: Button | None = None) -> Screen:
    return turn.screen("specialist/where", [[turn.button(turn.label("back"), Action.SPECIALIST, 0)]])


def on_add_candidate(turn: Turn, _: Button) -> Screen:
    return ask(turn, PromptKind.CANDIDATE_NAME)


def candidate_screen(turn: Turn, candidate_id: str) -> Screen:
    candidate = specialist.find_candidate(turn.case, candidate_id)
    rows = choices(
        turn,
        CandidateStatus,
        lambda s: s is candidate.status,
        lambda s: turn.label(f"candidate_{s.value}"),
        Action.CANDIDATE_STATUS,
        candidate.id,
        per_row=2,
    )
    if candidate.status is CandidateStatus.BOOKED:
        rows.append([turn.button(turn.label("add_visit"), Action.FROM_CANDIDATE, candidate.id)])
    rows.append([turn.button(turn.label("remove"), Action.REMOVE_CANDIDATE, candidate.id)])
    rows.append([turn.button(turn.label("back"), Action.SPECIALIST, 0)])
    return turn.screen("specialist/candidate", rows, c=candidate)


def show_candidate(turn: Turn, button: Button) -> Screen:
    return candidate_screen(turn, button.arg(0))


def on_candidate_status(turn: Turn, button: Button) -> Screen:
    status = parse(CandidateStatus, button.arg(1))
    specialist.set_candidate_status(turn.case, button.arg(0), status)
    return candidate_screen(turn, button.arg(0))


def on_remove(turn: Turn, button: Button) -> Screen:
    candidate = specialist.find_candidate(turn.case, button.arg(0))
    rows = [
        [
            turn.button(turn.label("remove_yes"), Action.REMOVE_CANDIDATE_YES, candidate.id),
            turn.button(turn.label("remove_no"), Action.CANDIDATE, candidate.id),
        ]
    ]
    return turn.screen("specialist/remove", rows, c=candidate)


def on_remove_yes(turn: Turn, button: Button) -> Screen:
    specialist.remove_candidate(turn.case, button.arg(0))
    return show_specialist(turn)
