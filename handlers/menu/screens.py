"""The main menu, progress and help screens."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from handlers.plumbing.callbacks import Action, Button
from handlers.plumbing.turn import Screen, Turn
from journey.appointments import next_appointment
from journey.models import StepId
from journey.progress import progress

STEP_SCREENS = {
    StepId.SPECIALIST: (Action.SPECIALIST, ("0",)),
    StepId.RECORDS: (Action.RECORDS, ("0",)),
    StepId.INSURANCE: (Action.INSURANCE, ()),
    StepId.QUESTIONS: (Action.QUESTIONS, ()),
}


def step_button(turn: Turn, step: StepId, label: str) -> InlineKeyboardButton:
    action, args = STEP_SCREENS[step]
    return turn.button(label, action, *args)


def show_menu(turn: Turn, _: Button | None = None) -> Screen:
    state = progress(turn.case)
    rows = [
        [step_button(turn, step, turn.label("step", status=state.statuses[step].value, n=n, name=step.value))]
        for n, step in enumerate(StepId, start=1)
    ]
    rows.append([turn.button(turn.label("appointment"), Action.APPOINTMENT, "next")])
    rows.append(
        [turn.button(turn.label("progress"), Action.PROGRESS), turn.button(turn.label("help"), Action.HELP)]
    )
    visit = next_appointment(turn.case, turn.now)
    return turn.screen("menu", rows, progress=state, visit=visit, now=turn.now)


def show_progress(turn: Turn, _: Button | None = None) -> Screen:
    state = progress(turn.case)
    rows = []
    if state.next_action.step is not None:
        rows.append([step_button(turn, state.next_action.step, turn.label("do_next"))])
    rows.append([turn.button(turn.label("menu"), Action.MENU)])
    return turn.screen("progress", rows, progress=state)


def show_help(turn: Turn, _: Button | None = None) -> Screen:
    return turn.screen("help", [[turn.button(turn.label("menu"), Action.MENU)]])
