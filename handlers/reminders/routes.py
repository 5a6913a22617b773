"""What a reminder's buttons do: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.callbacks import Action as A
from handlers.plumbing.dispatch import OWN, Route
from handlers.reminders import screens as reminder_views

ROUTES: dict[A, Route] = {
    A.REMINDER_OK: Route(reminder_views.on_ok, keeps_prompt=True),
    A.SNOOZE: Route(reminder_views.on_snooze, keeps_prompt=True, access=OWN),
}
