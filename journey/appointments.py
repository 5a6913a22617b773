"""The consultation: add, change, cancel; which one is next; what is still missing before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from journey import limits, records
from journey.errors import Gone, JourneyError, TooManyVisits
from journey.lists import existing, find
from journey.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Aside,
    Case,
    Member,
    Prompt,
    PromptKind,
    RecordKind,
)
from journey.targets import DetailTarget
from journey.text import LINK, LONG, SHORT, clean, fit, line, phone, video_link
from journey.when import YEARS_AHEAD, TooFar, at_time

MAX_APPOINTMENTS = limits.UPCOMING_VISITS
MAX_KEPT = limits.VISITS_KEPT

# Fields the user fills one by one after the time is set, with the longest text each may hold.
DETAILS = {
    "doctor": SHORT,
    "institution": SHORT,
    "address": LONG,
    "video_link": LINK,
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


def read_detail(detail: str, text: str) -> str:
    """What a detail holds, from what was typed: one line for a name or place, lines for an address or
    notes, a number for the phone, and a single web link for the video (the rest of a pasted invitation
    is left out here: see `aside_from`)."""
    match detail:
        case "video_link":
            return video_link(text).link
        case "phone":
            return phone(text)
        case "address" | "notes":
            return clean(text, DETAILS[detail])
        case _:
            return line(text, DETAILS[detail])


def set_detail(case: Case, appointment_id: str, detail: str, text: str) -> Appointment:
    """Set doctor, institution, address, video link, phone or notes. Any change bumps the calendar sequence."""
    appointment = find_appointment(case, appointment_id)
    value = read_detail(detail, text)
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


def aside_from(prompt: Prompt, text: str) -> Aside | None:
    """After a video link was saved from a pasted invitation: the rest of its text, kept for the offer to
    put it in the visit's notes. None for any other answer (which also drops an older offer)."""
    if prompt.kind is not PromptKind.APPOINTMENT_DETAIL:
        return None
    wanted = DetailTarget.read(prompt.target)
    if wanted.detail != "video_link":
        return None
    rest = video_link(text).rest
    return Aside(wanted.visit_id, rest) if rest else None


def add_aside_to_notes(case: Case, member: Member, appointment_id: str) -> bool:
    """Put the text set aside for this visit at the end of its notes, as much as the notes can hold.

    Returns False when some of it did not fit. The offer is used up either way.
    """
    aside = member.aside
    if aside is None or aside.visit_id != appointment_id:
        raise Gone()
    appointment = find_appointment(case, appointment_id)
    before = f"{appointment.notes}\n\n" if appointment.notes else ""
    room = DETAILS["notes"] - len(before)
    added = fit(aside.text, room) if room > 0 else ""
    if added:
        appointment.notes = before + added
        appointment.sequence += 1
    member.aside = None
    return added == aside.text


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
