"""Data rights: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.dispatch import OWN, SELF, Routes, route, table
from handlers.rights import screens as rights
from handlers.rights.taps import EraseYesTap, KeepPlanTap

ROUTES: Routes = table(
    # Acts for the person pressing, on everything of theirs (never on anyone else's): the plan on the
    # button only carries the press.
    route(EraseYesTap, rights.on_erase_yes, access=SELF, then=rights.erase_then),
    route(KeepPlanTap, rights.on_keep_plan, access=OWN),
)
