"""When a plan next needs the senders: its earliest pending reminder or letter.

Storage keeps this time in a small index beside the plans, so start-up and the senders find the plans
with work to do without reading every plan. A reminder or letter left SENDING counts too (at its due
time, which is past): the next start-up must look at that plan to settle the interrupted send.
"""

from __future__ import annotations

from datetime import datetime

from journey.models import Case, LetterStatus, ReminderStatus

WAITING = (ReminderStatus.PENDING, ReminderStatus.SENDING)


def next_wake(case: Case) -> datetime | None:
    """The earliest time something of this plan is due to be sent, or None when nothing is waiting."""
    times = [r.due_at for r in case.reminders if r.status in WAITING]
    times += [letter.due_at or letter.created_at for letter in case.outbox]
    return min(times, default=None)


def has_letters(case: Case) -> bool:
    return any(letter.status is LetterStatus.PENDING for letter in case.outbox)
