"""The notes: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.notes import screens as notes
from handlers.notes.taps import NotesTap, RemoveNoteTap, RemoveNoteYesTap
from handlers.plumbing.dispatch import EDIT, Routes, route, table

ROUTES: Routes = table(
    route(NotesTap, notes.show_notes),
    route(RemoveNoteTap, notes.on_remove, access=EDIT),
    route(RemoveNoteYesTap, notes.on_remove_yes, access=EDIT),
)
