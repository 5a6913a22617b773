"""What a reminder's buttons do: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.dispatch import OWN, Routes, route, table
from handlers.reminders import screens as reminder_views
from handlers.reminders.taps import ReminderOkTap, SnoozeTap

ROUTES: Routes = table(
    route(ReminderOkTap, reminder_views.on_ok, keeps_prompt=True),
    route(SnoozeTap, reminder_views.on_snooze, keeps_prompt=True, access=OWN),
)
