"""The first questions after /start: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.onboarding import screens as onboarding
from handlers.plumbing.callbacks import Action as A
from handlers.plumbing.dispatch import EDIT, Route

ROUTES: dict[A, Route] = {
    A.REASON: Route(onboarding.on_reason, access=EDIT),
    A.REASONS_DONE: Route(onboarding.show_urgency),
    A.URGENCY: Route(onboarding.on_urgency, access=EDIT),
}
