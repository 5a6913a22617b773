"""Typed-answer questions: skip, cancel, and a zone picked by tap: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.dispatch import EDIT, OWN, Routes, route, table
from handlers.prompts import prompting
from handlers.prompts.taps import CancelTap, SetZoneTap, SkipTap

ROUTES: Routes = table(
    route(SkipTap, prompting.on_skip, access=EDIT, keeps_prompt=True),
    route(CancelTap, prompting.on_cancel),
    route(SetZoneTap, prompting.on_set_zone, keeps_prompt=True, access=OWN),
)
