"""Starting a case and the optional onboarding questions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from journey import limits
from journey.errors import TooManyPlans
from journey.lists import toggled
from journey.models import Case, Member, Reason, Role, Urgency
from journey.text import LONG, SHORT, clean, line

# Telegram may re-deliver an update; remembering this many per member is plenty to spot a repeat.
RECENT_UPDATES_KEPT = 20


def start_case(case_id: str, owner_id: int, now: datetime, theirs: Iterable[Case]) -> Case:
    """A new plan owned by `owner_id`. `theirs` is every plan the person is in: one who owns
    limits.PLANS_OWNED of them already is refused (plans they only help with do not count)."""
    if owned(theirs, owner_id) >= limits.PLANS_OWNED:
        raise TooManyPlans(limit=limits.PLANS_OWNED)
    return Case(
        id=case_id,
        created_at=now,
        updated_at=now,
        members=[Member(user_id=owner_id, role=Role.OWNER)],
        active_at=now,
    )


def owned(theirs: Iterable[Case], user_id: int) -> int:
    return sum(1 for case in theirs if case.owner_id == user_id)


def is_repeat(member: Member, update_id: int) -> bool:
    """True if this update was applied already (a re-delivery after a crash)."""
    return update_id in member.recent_updates


def remember_update(member: Member, update_id: int) -> None:
    member.recent_updates = [*member.recent_updates, update_id][-RECENT_UPDATES_KEPT:]


def set_patient_name(case: Case, text: str) -> None:
    case.profile.patient_name = line(text, SHORT)


def set_diagnosis(case: Case, text: str) -> None:
    case.profile.diagnosis = clean(text, LONG)


def toggle_reason(case: Case, reason: Reason, on: bool | None = None) -> None:
    case.profile.reasons = toggled(case.profile.reasons, reason, on)


def set_urgency(case: Case, urgency: Urgency | None) -> None:
    """Record the answer (None: skipped) and finish onboarding."""
    case.profile.urgency = urgency
    case.profile.onboarded = True
