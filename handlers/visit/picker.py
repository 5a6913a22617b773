"""Picking the visit time by tapping: a month grid, then the hour, then the minutes."""

from __future__ import annotations

import calendar
from contextlib import suppress
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton

from handlers.plumbing.callbacks import InvalidButton, NoopTap
from handlers.plumbing.turn import Screen, Turn, rows_of
from handlers.prompts.taps import CancelTap
from handlers.visit.screens import epoch_minutes
from handlers.visit.taps import PickDayTap, PickHourTap, PickMonthTap, ProposeTimeTap
from journey import prompts
from journey.errors import JourneyError
from journey.when import Ambiguous, NeedDate, NeedTime, NoSuchTime, at_time

HOURS = range(6, 21)  # 6 AM to 8 PM: when clinics see patients
MINUTES = (0, 15, 30, 45)
MONTHS_AHEAD = 24


def _today(turn: Turn, target: str) -> date:
    zone = prompts.appointment_zone(turn.case, turn.user_id, target)
    return turn.now.astimezone(ZoneInfo(zone)).date()


def _day(value: int) -> date:
    """A day from its yyyymmdd number (as the buttons carry it)."""
    try:
        return date(value // 10000, value // 100 % 100, value % 100)
    except (OverflowError, ValueError):
        raise InvalidButton() from None


def _stamp(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _month(year: int, month: int) -> int:
    return year * 100 + month


def month_screen(turn: Turn, year: int, month: int, target: str) -> Screen:
    today = _today(turn, target)

    def noop(text: str) -> InlineKeyboardButton:
        return turn.button(text, NoopTap())

    rows: list[list[InlineKeyboardButton]] = [[noop(d) for d in turn.label("weekdays").split()]]
    for week in calendar.Calendar().monthdayscalendar(year, month):
        row = []
        for day in week:
            if day == 0 or date(year, month, day) < today:
                row.append(noop("·"))  # a blank cell or a day already past
            else:
                row.append(turn.button(str(day), PickDayTap(_stamp(date(year, month, day)), target)))
        rows.append(row)
    nav = []
    if (year, month) > (today.year, today.month):
        prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
        nav.append(turn.button(turn.label("prev"), PickMonthTap(_month(prev_y, prev_m), target)))
    if (year - today.year) * 12 + month - today.month < MONTHS_AHEAD:
        next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
        nav.append(turn.button(turn.label("next"), PickMonthTap(_month(next_y, next_m), target)))
    rows.append(nav)
    rows.append([turn.button(turn.label("cancel"), CancelTap())])
    return turn.screen("appointment/pick_day", [r for r in rows if r], month=date(year, month, 1))


def on_pick_month(turn: Turn, tap: PickMonthTap) -> Screen:
    year, month = divmod(tap.month, 100)
    if not (1 <= year <= 9999 and 1 <= month <= 12):
        raise InvalidButton()
    return month_screen(turn, year, month, tap.target)


def first_month(turn: Turn, target: str) -> int:
    today = _today(turn, target)
    return _month(today.year, today.month)


def hour_screen(turn: Turn, day: date, target: str) -> Screen:
    stamp = _stamp(day)
    hours = [
        turn.button(turn.label("hour", at=datetime(2000, 1, 1, h)), PickHourTap(stamp, h, target))
        for h in HOURS
    ]
    rows = rows_of(hours, 4)
    rows.append([turn.button(turn.label("other_day"), PickMonthTap(_month(day.year, day.month), target))])
    rows.append([turn.button(turn.label("cancel"), CancelTap())])
    return turn.screen("appointment/pick_hour", rows, day=day)


def on_pick_day(turn: Turn, tap: PickDayTap) -> Screen:
    return hour_screen(turn, _day(tap.day), tap.target)


def on_pick_hour(turn: Turn, tap: PickHourTap) -> Screen:
    day, hour, target = _day(tap.day), tap.hour, tap.target
    if hour not in HOURS:
        raise InvalidButton()
    zone = prompts.appointment_zone(turn.case, turn.user_id, target)
    buttons = []
    for minute in MINUTES:
        try:
            starts_at = at_time(day, hour, minute, zone)
        except NoSuchTime:
            continue  # the clock skips this time (DST starts)
        label = turn.label("minute", at=datetime(2000, 1, 1, hour, minute))
        buttons.append(turn.button(label, ProposeTimeTap(epoch_minutes(starts_at), target)))
    rows = [buttons, [turn.button(turn.label("back"), PickDayTap(tap.day, target))]]
    return turn.screen("appointment/pick_minute", rows, day=day)


def two_days_screen(turn: Turn, first: date, second: date, at: time | None, target: str) -> Screen:
    """A date typed as "12/03" reads two ways: let the user tap the one they meant."""
    zone = prompts.appointment_zone(turn.case, turn.user_id, target)
    rows = []
    for day in (first, second):
        label = turn.label("day_choice", day=day)
        if at is None:
            rows.append([turn.button(label, PickDayTap(_stamp(day), target))])
        else:
            with suppress(NoSuchTime):
                starts_at = at_time(day, at.hour, at.minute, zone)
                rows.append([turn.button(label, ProposeTimeTap(epoch_minutes(starts_at), target))])
    rows.append([turn.button(turn.label("cancel"), CancelTap())])
    return turn.screen("appointment/which_day", rows, first=first, second=second)


def after_reading_error(turn: Turn, error: JourneyError, target: str) -> Screen | None:
    """Typed text with a day but no time, or a day that reads two ways: offer taps instead of a retry."""
    if isinstance(error, NeedTime):
        return hour_screen(turn, error.day, target)
    if isinstance(error, Ambiguous):
        return two_days_screen(turn, error.first, error.second, error.at, target)
    if isinstance(error, NeedDate):
        today = _today(turn, target)
        return month_screen(turn, today.year, today.month, target).with_head(turn.render(error.key))
    return None
