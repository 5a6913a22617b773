"""The buttons that send paper: the prep sheet and the records request letters."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.plumbing.callbacks import Tap, tap


@tap("pdf")
@dataclass(frozen=True)
class PrepSheetTap(Tap):
    """The prep sheet as a PDF."""

    visit: str  # a visit id, or "next"


@tap("ltr")
@dataclass(frozen=True)
class RecordLettersTap(Tap):
    """A records request letter (PDF) for each place records were asked from."""
