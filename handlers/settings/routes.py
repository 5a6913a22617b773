"""A member's own settings: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.dispatch import OWN, Routes, route, table
from handlers.settings import screens as settings_screen
from handlers.settings.taps import (
    LanguageTap,
    NotifyTap,
    QuietTap,
    SettingsTap,
    ToggleReminderTap,
    ZonesTap,
)

ROUTES: Routes = table(
    route(SettingsTap, settings_screen.show_settings),
    route(ZonesTap, settings_screen.on_zones, access=OWN),
    route(QuietTap, settings_screen.on_quiet, access=OWN),
    route(ToggleReminderTap, settings_screen.on_toggle_reminder, access=OWN),
    route(NotifyTap, settings_screen.on_notify, access=OWN),
    route(LanguageTap, settings_screen.on_language, access=OWN),
)
