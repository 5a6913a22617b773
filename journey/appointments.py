"""The consultation: add, change, cancel; which one is next; what is still missing before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from journey import limits, records
from journey.errors import JourneyError, TooManyVisits
from journey.lists import existing, find
from journey.models import Appointment, AppointmentKind, AppointmentStatus, Case, RecordKind
from journey.text import LONG, SHORT, clean
from journey.when import YEARS_AHEAD, TooFar, at_time

MAX_APPOINTMENTS = limits.UPCOMING_VISITS
MAX_KEPT = limits.VISITS_KEPT

# Fields the user fills one by one after the time is set, with the longest text each may hold.
DETAILS = {
    "doctor": SHORT,
    "institution": SHORT,
    "address": LONG,
    "video_link": SHORT,
    "phone": SHORT,
    "notes": LONG,
}


def add(case: Case, appointment_id: str, starts_at: datetime, zone: str, now: datetime) -> Appointment:
    """A new active appointment; the same id twice (a repeated update) returns the first one.

    At most MAX_APPOINTMENTS visits not yet over; with MAX_KEPT visits in the plan, the oldest cancelled one
    (else the oldest long over) makes room, so adding and cancelling in a loop never piles visits up.
    """
    if (same := existing(case.appointments, appointment_id)) is not None:
        return same
    check_room(case, now)
    if len(case.appointments) >= MAX_KEPT:
        room = _room_maker(case, now)
        assert room is not None  # check_room found one
        case.appointments.remove(room)
    appointment = Appointment(id=appointment_id, starts_at=starts_at, zone=zone, created_at=now)
    case.appointments.append(appointment)
    return appointment


def check_room(case: Case, now: datetime) -> None:
    """Refuse a new visit when the plan holds the most it can (asked before the time is typed, too)."""
    if len(upcoming(case, now)) >= MAX_APPOINTMENTS:
        raise TooManyVisits(limit=MAX_APPOINTMENTS)
    if len(case.appointments) >= MAX_KEPT and _room_maker(case, now) is None:
        raise TooManyVisits(limit=MAX_KEPT)


def _room_maker(case: Case, now: datetime) -> Appointment | None:
    """The visit to drop for a new one: the oldest cancelled, else the oldest over for a good while."""
    cancelled = [a for a in case.appointments if a.status is AppointmentStatus.CANCELLED]
    long_over = [a for a in case.appointments if ends_at(a) < now - limits.VISIT_KEPT_AFTER]
    for candidates in (cancelled, long_over):
        if candidates:
            return min(candidates, key=lambda a: (a.created_at or a.starts_at, a.starts_at))
    return None


class TimePassed(JourneyError):
    key = "errors/time_passed"


def check_start(starts_at: datetime, now: datetime) -> datetime:
    """A confirmed time must still be ahead (a confirm button can be tapped late) and within reach."""
    if starts_at <= now:
        raise TimePassed()
    if starts_at > now + timedelta(days=366 * YEARS_AHEAD):
        raise TooFar(when=starts_at, day=starts_at.date())
    return starts_at


def find_appointment(case: Case, appointment_id: str) -> Appointment:
    return find(case.appointments, appointment_id)


def reschedule(case: Case, appointment_id: str, starts_at: datetime, zone: str) -> Appointment:
    appointment = find_appointment(case, appointment_id)
    if (appointment.starts_at, appointment.zone) != (starts_at, zone):
        appointment.starts_at, appointment.zone = starts_at, zone
        appointment.sequence += 1
    return appointment


def set_detail(case: Case, appointment_id: str, detail: str, text: str) -> Appointment:
    """Set doctor, institution, address, video link, phone or notes. Any change bumps the calendar sequence."""
    appointment = find_appointment(case, appointment_id)
    value = clean(text, DETAILS[detail])
    if getattr(appointment, detail) != value:
        setattr(appointment, detail, value)
        appointment.sequence += 1
    return appointment


def set_kind(case: Case, appointment_id: str, kind: AppointmentKind) -> Appointment:
    appointment = find_appointment(case, appointment_id)
    if appointment.kind is not kind:
        appointment.kind = kind
        appointment.sequence += 1
    return appointment


def cancel(case: Case, appointment_id: str) -> Appointment:
    appointment = find_appointment(case, appointment_id)
    if appointment.status is not AppointmentStatus.CANCELLED:
        appointment.status = AppointmentStatus.CANCELLED
        appointment.sequence += 1
    return appointment


def move_to_zone(case: Case, appointment_id: str, zone: str) -> Appointment:
    """The visit is in another zone: keep the wall-clock time the user gave ("2:30 PM"), in the new zone."""
    appointment = find_appointment(case, appointment_id)
    wall = appointment.starts_at.astimezone(ZoneInfo(appointment.zone)).replace(tzinfo=None)
    return reschedule(case, appointment_id, at_time(wall.date(), wall.hour, wall.minute, zone), zone)


def set_visit_note(case: Case, appointment_id: str, text: str) -> None:
    find_appointment(case, appointment_id).outcome_note = clean(text, LONG)


def ends_at(appointment: Appointment) -> datetime:
    return appointment.starts_at + timedelta(minutes=appointment.duration_minutes)


def upcoming(case: Case, now: datetime) -> list[Appointment]:
    """Active appointments not yet over, soonest first. The first is "the" appointment."""
    active = [a for a in case.appointments if a.status is AppointmentStatus.ACTIVE and ends_at(a) > now]
    return sorted(active, key=lambda a: a.starts_at)


def next_appointment(case: Case, now: datetime) -> Appointment | None:
    soon = upcoming(case, now)
    return soon[0] if soon else None


@dataclass(frozen=True)
class Readiness:
    """What could still spoil the visit: records not confirmed as arrived, insurance not settled."""

    missing_records: tuple[RecordKind, ...]
    insurance_unsettled: bool

    @property
    def ready(self) -> bool:
        return not self.missing_records and not self.insurance_unsettled


def readiness(case: Case) -> Readiness:
    missing = tuple(item.kind for item in records.missing_items(case))
    return Readiness(missing, case.insurance.outcome is None)
