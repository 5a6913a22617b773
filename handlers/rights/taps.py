"""The buttons of a person's data rights: erasing everything, and keeping an unused plan."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.plumbing.callbacks import Tap, tap


@tap("erY")
@dataclass(frozen=True)
class EraseYesTap(Tap):
    """Yes, delete everything of mine (whatever plan the button names: it acts for the person)."""


@tap("kp")
@dataclass(frozen=True)
class KeepPlanTap(Tap):
    """Under a notice that an unused plan will be deleted: keep it (a change, so the time starts again)."""
