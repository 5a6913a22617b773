"""Read the appointment time a patient types ("next Tuesday 2:30pm", "3.12. 9:00") into one UTC instant.

How the text is read, and why:
- The time of day is found by our own patterns, never by dateparser: dateparser fills a missing time
  with midnight or with the current time, so it cannot tell us whether the person typed one.
- Numeric dates ("12/03", "03/12/2026", "3.12.") are read here too: dateparser silently picks one
  order, and a wrong guess sends a patient to the clinic on the wrong day. When both numbers could be
  the month and they differ, we raise `Ambiguous` and the bot asks. A dotted date ("3.12.") is read
  day first: that is how every country that writes dots writes it.
- Everything else ("3 Dec", "next Tuesday", "tomorrow", "in 2 weeks") goes to dateparser, with the
  current wall-clock time in the appointment's zone as the base; we keep only the day it finds, and
  which parts of it the text gave (a month alone, or "in 3 months", is not a day).
- A day without a year is the next such day from today (typed "3 Jan" on 23 Nov 2026 is 3 Jan 2027,
  typed "23 Nov" that day is today); an explicit past year is in the past.
- "next Tuesday" typed early in a week reads two ways (this week's or next week's): `Ambiguous`.
- A time without am/pm and with an hour from 1 to 6 ("at 2", "2:30") is taken as afternoon: no clinic
  sees patients at 2 in the night, and the bot shows the time back in words. "02:30" (a leading zero)
  is read as written. `Reading.assumed_pm` says when this happened.
- Wall-clock times are in the appointment's zone. A time that the clock skips when DST starts raises
  `NoSuchTime` (with the instant an hour later, a likely meaning); a time that happens twice when DST
  ends is the first one (fold=0), as it is for a person who arrives at the first 1:30.
- Never reads the clock: `now` is always given.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import MAXYEAR, UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser
from dateparser.search import search_dates

from journey.errors import JourneyError

YEARS_AHEAD = 2  # further ahead than this is most likely a typo in the year


@dataclass(frozen=True)
class Reading:
    starts_at: datetime  # aware, UTC
    zone: str  # the IANA zone the time was read in
    assumed_pm: bool = False  # an hour 1-6 without am/pm was read as afternoon


class NoDate(JourneyError):
    """Nothing date-like in the text ("asdf", "soon", "December")."""

    key = "errors/when_no_date"

    def __init__(self, *, text: str) -> None:
        super().__init__(text=text)
        self.text = text


class NeedTime(JourneyError):
    """A day but no time of day: the bot offers times for `day`."""

    key = "errors/when_need_time"

    def __init__(self, *, day: date) -> None:
        super().__init__(day=day)
        self.day = day


class NeedDate(JourneyError):
    """A time of day but no day ("2:30pm"): the bot asks which day, keeping `at`."""

    key = "errors/when_need_date"

    def __init__(self, *, at: time, assumed_pm: bool = False) -> None:
        super().__init__(at=at, assumed_pm=assumed_pm)
        self.at = at
        self.assumed_pm = assumed_pm


class Ambiguous(JourneyError):
    """The text reads as two days; `first` is the preferred reading. `at` is the time typed, if any."""

    key = "errors/when_ambiguous"

    def __init__(self, *, first: date, second: date, at: time | None = None) -> None:
        super().__init__(first=first, second=second, at=at)
        self.first = first
        self.second = second
        self.at = at


class InPast(JourneyError):
    """The time (or, with no time typed, the whole day) is before `now`."""

    key = "errors/when_in_past"

    def __init__(self, *, when: datetime, day: date) -> None:
        super().__init__(when=when, day=day)
        self.when = when
        self.day = day


class TooFar(JourneyError):
    """More than `YEARS_AHEAD` years ahead: most likely a typo."""

    key = "errors/when_too_far"

    def __init__(self, *, when: datetime, day: date) -> None:
        super().__init__(when=when, day=day)
        self.when = when
        self.day = day


class NoSuchTime(JourneyError):
    """The clock skips this time on that day (DST starts); `later` is the instant an hour on."""

    key = "errors/when_no_such_time"

    def __init__(self, *, day: date, at: time, later: datetime) -> None:
        super().__init__(day=day, at=at, later=later)
        self.day = day
        self.at = at
        self.later = later


# --- public API -------------------------------------------------------------------------------------


def read_when(text: str, now: datetime, zone: str, day_first: bool = True) -> Reading:
    """The instant the text names, or one of this module's errors saying what is missing or wrong."""
    _require_aware(now)
    tz = ZoneInfo(zone)
    clock, rest = _find_time(_normalise(text))
    try:
        day = _find_day(rest, now.astimezone(tz), day_first)
    except Ambiguous as ambiguous:
        at = clock.at if clock else None
        raise Ambiguous(first=ambiguous.first, second=ambiguous.second, at=at) from None
    except NoDate:
        raise NoDate(text=text) from None  # the words the person typed, not our cleaned-up copy
    if day is None:
        if clock is not None:
            raise NeedDate(at=clock.at, assumed_pm=clock.assumed_pm)
        raise NoDate(text=text)
    if clock is None:
        _check_day(day, now, tz)
        raise NeedTime(day=day)
    return reading_at(day, clock.at, now, zone, assumed_pm=clock.assumed_pm)


