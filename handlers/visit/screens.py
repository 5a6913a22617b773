"""The appointment screens: add by typing or by picker, confirm in words, details, calendar file, cancel."""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR, UTC, datetime

from telegram import InlineKeyboardButton

from handlers.menu.taps import MenuTap
from handlers.outcome.taps import OutcomeTap, ThirdOpinionTap
from handlers.paper.taps import PrepSheetTap
from handlers.plumbing.callbacks import InvalidButton
from handlers.plumbing.turn import OutgoingFile, Screen, Turn, choices, rows_of
from handlers.prompts.asking import ask
from handlers.prompts.taps import CancelTap
from handlers.settings.taps import ZonesTap
from handlers.visit.taps import (
    AppointmentTap,
    AsideToNotesTap,
    CalendarFileTap,
    CancelVisitTap,
    CancelVisitYesTap,
    ChangeTimeTap,
    ConfirmTimeTap,
    DetailTap,
    EditDetailsTap,
    FromCandidateTap,
    KindsOfVisitTap,
    NewAppointmentTap,
    ProposeTimeTap,
    SetVisitKindTap,
    VisitModeTap,
    VisitNoteTap,
)
from journey import appointments, deadline, outcome, prompts, reminders, specialist
from journey.access import require_member
from journey.calendar import CalendarEvent, appointment_uid, build_ics
from journey.errors import Gone, JourneyError
from journey.ids import id_from
from journey.models import Appointment, AppointmentKind, AppointmentStatus, PromptKind
from journey.targets import NEW_VISIT, DetailTarget, VisitTarget

NEXT = "next"


def epoch_minutes(moment: datetime) -> int:
    return int(moment.timestamp()) // 60


def from_epoch_minutes(value: int) -> datetime:
    try:
        moment = datetime.fromtimestamp(value * 60, tz=UTC)
    except (OverflowError, OSError, ValueError):  # beyond the years a datetime holds: not ours
        raise InvalidButton() from None
    if not MINYEAR < moment.year < MAXYEAR:  # so near the ends that some zones could not show it
        raise InvalidButton()
    return moment


def show_appointment(turn: Turn, tap: AppointmentTap | None = None) -> Screen:
    return visit_screen(turn, tap.visit if tap else NEXT)


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
        [turn.button(turn.label("add_visit"), NewAppointmentTap())],
        [turn.button(turn.label("menu"), MenuTap())],
    ]
    return turn.screen("appointment/none", rows)


def appointment_screen(turn: Turn, appointment: Appointment) -> Screen:
    a = appointment.id
    rows: list[list[InlineKeyboardButton]] = []
    if appointment.status is AppointmentStatus.ACTIVE:
        # The common actions; the details are one tap further, on their own screen (show_details).
        rows += [
            [
                turn.button(turn.label("change_time"), ChangeTimeTap(a)),
                turn.button(turn.label("calendar_file"), CalendarFileTap(a)),
            ],
            [turn.button(turn.label("edit_details"), EditDetailsTap(a))],
            [turn.button(turn.label("visit_mode"), VisitModeTap(a, 0))],
            [turn.button(turn.label("cancel_visit"), CancelVisitTap(a))],
        ]
        if not turn.in_group:  # the sheet holds health details: private chats only
            rows[1].append(turn.button(turn.label("prep_sheet"), PrepSheetTap(a)))
    if outcome.is_over(appointment, turn.now):  # after the visit: what the doctor said
        rows.append([turn.button(turn.label("what_they_said"), OutcomeTap(a))])
    others = [o for o in appointments.upcoming(turn.case, turn.now) if o.id != a]
    rows += [
        [turn.button(turn.label("other_visit", when=o.starts_at.date()), AppointmentTap(o.id))]
        for o in others
    ]
    rows.append([turn.button(turn.label("add_another_visit"), NewAppointmentTap())])
    rows.append([turn.button(turn.label("menu"), MenuTap())])
    ready = appointments.readiness(turn.case)
    late = deadline.visit_after(turn.case, appointment) and appointment.status is AppointmentStatus.ACTIVE
    return turn.screen("appointment/main", rows, a=appointment, ready=ready, now=turn.now, late=late)


# --- choosing the time -----------------------------------------------------------------------------------


