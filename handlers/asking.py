"""Showing a typed-answer question with its Skip and Cancel buttons."""

from __future__ import annotations

from handlers.callbacks import Action
from handlers.turn import Screen, Turn
from journey import prompts
from journey.models import Prompt, PromptKind


def show_prompt(turn: Turn, prompt: Prompt) -> Screen:
    """The question, with Skip (when it is optional) and Cancel."""
    row = []
    if prompt.kind not in prompts.REQUIRED:
        row.append(turn.button(turn.label("skip"), Action.SKIP, prompt.kind.value))
    row.append(turn.button(turn.label("cancel"), Action.CANCEL))
    return turn.screen(f"prompts/{prompt.kind.value}", [row], prompt=prompt)


def ask(turn: Turn, kind: PromptKind, target: str | None = None) -> Screen:
    return show_prompt(turn, prompts.ask(turn.case, turn.user_id, kind, target))
