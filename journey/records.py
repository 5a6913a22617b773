"""Step 2: the records checklist. Each item moves from "to request" to "confirmed arrived"."""

from __future__ import annotations

import enum
from datetime import date, timedelta

from journey import limits
from journey.errors import Gone, NotAStep, TooManyFiles
from journey.models import Attachment, Case, RecordItem, RecordKind, RecordStatus
from journey.text import SHORT, line

MAX_ATTACHMENTS = limits.FILES_PER_RECORD

# HIPAA right of access (45 CFR 164.524, docs/sources.md): a provider must act on a request for records
# within 30 days, and may take one 30-day extension if it says so in writing.
ANSWER_DAYS = 30

# Statuses that mean "we have it, or it is on its way or already there".
IN_HAND = frozenset({RecordStatus.RECEIVED, RecordStatus.SENT, RecordStatus.ARRIVED})


# Records the person writes, not asks for (the medication list, seeds 000 and 001): nothing to ask a place for,
# so no "asked for" step, no answer-by date and no request letter. "I have it" reads "I wrote it".
WRITTEN = frozenset({RecordKind.MEDICATIONS})


def steps(kind: RecordKind) -> tuple[RecordStatus, ...]:
    """Where this record can be, in order: a written one is never asked for."""
    if kind in WRITTEN:
        return tuple(s for s in RecordStatus if s is not RecordStatus.REQUESTED)
    return tuple(RecordStatus)


def find_item(case: Case, kind: RecordKind) -> RecordItem:
    for item in case.records.items:
        if item.kind is kind:
            return item
    raise Gone()


def set_status(case: Case, kind: RecordKind, status: RecordStatus, today: date) -> RecordItem:
    """Move an item to `status`. Marking it requested stamps today's date (kept if already set).
    A step the record does not have (asking for a list you write, from an old button) changes nothing."""
    item = find_item(case, kind)
    if status not in steps(kind):
        raise NotAStep()
    item.status = status
    if status is RecordStatus.REQUESTED and item.requested_on is None:
        item.requested_on = today
    return item


def set_requested_from(case: Case, kind: RecordKind, text: str) -> None:
    if kind in WRITTEN:  # a question asked before the list became one you write
        raise NotAStep()
    find_item(case, kind).requested_from = line(text, SHORT)


def attach(case: Case, kind: RecordKind, attachment: Attachment) -> RecordItem:
    """Attach a file; the same Telegram file twice is kept once. Having a copy means received."""
    item = find_item(case, kind)
    if any(a.file_unique_id == attachment.file_unique_id for a in item.attachments):
        return item
    check_room(case, kind)
    item.attachments.append(attachment)
    if item.status in (RecordStatus.NOT_NEEDED, RecordStatus.TO_REQUEST, RecordStatus.REQUESTED):
        item.status = RecordStatus.RECEIVED
    return item


def check_room(case: Case, kind: RecordKind) -> None:
    """Refuse another file on a record that holds the most it can (asked before the file is sent, too)."""
    if len(find_item(case, kind).attachments) >= MAX_ATTACHMENTS:
        raise TooManyFiles(limit=MAX_ATTACHMENTS)


class Fact(enum.StrEnum):
    """A question at the start of step 2 whose "no" takes records off the list (docs/sources.md: seed 004
    lists operative notes and imaging discs "if applicable"; seed 002, the pathology report comes from a
    pathologist who studied the tumor or a sample of it)."""

    SURGERY = "surgery"  # no surgery for this cancer: no surgery notes to ask for
    TISSUE = (
        "tissue"  # no tissue taken (no biopsy, no surgery): no pathology report, slides or biopsy results
    )
    SCANS = "scans"  # no scans (CT, MRI, PET, X-ray): no imaging reports or scan images


FACT_RECORDS: dict[Fact, tuple[RecordKind, ...]] = {
    Fact.SURGERY: (RecordKind.OPERATIVE_NOTES,),
    Fact.TISSUE: (RecordKind.PATHOLOGY_REPORT, RecordKind.PATHOLOGY_SLIDES, RecordKind.BIOPSY),
    Fact.SCANS: (RecordKind.IMAGING_REPORTS, RecordKind.IMAGING_FILES),
}


def answer_fact(case: Case, fact: Fact, yes: bool) -> None:
    """ "No" marks the records it covers not needed, if nothing was done with them yet; "yes" puts them back."""
    for kind in FACT_RECORDS[fact]:
        item = find_item(case, kind)
        if yes and item.status is RecordStatus.NOT_NEEDED:
            item.status = RecordStatus.TO_REQUEST
        elif not yes and item.status is RecordStatus.TO_REQUEST and not item.attachments:
            item.status = RecordStatus.NOT_NEEDED


def fact_answer(case: Case, fact: Fact) -> bool | None:
    """What the records say about the answer: no (all marked not needed), yes (all under way), or not known."""
    statuses = {find_item(case, kind).status for kind in FACT_RECORDS[fact]}
    if statuses == {RecordStatus.NOT_NEEDED}:
        return False
    if statuses.isdisjoint({RecordStatus.NOT_NEEDED, RecordStatus.TO_REQUEST}):
        return True
    return None


def needed_items(case: Case) -> list[RecordItem]:
    return [i for i in case.records.items if i.status is not RecordStatus.NOT_NEEDED]


def missing_items(case: Case) -> list[RecordItem]:
    """Needed items the second-opinion office has not confirmed yet."""
    return [i for i in needed_items(case) if i.status is not RecordStatus.ARRIVED]


def answer_by(item: RecordItem) -> date | None:
    """The day the place asked should answer a request for this record, while it is asked for and not come."""
    if item.status is not RecordStatus.REQUESTED or item.requested_on is None or item.kind in WRITTEN:
        return None
    return item.requested_on + timedelta(days=ANSWER_DAYS)


def answer_late(item: RecordItem, today: date) -> bool:
    """The answer is past its day: time to call the records office of the place asked."""
    due = answer_by(item)
    return due is not None and today > due


def waiting_answers(case: Case) -> list[tuple[RecordItem, date]]:
    """Each record asked for and not come yet, with the day its answer is due, soonest first."""
    due = [(item, answer_by(item)) for item in case.records.items]
    return sorted(((i, d) for i, d in due if d is not None), key=lambda pair: pair[1])
