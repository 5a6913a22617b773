"""The menu, progress and help: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.menu import screens as menu
from handlers.menu.taps import ClearDecideByTap, DecideByTap, HelpTap, MenuTap, ProgressTap
from handlers.plumbing.dispatch import Access, Routes, route, table

ROUTES: Routes = table(
    route(MenuTap, menu.show_menu),
    route(ProgressTap, menu.show_progress),
    route(HelpTap, menu.show_help),
    route(DecideByTap, menu.on_decide_by, access=Access.EDIT),
    route(ClearDecideByTap, menu.on_clear_decide_by, access=Access.EDIT),
)
