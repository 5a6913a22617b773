"""After the visit: record what the opinion said, set it beside the first plan, and the next steps."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from handlers.menu.taps import MenuTap
from handlers.outcome.taps import (
    AdviceTap,
    FirstPlanTap,
    OutcomeSaysTap,
    OutcomeTap,
    SideBySideTap,
    SummaryTap,
    ThirdOpinionTap,
)
from handlers.plumbing.turn import Screen, Turn, choices
from handlers.prompts.asking import ask
from handlers.visit import screens as visit_screens
from handlers.visit.taps import AppointmentTap, VisitNoteTap
from journey import appointments, outcome
from journey.models import Appointment, OpinionSays, PromptKind
from journey.targets import THIRD_VISIT


def show_latest(turn: Turn) -> Screen:
    """/outcome: the latest visit that is over, or a kind word when none is."""
    visit = outcome.latest_past(turn.case, turn.now)
    if visit is None:
        rows = [
            [turn.button(turn.label("see_visit"), AppointmentTap(visit_screens.NEXT))],
            [turn.button(turn.label("menu"), MenuTap())],
        ]
        return turn.screen("outcome/none", rows)
    return outcome_screen(turn, visit)


def on_outcome(turn: Turn, tap: OutcomeTap) -> Screen:
    return outcome_screen(turn, appointments.find_appointment(turn.case, tap.visit))


def outcome_screen(turn: Turn, visit: Appointment) -> Screen:
    """What this opinion said, by buttons; the advice and the first plan, typed; a note; side by side."""
    if not outcome.is_over(visit, turn.now):  # moved later or cancelled meanwhile: nothing to record yet
        return visit_screens.appointment_screen(turn, visit).with_head(turn.render("outcome/not_yet"))
    v = visit.id
    rows = choices(
        turn,
        OpinionSays,
        lambda s: s is visit.says,
        lambda s: turn.label(f"says_{s.value}"),
        lambda s: OutcomeSaysTap(v, s),
    )
    rows += [
        [turn.button(turn.label("their_advice"), AdviceTap(v))],
        [turn.button(turn.label("first_plan"), FirstPlanTap(v))],
        [turn.button(turn.label("write_note"), VisitNoteTap(v))],
        [turn.button(turn.label("side_by_side"), SideBySideTap(v))],
    ]
    if visit.says is not None:  # recorded: the summary can go to the family
        rows.append([turn.button(turn.label("summary"), SummaryTap(v))])
    rows += [
        [
            turn.button(turn.label("back_to_visit"), AppointmentTap(v)),
            turn.button(turn.label("menu"), MenuTap()),
        ],
    ]
    return turn.screen("outcome/main", rows, a=visit, first_plan=turn.case.first_plan)


def on_says(turn: Turn, tap: OutcomeSaysTap) -> Screen:
    visit = outcome.set_says(turn.case, tap.visit, tap.says)
    screen = outcome_screen(turn, visit)
    if visit.shared_at is None:  # recorded: say where the summary for the family is
        return screen.with_head(turn.render("outcome/saved") + "\n" + turn.render("outcome/summary_hint"))
    return screen


def on_advice(turn: Turn, tap: AdviceTap) -> Screen:
    visit = appointments.find_appointment(turn.case, tap.visit)
    return ask(turn, PromptKind.VISIT_ADVICE, visit.id)


def on_first_plan(turn: Turn, tap: FirstPlanTap) -> Screen:
    visit = appointments.find_appointment(turn.case, tap.visit)
    return ask(turn, PromptKind.FIRST_PLAN, visit.id)


def after_typed(turn: Turn, visit_id: str) -> Screen:
    """Back to the outcome once the advice or the first plan is typed."""
    visit = appointments.find_appointment(turn.case, visit_id)
    head = turn.render("outcome/saved")
    if visit.says is not None and visit.shared_at is None:
        head += "\n" + turn.render("outcome/summary_hint")
    return outcome_screen(turn, visit).with_head(head)


def on_side_by_side(turn: Turn, tap: SideBySideTap) -> Screen:
    visit = appointments.find_appointment(turn.case, tap.visit)
    view = outcome.side_by_side(turn.case, turn.now)
    rows: list[list[InlineKeyboardButton]] = []
    if view.any_differ and view.third is None:
        rows.append([turn.button(turn.label("third_opinion"), ThirdOpinionTap())])
    if view.first_plan is None:
        rows.append([turn.button(turn.label("first_plan"), FirstPlanTap(visit.id))])
    rows.append(
        [
            turn.button(turn.label("back"), OutcomeTap(visit.id)),
            turn.button(turn.label("menu"), MenuTap()),
        ]
    )
    return turn.screen("outcome/side_by_side", rows, view=view, differs=outcome.differs)


def on_third_opinion(turn: Turn, _: ThirdOpinionTap) -> Screen:
    """A new visit in the same plan: its records, insurance and questions are already here."""
    return visit_screens.ask_time(turn, THIRD_VISIT).with_head(turn.render("outcome/third_head"))
