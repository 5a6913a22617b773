"""The records request letter: one per place the records were asked from, to print, sign and send.

It asks, under the patient's right of access (HIPAA), for the records the user marked as asked from that
place, to be sent to the patient or to the second opinion office. What the bot knows is filled in (the
patient's name, the records, the place, the second opinion office when a visit names it); what it does not
know is left blank to write by hand (date of birth, contact, the signature and the date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from journey import appointments
from journey.models import Case, RecordItem, RecordKind, RecordStatus
from paper.layout import Paper
from templates import Renderer


@dataclass(frozen=True)
class Place:
    """A place records were asked from, as the user typed it, and the records asked from there."""

    name: str
    records: tuple[RecordKind, ...]


def places(case: Case) -> list[Place]:
    """Every place named in the records step, in checklist order; the same place typed with other capitals
    or spaces is one place."""
    found: dict[str, tuple[str, list[RecordKind]]] = {}
    for item in case.records.items:
        if not _asked(item):
            continue
        assert item.requested_from is not None
        key = " ".join(item.requested_from.split()).casefold()
        found.setdefault(key, (item.requested_from, []))[1].append(item.kind)
    return [Place(name, tuple(kinds)) for name, kinds in found.values()]


def _asked(item: RecordItem) -> bool:
    return (
        bool(item.requested_from and item.requested_from.strip())
        and item.status is not RecordStatus.NOT_NEEDED
    )


def records_letter(case: Case, renderer: Renderer, now: datetime, place: Place) -> bytes:
    """The letter to `place` (one of `places(case)`) as a PDF."""

    def w(key: str, /, **context: object) -> str:
        return renderer.plain(f"paper/{key}", **context)

    paper = Paper(w("footer"), title=w("letter_title"))
    paper.title(w("letter_title"))
    paper.gap(2)
    paper.field(w("letter_date"), None)
    paper.gap(2)
    paper.text(w("letter_to", place=place.name), bold=True)
    paper.gap(3)
    paper.field(w("letter_patient"), case.profile.patient_name)
    paper.field(w("letter_birth"), None)
    paper.field(w("letter_contact"), None)
    paper.field(w("letter_mail"), None)
    paper.write_in(1)
    paper.gap(3)
    paper.text(w("letter_ask"))
    paper.gap(1)
    labels = renderer.content.records
    for kind in place.records:
        paper.numbered("•", labels[kind].label)
    paper.gap(2)
    paper.field(w("letter_dates"), None)
    paper.gap(3)
    paper.text(w("letter_send_to"), bold=True)
    paper.check(w("letter_to_me"), indent=4)
    paper.check(w("letter_to_office"), indent=4)
    office = _office(case, now)
    if office is None:
        paper.write_in(2, indent=12)
    else:
        paper.text(w("letter_office", place=office[0], address=office[1]), indent=12)
    paper.gap(3)
    paper.text(w("letter_how"))
    paper.gap(1)
    paper.text(w("letter_time"))
    paper.gap(2)
    paper.text(w("letter_thanks"))
    paper.gap(6)
    paper.field(w("letter_sign"), None)
    paper.gap(2)
    paper.field(w("letter_name"), case.profile.patient_name)
    paper.gap(2)
    paper.field(w("letter_date"), None)
    return paper.output()


def _office(case: Case, now: datetime) -> tuple[str, str | None] | None:
    """The second opinion office, from the next visit (its place and address), if the plan has one."""
    visit = appointments.next_appointment(case, now)
    if visit is None or not visit.institution:
        return None
    return visit.institution, visit.address
