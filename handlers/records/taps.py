"""The buttons of step 2: the records checklist."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.plumbing.callbacks import Tap, tap
from journey.models import RecordKind, RecordStatus
from journey.records import Fact


@tap("rc")
@dataclass(frozen=True)
class RecordsTap(Tap):
    """The records checklist."""

    page: int


@tap("rci")
@dataclass(frozen=True)
class RecordTap(Tap):
    """One item of the checklist."""

    kind: RecordKind


@tap("rcs")
@dataclass(frozen=True)
class RecordStatusTap(Tap):
    """Where one record stands (requested asks from whom)."""

    kind: RecordKind
    status: RecordStatus


@tap("rcf")
@dataclass(frozen=True)
class RecordFileTap(Tap):
    """Attach a photo or PDF to a record (asks for it)."""

    kind: RecordKind


@tap("rca")
@dataclass(frozen=True)
class AttachPendingTap(Tap):
    """The record a file sent without a question belongs to."""

    kind: RecordKind


@tap("rcq")
@dataclass(frozen=True)
class AppliesTap(Tap):
    """The questions at the start of step 2: which records apply."""


@tap("rcy")
@dataclass(frozen=True)
class FactTap(Tap):
    """An answer to one of them: on is "yes" (the records apply); "no" takes them off the list."""

    fact: Fact
    on: bool
