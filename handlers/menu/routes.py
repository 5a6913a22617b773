"""The menu, progress and help: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.menu import screens as menu
from handlers.menu.taps import HelpTap, MenuTap, ProgressTap
from handlers.plumbing.dispatch import Routes, route, table

ROUTES: Routes = table(
    route(MenuTap, menu.show_menu),
    route(ProgressTap, menu.show_progress),
    route(HelpTap, menu.show_help),
)
