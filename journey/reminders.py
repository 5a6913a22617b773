"""Reminders as data: a pure plan from the case and the time, and the rules for sending one.

Storage is the source of truth: `replan` rewrites the case's pending reminders from the plan and keeps the
history (sent, skipped, failed). The scheduler only asks `due` and `decide`, then records what happened with
`mark_*`. A reminder is marked SENDING before the Telegram call and SENT after it; a restart that finds
SENDING marks it INTERRUPTED and never sends it again (at most once: a duplicate "your visit is tomorrow" is
confusing, and the calendar file's alarms back up a rare lost one).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from journey.access import EDIT_ROLES, require_member
from journey.appointments import ends_at, upcoming
from journey.errors import Gone
from journey.models import (
    Appointment,
    AppointmentStatus,
    Case,
    Member,
    Notify,
    RecordKind,
    RecordStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Role,
)
from journey.retention import KINDS as RETENTION_KINDS

R = ReminderKind

# Reminders before the visit: days before the visit's date, at this local time of the person reminded.
BEFORE: dict[ReminderKind, tuple[int, time]] = {
    R.WEEK_BEFORE: (7, time(10, 0)),
    R.TWO_DAYS_BEFORE: (2, time(10, 0)),
    R.DAY_BEFORE: (1, time(18, 0)),  # the evening before: time to pack what to bring
}
HOURS_BEFORE = timedelta(hours=2)
AFTER_AT = time(10, 0)  # the day after the visit: "how did it go?"
FOLLOW_UP_AT = time(10, 0)
FOLLOW_UP_DAYS = 7  # a requested record not received after this many days gets a nudge
FOLLOW_UP_DAYS_URGENT = 3  # tighter when treatment must start soon
INSURANCE_CHECK_DAYS = 10  # insurance still unsettled this many days before the visit
INSURANCE_CHECK_DAYS_URGENT = 5

LATE_LIMIT = timedelta(days=2)  # a follow-up or "how did it go?" later than this is skipped
# How long after a visit its "how did it go?" may still be owed: the next day's morning, plus LATE_LIMIT.
AFTER_OWED = timedelta(days=2) + LATE_LIMIT
MAX_ATTEMPTS = 6
HISTORY_KEPT = timedelta(days=90)

BEFORE_KINDS = (R.WEEK_BEFORE, R.TWO_DAYS_BEFORE, R.DAY_BEFORE, R.HOURS_BEFORE)


def member_zone(member: Member, fallback: str) -> ZoneInfo:
    return ZoneInfo(member.settings.zone or fallback)


def plan_reminders(case: Case, now: datetime, include_due: bool = False) -> list[Reminder]:
    """Every reminder still ahead, for every member who can still hear from the bot.

    With `include_due`, also those whose time has come: `replan` needs them to keep one that is due
    but not yet sent (the bot was down, or a save came between its time and the next tick).
    """
    planned: list[Reminder] = []
    soon = upcoming(case, now)
    # A visit just over still owes its "how did it go?": re-planning must not drop one due but unsent.
    over = just_over(case, now)
    for member in case.members:
        if member.settings.blocked or member.settings.notify is Notify.NONE:
            continue
        can_act = member.role in EDIT_ROLES
        for appointment in soon:
            # Follow-ups and "how did it go?" ask for something a viewer cannot do.
            planned += [
                r
                for r in _for_appointment(case, member, appointment, now)
                if can_act or r.kind in BEFORE_KINDS
            ]
        if can_act:
            for appointment in over:
                planned += [r for r in _for_appointment(case, member, appointment, now) if r.kind is R.AFTER]
            planned += _record_follow_ups(case, member, now)
    for group in case.groups:
        # The family chat hears the visit coming, in the visit's own time zone; actions stay private.
        stand_in = _group_member(group.chat_id)
        for appointment in soon:
            planned += [
                r for r in _for_appointment(case, stand_in, appointment, now) if r.kind in BEFORE_KINDS
            ]
    return [r for r in planned if (include_due or r.due_at > now) and r.kind not in _off(case, r.user_id)]


def just_over(case: Case, now: datetime) -> list[Appointment]:
    """Active visits over, but recently enough that the day-after message may still be sent."""
    recent = now - AFTER_OWED
    return [
        a for a in case.appointments if a.status is AppointmentStatus.ACTIVE and recent < ends_at(a) <= now
    ]


def _group_member(chat_id: int) -> Member:
    """A linked group, seen as a member with default settings (quiet hours 21-8 in the visit's zone)."""
    return Member(user_id=chat_id, role=Role.VIEWER)


def recipient(case: Case, chat_id: int) -> Member | None:
    """Who a reminder goes to: a member (their user id) or a linked group (its chat id)."""
    member = next((m for m in case.members if m.user_id == chat_id), None)
    if member is None and any(g.chat_id == chat_id for g in case.groups):
        return _group_member(chat_id)
    return member


SNOOZE = timedelta(hours=3)
SNOOZED = "snooze-"  # id prefix of reminders the user asked to see again later


def snooze(case: Case, user_id: int, kind: ReminderKind, about: str, now: datetime, new_id: str) -> Reminder:
    """The same reminder again later (outside quiet hours). `about` is the visit or the record it is about.

    One "Later" per reminder and person (limits.LATER_PER_REMINDER): tapping it again, on this message or
    on an older copy, moves the one already waiting to three hours from now instead of adding another.
    `about` comes from a button, so it must name a record kind or a visit of this plan (else Gone).
    """
    reminder_id = f"{SNOOZED}{new_id}"
    if (same := next((r for r in case.reminders if r.id == reminder_id), None)) is not None:
        return same
    member = require_member(case, user_id)
    is_record = kind is R.RECORD_FOLLOW_UP
    visit = None if is_record else next((a for a in case.appointments if a.id == about), None)
    if (is_record and about not in set(RecordKind)) or (not is_record and visit is None):
        raise Gone()
    zone = member_zone(member, visit.zone if visit else "UTC")
    due_at = _outside_quiet(now + SNOOZE, member, zone, visit.starts_at if visit else None)
    target = about if is_record else None
    appointment_id = visit.id if visit else None
    waiting = [
        r
        for r in case.reminders
        if r.id.startswith(SNOOZED)
        and r.status is ReminderStatus.PENDING
        and (r.user_id, r.kind, r.appointment_id, r.target) == (user_id, kind, appointment_id, target)
    ]
    if waiting:
        kept, *extra = waiting  # a pile-up saved before this rule shrinks to one
        kept.due_at, kept.attempts = due_at, 0
        case.reminders = [r for r in case.reminders if not any(r is e for e in extra)]
        return kept
    reminder = Reminder(reminder_id, kind, due_at, user_id, appointment_id=appointment_id, target=target)
    case.reminders.append(reminder)
    return reminder


def replan(case: Case, now: datetime) -> None:
    """Make the stored reminders match the plan, keeping history, snoozes and anything being sent.
    Retention notices are planned apart (journey/retention.py) and left as they are here."""
    kept = [r for r in case.reminders if r.kind in RETENTION_KINDS]
    settled = [
        r
        for r in case.reminders
        if r.kind not in RETENTION_KINDS
        and (r.status is not ReminderStatus.PENDING or r.id.startswith(SNOOZED))
    ]
    settled = [r for r in settled if r.status is ReminderStatus.SENDING or now - r.due_at < HISTORY_KEPT]
    known = {r.id for r in settled}
    pending = {
        r.id: r
        for r in case.reminders
        if r.status is ReminderStatus.PENDING and r.kind not in RETENTION_KINDS
    }
    fresh = []
    for planned in plan_reminders(case, now, include_due=True):
        stored = pending.get(planned.id)
        if planned.id in known:
            continue
        if stored is not None and stored.attempts > 0:
            fresh.append(stored)  # waiting to retry: keep its back-off
        elif planned.due_at > now or stored is not None:
            fresh.append(planned)  # ahead, or due and still owed (never invent one in the past)
    case.reminders = settled + fresh + kept


def alarm_offsets(case: Case, appointment_id: str, user_id: int, now: datetime) -> tuple[timedelta, ...]:
    """How long before the visit this member's "before" reminders come: the calendar file's alarms.

    Read from the plan itself, so the file matches the reminders whatever has been saved yet.
    """
    visit = next((a for a in case.appointments if a.id == appointment_id), None)
    if visit is None:
        return ()
    offsets = {
        visit.starts_at - r.due_at
        for r in plan_reminders(case, now)
        if r.appointment_id == appointment_id and r.user_id == user_id and r.kind in BEFORE_KINDS
    }
    return tuple(sorted(o for o in offsets if o > timedelta(0)))


def due(case: Case, now: datetime) -> list[Reminder]:
    return sorted((r for r in case.reminders if _is_due(r, now)), key=lambda r: r.due_at)


def next_due(case: Case) -> datetime | None:
    pending = [r.due_at for r in case.reminders if r.status is ReminderStatus.PENDING]
    return min(pending, default=None)


class Decision(enum.StrEnum):
    SEND = "send"
    SKIP = "skip"


def decide(case: Case, reminder: Reminder, now: datetime) -> Decision:
    """Send a due reminder, or skip one that no longer makes sense (it came due while the bot was down)."""
    member = recipient(case, reminder.user_id)
    if reminder.kind in RETENTION_KINDS:
        # The owner hears that their plan will be deleted whatever they chose to hear; only a blocked
        # bot, or an owner who is no longer the owner, skips it (the next save plans it anew).
        owns = member is not None and member.user_id == case.owner_id
        return Decision.SEND if owns and member is not None and not member.settings.blocked else Decision.SKIP
    if member is None or member.settings.blocked or reminder.kind in member.settings.reminders_off:
        return Decision.SKIP
    if member.settings.notify is Notify.NONE:
        return Decision.SKIP
    appointment = next((a for a in upcoming(case, now) if a.id == reminder.appointment_id), None)
    if reminder.kind in BEFORE_KINDS:
        if appointment is None or now >= appointment.starts_at or _superseded(case, reminder, now):
            return Decision.SKIP
    elif reminder.kind is R.INSURANCE_CHECK:
        if appointment is None or case.insurance.outcome is not None:
            return Decision.SKIP
    elif reminder.kind is R.RECORD_FOLLOW_UP:
        item = next((i for i in case.records.items if i.kind.value == reminder.target), None)
        if item is None or item.status is not RecordStatus.REQUESTED or now - reminder.due_at > LATE_LIMIT:
            return Decision.SKIP
    elif now - reminder.due_at > LATE_LIMIT:  # AFTER
        return Decision.SKIP
    return Decision.SEND


def mark_sending(reminder: Reminder, now: datetime) -> None:
    reminder.status, reminder.sending_at = ReminderStatus.SENDING, now
    reminder.attempts += 1


def mark_sent(reminder: Reminder, now: datetime) -> None:
    reminder.status, reminder.sent_at = ReminderStatus.SENT, now


def mark_skipped(reminder: Reminder) -> None:
    reminder.status = ReminderStatus.SKIPPED


def mark_interrupted(reminder: Reminder) -> None:
    """The send got no answer: it may have arrived, so it is not sent again."""
    reminder.status = ReminderStatus.INTERRUPTED


def send_again(reminder: Reminder) -> bool:
    """Refused unsent because its chat moved (see `move_chat`): due again at once, to the new id.
    False when its attempts are used up (it is then failed)."""
    if reminder.attempts >= MAX_ATTEMPTS:
        reminder.status = ReminderStatus.FAILED
        return False
    reminder.status = ReminderStatus.PENDING
    return True


def mark_failed(reminder: Reminder) -> None:
    reminder.status = ReminderStatus.FAILED


def retry_later(reminder: Reminder, now: datetime) -> None:
    """A transient error: try again with a growing pause (30 s, 1, 2, 4... minutes), then give up."""
    if reminder.attempts >= MAX_ATTEMPTS:
        reminder.status = ReminderStatus.FAILED
        return
    reminder.status = ReminderStatus.PENDING
    reminder.due_at = now + timedelta(seconds=30 * 2 ** (reminder.attempts - 1))


def recover_interrupted(case: Case, claimed_before: datetime | None = None) -> bool:
    """A reminder left SENDING (after a restart; or claimed before `claimed_before` by a sender that never
    came back) may have gone out. Never send it twice."""
    interrupted = [
        r
        for r in case.reminders
        if r.status is ReminderStatus.SENDING
        and (claimed_before is None or r.sending_at is None or r.sending_at < claimed_before)
    ]
    for reminder in interrupted:
        reminder.status = ReminderStatus.INTERRUPTED
    return bool(interrupted)


def move_chat(case: Case, old_id: int, new_id: int) -> None:
    """A group's chat id changed (it became a supergroup): its reminders, past and pending, go with it.
    A planned reminder's id ends with the chat id, so re-planning keeps it (and one due but unsent)."""
    for reminder in case.reminders:
        if reminder.user_id == old_id:
            reminder.user_id = new_id
            reminder.id = moved_id(reminder.id, old_id, new_id)


def moved_id(reminder_id: str, old_id: int, new_id: int) -> str:
    """A planned reminder's id once its chat moved from `old_id` to `new_id` (see `_reminder`)."""
    suffix = f":{old_id}"
    return f"{reminder_id.removesuffix(suffix)}:{new_id}" if reminder_id.endswith(suffix) else reminder_id


def block(case: Case, user_id: int) -> None:
    """The user blocked the bot (or the bot left a group): stop planning for them, drop what was pending."""
    case.groups = [g for g in case.groups if g.chat_id != user_id]
    for member in case.members:
        if member.user_id == user_id:
            member.settings.blocked = True
    for reminder in case.reminders:
        # The deletion of an unused plan still comes: it is not a message to them.
        ending = reminder.kind is ReminderKind.RETENTION_END
        if reminder.user_id == user_id and reminder.status is ReminderStatus.PENDING and not ending:
            reminder.status = ReminderStatus.FAILED


# --- the plan -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Quiet:
    zone: ZoneInfo
    start: int  # minutes after midnight
    end: int

    def contains(self, local: datetime) -> bool:
        minutes = local.hour * 60 + local.minute
        if self.start == self.end:
            return False
        if self.start > self.end:  # spans midnight, like 21:00-08:00
            return minutes >= self.start or minutes < self.end
        return self.start <= minutes < self.end

    def end_after(self, local: datetime) -> datetime:
        """The first moment after `local` when the quiet period is over."""
        end = time(self.end // 60, self.end % 60)
        day = local.date()
        if local.hour * 60 + local.minute >= self.end:
            day += timedelta(days=1)
        return datetime.combine(day, end, tzinfo=self.zone)


def _at(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(ZoneInfo("UTC"))


def _outside_quiet(due_at: datetime, member: Member, zone: ZoneInfo, deadline: datetime | None) -> datetime:
    """Move a reminder that falls in quiet hours to their end, unless the visit itself comes first."""
    quiet = _Quiet(zone, member.settings.quiet_start, member.settings.quiet_end)
    local = due_at.astimezone(zone)
    if not quiet.contains(local):
        return due_at
    moved = quiet.end_after(local).astimezone(ZoneInfo("UTC"))
    return due_at if deadline is not None and moved >= deadline else moved


def _reminder(
    kind: ReminderKind,
    due_at: datetime,
    member: Member,
    key: str,
    appointment_id: str | None = None,
    target: str | None = None,
) -> Reminder:
    return Reminder(
        id=f"{key}:{kind.value}:{member.user_id}",
        kind=kind,
        due_at=due_at,
        user_id=member.user_id,
        appointment_id=appointment_id,
        target=target,
    )


def _for_appointment(case: Case, member: Member, appointment: Appointment, now: datetime) -> list[Reminder]:
    zone = member_zone(member, appointment.zone)
    start = appointment.starts_at
    visit_day = start.astimezone(zone).date()
    # The key names the appointment *and its time*: moving the visit plans a fresh set of reminders.
    key = f"{appointment.id}@{int(start.timestamp()) // 60}"
    appt = appointment.id
    planned = [
        _reminder(kind, _at(visit_day - timedelta(days=days), at, zone), member, key, appt)
        for kind, (days, at) in BEFORE.items()
    ]
    planned.append(_reminder(R.HOURS_BEFORE, start - HOURS_BEFORE, member, key, appt))
    planned.append(_reminder(R.AFTER, _at(visit_day + timedelta(days=1), AFTER_AT, zone), member, key, appt))
    if case.insurance.outcome is None:
        days = INSURANCE_CHECK_DAYS_URGENT if case.profile.time_sensitive else INSURANCE_CHECK_DAYS
        check = _at(visit_day - timedelta(days=days), FOLLOW_UP_AT, zone)
        planned.append(_reminder(R.INSURANCE_CHECK, check, member, key, appt))
    for reminder in planned:
        deadline = start if reminder.kind is not R.AFTER else None
        reminder.due_at = _outside_quiet(reminder.due_at, member, zone, deadline)
    return planned


def _record_follow_ups(case: Case, member: Member, now: datetime) -> list[Reminder]:
    """For each record asked for and not yet received: the next nudge, every N days after the request."""
    soon = upcoming(case, now)
    zone = member_zone(member, soon[0].zone if soon else "UTC")
    every = FOLLOW_UP_DAYS_URGENT if case.profile.time_sensitive else FOLLOW_UP_DAYS
    planned = []
    for item in case.records.items:
        if item.status is not RecordStatus.REQUESTED or item.requested_on is None:
            continue
        today = now.astimezone(zone).date()
        waited = (today - item.requested_on).days
        rounds = max(1, waited // every + 1)
        # The round before this one too, while it may still be due but unsent (re-planning keeps it).
        for n in sorted({max(1, rounds - 1), rounds}):
            due_at = _at(item.requested_on + timedelta(days=n * every), FOLLOW_UP_AT, zone)
            key = f"rec-{item.kind.value}-{n}"
            reminder = _reminder(R.RECORD_FOLLOW_UP, due_at, member, key, target=item.kind.value)
            reminder.due_at = _outside_quiet(reminder.due_at, member, zone, None)
            if n == rounds or now - reminder.due_at <= LATE_LIMIT:
                planned.append(reminder)
    return planned


def _off(case: Case, user_id: int) -> list[ReminderKind]:
    member = next((m for m in case.members if m.user_id == user_id), None)
    return member.settings.reminders_off if member else []


def _is_due(reminder: Reminder, now: datetime) -> bool:
    return reminder.status is ReminderStatus.PENDING and reminder.due_at <= now


def _superseded(case: Case, reminder: Reminder, now: datetime) -> bool:
    """A later "before the visit" reminder of the same visit is due too: only the latest is worth sending."""
    order = BEFORE_KINDS.index(reminder.kind)
    return any(
        _is_due(other, now)
        and other.appointment_id == reminder.appointment_id
        and other.user_id == reminder.user_id
        and other.kind in BEFORE_KINDS
        and BEFORE_KINDS.index(other.kind) > order
        for other in case.reminders
    )
