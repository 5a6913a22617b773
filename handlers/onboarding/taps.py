"""The buttons of the first questions after /start."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from handlers.plumbing.callbacks import Tap, tap
from journey.models import Reason, Urgency


class UrgencyAnswer(enum.StrEnum):
    """The urgency buttons: an `Urgency`, or "skip" (no answer)."""

    SOON = Urgency.SOON.value
    NOT_SOON = Urgency.NOT_SOON.value
    UNSURE = Urgency.UNSURE.value
    NONE = "none"

    @property
    def urgency(self) -> Urgency | None:
        return None if self is UrgencyAnswer.NONE else Urgency(self.value)


@tap("or")
@dataclass(frozen=True)
class ReasonTap(Tap):
    """Why a second opinion: one reason on or off."""

    reason: Reason
    on: bool  # the state asked for


@tap("od")
@dataclass(frozen=True)
class ReasonsDoneTap(Tap):
    """Done with the reasons: on to urgency."""


@tap("ou")
@dataclass(frozen=True)
class UrgencyTap(Tap):
    """How soon treatment must start (or no answer)."""

    answer: UrgencyAnswer
