"""Step 2 screens: the records checklist, one item, and attaching a photo or PDF."""

from __future__ import annotations

from handlers.plumbing.callbacks import Action, Button
from handlers.plumbing.turn import Screen, Turn, choices, page_row, paginate, parse, rows_of
from handlers.prompts.asking import ask
from journey import prompts, records
from journey.models import PromptKind, RecordKind, RecordStatus

LIST_PAGE = 12  # the whole checklist fits on one page today; paging keeps it safe if it grows


def show_records(turn: Turn, button: Button | None = None) -> Screen:
    page = paginate(turn.case.records.items, button.page() if button else 0, LIST_PAGE)
    labels = turn.services.renderer.content.records
    rows = [
        [
            turn.button(
                turn.label("record", status=i.status.value, text=labels[i.kind].label),
                Action.RECORD,
                i.kind.value,
            )
        ]
        for i in page.items
    ]
    rows.append(page_row(turn, page, Action.RECORDS))
    rows.append([turn.button(turn.label("menu"), Action.MENU)])
    return turn.screen("records/list", rows, missing=records.missing_items(turn.case))


def item_screen(turn: Turn, kind: RecordKind) -> Screen:
    item = records.find_item(turn.case, kind)
    rows = choices(
        turn,
        RecordStatus,
        lambda s: s is item.status,
        lambda s: turn.label(f"record_{s.value}"),
        Action.RECORD_STATUS,
        kind.value,
        per_row=2,
    )
    rows.append([turn.button(turn.label("attach"), Action.RECORD_FILE, kind.value)])
    rows.append([turn.button(turn.label("back"), Action.RECORDS, 0)])
    return turn.screen("records/item", rows, item=item, entry=turn.services.renderer.content.records[kind])


def show_record(turn: Turn, button: Button) -> Screen:
    return item_screen(turn, parse(RecordKind, button.arg(0)))


def on_record_status(turn: Turn, button: Button) -> Screen:
    kind, status = parse(RecordKind, button.arg(0)), parse(RecordStatus, button.arg(1))
    records.set_status(turn.case, kind, status, turn.today)
    if status is RecordStatus.REQUESTED:
        return ask(turn, PromptKind.RECORD_REQUESTED_FROM, kind.value)
    return item_screen(turn, kind)


def on_record_file(turn: Turn, button: Button) -> Screen:
    return ask(turn, PromptKind.RECORD_FILE, parse(RecordKind, button.arg(0)).value)


def which_record_screen(turn: Turn) -> Screen:
    """A file arrived without a question: ask which record it belongs to."""
    labels = turn.services.renderer.content.records
    buttons = [
        turn.button(labels[i.kind].label, Action.ATTACH_PENDING, i.kind.value)
        for i in turn.case.records.items
    ]
    rows = rows_of(buttons, 2)
    rows.append([turn.button(turn.label("cancel"), Action.CANCEL)])
    return turn.screen("records/which", rows)


def on_attach_pending(turn: Turn, button: Button) -> Screen:
    kind = parse(RecordKind, button.arg(0))
    prompts.attach_pending(turn.case, turn.user_id, kind)
    return attached_screen(turn, kind)


def attached_screen(turn: Turn, kind: RecordKind) -> Screen:
    screen = item_screen(turn, kind)
    return Screen(turn.render("records/attached") + "\n\n" + screen.text, screen.rows)
