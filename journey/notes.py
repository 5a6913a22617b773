"""Notes: things a member typed outside any question and chose to keep in the plan."""

from __future__ import annotations

from datetime import datetime

from journey import limits
from journey.errors import TooManyNotes
from journey.lists import existing, find
from journey.models import Case, Note
from journey.text import LONG, clean

MAX_NOTES = limits.NOTES


def add_note(case: Case, note_id: str, text: str, now: datetime, by: int | None) -> Note:
    """Save a note. The same id twice (a repeated update or a double tap) saves it once."""
    if (same := existing(case.notes, note_id)) is not None:
        return same
    cleaned = clean(text, LONG)
    check_room(case)
    note = Note(note_id, cleaned, now, by)
    case.notes.append(note)
    return note


def check_room(case: Case) -> None:
    """Refuse another note when the list is full (asked before the note is offered, too)."""
    if len(case.notes) >= MAX_NOTES:
        raise TooManyNotes(limit=MAX_NOTES)


def find_note(case: Case, note_id: str) -> Note:
    return find(case.notes, note_id)


def remove_note(case: Case, note_id: str) -> None:
    case.notes.remove(find_note(case, note_id))


def newest_first(case: Case) -> list[Note]:
    return list(reversed(case.notes))