def read_day(text: str, today: date) -> date:
    """A day alone ("23 Dec", "12/23", "in 3 weeks" is not a day), from today up to two years ahead.
    Raises `NoDate`, `Ambiguous`, `InPast` or `TooFar`; a time typed with the day is ignored."""
    _, rest = _find_time(_normalise(text))
    try:
        day = _find_day(rest, datetime.combine(today, time(12), tzinfo=UTC), True)
    except NoDate:
        raise NoDate(text=text) from None
    if day is None:
        raise NoDate(text=text)
    start = datetime.combine(day, time(0), tzinfo=UTC)
    if day < today:
        raise InPast(when=start, day=day)
    if day > _years_later(datetime.combine(today, time(0), tzinfo=UTC), YEARS_AHEAD).date():
        raise TooFar(when=start, day=day)
    return day


def reading_at(day: date, at: time, now: datetime, zone: str, *, assumed_pm: bool = False) -> Reading:
    """A day and a time picked separately (buttons, or the answer to `Ambiguous`/`NeedDate`/`NeedTime`),
    with the same checks as typed text: `NoSuchTime`, `InPast`, `TooFar`."""
    _require_aware(now)
    starts_at = at_time(day, at.hour, at.minute, zone)
    if starts_at < now:
        raise InPast(when=starts_at, day=day)
    if starts_at > _years_later(now, YEARS_AHEAD):
        raise TooFar(when=starts_at, day=day)
    return Reading(starts_at=starts_at, zone=zone, assumed_pm=assumed_pm)


def at_time(day: date, hour: int, minute: int, zone: str) -> datetime:
    """The UTC instant of a wall-clock time in `zone`: skipped times raise, repeated ones are the first."""
    at = time(hour, minute)
    tz = ZoneInfo(zone)
    wall = datetime.combine(day, at, tzinfo=tz)  # fold=0: the first of a repeated time
    try:
        instant = wall.astimezone(UTC)
    except OverflowError:  # on the first or last day a date can hold: no visit is ever that near
        if day.year == MAXYEAR:
            raise TooFar(when=datetime.max.replace(tzinfo=UTC), day=day) from None
        raise InPast(when=datetime.min.replace(tzinfo=UTC), day=day) from None
    if instant.astimezone(tz).replace(tzinfo=None) != wall.replace(tzinfo=None):
        # zoneinfo reads a skipped time with the offset from before the jump, which lands after it.
        raise NoSuchTime(day=day, at=at, later=instant)
    return instant


def local(starts_at: datetime, zone: str) -> datetime:
    """The instant as wall-clock time in `zone` (aware), for showing it."""
    _require_aware(starts_at)
    return starts_at.astimezone(ZoneInfo(zone))


# --- the time of day --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Clock:
    at: time
    assumed_pm: bool


_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_NOT_AFTER_DATE = r"(?<![\d.:/-])"  # a number right after a date separator is part of the date
_MERIDIEM = r"(?:\s*(?P<mer>am|pm)\b)?"
_TIME_PATTERNS = (
    # 14:30, 2:30pm, 9:00, 14h30, 14:30:00
    re.compile(_NOT_AFTER_DATE + r"(?P<h>\d{1,2})[:h](?P<m>\d{2})(?::\d{2})?(?!\d)" + _MERIDIEM),
    # 9am, 2 pm, 9.30am
    re.compile(_NOT_AFTER_DATE + r"(?P<h>\d{1,2})(?:\.(?P<m>\d{2}))?\s*(?P<mer>am|pm)\b"),
    # 10 o'clock
    re.compile(_NOT_AFTER_DATE + r"(?P<h>\d{1,2})\s*o'?\s?clock\b"),
    # 9 in the morning, 2:30 in the afternoon
    re.compile(
        _NOT_AFTER_DATE
        + r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s+in\s+the\s+(?P<part>morning|afternoon|evening)\b"
    ),
    # at 10, @ 10.30 (but not "at 3 Dec", "at the 3rd", "at 10/12")
    re.compile(
        r"(?:\bat|@)\s*(?P<h>\d{1,2})(?:\.(?P<m>\d{2}))?(?!\s*(?:[\d/.:-]|st\b|nd\b|rd\b|th\b|"
        + _MONTH_WORD
        + "))"
    ),
    re.compile(r"\b(?P<noon>noon|midday)\b"),
)
_PM_PARTS = {"afternoon", "evening"}