def on_new(turn: Turn, _: NewAppointmentTap) -> Screen:
    return ask_time(turn, NEW_VISIT)


def on_from_candidate(turn: Turn, tap: FromCandidateTap) -> Screen:
    candidate = specialist.find_candidate(turn.case, tap.candidate)
    return ask_time(turn, VisitTarget(doctor_id=candidate.id))


def on_change_time(turn: Turn, tap: ChangeTimeTap) -> Screen:
    visit = appointments.find_appointment(turn.case, tap.visit)
    return ask_time(turn, VisitTarget(visit_id=visit.id))


def ask_time(turn: Turn, target: VisitTarget, typed: str | None = None) -> Screen:
    """Ask for the time; for a new visit, first the member's time zone if we don't know it (asked once).
    `typed`: a time typed with /appointment, held by the zone question and read once the zone is known
    (handlers/prompts/prompting.py::after_zone)."""
    member = require_member(turn.case, turn.user_id)
    if target.is_new:
        appointments.check_room(turn.case, turn.now)  # before anyone types a time for a visit with no room
    if target.is_new and member.settings.zone is None:
        screen = ask(turn, PromptKind.ZONE, target.text(), held=typed)
        pending = prompts.pending(turn.case, turn.user_id)
        held = pending.held if pending is not None else None
        return screen.with_head(turn.render("appointment/zone_first", held=held))
    return ask(turn, PromptKind.APPOINTMENT_TIME, target.text())


def _again(turn: Turn, target: VisitTarget) -> InlineKeyboardButton:
    """ "No, type it again": back to the time question for the same target."""
    label = turn.label("time_wrong")
    if target.visit_id is not None:
        return turn.button(label, ChangeTimeTap(target.visit_id))
    if target.doctor_id is not None:
        return turn.button(label, FromCandidateTap(target.doctor_id))
    if target.third:
        return turn.button(label, ThirdOpinionTap())
    return turn.button(label, NewAppointmentTap())


def propose(turn: Turn, starts_at: datetime, target: VisitTarget) -> Screen:
    """The time in words, with its zone, to confirm: nothing is saved until the user says yes."""
    zone = prompts.appointment_zone(turn.case, turn.user_id, target.text())
    minutes = epoch_minutes(starts_at)
    rows = [
        [turn.button(turn.label("time_right"), ConfirmTimeTap(minutes, target.text()))],
        [_again(turn, target)],
        [turn.button(turn.label("cancel"), CancelTap())],
    ]
    return turn.screen("appointment/confirm", rows, starts_at=starts_at, zone=zone)


def on_propose(turn: Turn, tap: ProposeTimeTap) -> Screen:
    return propose(turn, from_epoch_minutes(tap.minutes), VisitTarget.read(tap.target))


def on_confirm(turn: Turn, tap: ConfirmTimeTap) -> Screen:
    """Save the confirmed time: a new visit (maybe from a booked doctor) or a move of an existing one."""
    starts_at = appointments.check_start(from_epoch_minutes(tap.minutes), turn.now)
    target = VisitTarget.read(tap.target)
    zone = prompts.appointment_zone(turn.case, turn.user_id, target.text())
    if target.visit_id is None:
        # The id comes from what was confirmed: a double tap confirms the same visit, not a second one.
        appointment = appointments.add(
            turn.case, id_from("appt", target.text(), str(tap.minutes)), starts_at, zone, turn.now
        )
        if target.doctor_id is not None:
            _copy_candidate(turn, appointment, target.doctor_id)
        if target.third:  # "Get a third opinion" (handlers/outcome): the same new-visit flow, then its kind
            appointments.set_kind(turn.case, appointment.id, AppointmentKind.THIRD_OPINION)
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
            try:
                appointments.set_detail(turn.case, appointment.id, detail, value)
            except JourneyError:  # the contact is an email, or text an older version kept: not a phone
                continue


# --- details, kind, calendar file, cancel ------------------------------------------------------------------


