"""The buttons after a visit: what the opinion said, the doctor's advice, the first plan, side by side."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.plumbing.callbacks import Tap, tap
from journey.models import OpinionSays


@tap("oc")
@dataclass(frozen=True)
class OutcomeTap(Tap):
    """ "What did they say?" for one visit that is over."""

    visit: str


@tap("oS")
@dataclass(frozen=True)
class OutcomeSaysTap(Tap):
    """What the opinion said about the first plan."""

    visit: str
    says: OpinionSays


@tap("oA")
@dataclass(frozen=True)
class AdviceTap(Tap):
    """The doctor's main recommendation, in the user's words (asks for it)."""

    visit: str


@tap("oF")
@dataclass(frozen=True)
class FirstPlanTap(Tap):
    """What the first doctor recommended (asks for it); back to this visit's outcome after."""

    visit: str


@tap("oB")
@dataclass(frozen=True)
class SideBySideTap(Tap):
    """The opinions side by side, and the next steps."""

    visit: str


@tap("o3")
@dataclass(frozen=True)
class ThirdOpinionTap(Tap):
    """Start a new visit for a third opinion in the same plan (asks for the time)."""


@tap("oM")
@dataclass(frozen=True)
class SummaryTap(Tap):
    """The summary of a visit that is over: to send to the family (who may change the plan), or to read."""

    visit: str


@tap("oT")
@dataclass(frozen=True)
class SendSummaryTap(Tap):
    """Send the summary to everyone in the plan (the plan remembers this choice)."""

    visit: str


@tap("oK")
@dataclass(frozen=True)
class KeepSummaryTap(Tap):
    """Keep the summary to oneself: only the person who made it gets it (the plan remembers this choice)."""

    visit: str
