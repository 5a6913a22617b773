"""What a reminder looks like: the words for its kind and the buttons for the obvious next step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from telegram import InlineKeyboardButton

from handlers.plumbing.callbacks import Action, Button
from handlers.plumbing.turn import Screen, Services, Turn
from journey import appointments, records
from journey.errors import Gone
from journey.models import Case, RecordKind, RecordStatus, Reminder, ReminderKind
from journey.reminders import snooze
from service.sending import Outgoing

R = ReminderKind


def reminder_screen(turn: Turn, reminder: Reminder) -> Screen:
    visit = next((a for a in turn.case.appointments if a.id == reminder.appointment_id), None)
    ok = turn.button(turn.label("got_it"), Action.REMINDER_OK)
    later = turn.button(
        turn.label("later"),
        Action.SNOOZE,
        reminder.kind.value,
        reminder.target or reminder.appointment_id or "none",
    )
    rows: list[list[InlineKeyboardButton]] = []
    if reminder.kind in (R.WEEK_BEFORE, R.DAY_BEFORE) and records.missing_items(turn.case):
        rows.append([turn.button(turn.label("open_records"), Action.RECORDS, 0)])
    if reminder.kind in (R.TWO_DAYS_BEFORE, R.DAY_BEFORE):
        rows.append([turn.button(turn.label("open_questions"), Action.MY_LIST, 0)])
    if reminder.kind is R.INSURANCE_CHECK:
        rows.append([turn.button(turn.label("open_insurance"), Action.INSURANCE)])
    if reminder.kind is R.AFTER and visit is not None:
        rows.append([turn.button(turn.label("write_note"), Action.VISIT_NOTE, visit.id)])
    if reminder.kind is R.RECORD_FOLLOW_UP and reminder.target:
        rows.append(
            [
                turn.button(
                    turn.label("it_came"), Action.RECORD_STATUS, reminder.target, RecordStatus.RECEIVED.value
                )
            ]
        )
        rows.append([turn.button(turn.label("open_record"), Action.RECORD, reminder.target)])
    # "Later" is personal: a group's copy (user_id is the group's chat id, negative) gets only "Got it".
    personal = reminder.user_id > 0 and reminder.kind is not R.HOURS_BEFORE
    rows.append([ok, later] if personal else [ok])
    item = None
    if reminder.target in set(RecordKind):
        item = records.find_item(turn.case, RecordKind(reminder.target))
    ready = appointments.readiness(turn.case)
    return turn.screen(
        f"reminders/{reminder.kind.value}", rows, a=visit, item=item, ready=ready, now=turn.now
    )


def on_ok(turn: Turn, _: Button) -> Screen:
    """ "Got it": the reminder stays in the chat without its buttons."""
    return Screen(turn.render("reminders/noted"))


def on_snooze(turn: Turn, button: Button) -> Screen:
    """ "Later": the same reminder again in three hours (outside quiet hours, as planned ones are)."""
    try:
        kind = R(button.arg(0))
    except ValueError:
        raise Gone() from None
    snooze(turn.case, turn.user_id, kind, button.arg(1), turn.now, turn.new_id)
    return Screen(turn.render("reminders/snoozed"))


def reminder_message(s: Services) -> Callable[[Case, Reminder, datetime], Outgoing]:
    """How the courier renders a due reminder: the screen above, for the chat that hears it."""

    def render(case: Case, reminder: Reminder, now: datetime) -> Outgoing:
        turn = Turn(s, case, reminder.user_id, now, new_id=reminder.id)
        return reminder_screen(turn, reminder).outgoing(reminder.user_id)

    return render