def show_details(turn: Turn, tap: EditDetailsTap) -> Screen:
    """Each detail of the visit to add or change, two to a row, and Back to the visit. A visit that is no
    longer active (cancelled meanwhile) has no details to edit: its own screen says so."""
    appointment = appointments.find_appointment(turn.case, tap.visit)
    if appointment.status is not AppointmentStatus.ACTIVE:
        return appointment_screen(turn, appointment)
    a = appointment.id
    buttons = [
        *(turn.button(turn.label(f"detail_{d}"), DetailTap(a, d)) for d in appointments.DETAILS),
        turn.button(turn.label("visit_kind"), KindsOfVisitTap(a)),
        turn.button(turn.label("zone"), ZonesTap(a)),
    ]
    rows = [*rows_of(buttons, 2), [turn.button(turn.label("back"), AppointmentTap(a))]]
    return turn.screen("appointment/details", rows, a=appointment)


def on_detail(turn: Turn, tap: DetailTap) -> Screen:
    appointment = appointments.find_appointment(turn.case, tap.visit)
    if tap.detail not in appointments.DETAILS:
        raise InvalidButton()
    return ask(turn, PromptKind.APPOINTMENT_DETAIL, DetailTarget(appointment.id, tap.detail).text())


def show_kinds(turn: Turn, tap: KindsOfVisitTap) -> Screen:
    appointment = appointments.find_appointment(turn.case, tap.visit)
    rows = choices(
        turn,
        AppointmentKind,
        lambda k: k is appointment.kind,
        lambda k: turn.label(f"visit_kind_{k.value}"),
        lambda k: SetVisitKindTap(appointment.id, k),
    )
    rows.append([turn.button(turn.label("back"), EditDetailsTap(appointment.id))])
    return turn.screen("appointment/kinds", rows)


def on_set_kind(turn: Turn, tap: SetVisitKindTap) -> Screen:
    appointments.set_kind(turn.case, tap.visit, tap.kind)
    return show_details(turn, EditDetailsTap(tap.visit))


def on_calendar_file(turn: Turn, tap: CalendarFileTap) -> Screen:
    appointment = appointments.find_appointment(turn.case, tap.visit)
    screen = appointment_screen(turn, appointment)
    return Screen(screen.text, screen.rows, (calendar_file(turn, appointment),))


def on_cancel_visit(turn: Turn, tap: CancelVisitTap) -> Screen:
    appointment = appointments.find_appointment(turn.case, tap.visit)
    rows = [
        [
            turn.button(turn.label("cancel_visit_yes"), CancelVisitYesTap(appointment.id)),
            turn.button(turn.label("remove_no"), AppointmentTap(appointment.id)),
        ]
    ]
    return turn.screen("appointment/cancel", rows, a=appointment)


def on_cancel_visit_yes(turn: Turn, tap: CancelVisitYesTap) -> Screen:
    appointment = appointments.cancel(turn.case, tap.visit)
    screen = show_appointment(turn)
    files = (calendar_file(turn, appointment),)
    return Screen(screen.text, screen.rows, files).with_head(turn.render("appointment/cancelled"))


def after_detail(turn: Turn, visit_id: str) -> Screen:
    """Back to the details after one was typed, so the next one is one tap away; after a pasted meeting
    invitation, the link is kept and the rest of its text is offered for the notes."""
    screen = show_details(turn, EditDetailsTap(visit_id))
    aside = require_member(turn.case, turn.user_id).aside
    if aside is None or aside.visit_id != visit_id:
        return screen
    offer = (turn.button(turn.label("aside_to_notes"), AsideToNotesTap(visit_id)),)
    head = turn.render("appointment/link_kept", rest=aside.text)
    return Screen(screen.text, (offer, *screen.rows), screen.files, screen.asks).with_head(head)


def on_aside_to_notes(turn: Turn, tap: AsideToNotesTap) -> Screen:
    member = require_member(turn.case, turn.user_id)
    whole = appointments.add_aside_to_notes(turn.case, member, tap.visit)
    head = turn.render(
        "appointment/aside_added" if whole else "appointment/aside_cut", limit=appointments.DETAILS["notes"]
    )
    return visit_screen(turn, tap.visit).with_head(head)


def on_visit_note(turn: Turn, tap: VisitNoteTap) -> Screen:
    appointment = appointments.find_appointment(turn.case, tap.visit)
    return ask(turn, PromptKind.VISIT_NOTE, appointment.id)


def calendar_file(turn: Turn, appointment: Appointment) -> OutgoingFile:
    """The .ics for this visit: same UID every time, the sequence counts changes, CANCEL when cancelled."""
    renderer = turn.words
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
