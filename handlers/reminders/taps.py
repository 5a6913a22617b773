"""The buttons under a reminder."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.plumbing.callbacks import Tap, tap
from journey.models import ReminderKind


@tap("ro")
@dataclass(frozen=True)
class ReminderOkTap(Tap):
    """ "Got it": the reminder stays, without its buttons."""


@tap("rz")
@dataclass(frozen=True)
class SnoozeTap(Tap):
    """ "Later": the same reminder again in three hours."""

    kind: ReminderKind
    about: str  # the visit or the record it is about, or "none"
