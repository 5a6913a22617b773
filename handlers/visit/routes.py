"""The visit: its time (typed or picked), details, calendar file, cancelling: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.callbacks import Action as A
from handlers.plumbing.dispatch import EDIT, Route
from handlers.visit import picker
from handlers.visit import screens as appointment

ROUTES: dict[A, Route] = {
    A.APPOINTMENT: Route(appointment.show_appointment),
    A.NEW_APPOINTMENT: Route(appointment.on_new, access=EDIT),
    A.FROM_CANDIDATE: Route(appointment.on_from_candidate, access=EDIT),
    A.CHANGE_TIME: Route(appointment.on_change_time, access=EDIT),
    A.PROPOSE_TIME: Route(appointment.on_propose, keeps_prompt=True),
    A.CONFIRM_TIME: Route(appointment.on_confirm, access=EDIT, keeps_prompt=True),
    A.PICK_MONTH: Route(picker.on_pick_month, keeps_prompt=True),
    A.PICK_DAY: Route(picker.on_pick_day, keeps_prompt=True),
    A.PICK_HOUR: Route(picker.on_pick_hour, keeps_prompt=True),
    A.DETAIL: Route(appointment.on_detail, access=EDIT),
    A.KINDS_OF_VISIT: Route(appointment.show_kinds),
    A.SET_VISIT_KIND: Route(appointment.on_set_kind, access=EDIT),
    A.CALENDAR_FILE: Route(appointment.on_calendar_file),
    A.CANCEL_VISIT: Route(appointment.on_cancel_visit, access=EDIT),
    A.CANCEL_VISIT_YES: Route(appointment.on_cancel_visit_yes, access=EDIT),
    A.VISIT_NOTE: Route(appointment.on_visit_note, access=EDIT),
}
