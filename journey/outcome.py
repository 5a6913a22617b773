"""After the visit: what the second (or third) opinion said, and the opinions side by side.

Everything here is as the user entered it. The bot never judges which opinion is right: it only sets
them beside each other and says where the user marked them the same or different.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from journey.appointments import ends_at, find_appointment
from journey.models import Appointment, AppointmentKind, AppointmentStatus, Case, OpinionSays
from journey.text import LONG, clean

# The opinions the side-by-side view shows after the first plan: a second, then a third.
THIRD = AppointmentKind.THIRD_OPINION


def past_visits(case: Case, now: datetime) -> list[Appointment]:
    """Active visits that are over, oldest first."""
    over = [a for a in case.appointments if a.status is AppointmentStatus.ACTIVE and ends_at(a) <= now]
    return sorted(over, key=lambda a: a.starts_at)


def latest_past(case: Case, now: datetime) -> Appointment | None:
    over = past_visits(case, now)
    return over[-1] if over else None


def is_over(visit: Appointment, now: datetime) -> bool:
    return visit.status is AppointmentStatus.ACTIVE and ends_at(visit) <= now


def set_says(case: Case, visit_id: str, says: OpinionSays) -> Appointment:
    visit = find_appointment(case, visit_id)
    visit.says = says
    return visit


def set_advice(case: Case, visit_id: str, text: str) -> None:
    find_appointment(case, visit_id).advice = clean(text, LONG)


def set_first_plan(case: Case, text: str) -> None:
    case.first_plan = clean(text, LONG)


def differs(says: OpinionSays | None) -> bool:
    """Did the user mark this opinion as different from the first plan? (Not told yet: no.)"""
    return says is not None and says is not OpinionSays.AGREES


@dataclass(frozen=True)
class SideBySide:
    """The first plan (as typed), the second opinion and maybe a third: the latest of each that is over."""

    first_plan: str | None
    second: Appointment | None
    third: Appointment | None

    @property
    def later(self) -> tuple[Appointment, ...]:
        return tuple(v for v in (self.second, self.third) if v is not None)

    @property
    def any_differ(self) -> bool:
        """The user marked at least one later opinion as not the same as the first plan."""
        return any(differs(v.says) for v in self.later)

    @property
    def all_agree(self) -> bool:
        return bool(self.later) and all(v.says is OpinionSays.AGREES for v in self.later)


def side_by_side(case: Case, now: datetime) -> SideBySide:
    over = past_visits(case, now)
    seconds = [v for v in over if v.kind is not THIRD]
    thirds = [v for v in over if v.kind is THIRD]
    return SideBySide(
        first_plan=case.first_plan,
        second=seconds[-1] if seconds else None,
        third=thirds[-1] if thirds else None,
    )
