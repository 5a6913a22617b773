"""The appointment screens: add by typing or by picker, confirm in words, details, calendar file, cancel."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import InlineKeyboardButton

from handlers.plumbing.callbacks import Action, Button, InvalidButton
from handlers.plumbing.turn import OutgoingFile, Screen, Turn, choices, parse, rows_of
from handlers.prompts.asking import ask
from journey import appointments, prompts, reminders, specialist
from journey.access import require_member
from journey.calendar import CalendarEvent, appointment_uid, build_ics
from journey.errors import Gone
from journey.ids import id_from
from journey.models import Appointment, AppointmentKind, AppointmentStatus, PromptKind
from journey.targets import NEW_VISIT, DetailTarget, VisitTarget

NEXT = "next"


def epoch_minutes(moment: datetime) -> int:
    return int(moment.timestamp()) // 60


def from_epoch_minutes(value: str) -> datetime:
    if not value.isdigit():
        raise InvalidButton()
    return datetime.fromtimestamp(int(value) * 60, tz=UTC)


def show_appointment(turn: Turn, button: Button | None = None) -> Screen:
    return visit_screen(turn, button.arg(0) if button else NEXT)


def visit_screen(turn: Turn, which: str) -> Screen:
    """One visit by id, or "next": the next upcoming one (or an invitation to add it)."""
    if which == NEXT:
        appointment = appointments.next_appointment(turn.case, turn.now)
        if appointment is None:
            return _none_screen(turn)
        return appointment_screen(turn, appointment)
    return appointment_screen(turn, appointments.find_appointment(turn.case, which))


def _none_screen(turn: Turn) -> Screen:
    rows = [
        [turn.button(turn.label("add_visit"), Action.NEW_APPOINTMENT)],
        [turn.button(turn.label("menu"), Action.MENU)],
    ]
    return turn.screen("appointment/none", rows)


def appointment_screen(turn: Turn, appointment: Appointment) -> Screen:
    a = appointment.id
    rows: list[list[InlineKeyboardButton]] = []
    if appointment.status is AppointmentStatus.ACTIVE:
        details = [turn.button(turn.label(f"detail_{d}"), Action.DETAIL, a, d) for d in appointments.DETAILS]
        rows += [
            [
                turn.button(turn.label("change_time"), Action.CHANGE_TIME, a),
                turn.button(turn.label("zone"), Action.ZONES, a),
            ],
            *rows_of(details, 2),
            [
                turn.button(turn.label("visit_kind"), Action.KINDS_OF_VISIT, a),
                turn.button(turn.label("calendar_file"), Action.CALENDAR_FILE, a),
            ],
            [turn.button(turn.label("cancel_visit"), Action.CANCEL_VISIT, a)],
        ]
    others = [o for o in appointments.upcoming(turn.case, turn.now) if o.id != a]
    rows += [
        [turn.button(turn.label("other_visit", when=o.starts_at.date()), Action.APPOINTMENT, o.id)]
        for o in others
    ]
    rows.append([turn.button(turn.label("add_another_visit"), Action.NEW_APPOINTMENT)])
    rows.append([turn.button(turn.label("menu"), Action.MENU)])
    ready = appointments.readiness(turn.case)
    return turn.screen("appointment/main", rows, a=appointment, ready=ready, now=turn.now)


# --- choosing the time -----------------------------------------------------------------------------------


def on_new(turn: Turn, _: Button) -> Screen:
    return ask_time(turn, NEW_VISIT)


def on_from_candidate(turn: Turn, button: Button) -> Screen:
    candidate = specialist.find_candidate(turn.case, button.arg(0))
    return ask_time(turn, VisitTarget(doctor_id=candidate.id))


def on_change_time(turn: Turn, button: Button) -> Screen:
    visit = appointments.find_appointment(turn.case, button.arg(0))
    return ask_time(turn, VisitTarget(visit_id=visit.id))


def ask_time(turn: Turn, target: VisitTarget) -> Screen:
    """Ask for the time; for a new visit, first the member's time zone if we don't know it (asked once)."""
    member = require_member(turn.case, turn.user_id)
    if target.is_new and member.settings.zone is None:
        return ask(turn, PromptKind.ZONE, target.text()).with_head(turn.render("appointment/zone_first"))
    return ask(turn, PromptKind.APPOINTMENT_TIME, target.text())


def _again(turn: Turn, target: VisitTarget) -> InlineKeyboardButton:
    """ "No, type it again": back to the time question for the same target."""
    label = turn.label("time_wrong")
    if target.visit_id is not None:
        return turn.button(label, Action.CHANGE_TIME, target.visit_id)
    if target.doctor_id is not None:
        return turn.button(label, Action.FROM_CANDIDATE, target.doctor_id)
    return turn.button(label, Action.NEW_APPOINTMENT)


def propose(turn: Turn, starts_at: datetime, target: VisitTarget) -> Screen:
    """The time in words, with its zone, to confirm: nothing is saved until the user says yes."""
    zone = prompts.appointment_zone(turn.case, turn.user_id, target.text())
    minutes = epoch_minutes(starts_at)
    rows = [
        [turn.button(turn.label("time_right"), Action.CONFIRM_TIME, minutes, target.text())],
        [_again(turn, target)],
        [turn.button(turn.label("cancel"), Action.CANCEL)],
    ]
    return turn.screen("appointment/confirm", rows, starts_at=starts_at, zone=zone)


def on_propose(turn: Turn, button: Button) -> Screen:
    return propose(turn, from_epoch_minutes(button.arg(0)), VisitTarget.read(button.arg(1)))


def on_confirm(turn: Turn, button: Button) -> Screen:
    """Save the confirmed time: a new visit (maybe from a booked doctor) or a move of an existing one."""
    starts_at = appointments.check_start(from_epoch_minutes(button.arg(0)), turn.now)
    target = VisitTarget.read(button.arg(1))
    zone = prompts.appointment_zone(turn.case, turn.user_id, target.text())
    if target.visit_id is None:
        # The id comes from what was confirmed: a double tap confirms the same visit, not a second one.
        appointment = appointments.add(
            turn.case, id_from("appt", target.text(), button.arg(0)), starts_at, zone, turn.now
        )
        if target.doctor_id is not None:
            _copy_candidate(turn, appointment, target.doctor_id)
    else:
        appointment = appointments.reschedule(turn.case, target.visit_id, starts_at, zone)
    prompts.leave(turn.case, turn.user_id)
    screen = appointment_screen(turn, appointment)
    return Screen(screen.text, screen.rows, (calendar_file(turn, appointment),)).with_head(
        turn.render("appointment/saved")
    )


def _copy_candidate(turn: Turn, appointment: Appointment, candidate_id: str) -> None:
    try:
        candidate = specialist.find_candidate(turn.case, candidate_id)
    except Gone:
        return
    for detail, value in (
        ("doctor", candidate.name),
        ("institution", candidate.institution),
        ("phone", candidate.contact),
    ):
        if value:
            appointments.set_detail(turn.case, appointment.id, detail, value)


# --- details, kind, calendar file, cancel ------------------------------------------------------------------


def on_detail(turn: Turn, button: Button) -> Screen:
    appointment = appointments.find_appointment(turn.case, button.arg(0))
    if button.arg(1) not in appointments.DETAILS:
        raise InvalidButton()
    return ask(turn, PromptKind.APPOINTMENT_DETAIL, DetailTarget(appointment.id, button.arg(1)).text())


def show_kinds(turn: Turn, button: Button) -> Screen:
    appointment = appointments.find_appointment(turn.case, button.arg(0))
    rows = choices(
        turn,
        AppointmentKind,
        lambda k: k is appointment.kind,
        lambda k: turn.label(f"visit_kind_{k.value}"),
        Action.SET_VISIT_KIND,
        appointment.id,
    )
    rows.append([turn.button(turn.label("back"), Action.APPOINTMENT, appointment.id)])
    return turn.screen("appointment/kinds", rows)


def on_set_kind(turn: Turn, button: Button) -> Screen:
    appointment = appointments.set_kind(turn.case, button.arg(0), parse(AppointmentKind, button.arg(1)))
    return appointment_screen(turn, appointment)


def on_calendar_file(turn: Turn, button: Button) -> Screen:
    appointment = appointments.find_appointment(turn.case, button.arg(0))
    screen = appointment_screen(turn, appointment)
    return Screen(screen.text, screen.rows, (calendar_file(turn, appointment),))


def on_cancel_visit(turn: Turn, button: Button) -> Screen:
    appointment = appointments.find_appointment(turn.case, button.arg(0))
    rows = [
        [
            turn.button(turn.label("cancel_visit_yes"), Action.CANCEL_VISIT_YES, appointment.id),
            turn.button(turn.label("remove_no"), Action.APPOINTMENT, appointment.id),
        ]
    ]
    return turn.screen("appointment/cancel", rows, a=appointment)


def on_cancel_visit_yes(turn: Turn, button: Button) -> Screen:
    appointment = appointments.cancel(turn.case, button.arg(0))
    screen = show_appointment(turn)
    files = (calendar_file(turn, appointment),)
    return Screen(screen.text, screen.rows, files).with_head(turn.render("appointment/cancelled"))


def on_visit_note(turn: Turn, button: Button) -> Screen:
    appointment = appointments.find_appointment(turn.case, button.arg(0))
    return ask(turn, PromptKind.VISIT_NOTE, appointment.id)


def calendar_file(turn: Turn, appointment: Appointment) -> OutgoingFile:
    """The .ics for this visit: same UID every time, the sequence counts changes, CANCEL when cancelled."""
    renderer = turn.services.renderer
    location = ", ".join(p for p in (appointment.institution, appointment.address) if p) or None
    event = CalendarEvent(
        uid=appointment_uid(turn.case.id, appointment.id),
        sequence=appointment.sequence,
        starts_at=appointment.starts_at,
        zone=appointment.zone,
        duration_minutes=appointment.duration_minutes,
        summary=renderer.text("appointment/ics_summary", a=appointment, case=turn.case),
        location=location,
        url=appointment.video_link,
        description=renderer.text("appointment/ics_description", a=appointment, case=turn.case),
        cancelled=appointment.status is AppointmentStatus.CANCELLED,
        alarms=reminders.alarm_offsets(turn.case, appointment.id, turn.user_id, turn.now),
        alarm_text=renderer.text("appointment/ics_summary", a=appointment, case=turn.case),
    )
    caption = turn.render("appointment/ics_caption", a=appointment)
    return OutgoingFile(
        f"second-opinion-{appointment.starts_at:%Y-%m-%d}.ics", build_ics(event, turn.now), caption
    )
