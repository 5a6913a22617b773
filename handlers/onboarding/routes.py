"""The first questions after /start: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.onboarding import screens as onboarding
from handlers.onboarding.taps import ReasonsDoneTap, ReasonTap, UrgencyTap
from handlers.plumbing.dispatch import EDIT, Routes, route, table

ROUTES: Routes = table(
    route(ReasonTap, onboarding.on_reason, access=EDIT),
    route(ReasonsDoneTap, onboarding.show_urgency),
    route(UrgencyTap, onboarding.on_urgency, access=EDIT),
)
