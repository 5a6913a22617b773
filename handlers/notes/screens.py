"""The notes screen (/menu → Notes): the list, a page at a time, and deleting one after a confirm."""

from __future__ import annotations

from handlers.menu.taps import MenuTap
from handlers.notes.taps import NotesTap, RemoveNoteTap, RemoveNoteYesTap
from handlers.plumbing.turn import Screen, Turn, page_row, paginate, rows_of
from journey import notes

PER_PAGE = 5


def show_notes(turn: Turn, tap: NotesTap | None = None) -> Screen:
    return list_screen(turn, tap.page if tap else 0)


def list_screen(turn: Turn, page_number: int) -> Screen:
    page = paginate(notes.newest_first(turn.case), page_number, PER_PAGE)
    removes = [
        turn.button(turn.label("remove_n", n=page.start + n + 1), RemoveNoteTap(note.id, page.number))
        for n, note in enumerate(page.items)
    ]
    rows = rows_of(removes, 3)
    rows.append(page_row(turn, page, NotesTap))
    rows.append([turn.button(turn.label("menu"), MenuTap())])
    return turn.screen("notes/list", rows, page=page, limit=notes.MAX_NOTES)


def on_remove(turn: Turn, tap: RemoveNoteTap) -> Screen:
    note = notes.find_note(turn.case, tap.note)
    rows = [
        [
            turn.button(turn.label("remove_yes"), RemoveNoteYesTap(note.id, tap.page)),
            turn.button(turn.label("remove_no"), NotesTap(tap.page)),
        ]
    ]
    return turn.screen("notes/remove", rows, note=note)


def on_remove_yes(turn: Turn, tap: RemoveNoteYesTap) -> Screen:
    notes.remove_note(turn.case, tap.note)
    return list_screen(turn, tap.page).with_head(turn.render("notes/removed"))
