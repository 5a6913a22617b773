"""Asking for typed answers, and where the user lands once a chain of questions is done."""

from __future__ import annotations

from handlers import insurance, menu, onboarding, questions, records, specialist
from handlers.asking import show_prompt
from handlers.callbacks import Button
from handlers.turn import Screen, Turn
from journey import prompts
from journey.errors import Gone
from journey.models import PromptKind, RecordKind

K = PromptKind


def after(turn: Turn, step: prompts.PromptStep) -> Screen:
    """The next question in the chain, or the screen the chain belongs to."""
    if step.next is not None:
        return show_prompt(turn, step.next)
    answered = step.answered
    target = answered.target or ""
    match answered.kind:
        case K.DIAGNOSIS:
            return onboarding.show_reasons(turn)
        case K.CANDIDATE_NOTES:
            return specialist.candidate_screen(turn, target)
        case K.RECORD_REQUESTED_FROM:
            return records.item_screen(turn, RecordKind(target))
        case K.CALL_NOTES:
            return insurance.calls_screen(turn, 0)
        case K.EXPECTED_COST:
            return insurance.show_insurance(turn)
        case K.OWN_QUESTION:
            return questions.list_screen(turn, 0)
        case _:
            return menu.show_menu(turn)


def on_skip(turn: Turn, button: Button) -> Screen:
    """Skip the question this button was shown with; a Skip from an older question is stale."""
    pending = prompts.pending(turn.case, turn.user_id)
    if pending is None or pending.kind.value != button.arg(0):
        raise Gone()
    return after(turn, prompts.skip(turn.case, turn.user_id, turn.new_id, turn.today))


def on_cancel(turn: Turn, _: Button) -> Screen:
    """Cancel: the dispatcher has already dropped the prompt; say so and go back to the menu."""
    screen = menu.show_menu(turn)
    return Screen(turn.render("cancelled") + "\n\n" + screen.text, screen.rows)
