"""Typed-answer questions: skip, cancel, and a zone picked by tap: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.dispatch import EDIT, OWN, Routes, route, table
from handlers.prompts import offers, prompting
from handlers.prompts.taps import AcceptOfferTap, CancelTap, DeclineOfferTap, SetZoneTap, SkipTap

ROUTES: Routes = table(
    route(SkipTap, prompting.on_skip, access=EDIT, keeps_prompt=True),
    route(CancelTap, prompting.on_cancel),
    route(SetZoneTap, prompting.on_set_zone, keeps_prompt=True, access=OWN),
    # keeps_prompt: leaving would drop the very words this button puts in their place.
    route(AcceptOfferTap, offers.on_accept, access=EDIT, keeps_prompt=True),
    route(DeclineOfferTap, offers.on_decline),
)
