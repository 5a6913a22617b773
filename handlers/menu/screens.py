"""The main menu, progress and help screens."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from handlers.insurance.taps import InsuranceTap
from handlers.menu.taps import ClearDecideByTap, DecideByTap, HelpTap, MenuTap, ProgressTap
from handlers.notes.taps import NotesTap
from handlers.plumbing.callbacks import Tap
from handlers.plumbing.turn import Screen, Turn
from handlers.prompts.asking import ask
from handlers.questions.taps import QuestionsTap
from handlers.records.taps import RecordsTap, RecordTap
from handlers.specialist.taps import AddCandidateTap, CandidateTap, SpecialistTap
from handlers.visit.taps import AppointmentTap
from journey import access, deadline, tailor
from journey.appointments import next_appointment
from journey.models import PromptKind, RecordKind, StepId
from journey.progress import NextAction, Progress, progress

STEP_SCREENS: dict[StepId, Tap] = {
    StepId.SPECIALIST: SpecialistTap(page=0),
    StepId.RECORDS: RecordsTap(page=0),
    StepId.INSURANCE: InsuranceTap(),
    StepId.QUESTIONS: QuestionsTap(),
}


def step_button(turn: Turn, step: StepId, label: str) -> InlineKeyboardButton:
    return turn.button(label, STEP_SCREENS[step])


def do_this(turn: Turn, action: NextAction) -> Tap | None:
    """The screen where the next action is done: the doctor, the record, the step (None: nothing left)."""
    if action.step is None:
        return None
    if action.key == "next/add_candidate":
        may_add = access.may(turn.case, turn.user_id, access.Right.EDIT)
        return AddCandidateTap() if may_add else STEP_SCREENS[action.step]
    if action.target:
        return CandidateTap(action.target)
    if "record" in action.details:
        return RecordTap(RecordKind(action.details["record"]))
    return STEP_SCREENS[action.step]


def do_this_row(turn: Turn, state: Progress) -> list[InlineKeyboardButton]:
    tap = do_this(turn, state.next_action)
    return [turn.button(turn.label("do_next"), tap)] if tap is not None else []


def show_menu(turn: Turn, _: MenuTap | None = None) -> Screen:
    state = progress(turn.case)
    rows = [do_this_row(turn, state)]
    rows += [
        [step_button(turn, step, turn.label("step", status=state.statuses[step].value, n=n, name=step.value))]
        for n, step in enumerate(StepId, start=1)
    ]
    rows.append(
        [
            turn.button(turn.label("appointment"), AppointmentTap(visit="next")),
            turn.button(turn.label("notes", n=len(turn.case.notes)), NotesTap(page=0)),
        ]
    )
    rows.append(
        [turn.button(turn.label("progress"), ProgressTap()), turn.button(turn.label("help"), HelpTap())]
    )
    rows.append([turn.button(turn.label("decide_by"), DecideByTap())])
    visit = next_appointment(turn.case, turn.now)
    due = deadline.deadline(turn.case, turn.today, visit)
    tips = tailor.tips(turn.case)[:2]  # one line or two: the rest are on the steps
    return turn.screen("menu", rows, progress=state, visit=visit, now=turn.now, due=due, tips=tips)


def show_progress(turn: Turn, _: ProgressTap | None = None) -> Screen:
    state = progress(turn.case)
    rows = [do_this_row(turn, state)]
    rows.append([turn.button(turn.label("decide_by"), DecideByTap())])
    rows.append([turn.button(turn.label("menu"), MenuTap())])
    due = deadline.deadline(turn.case, turn.today, next_appointment(turn.case, turn.now))
    return turn.screen("progress", rows, progress=state, due=due)


def show_help(turn: Turn, _: HelpTap | None = None) -> Screen:
    return turn.screen("help", [[turn.button(turn.label("menu"), MenuTap())]])


def on_decide_by(turn: Turn, _: DecideByTap) -> Screen:
    """Ask for the day treatment should start, typed ("Remove the date" under it when one is set)."""
    return ask(turn, PromptKind.DECIDE_BY)


def on_clear_decide_by(turn: Turn, _: ClearDecideByTap) -> Screen:
    deadline.set_decide_by(turn.case, None)
    return show_menu(turn)