def _find_time(text: str) -> tuple[_Clock | None, str]:
    """The first time of day in the text, and the text with every time of day taken out."""
    found: list[tuple[int, int, _Clock]] = []
    for pattern in _TIME_PATTERNS:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end, _ in found):
                continue  # already read by an earlier, more specific pattern
            clock = _clock(match)
            if clock is not None:
                found.append((match.start(), match.end(), clock))
    if not found:
        return None, text
    found.sort(key=lambda item: item[0])
    rest = text
    for start, end, _ in reversed(found):
        rest = rest[:start] + " " + rest[end:]
    return found[0][2], rest


def _clock(match: re.Match[str]) -> _Clock | None:
    groups = match.groupdict()
    if groups.get("noon"):
        return _Clock(time(12, 0), False)
    hour_text, minute_text = groups["h"], groups.get("m")
    hour, minute = int(hour_text), int(minute_text or 0)
    part = groups.get("part")
    meridiem = groups.get("mer") or (("pm" if part in _PM_PARTS else "am") if part else None)
    if minute > 59 or hour > 23:
        return None
    if meridiem and 1 <= hour <= 12:
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
        return _Clock(time(hour, minute), False)
    if meridiem == "am" and hour == 0:
        return _Clock(time(0, minute), False)
    # "14:30pm" or "0:30" or no meridiem at all: the hour as written, unless it is a bare 1-6.
    if meridiem is None and 1 <= hour <= 6 and not hour_text.startswith("0"):
        return _Clock(time(hour + 12, minute), True)
    return _Clock(time(hour, minute), False)


# --- the day ----------------------------------------------------------------------------------------

_NUMERIC_YMD = re.compile(r"(?<!\d)(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)")
_NUMERIC = re.compile(
    r"(?<![\d/.-])(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?(?![\d/-])"
)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_NEXT_WEEKDAY = re.compile(r"\bnext\s+(?P<wd>mon|tue|wed|thu|fri|sat|sun)[a-z]*\b")
_A_PERIOD_NOT_A_DAY = re.compile(r"\b(?:next|this)\s+(?:week|month|year)\b")
_FILLER = re.compile(r"(?:\bat\b|@|\b(?:[ecmp][sd]?t|ak[sd]t|hst|utc|gmt|bst|cet|cest)\b)")
# dateparser finds a date in almost anything ("a" is the 1st, "hello 5" the 5th): a text must name a
# month, a weekday, a relative day or an ordinal before we ask it.
_DAY_WORD = re.compile(
    r"\b(?:" + _MONTH_WORD + r"|mon|tue|wed|thu|fri|sat|sun|today|tonight|tomorrow|yesterday"
    r"|days?|weeks?|fortnight)|\d(?:st|nd|rd|th)\b"
)
_WORD_FIXES = (
    (re.compile(r"\b(?:tmrw?|tomm?orr?ow)\b"), "tomorrow"),
    (re.compile(r"\bthurs\b"), "thursday"),
    (re.compile(r"\bweds\b"), "wednesday"),
    (re.compile(r"\bfrom\s+(?:today|now)\b"), ""),  # dateparser reads "1 week from today" as a week ago
)


def _find_day(text: str, local_now: datetime, day_first: bool) -> date | None:
    """The day the text names (without a time in it), or None when it names none."""
    today = local_now.date()
    for pattern, replacement in _WORD_FIXES:
        text = pattern.sub(replacement, text)
    text = " ".join(_FILLER.sub(" ", text).split())
    if not text.strip(" ,.;-"):
        return None
    numeric = _numeric_day(text, today, day_first)
    if numeric is not None:
        return numeric
    if re.fullmatch(r"[\d\s,.;-]*", text) or _A_PERIOD_NOT_A_DAY.search(text):
        return None  # bare numbers ("3", "3 12"), or a week rather than a day
    if len(re.findall(r"\b\d{1,2}\b", text)) > 1 and not re.search(r"\b" + _MONTH_WORD, text):
        return None  # "3 12 2026": numbers whose order we cannot know
    if not _DAY_WORD.search(text):
        return None
    if next_weekday := _NEXT_WEEKDAY.search(text):
        return _next_weekday(_WEEKDAYS.index(next_weekday["wd"]), today)
    return _dateparser_day(text, local_now)


