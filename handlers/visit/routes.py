"""The visit: its time (typed or picked), details, calendar file, cancelling: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.dispatch import EDIT, Routes, route, table
from handlers.visit import mode, picker
from handlers.visit import screens as appointment
from handlers.visit.taps import (
    AppointmentTap,
    AsideToNotesTap,
    AskedTap,
    CalendarFileTap,
    CancelVisitTap,
    CancelVisitYesTap,
    ChangeTimeTap,
    ConfirmTimeTap,
    DetailTap,
    EditDetailsTap,
    FromCandidateTap,
    KindsOfVisitTap,
    ModeNoteTap,
    NewAppointmentTap,
    PickDayTap,
    PickHourTap,
    PickMonthTap,
    ProposeTimeTap,
    SetVisitKindTap,
    VisitAnswerTap,
    VisitModeTap,
    VisitNoteTap,
)

ROUTES: Routes = table(
    route(AppointmentTap, appointment.show_appointment),
    route(NewAppointmentTap, appointment.on_new, access=EDIT),
    route(FromCandidateTap, appointment.on_from_candidate, access=EDIT),
    route(ChangeTimeTap, appointment.on_change_time, access=EDIT),
    route(ProposeTimeTap, appointment.on_propose, keeps_prompt=True),
    route(ConfirmTimeTap, appointment.on_confirm, access=EDIT, keeps_prompt=True),
    route(PickMonthTap, picker.on_pick_month, keeps_prompt=True),
    route(PickDayTap, picker.on_pick_day, keeps_prompt=True),
    route(PickHourTap, picker.on_pick_hour, keeps_prompt=True),
    route(EditDetailsTap, appointment.show_details),
    route(DetailTap, appointment.on_detail, access=EDIT),
    route(KindsOfVisitTap, appointment.show_kinds),
    route(SetVisitKindTap, appointment.on_set_kind, access=EDIT),
    route(CalendarFileTap, appointment.on_calendar_file),
    route(CancelVisitTap, appointment.on_cancel_visit, access=EDIT),
    route(CancelVisitYesTap, appointment.on_cancel_visit_yes, access=EDIT),
    route(VisitNoteTap, appointment.on_visit_note, access=EDIT),
    # keeps_prompt: leaving the question would drop the very text this button puts in the notes.
    route(AsideToNotesTap, appointment.on_aside_to_notes, access=EDIT, keeps_prompt=True),
    route(VisitModeTap, mode.show_mode),
    route(AskedTap, mode.on_asked, access=EDIT),
    route(VisitAnswerTap, mode.on_answer, access=EDIT),
    route(ModeNoteTap, mode.on_note, access=EDIT),
)
