"""The buttons of step 1: which specialists, and the short list of doctors."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.plumbing.callbacks import Tap, tap
from journey.models import CandidateStatus, SpecialistKind


@tap("sp")
@dataclass(frozen=True)
class SpecialistTap(Tap):
    """Step 1: the short list of doctors."""

    page: int  # of the short list


@tap("spk")
@dataclass(frozen=True)
class KindsTap(Tap):
    """Which kinds of specialist are needed."""


@tap("spt")
@dataclass(frozen=True)
class ToggleKindTap(Tap):
    """One kind of specialist needed or not."""

    kind: SpecialistKind
    on: bool  # the state asked for


@tap("spw")
@dataclass(frozen=True)
class WhereTap(Tap):
    """Where to look for a doctor."""


@tap("spa")
@dataclass(frozen=True)
class AddCandidateTap(Tap):
    """Add a doctor to the short list (asks for the name)."""


@tap("spc")
@dataclass(frozen=True)
class CandidateTap(Tap):
    """One doctor on the short list."""

    candidate: str  # its id


@tap("sps")
@dataclass(frozen=True)
class CandidateStatusTap(Tap):
    """Where things stand with a doctor."""

    candidate: str
    status: CandidateStatus


@tap("spr")
@dataclass(frozen=True)
class RemoveCandidateTap(Tap):
    """Take a doctor off the list: asks first."""

    candidate: str


@tap("spx")
@dataclass(frozen=True)
class RemoveCandidateYesTap(Tap):
    """Yes, take the doctor off the list."""

    candidate: str