def _numeric_day(text: str, today: date, day_first: bool) -> date | None:
    if ymd := _NUMERIC_YMD.search(text):
        return _valid_date(int(ymd["y"]), int(ymd["m"]), int(ymd["d"]), text)
    match = _NUMERIC.search(text)
    if match is None:
        return None
    a, b = int(match["a"]), int(match["b"])
    year = _full_year(match["y"]) if match["y"] else None
    if a > 12 and b > 12:
        raise NoDate(text=text)
    if a > 12 or b > 12 or a == b:
        day, month = (a, b) if a > 12 or a == b else (b, a)
        return _dated(year, month, day, today, text)
    day_month = _dated(year, b, a, today, text)
    month_day = _dated(year, a, b, today, text)
    if match["sep"] == ".":
        return day_month  # dots are only ever written day first
    first, second = (day_month, month_day) if day_first else (month_day, day_month)
    raise Ambiguous(first=first, second=second)


def _full_year(digits: str) -> int:
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _dated(year: int | None, month: int, day: int, today: date, text: str) -> date:
    """The date; without a year, the next such date from today on (29 Feb: the next leap year)."""
    if year is not None:
        return _valid_date(year, month, day, text)
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:
        raise NoDate(text=text)  # 31/04 or 30.02.: no year has that day
    candidate_year = today.year
    while True:
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:  # 29 Feb outside a leap year
            candidate_year += 1
            continue
        if candidate >= today:
            return candidate
        candidate_year += 1


def _valid_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise NoDate(text=text) from None


def _next_weekday(weekday: int, today: date) -> date:
    """ "next Tuesday": the coming one, unless it falls in this week too, when it reads both ways."""
    coming = today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    if coming.isocalendar()[:2] == today.isocalendar()[:2]:
        raise Ambiguous(first=coming, second=coming + timedelta(days=7))
    return coming


def _dateparser_day(text: str, local_now: datetime) -> date | None:
    base = local_now.replace(tzinfo=None)
    found = _parse(text, base)
    if found is None:
        # The text has words around the date that dateparser cannot skip: look for a date inside it.
        hits = search_dates(text, languages=["en"], settings=_settings(base)) or []
        days = {day for piece, _ in hits if (day := _parse(piece, base)) is not None}
        return days.pop() if len(days) == 1 else None
    return found


def _parse(text: str, base: datetime) -> date | None:
    """The day dateparser finds, if the text gave it a day (not just a month, a year or a weekday-less
    week), with the year chosen here when the text gave none."""
    data = DateDataParser(languages=["en"], settings=_settings(base)).get_date_data(text)
    found: datetime | None = data.date_obj
    parts: tuple[str, ...] = data.parts
    if found is None or "day" not in parts:
        return None
    if "month" not in parts:  # "the 3rd": this month's, or next month's once it has passed
        return _day_of_month(found.day, base.date())
    if "year" not in parts:
        return _dated(None, found.month, found.day, base.date(), text)
    return found.date()


def _day_of_month(day: int, today: date) -> date | None:
    year, month = today.year, today.month
    for _ in range(12):
        if day <= calendar.monthrange(year, month)[1] and (candidate := date(year, month, day)) >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _settings(base: datetime) -> dict[str, Any]:
    return {
        "RELATIVE_BASE": base,  # the wall-clock now in the appointment's zone
        "TIMEZONE": "UTC",  # with a naive base: no conversion at all
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DATES_FROM": "future",  # "Tuesday" is the coming one
        # Numeric dates never get here (see _numeric_day), so a number beside a month name or alone
        # ("the 3rd") is the day; the English locale's own MDY would read "the 3rd" as March.
        "DATE_ORDER": "DMY",
        "PARSERS": ["relative-time", "absolute-time"],  # no Unix timestamps, no "0312" as a date
        "IGNORE_SURROUNDING_TEXT": True,
    }


# --- checks -----------------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    text = text.lower().replace("a.m.", "am").replace("p.m.", "pm")
    return " ".join(text.split())


def _check_day(day: date, now: datetime, tz: ZoneInfo) -> None:
    """A day with no time typed yet: refuse it now if every time on it would be refused later."""
    today = now.astimezone(tz).date()
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    if day < today:
        raise InPast(when=start, day=day)
    if day > _years_later(now, YEARS_AHEAD).astimezone(tz).date():
        raise TooFar(when=start, day=day)


def _years_later(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 Feb
        return moment.replace(year=moment.year + years, day=28)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an aware datetime is needed")
