"""What one member's action changed, and who hears about it.

The journey functions only change the case. Here the case before and after one update are compared, so
every change is reported the same way wherever it was made (a button, a typed answer, a reminder), and
no handler has to remember to announce anything.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from journey import records
from journey.models import (
    Appointment,
    AppointmentStatus,
    CandidateStatus,
    Case,
    Notify,
    RecordStatus,
    Role,
    StepId,
    StepStatus,
)
from journey.progress import step_status


class ChangeKind(enum.StrEnum):
    RECORD = "record"  # subject: record kind, value: new status (or WROTE: a list the person wrote)
    STEP_DONE = "step_done"  # subject: step id
    DOCTOR_BOOKED = "booked"  # subject: candidate id
    INSURANCE_OUTCOME = "insurance"  # value: outcome
    VISIT_ADDED = "visit_added"  # subject: appointment id
    VISIT_CHANGED = "visit_changed"
    VISIT_CANCELLED = "visit_cancelled"
    OUTCOME = "outcome"  # subject: appointment id, value: its kind (what the second opinion said)
    SUMMARY = "summary"  # subject: appointment id: its summary, sent to the others (journey/summary.py)
    DECIDE_BY = "decide_by"  # the date to start treatment by was set, changed (day: the new one) or removed
    JOINED = "joined"  # subject: user id, value: role
    LEFT = "left"  # subject: user id
    REMOVED = "removed"  # subject: user id
    ROLE_CHANGED = "role"  # subject: user id, value: role
    GROUP_UNLINKED = "group_unlinked"  # subject: the group's chat id, value: the user id who linked it
    PLAN_DELETED = "plan_deleted"  # everyone loses the plan: told whatever they chose to hear
    PLAN_EXPIRED = "plan_expired"  # deleted after months without a change (journey/retention.py): the same


VISIT_CHANGES = frozenset({ChangeKind.VISIT_ADDED, ChangeKind.VISIT_CHANGED, ChangeKind.VISIT_CANCELLED})
# What a member who hears only about the visit hears: its changes, and what the doctor said after it.
VISIT_NEWS = VISIT_CHANGES | {ChangeKind.OUTCOME, ChangeKind.SUMMARY}
# Record moves worth telling others about; "to ask for" and "not needed" are bookkeeping.
WROTE = "wrote"  # a record the person writes (the medication list) is written, not received
_TOLD_RECORD_STATUSES = frozenset(
    {RecordStatus.REQUESTED, RecordStatus.RECEIVED, RecordStatus.SENT, RecordStatus.ARRIVED}
)


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    subject: str | None = None
    value: str | None = None
    day: date | None = None  # a date the change is about (the new decide-by date)


def changes(before: Case, after: Case, actor: int) -> list[Change]:
    """Every change `actor` made worth telling the others about, in a stable order."""
    found: list[Change] = []
    found += _record_changes(before, after)
    found += _doctor_changes(before, after)
    if after.insurance.outcome is not None and after.insurance.outcome != before.insurance.outcome:
        found.append(Change(ChangeKind.INSURANCE_OUTCOME, value=after.insurance.outcome.value))
    found += _visit_changes(before, after)
    if after.profile.decide_by != before.profile.decide_by:
        found.append(Change(ChangeKind.DECIDE_BY, day=after.profile.decide_by))
    for step in StepId:
        if step_status(after, step) is StepStatus.DONE and step_status(before, step) is not StepStatus.DONE:
            found.append(Change(ChangeKind.STEP_DONE, subject=step.value))
    found += _member_changes(before, after, actor)
    found += _group_changes(before, after)
    return found


def _record_changes(before: Case, after: Case) -> Iterable[Change]:
    old = {item.kind: item.status for item in before.records.items}
    for item in after.records.items:
        if item.status != old.get(item.kind) and item.status in _TOLD_RECORD_STATUSES:
            wrote = item.kind in records.WRITTEN and item.status is RecordStatus.RECEIVED
            yield Change(
                ChangeKind.RECORD, subject=item.kind.value, value=WROTE if wrote else item.status.value
            )


def _doctor_changes(before: Case, after: Case) -> Iterable[Change]:
    old = {c.id: c.status for c in before.specialist.candidates}
    for candidate in after.specialist.candidates:
        if candidate.status is CandidateStatus.BOOKED and old.get(candidate.id) is not CandidateStatus.BOOKED:
            yield Change(ChangeKind.DOCTOR_BOOKED, subject=candidate.id)


def _visit_changes(before: Case, after: Case) -> Iterable[Change]:
    old: dict[str, Appointment] = {a.id: a for a in before.appointments}
    for visit in after.appointments:
        was = old.get(visit.id)
        if was is None:
            if visit.status is AppointmentStatus.ACTIVE:
                yield Change(ChangeKind.VISIT_ADDED, subject=visit.id)
        elif visit.status is AppointmentStatus.CANCELLED and was.status is AppointmentStatus.ACTIVE:
            yield Change(ChangeKind.VISIT_CANCELLED, subject=visit.id)
        elif visit.status is AppointmentStatus.ACTIVE and _moved_or_retold(was, visit):
            yield Change(ChangeKind.VISIT_CHANGED, subject=visit.id)
        if visit.says is not None and (was is None or was.says is None):
            # Told once, when it is first recorded: changing one's mind later is not news again.
            yield Change(ChangeKind.OUTCOME, subject=visit.id, value=visit.kind.value)
        if visit.shared_at is not None and (was is None or was.shared_at != visit.shared_at):
            # The person chose to send the summary to everyone (again): each send is news.
            yield Change(ChangeKind.SUMMARY, subject=visit.id, value=visit.kind.value)


def _moved_or_retold(was: Appointment, now: Appointment) -> bool:
    # Time, place and doctor are what the family plans around; notes and kind are not worth a message.
    keys = ("starts_at", "zone", "doctor", "institution", "address", "video_link")
    return any(getattr(was, k) != getattr(now, k) for k in keys)


def _member_changes(before: Case, after: Case, actor: int) -> Iterable[Change]:
    old = {m.user_id: m.role for m in before.members}
    new = {m.user_id: m.role for m in after.members}
    for user_id, role in new.items():
        if user_id not in old:
            yield Change(ChangeKind.JOINED, subject=str(user_id), value=role.value)
        elif old[user_id] is not role and not (user_id == actor and old[user_id] is Role.OWNER):
            # (An owner who hands the plan over steps down by that same act: "made Dana the owner" says it.)
            yield Change(ChangeKind.ROLE_CHANGED, subject=str(user_id), value=role.value)
    for user_id in old:
        if user_id not in new:
            # Gone by someone else's hand: removed, not left.
            kind = ChangeKind.LEFT if user_id == actor else ChangeKind.REMOVED
            yield Change(kind, subject=str(user_id))


def _group_changes(before: Case, after: Case) -> Iterable[Change]:
    still = {g.chat_id for g in after.groups}
    for group in before.groups:
        if group.chat_id not in still:
            yield Change(ChangeKind.GROUP_UNLINKED, subject=str(group.chat_id), value=str(group.linked_by))


def _gone_groups(before: Case, after: Case) -> list[int]:
    still = {g.chat_id for g in after.groups}
    return [g.chat_id for g in before.groups if g.chat_id not in still]


def hears(level: Notify, change: Change) -> bool:
    if change.kind in (ChangeKind.PLAN_DELETED, ChangeKind.PLAN_EXPIRED):
        return True
    if level is Notify.NONE:
        return False
    return level is Notify.ALL or change.kind in VISIT_NEWS


@dataclass(frozen=True)
class Delivery:
    """One message to one chat: the changes it lists. `removed` tells a person they were taken off;
    `unlinked` tells a group chat it no longer follows the plan."""

    chat_id: int
    changes: tuple[Change, ...]
    removed: bool = False
    unlinked: bool = False


def audience(
    before: Case, after: Case, found: list[Change], actor: int, origin_chat: int | None
) -> list[Delivery]:
    """Who hears about these changes: other members by their choice, linked groups, and anyone removed.

    The actor hears nothing (they just saw it), nor does the chat it happened in. A removed member, or a
    group chat that no longer follows the plan, is told once and hears nothing else about the case. The
    owner always hears that a group stopped following the plan (who sees the plan is theirs to know); a
    group never hears about another group.
    """
    if not found:
        return []
    deliveries: list[Delivery] = []
    for member in after.members:
        if member.user_id == actor or member.user_id == origin_chat or member.settings.blocked:
            continue
        is_owner = member.user_id == after.owner_id
        theirs = tuple(
            c
            for c in found
            if hears(member.settings.notify, c) or (is_owner and c.kind is ChangeKind.GROUP_UNLINKED)
        )
        if theirs:
            deliveries.append(Delivery(member.user_id, theirs))
    for_groups = tuple(c for c in found if c.kind is not ChangeKind.GROUP_UNLINKED)
    for group in after.groups:
        if group.chat_id != origin_chat and for_groups:
            deliveries.append(Delivery(group.chat_id, for_groups))
    still_in = {m.user_id for m in after.members}
    for member in before.members:
        gone = member.user_id not in still_in and member.user_id != actor
        if gone and not member.settings.blocked:
            deliveries.append(Delivery(member.user_id, (), removed=True))
    for chat_id in _gone_groups(before, after):
        if chat_id != origin_chat:
            deliveries.append(Delivery(chat_id, (), unlinked=True))
    return deliveries
