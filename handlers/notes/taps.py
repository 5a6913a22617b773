"""The buttons of the notes: typed text a member chose to keep in the plan."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.plumbing.callbacks import Tap, tap


@tap("nl")
@dataclass(frozen=True)
class NotesTap(Tap):
    """The notes, newest first, a page at a time."""

    page: int


@tap("nd")
@dataclass(frozen=True)
class RemoveNoteTap(Tap):
    """Delete a note: asks first."""

    note: str  # a note id
    page: int  # of the list, to come back to


@tap("nD")
@dataclass(frozen=True)
class RemoveNoteYesTap(Tap):
    """Yes, delete the note."""

    note: str
    page: int
