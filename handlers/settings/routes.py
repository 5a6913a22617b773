"""A member's own settings: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.callbacks import Action as A
from handlers.plumbing.dispatch import OWN, Route
from handlers.settings import screens as settings_screen

ROUTES: dict[A, Route] = {
    A.SETTINGS: Route(settings_screen.show_settings),
    A.ZONES: Route(settings_screen.on_zones, access=OWN),
    A.QUIET: Route(settings_screen.on_quiet, access=OWN),
    A.TOGGLE_REMINDER: Route(settings_screen.on_toggle_reminder, access=OWN),
    A.NOTIFY: Route(settings_screen.on_notify, access=OWN),
}
