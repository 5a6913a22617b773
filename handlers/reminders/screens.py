"""What a reminder looks like: the words for its kind and the buttons for the obvious next step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from telegram import InlineKeyboardButton

from handlers.insurance.taps import InsuranceTap
from handlers.outcome.taps import OutcomeTap
from handlers.paper.taps import PrepSheetTap
from handlers.plumbing.turn import Screen, Services, Turn
from handlers.questions.taps import MyListTap
from handlers.records.taps import RecordsTap, RecordStatusTap, RecordTap
from handlers.reminders.taps import ReminderOkTap, SnoozeTap
from handlers.rights.screens import retention_screen
from handlers.visit.taps import VisitModeTap
from journey import appointments, records
from journey.models import Case, RecordKind, RecordStatus, Reminder, ReminderKind
from journey.reminders import snooze
from journey.retention import KINDS as RETENTION_KINDS
from service.sending import Outgoing

R = ReminderKind


def reminder_screen(turn: Turn, reminder: Reminder) -> Screen:
    if reminder.kind in RETENTION_KINDS:
        return retention_screen(turn, reminder)
    visit = next((a for a in turn.case.appointments if a.id == reminder.appointment_id), None)
    ok = turn.button(turn.label("got_it"), ReminderOkTap())
    later = turn.button(
        turn.label("later"), SnoozeTap(reminder.kind, reminder.target or reminder.appointment_id or "none")
    )
    rows: list[list[InlineKeyboardButton]] = []
    if reminder.kind in (R.WEEK_BEFORE, R.DAY_BEFORE) and records.missing_items(turn.case):
        rows.append([turn.button(turn.label("open_records"), RecordsTap(page=0))])
    if reminder.kind in (R.TWO_DAYS_BEFORE, R.DAY_BEFORE):
        rows.append([turn.button(turn.label("open_questions"), MyListTap(page=0))])
    if reminder.kind is R.TWO_DAYS_BEFORE and visit is not None and reminder.user_id > 0:
        rows.append([turn.button(turn.label("prep_sheet"), PrepSheetTap(visit.id))])  # not in a group
    if reminder.kind is R.HOURS_BEFORE and visit is not None:
        rows.append([turn.button(turn.label("visit_mode"), VisitModeTap(visit.id, 0))])
    if reminder.kind is R.INSURANCE_CHECK:
        rows.append([turn.button(turn.label("open_insurance"), InsuranceTap())])
    if reminder.kind is R.AFTER and visit is not None:
        rows.append([turn.button(turn.label("what_they_said"), OutcomeTap(visit.id))])
    if reminder.kind is R.RECORD_FOLLOW_UP and reminder.target in set(RecordKind):
        kind = RecordKind(reminder.target)
        rows.append([turn.button(turn.label("it_came"), RecordStatusTap(kind, RecordStatus.RECEIVED))])
        rows.append([turn.button(turn.label("open_record"), RecordTap(kind))])
    # "Later" is personal: a group's copy (user_id is the group's chat id, negative) gets only "Got it".
    personal = reminder.user_id > 0 and reminder.kind is not R.HOURS_BEFORE
    rows.append([ok, later] if personal else [ok])
    item = None
    if reminder.target in set(RecordKind):
        item = records.find_item(turn.case, RecordKind(reminder.target))
    ready = appointments.readiness(turn.case)
    answer_by = records.answer_by(item) if item is not None else None
    return turn.screen(
        f"reminders/{reminder.kind.value}",
        rows,
        a=visit,
        item=item,
        ready=ready,
        now=turn.now,
        answer_by=answer_by,
        today=turn.today,
    )


def on_ok(turn: Turn, _: ReminderOkTap) -> Screen:
    """ "Got it": the reminder stays in the chat without its buttons."""
    return Screen(turn.render("reminders/noted"))


def on_snooze(turn: Turn, tap: SnoozeTap) -> Screen:
    """ "Later": the same reminder again in three hours (outside quiet hours, as planned ones are)."""
    snooze(turn.case, turn.user_id, tap.kind, tap.about, turn.now, turn.new_id)
    return Screen(turn.render("reminders/snoozed"))


def reminder_message(s: Services) -> Callable[[Case, Reminder, datetime], Outgoing]:
    """How the courier renders a due reminder: the screen above, for the chat that hears it."""

    def render(case: Case, reminder: Reminder, now: datetime) -> Outgoing:
        turn = Turn(s, case, reminder.user_id, now, new_id=reminder.id)
        return reminder_screen(turn, reminder).outgoing(reminder.user_id)

    return render
