"""The buttons under a typed-answer question."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.plumbing.callbacks import Tap, tap
from journey.models import OfferKind, PromptKind


@tap("sk")
@dataclass(frozen=True)
class SkipTap(Tap):
    """Skip this (optional) question."""

    kind: PromptKind  # the question it was shown with


@tap("cx")
@dataclass(frozen=True)
class CancelTap(Tap):
    """Stop the question (or the time picker) and go back to the menu."""


@tap("sZ")
@dataclass(frozen=True)
class SetZoneTap(Tap):
    """A time zone picked by tap under the zone question."""

    index: int  # in journey.zones.COMMON_ZONES
    target: str  # what the zone is for (prompts.OWN_SETTINGS or a VisitTarget as text)


@tap("oy")
@dataclass(frozen=True)
class AcceptOfferTap(Tap):
    """Yes: put the typed text where it was offered (the words are kept on the member, not here)."""

    kind: OfferKind  # the place offered
    message: int  # the typed message the offer is about: a button under an older offer is stale


@tap("on")
@dataclass(frozen=True)
class DeclineOfferTap(Tap):
    """No: the typed text goes nowhere."""
