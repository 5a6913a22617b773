"""The prep sheet and the records request letters, sent as PDF documents after a short screen.

The PDFs are drawn here, inside the unit of work's worker thread (never on the event loop), from the plan
as loaded (`paper/`); the edge sends them after the screen, as it sends a calendar file. They hold health
details, so they are sent in a private chat only: in a group, the person is asked to open the private chat.
"""

from __future__ import annotations

from handlers.menu.taps import MenuTap
from handlers.paper.taps import PrepSheetTap, RecordLettersTap
from handlers.plumbing.turn import OutgoingFile, Screen, Turn
from handlers.records.taps import RecordsTap
from handlers.visit.taps import AppointmentTap
from journey import appointments, language
from journey.models import Appointment
from paper.letter import places, records_letter
from paper.sheet import prep_sheet

NEXT = "next"


def show_prep_sheet(turn: Turn) -> Screen:
    """/summary: the sheet for the next visit (or with room to write the visit in, if none is saved)."""
    return _sheet(turn, NEXT)


def on_prep_sheet(turn: Turn, tap: PrepSheetTap) -> Screen:
    return _sheet(turn, tap.visit)


def _sheet(turn: Turn, which: str) -> Screen:
    if turn.in_group:  # not a place for the patient's health details
        return _private_only(turn)
    visit = None if which == NEXT else appointments.find_appointment(turn.case, which)
    if visit is None:
        visit = appointments.next_appointment(turn.case, turn.now)
    file = sheet_file(turn, visit)
    back = AppointmentTap(visit.id if visit else NEXT)
    rows = [[turn.button(turn.label("back_to_visit"), back), turn.button(turn.label("menu"), MenuTap())]]
    screen = turn.screen("paper/sheet_sent", rows, a=visit)
    return Screen(screen.text, screen.rows, (file,))


def sheet_file(turn: Turn, visit: Appointment | None = None) -> OutgoingFile:
    """The prep sheet as a document to send: for `visit`, else the next one (also what /export adds)."""
    visit = visit or appointments.next_appointment(turn.case, turn.now)
    pdf = prep_sheet(turn.case, turn.words, turn.now, visit.id if visit else None)
    day = (visit.starts_at if visit else turn.now).date()
    return OutgoingFile(f"prep-sheet-{day:%Y-%m-%d}.pdf", pdf, turn.render("paper/sheet_caption", a=visit))


def on_record_letters(turn: Turn, _: RecordLettersTap) -> Screen:
    """One letter per place records were asked from. The letter goes to a US records office, so it is in
    English; someone who reads another language also gets a copy in theirs, to know what they send."""
    if turn.in_group:  # not a place for the patient's health details
        return _private_only(turn)
    found = places(turn.case)
    office = turn.services.words.of(language.ENGLISH)
    files: list[OutgoingFile] = []
    for n, place in enumerate(found, start=1):
        files.append(
            OutgoingFile(
                f"records-request-{n}.pdf",
                records_letter(turn.case, office, turn.now, place),
                turn.render("paper/letter_caption", place=place.name),
            )
        )
        if turn.language != language.ENGLISH:
            files.append(
                OutgoingFile(
                    f"records-request-{n}-{turn.language}.pdf",
                    records_letter(turn.case, turn.words, turn.now, place),
                    turn.render("paper/letter_copy_caption", place=place.name),
                )
            )
    rows = [
        [
            turn.button(turn.label("back_to_records"), RecordsTap(page=0)),
            turn.button(turn.label("menu"), MenuTap()),
        ]
    ]
    screen = turn.screen("paper/letters_sent", rows, places=[p.name for p in found])
    return Screen(screen.text, screen.rows, tuple(files))


def _private_only(turn: Turn) -> Screen:
    rows = [[turn.button(turn.label("menu"), MenuTap())]]
    return turn.screen("paper/private_only", rows, bot=turn.services.bot_username())
