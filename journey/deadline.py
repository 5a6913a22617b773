"""The decide-by date: the day the care team says treatment should start, and what may land after it.

The user types the date (journey/when.py::read_day). The bot then counts the days left, and warns when the
visit, or a record not yet arrived, would land after it. Nothing here is advice: the date is the care team's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from journey import records
from journey.errors import JourneyError
from journey.models import Appointment, Case, RecordItem, RecordStatus
from journey.when import Ambiguous, NoDate, local, read_day


class NoDay(JourneyError):
    """No day in the text (with no calendar to tap, the reply names a typed example)."""

    key = "errors/decide_by_no_day"


class TwoDays(JourneyError):
    """A numeric date that reads two ways ("3/12"): the month as a word settles it."""

    key = "errors/decide_by_two_days"


def read_decide_by(text: str, today: date, *, locale: str = "en") -> date:
    """The decide-by date typed by the user, in their language; `InPast` and `TooFar` (journey/when.py)
    as they are."""
    try:
        return read_day(text, today, locale=locale)
    except NoDate:
        raise NoDay() from None
    except Ambiguous:
        raise TwoDays() from None


def set_decide_by(case: Case, day: date | None) -> None:
    case.profile.decide_by = day


def days_left(case: Case, today: date) -> int | None:
    """Days from today to the decide-by date (0 on the day, negative once past); None when no date."""
    due = case.profile.decide_by
    return None if due is None else (due - today).days


def visit_after(case: Case, visit: Appointment) -> bool:
    """Is this visit on a later day than the decide-by date (the day as it is where the visit happens)?"""
    due = case.profile.decide_by
    return due is not None and local(visit.starts_at, visit.zone).date() > due


def records_after(case: Case, today: date) -> list[RecordItem]:
    """Records not yet arrived that may come after the decide-by date: asked for, with an answer due later;
    or not asked for yet, when an answer 30 days from today would come later."""
    due = case.profile.decide_by
    if due is None:
        return []
    late = []
    for item in records.missing_items(case):
        if item.status is RecordStatus.REQUESTED:
            expected = records.answer_by(item)
        elif item.status is RecordStatus.TO_REQUEST:
            expected = today + timedelta(days=records.ANSWER_DAYS)
        else:
            expected = None  # in hand or on its way from the user: theirs to send in time
        if expected is not None and expected > due:
            late.append(item)
    return late


@dataclass(frozen=True)
class Deadline:
    """What the screens show about the decide-by date."""

    day: date
    days_left: int
    visit_late: bool  # the next visit is after it
    records_late: int  # records not arrived that may come after it

    @property
    def at_risk(self) -> bool:
        return self.visit_late or self.records_late > 0


def deadline(case: Case, today: date, visit: Appointment | None) -> Deadline | None:
    due = case.profile.decide_by
    if due is None:
        return None
    late = visit is not None and visit_after(case, visit)
    return Deadline(due, (due - today).days, late, len(records_after(case, today)))
