"""The menu, progress and help: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.menu import screens as menu
from handlers.plumbing.callbacks import Action as A
from handlers.plumbing.dispatch import Route

ROUTES: dict[A, Route] = {
    A.MENU: Route(menu.show_menu),
    A.PROGRESS: Route(menu.show_progress),
    A.HELP: Route(menu.show_help),
}
