"""How long an unused plan is kept: rules with the time passed in.

A plan nobody has changed for `Retention.months` (a setting, 12 by default) is deleted. Its owner is
told twice before: 30 days and 7 days ahead. Both notices and the deletion are stored in the plan as
reminders (kinds RETENTION_NOTICE and RETENTION_END), so they survive a restart, are in the wake index,
and are sent by the courier like every other timed message; every save re-plans them (`replan`), so any
change a person makes moves the deadline.

A notice is never skipped to save time: when one is planned late (the bot was down, or the setting was
made shorter), it goes now, the next one comes at least `GAP` later, and the plan is deleted at least
`GAP` after the last notice. So the owner always has a week's warning, whatever happened before.
Notices go out at the time of day the plan was last changed: a time when someone was using it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from journey.models import Case, Reminder, ReminderKind, ReminderStatus

KINDS = (ReminderKind.RETENTION_NOTICE, ReminderKind.RETENTION_END)
NOTICES = (timedelta(days=30), timedelta(days=7))  # before the deadline, in order
GAP = timedelta(days=7)  # at least this long between a notice and what comes after it
PREFIX = "keep@"


@dataclass(frozen=True)
class Retention:
    """The retention setting: months without a change before a plan is deleted."""

    months: int = 12

    def deadline(self, case: Case) -> datetime:
        """When the plan is due to go, counted from the last change a person made."""
        return add_months(last_activity(case), self.months)


def last_activity(case: Case) -> datetime:
    return case.active_at or case.created_at


def touch(case: Case, now: datetime) -> None:
    """A person changed the plan: the clock starts again."""
    case.active_at = now


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later (the 31st becomes the month's last day)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def planned(case: Case, policy: Retention, now: datetime) -> list[Reminder]:
    """The notices still to send and the deletion, for the current deadline, from what is stored:
    a notice already sent (or tried) stays history; one still waiting keeps its time."""
    deadline = policy.deadline(case)
    key = f"{PREFIX}{int(deadline.timestamp()) // 60}"
    owner = case.owner_id
    stored = {r.id: r for r in case.reminders if r.kind in KINDS}
    notices: list[tuple[str, datetime]] = []
    last: datetime | None = None  # when the previous notice went (or will go)
    for n, ahead in enumerate(NOTICES):
        reminder_id = f"{key}:notice{n}:{owner}"
        was = stored.get(reminder_id)
        if was is not None and was.status is not ReminderStatus.PENDING:
            last = was.sent_at or was.due_at
            continue
        due = deadline - ahead
        if last is not None:
            due = max(due, last + GAP)
        due = was.due_at if was is not None else max(due, now)
        notices.append((reminder_id, due))
        last = due
    end = deadline if last is None else max(deadline, last + GAP)
    # A notice carries the deletion's time (unix seconds), so its words say the day.
    items = [
        Reminder(i, ReminderKind.RETENTION_NOTICE, due, owner, target=str(int(end.timestamp())))
        for i, due in notices
    ]
    items.append(Reminder(f"{key}:end:{owner}", ReminderKind.RETENTION_END, end, owner))
    return items


def replan(case: Case, policy: Retention, now: datetime) -> None:
    """Make the stored notices and deletion match the current deadline. Notices sent for this deadline
    are kept (they say what is left to send); those of an earlier deadline are dropped."""
    fresh = planned(case, policy, now)
    key = fresh[-1].id.split(":", 1)[0]
    settled = [
        r
        for r in case.reminders
        if r.kind in KINDS and r.status is not ReminderStatus.PENDING and r.id.startswith(f"{key}:")
    ]
    others = [r for r in case.reminders if r.kind not in KINDS]
    case.reminders = others + settled + fresh


def ending(case: Case, policy: Retention, reminder: Reminder, now: datetime) -> bool:
    """True when this due deletion stands: it is the one planned now (no change since, both notices
    sent or tried) and its time has come. False: the stored one is out of date; re-plan instead."""
    *notices, end = planned(case, policy, now)
    return not notices and reminder.id == end.id and end.due_at <= now


def ends_at(reminder: Reminder) -> datetime | None:
    """When the plan a notice is about will be deleted (None: not a notice)."""
    if reminder.kind is not ReminderKind.RETENTION_NOTICE or not (reminder.target or "").isdigit():
        return None
    return datetime.fromtimestamp(int(reminder.target or "0"), UTC)
