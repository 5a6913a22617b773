"""Picking the visit time by tapping: a month grid, then the hour, then the minutes."""

from __future__ import annotations

import calendar
from contextlib import suppress
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton

from handlers.plumbing.callbacks import Action, Button, InvalidButton
from handlers.plumbing.turn import Screen, Turn, rows_of
from handlers.visit.screens import epoch_minutes
from journey import prompts
from journey.errors import JourneyError
from journey.when import Ambiguous, NeedDate, NeedTime, NoSuchTime, at_time

HOURS = range(6, 21)  # 6 AM to 8 PM: when clinics see patients
MINUTES = (0, 15, 30, 45)
MONTHS_AHEAD = 24


def _today(turn: Turn, target: str) -> date:
    zone = prompts.appointment_zone(turn.case, turn.user_id, target)
    return turn.now.astimezone(ZoneInfo(zone)).date()


def _day(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise InvalidButton() from None


def month_screen(turn: Turn, year: int, month: int, target: str) -> Screen:
    today = _today(turn, target)

    def noop(text: str) -> InlineKeyboardButton:
        return turn.button(text, Action.NOOP)

    rows: list[list[InlineKeyboardButton]] = [[noop(d) for d in turn.label("weekdays").split()]]
    for week in calendar.Calendar().monthdayscalendar(year, month):
        row = []
        for day in week:
            if day == 0 or date(year, month, day) < today:
                row.append(noop("·"))  # a blank cell or a day already past
            else:
                row.append(turn.button(str(day), Action.PICK_DAY, f"{year:04d}{month:02d}{day:02d}", target))
        rows.append(row)
    nav = []
    if (year, month) > (today.year, today.month):
        prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
        nav.append(turn.button(turn.label("prev"), Action.PICK_MONTH, f"{prev_y:04d}{prev_m:02d}", target))
    if (year - today.year) * 12 + month - today.month < MONTHS_AHEAD:
        next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
        nav.append(turn.button(turn.label("next"), Action.PICK_MONTH, f"{next_y:04d}{next_m:02d}", target))
    rows.append(nav)
    rows.append([turn.button(turn.label("cancel"), Action.CANCEL)])
    return turn.screen("appointment/pick_day", [r for r in rows if r], month=date(year, month, 1))


def on_pick_month(turn: Turn, button: Button) -> Screen:
    value = button.arg(0)
    if not (value.isdigit() and len(value) == 6 and 1 <= int(value[4:]) <= 12):
        raise InvalidButton()
    return month_screen(turn, int(value[:4]), int(value[4:]), button.arg(1))


def first_month(turn: Turn, target: str) -> str:
    today = _today(turn, target)
    return f"{today.year:04d}{today.month:02d}"


def hour_screen(turn: Turn, day: date, target: str) -> Screen:
    stamp = day.strftime("%Y%m%d")
    hours = [
        turn.button(turn.label("hour", at=datetime(2000, 1, 1, h)), Action.PICK_HOUR, stamp, h, target)
        for h in HOURS
    ]
    rows = rows_of(hours, 4)
    rows.append([turn.button(turn.label("other_day"), Action.PICK_MONTH, stamp[:6], target)])
    rows.append([turn.button(turn.label("cancel"), Action.CANCEL)])
    return turn.screen("appointment/pick_hour", rows, day=day)


def on_pick_day(turn: Turn, button: Button) -> Screen:
    return hour_screen(turn, _day(button.arg(0)), button.arg(1))


def on_pick_hour(turn: Turn, button: Button) -> Screen:
    day, target = _day(button.arg(0)), button.arg(2)
    hour = int(button.arg(1)) if button.arg(1).isdigit() else -1
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
        buttons.append(turn.button(label, Action.PROPOSE_TIME, epoch_minutes(starts_at), target))
    rows = [buttons, [turn.button(turn.label("back"), Action.PICK_DAY, button.arg(0), target)]]
    return turn.screen("appointment/pick_minute", rows, day=day)


def two_days_screen(turn: Turn, first: date, second: date, at: time | None, target: str) -> Screen:
    """A date typed as "12/03" reads two ways: let the user tap the one they meant."""
    zone = prompts.appointment_zone(turn.case, turn.user_id, target)
    rows = []
    for day in (first, second):
        label = turn.label("day_choice", day=day)
        if at is None:
            rows.append([turn.button(label, Action.PICK_DAY, day.strftime("%Y%m%d"), target)])
        else:
            with suppress(NoSuchTime):
                starts_at = at_time(day, at.hour, at.minute, zone)
                rows.append([turn.button(label, Action.PROPOSE_TIME, epoch_minutes(starts_at), target)])
    rows.append([turn.button(turn.label("cancel"), Action.CANCEL)])
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
