"""Step 2 screens: the records checklist, one item, and attaching a photo or PDF."""

from __future__ import annotations

from handlers.guide.taps import Opened, TellDoctorTap
from handlers.menu.taps import MenuTap
from handlers.paper.taps import RecordLettersTap
from handlers.plumbing.turn import Screen, Turn, choices, page_row, paginate, rows_of
from handlers.prompts.asking import ask
from handlers.prompts.taps import CancelTap
from handlers.records.taps import (
    AppliesTap,
    AttachPendingTap,
    RecordFileTap,
    RecordsTap,
    RecordStatusTap,
    RecordTap,
)
from journey import deadline, prompts, records
from journey.models import PromptKind, RecordKind, RecordStatus
from paper.letter import places

LIST_PAGE = 12  # the whole checklist fits on one page today; paging keeps it safe if it grows


def show_records(turn: Turn, tap: RecordsTap | None = None) -> Screen:
    page = paginate(turn.case.records.items, tap.page if tap else 0, LIST_PAGE)
    labels = turn.words.content.records
    rows = [
        [
            turn.button(
                turn.label(_key("record", i.kind), status=i.status.value, text=labels[i.kind].label),
                RecordTap(i.kind),
            )
        ]
        for i in page.items
    ]
    rows.append(page_row(turn, page, RecordsTap))
    rows.append([turn.button(turn.label("applies"), AppliesTap())])
    if places(turn.case) and not turn.in_group:
        rows.append([turn.button(turn.label("record_letters"), RecordLettersTap())])
    rows.append([turn.button(turn.label("tell_doctor"), TellDoctorTap(Opened.RECORDS))])
    rows.append([turn.button(turn.label("menu"), MenuTap())])
    return turn.screen(
        "records/list",
        rows,
        missing=records.missing_items(turn.case),
        waiting=records.waiting_answers(turn.case),
        today=turn.today,
        late=deadline.records_after(turn.case, turn.today),
        started=any(i.status is not RecordStatus.TO_REQUEST for i in turn.case.records.items),
    )


def item_screen(turn: Turn, kind: RecordKind) -> Screen:
    item = records.find_item(turn.case, kind)
    rows = choices(
        turn,
        records.steps(kind),
        lambda s: s is item.status,
        lambda s: turn.label(_key(f"record_{s.value}", kind)),
        lambda s: RecordStatusTap(kind, s),
        per_row=2,
    )
    rows.append([turn.button(turn.label("attach"), RecordFileTap(kind))])
    rows.append([turn.button(turn.label("back"), RecordsTap(page=0))])
    entry = turn.words.content.records[kind]
    answer_by = records.answer_by(item)
    late = item in deadline.records_after(turn.case, turn.today)
    return turn.screen(
        "records/item",
        rows,
        item=item,
        entry=entry,
        answer_by=answer_by,
        today=turn.today,
        late=late,
        status=_key(f"record_{item.status.value}", kind),
    )


def _key(label: str, kind: RecordKind) -> str:
    """The label of a record's status: a list you write has its own words ("To write", "I wrote it")."""
    return label.replace("record", "record_written", 1) if kind in records.WRITTEN else label


def show_record(turn: Turn, tap: RecordTap) -> Screen:
    return item_screen(turn, tap.kind)


def on_record_status(turn: Turn, tap: RecordStatusTap) -> Screen:
    records.set_status(turn.case, tap.kind, tap.status, turn.today)
    if tap.status is RecordStatus.REQUESTED:
        return ask(turn, PromptKind.RECORD_REQUESTED_FROM, tap.kind.value)
    return item_screen(turn, tap.kind)


def on_record_file(turn: Turn, tap: RecordFileTap) -> Screen:
    return ask(turn, PromptKind.RECORD_FILE, tap.kind.value)


def which_record_screen(turn: Turn) -> Screen:
    """A file arrived without a question: ask which record it belongs to."""
    labels = turn.words.content.records
    buttons = [turn.button(labels[i.kind].label, AttachPendingTap(i.kind)) for i in turn.case.records.items]
    rows = rows_of(buttons, 2)
    rows.append([turn.button(turn.label("cancel"), CancelTap())])
    return turn.screen("records/which", rows)


def on_attach_pending(turn: Turn, tap: AttachPendingTap) -> Screen:
    prompts.attach_pending(turn.case, turn.user_id, tap.kind)
    return attached_screen(turn, tap.kind)


def attached_screen(turn: Turn, kind: RecordKind) -> Screen:
    screen = item_screen(turn, kind)
    return Screen(turn.render("records/attached") + "\n\n" + screen.text, screen.rows)
