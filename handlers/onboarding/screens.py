"""The optional first questions: who the patient is, the diagnosis, why a second opinion, urgency."""

from __future__ import annotations

from handlers.menu import screens as menu
from handlers.plumbing.callbacks import Action, Button
from handlers.plumbing.turn import Screen, Turn, choices, parse, wanted
from journey import cases
from journey.models import Reason, Urgency

NO_ANSWER = "none"


def show_reasons(turn: Turn, _: Button | None = None) -> Screen:
    labels = turn.services.renderer.content.reasons
    rows = choices(
        turn,
        Reason,
        turn.case.profile.reasons.__contains__,
        lambda r: labels[r].label,
        Action.REASON,
        toggle=True,
    )
    rows.append([turn.button(turn.label("done"), Action.REASONS_DONE)])
    return turn.screen("onboarding/reasons", rows)


def on_reason(turn: Turn, button: Button) -> Screen:
    cases.toggle_reason(turn.case, parse(Reason, button.arg(0)), wanted(button, 1))
    return show_reasons(turn)


def show_urgency(turn: Turn, _: Button | None = None) -> Screen:
    rows = [[turn.button(turn.label(f"urgency_{u.value}"), Action.URGENCY, u.value)] for u in Urgency]
    rows.append([turn.button(turn.label("skip"), Action.URGENCY, NO_ANSWER)])
    return turn.screen("onboarding/urgency", rows)


def on_urgency(turn: Turn, button: Button) -> Screen:
    value = button.arg(0)
    urgency = None if value == NO_ANSWER else parse(Urgency, value)
    cases.set_urgency(turn.case, urgency)
    screen = menu.show_menu(turn)
    return Screen(turn.render("onboarding/done") + "\n\n" + screen.text, screen.rows)
