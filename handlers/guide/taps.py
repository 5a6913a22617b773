"""The buttons of the guides. Each carries where it was opened, so Back returns there."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from handlers.plumbing.callbacks import Tap, tap


class Opened(StrEnum):
    """Where a guide was opened, so its Back button returns there."""

    SPECIALIST = "s"  # step 1
    RECORDS = "r"  # step 2


@tap("gt")
@dataclass(frozen=True)
class TellDoctorTap(Tap):
    """What to say to the current doctor: a referral and the records."""

    opened: Opened


@tap("gc")
@dataclass(frozen=True)
class CallScriptTap(Tap):
    """What to ask when calling a doctor's office on the short list."""

    candidate: str  # its id


@tap("gw")
@dataclass(frozen=True)
class WhoToSeeTap(Tap):
    """Who to see: a pathology review, a tumor board, after treatment has started."""


@tap("gv")
@dataclass(frozen=True)
class AtTheVisitTap(Tap):
    """What happens at the visit (from visit mode)."""

    visit: str  # its id
