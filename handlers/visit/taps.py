"""The buttons of the visit: its time (typed or picked), details, calendar file, cancelling.

A `target` is a `journey.targets.VisitTarget` as text (`target.text()`, read back with `VisitTarget.read`).
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.plumbing.callbacks import Tap, tap
from journey.models import AppointmentKind


@tap("ap")
@dataclass(frozen=True)
class AppointmentTap(Tap):
    """One visit, or the next one."""

    visit: str  # a visit id, or "next"


@tap("an")
@dataclass(frozen=True)
class NewAppointmentTap(Tap):
    """Add a visit (asks for the time)."""


@tap("af")
@dataclass(frozen=True)
class FromCandidateTap(Tap):
    """Add a visit with the booked doctor filled in."""

    candidate: str


@tap("aw")
@dataclass(frozen=True)
class ChangeTimeTap(Tap):
    """Move a visit (asks for the time)."""

    visit: str


@tap("ac")
@dataclass(frozen=True)
class ConfirmTimeTap(Tap):
    """Yes, that time: save it."""

    minutes: int  # since the epoch, UTC
    target: str


@tap("am")
@dataclass(frozen=True)
class PickMonthTap(Tap):
    """The calendar: one month."""

    month: int  # yyyymm
    target: str


@tap("ay")
@dataclass(frozen=True)
class PickDayTap(Tap):
    """A day picked on the calendar: now the hour."""

    day: int  # yyyymmdd
    target: str


@tap("ah")
@dataclass(frozen=True)
class PickHourTap(Tap):
    """An hour picked: now the minutes."""

    day: int  # yyyymmdd
    hour: int
    target: str


@tap("ad")
@dataclass(frozen=True)
class DetailTap(Tap):
    """One detail of a visit (asks for it)."""

    visit: str
    detail: str  # one of journey.appointments.DETAILS


@tap("ae")
@dataclass(frozen=True)
class EditDetailsTap(Tap):
    """The visit's details to add or change: doctor, place, address, link, phone, notes, kind, zone."""

    visit: str


@tap("ak")
@dataclass(frozen=True)
class KindsOfVisitTap(Tap):
    """In person, by video or by phone."""

    visit: str


@tap("aK")
@dataclass(frozen=True)
class SetVisitKindTap(Tap):
    """Set how the visit happens."""

    visit: str
    kind: AppointmentKind


@tap("ai")
@dataclass(frozen=True)
class CalendarFileTap(Tap):
    """The visit as a calendar file."""

    visit: str


@tap("ax")
@dataclass(frozen=True)
class CancelVisitTap(Tap):
    """Cancel a visit: asks first."""

    visit: str


@tap("aX")
@dataclass(frozen=True)
class CancelVisitYesTap(Tap):
    """Yes, cancel the visit."""

    visit: str


@tap("av")
@dataclass(frozen=True)
class VisitNoteTap(Tap):
    """ "How did it go?" (asks for a note)."""

    visit: str


@tap("aN")
@dataclass(frozen=True)
class ModeNoteTap(Tap):
    """ "What they said" from visit mode (asks for the note; back to visit mode after)."""

    visit: str


@tap("aq")
@dataclass(frozen=True)
class ProposeTimeTap(Tap):
    """A time picked: show it in words to confirm."""

    minutes: int  # since the epoch, UTC
    target: str


@tap("aa")
@dataclass(frozen=True)
class AsideToNotesTap(Tap):
    """Put the rest of a pasted meeting invitation (kept on the member) in the visit's notes."""

    visit: str


@tap("aM")
@dataclass(frozen=True)
class VisitModeTap(Tap):
    """Visit mode: the questions to ask at this visit, three to a page (the top three first)."""

    visit: str
    page: int


@tap("aA")
@dataclass(frozen=True)
class AskedTap(Tap):
    """ "✅ asked": mark a question asked at this visit (or not), on the page it was shown on."""

    visit: str
    question: str
    page: int
    on: bool


@tap("aT")
@dataclass(frozen=True)
class VisitAnswerTap(Tap):
    """The answer to a question at this visit (asks for it: typed, or a voice note)."""

    visit: str
    question: str
