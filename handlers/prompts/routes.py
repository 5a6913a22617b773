"""Typed-answer questions: skip, cancel, and a zone picked by tap: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.callbacks import Action as A
from handlers.plumbing.dispatch import EDIT, OWN, Route
from handlers.prompts import prompting

ROUTES: dict[A, Route] = {
    A.SKIP: Route(prompting.on_skip, access=EDIT, keeps_prompt=True),
    A.CANCEL: Route(prompting.on_cancel),
    A.SET_ZONE: Route(prompting.on_set_zone, keeps_prompt=True, access=OWN),
}
