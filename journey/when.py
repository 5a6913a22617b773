"""Read the appointment time a patient types ("next Tuesday 2:30pm", "3.12. 9:00", "mañana a las 10") into one
UTC instant.

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

Spanish (`locale="es"`, also "es-MX", "es-419"; any other locale reads English):
- The same rules, with Spanish words added to the English ones (a reader may mix them: "Dec 3 a las 10").
  Case and accents do not matter: "MAÑANA", "manana", "miercoles" read like "mañana", "miércoles".
- Times of day are still our own patterns: "a las 10", "a la 1", "las 2 y media" (2:30), "las 3 y cuarto"
  (3:15), "las 3 menos cuarto" (2:45), "las 2 y 10", "a las dos" (hour words after "la"/"las"), "en
  punto", "14 h", "14:30 h", "9 horas" (but "en 3 horas" is not a time), "a mediodía" (12:00).
  "de la mañana"/"de la madrugada" are am; "de la tarde", "de la noche", "del mediodía" are pm ("las 12
  de la noche" is midnight); "a. m."/"p. m." are am/pm. "en la"/"por la tarde" count only after "a las
  N": "el martes 3 por la tarde" is a day (the 3rd) with no time yet. 1-6 without any of these is
  afternoon, as in English.
- "mañana" is tomorrow, except in "de/por/en la mañana" (the morning); "pasado mañana" is the day after
  (dateparser reads it as tomorrow, so we rewrite it first); "esta tarde" is today; "de hoy en ocho" is a
  week from today. Counts may be words: "en tres días", "en dos semanas".
- "el próximo lunes", "el lunes que viene" follow the "next Tuesday" rule; "la próxima semana", "el mes
  que viene" are not a day. "el 22" and "día 22" are a day of this month, or of the next once passed.
- Numeric dates read the same: one order possible ("25/12") is that day; two ("3/12", "12/03") raise
  `Ambiguous`, the day-first reading offered first (Spanish speakers in the US write both orders).
  English offers day first first too (`_Language.day_first`, as before the locale came).
- dateparser is given Spanish alone, then English alone (given both at once, it reads "el martes 3 de
  diciembre" as 3 November), and the reading that found more of the date wins, Spanish on a tie:
  dateparser skips words it does not know, so in Spanish "3 Jan" would be the 3rd and "in 3 months"
  the 3rd too.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
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


def read_when(
    text: str, now: datetime, zone: str, day_first: bool | None = None, *, locale: str = "en"
) -> Reading:
    """The instant the text names, or one of this module's errors saying what is missing or wrong.
    `locale` is the reader's language ("en", "es"; others read as English); `day_first` says which
    reading of "12/03" is offered first, by default the language's own order."""
    _require_aware(now)
    tz = ZoneInfo(zone)
    language = _language(locale)
    clock, rest = _find_time(_normalise(text, language), language)
    try:
        day = _find_day(rest, now.astimezone(tz), _day_first(day_first, language), language)
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


def read_day(text: str, today: date, *, locale: str = "en") -> date:
    """A day alone ("23 Dec", "12/23", "in 3 weeks" is not a day), from today up to two years ahead.
    Raises `NoDate`, `Ambiguous`, `InPast` or `TooFar`; a time typed with the day is ignored."""
    language = _language(locale)
    _, rest = _find_time(_normalise(text, language), language)
    try:
        day = _find_day(rest, datetime.combine(today, time(12), tzinfo=UTC), language.day_first, language)
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

# Spanish, on text already lowercased, without accents, with "a. m." as "am" and "las dos" as "las 2"
# (see _normalise). "de la mañana" is am; "de la tarde", "de la noche" and "del mediodía" are pm.
_ES_MONTH_WORD = r"(?:ene|feb|mar|abr|may|jun|jul|ago|sep|set|oct|nov|dic)"
_ES_MINUTES = (  # 2:30, 2.30, 2h30; or "2 y media", "2 y cuarto", "3 menos cuarto", "2 y 10"
    r"(?:[:.h](?P<m>\d{2})(?::\d{2})?(?!\d)"
    r"|\s+(?P<frac>y\s+media|y\s+cuarto|menos\s+cuarto|y\s+(?P<ym>\d{1,2})(?![\d/:-]|\.\d)))?"
    r"(?:\s+en\s+punto)?"
)
_ES_PARTS = r"(?P<part>manana|tarde|noche|madrugada|mediodia)\b"
_ES_HOURS_WORD = r"\s*(?:h|hs|hrs|horas)\b"
_ES_NOT_A_DATE = (  # "a las 3 de diciembre", "las 2 semanas", "la 2da cita" are not times
    r"(?![a-z])(?!\s*(?:[\d/:-]|\.\d|de\s+" + _ES_MONTH_WORD + r"|(?:semanas?|dias?|meses|anos?)\b))"
)
_ES_TIME_PATTERNS = (
    # a las 10, las 2 y media, a la 1 menos cuarto, a las 9:15 de la mañana, a las 4 en la tarde, 14 h
    re.compile(
        r"\b(?:a\s+)?(?:la(?=\s+0?1\b)|las)\s+(?P<h>\d{1,2})"  # "la" only before 1
        + _ES_MINUTES
        + r"(?:\s*(?P<mer>am|pm)\b|\s+(?:(?:de|en|por)\s+la|del)\s+"
        + _ES_PARTS
        + "|"
        + _ES_HOURS_WORD
        + ")?"
        + _ES_NOT_A_DATE
    ),
    # 9 de la mañana, 2 y media de la tarde, 4 y cuarto pm ("el martes 3 por la tarde" is a day, not 3:00)
    re.compile(
        _NOT_AFTER_DATE
        + r"(?P<h>\d{1,2})"
        + _ES_MINUTES
        + r"(?:\s*(?P<mer>am|pm)\b|\s+(?:de\s+la|del)\s+"
        + _ES_PARTS
        + ")"
    ),
    # 14 h, 14:30 h, 9 horas (not "en 3 horas", "dentro de 2 h")
    re.compile(
        r"(?<!\ben\s)(?<!\bde\s)" + _NOT_AFTER_DATE + r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?" + _ES_HOURS_WORD
    ),
    # a mediodía, al mediodía
    re.compile(r"\b(?:al?\s+)?(?P<noon>medio\s?dia)\b"),
)
_PM_PARTS = {"afternoon", "evening", "tarde", "noche", "mediodia"}
_QUARTERS = {"y media": 30, "y cuarto": 15, "menos cuarto": 0}


def _find_time(text: str, language: _Language) -> tuple[_Clock | None, str]:
    """The first time of day in the text, and the text with every time of day taken out."""
    found: list[tuple[int, int, _Clock]] = []
    for pattern in language.time_patterns:
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
    hour_text, minute_text = groups["h"], groups.get("m") or groups.get("ym")
    quarter = " ".join((groups.get("frac") or "").split())
    hour, minute = int(hour_text), int(minute_text) if minute_text else _QUARTERS.get(quarter, 0)
    part = groups.get("part")
    meridiem = groups.get("mer") or (("pm" if part in _PM_PARTS else "am") if part else None)
    if part == "noche" and hour == 12:
        meridiem = "am"  # "las 12 de la noche" is midnight
    if minute > 59 or hour > 23:
        return None
    clock = _as_written(hour, minute, meridiem, hour_text.startswith("0"))
    if quarter == "menos cuarto":  # "las 3 menos cuarto": a quarter before the hour typed
        minutes = (clock.at.hour * 60 + clock.at.minute - 15) % (24 * 60)
        return _Clock(time(*divmod(minutes, 60)), clock.assumed_pm)
    return clock


def _as_written(hour: int, minute: int, meridiem: str | None, leading_zero: bool) -> _Clock:
    if meridiem and 1 <= hour <= 12:
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
        return _Clock(time(hour, minute), False)
    if meridiem == "am" and hour == 0:
        return _Clock(time(0, minute), False)
    # "14:30pm" or "0:30" or no meridiem at all: the hour as written, unless it is a bare 1-6.
    if meridiem is None and 1 <= hour <= 6 and not leading_zero:
        return _Clock(time(hour + 12, minute), True)
    return _Clock(time(hour, minute), False)


# --- the day ----------------------------------------------------------------------------------------

_NUMERIC_YMD = re.compile(r"(?<!\d)(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)")
_NUMERIC = re.compile(
    r"(?<![\d/.-])(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?(?![\d/-])"
)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ES_WEEKDAYS = ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo")
_WEEKDAY_INDEX = {name: index for names in (_WEEKDAYS, _ES_WEEKDAYS) for index, name in enumerate(names)}
_NEXT_WEEKDAY = re.compile(r"\bnext\s+(?P<wd>mon|tue|wed|thu|fri|sat|sun)[a-z]*\b")
_ES_WEEKDAY = "(?P<wd>" + "|".join(_ES_WEEKDAYS) + ")"
_ES_NEXT_WEEKDAY = (  # "el próximo lunes", "el lunes que viene"
    re.compile(r"\b(?:proxim[oa]|siguiente)\s+" + _ES_WEEKDAY + r"\b"),
    re.compile(r"\b" + _ES_WEEKDAY + r"\s+(?:proximo|que\s+viene|siguiente|entrante)\b"),
)
_A_PERIOD_NOT_A_DAY = r"\b(?:next|this)\s+(?:week|month|year)\b"
_ES_A_PERIOD_NOT_A_DAY = (  # "la próxima semana", "el mes que viene"
    r"\b(?:(?:proxima|siguiente|esta|otra)\s+(?:semana|quincena)|(?:proximo|siguiente|este|otro)\s+(?:mes|ano)"
    r"|(?:semana|quincena|mes|ano)\s+(?:que\s+viene|proxim[oa]|siguiente|entrante))\b"
)
_FILLER = re.compile(r"(?:\bat\b|@|\b(?:[ecmp][sd]?t|ak[sd]t|hst|utc|gmt|bst|cet|cest)\b)")
# dateparser finds a date in almost anything ("a" is the 1st, "hello 5" the 5th): a text must name a
# month, a weekday, a relative day or an ordinal before we ask it.
_DAY_WORD = (
    r"\b(?:" + _MONTH_WORD + r"|mon|tue|wed|thu|fri|sat|sun|today|tonight|tomorrow|yesterday"
    r"|days?|weeks?|fortnight)|\d(?:st|nd|rd|th)\b"
)
_ES_DAY_WORD = (  # and "el 22", "día 3": a day of this month
    r"\b(?:" + _ES_MONTH_WORD + r"|lun|mie|jue|vie|sab|dom|hoy|manana|ayer|anteayer"
    r"|dias?\b|semanas?\b|quincena)|\b(?:el|dia)\s+\d{1,2}\b"
)
_WORD_FIXES = (
    (re.compile(r"\b(?:tmrw?|tomm?orr?ow)\b"), "tomorrow"),
    (re.compile(r"\bthurs\b"), "thursday"),
    (re.compile(r"\bweds\b"), "wednesday"),
    (re.compile(r"\bfrom\s+(?:today|now)\b"), ""),  # dateparser reads "1 week from today" as a week ago
)
_ES_WORD_FIXES = (
    (re.compile(r"\bpasado\s+manana\b"), "en 2 dias"),  # dateparser reads it as tomorrow
    # "de hoy en ocho" (a week from today), "de mañana en quince" (two weeks from tomorrow)
    (re.compile(r"\bde\s+hoy\s+en\s+(?:8|ocho)\b"), "en 7 dias"),
    (re.compile(r"\bde\s+hoy\s+en\s+(?:15|quince)\b"), "en 14 dias"),
    (re.compile(r"\bde\s+manana\s+en\s+(?:8|ocho)\b"), "en 8 dias"),
    (re.compile(r"\bde\s+manana\s+en\s+(?:15|quince)\b"), "en 15 dias"),
    (re.compile(r"\best[ae]\s+(?:manana|tarde|noche)\b"), "hoy"),
    # a part of the day without an hour ("mañana por la mañana"): the day is what is left
    (re.compile(r"\b(?:por|en|de)\s+la\s+(?:manana|tarde|noche|madrugada)\b"), " "),
)
_Replacement = str | Callable[[re.Match[str]], str]
_HOUR_WORDS = (
    "una",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
)
_ES_SPELLING: tuple[tuple[re.Pattern[str], _Replacement], ...] = (
    (re.compile(r"(?<![a-z])([ap])\.\s?m\b\.?"), r"\1m"),  # "a. m.", "p.m"
    (
        re.compile(r"\b(" + "|".join(_HOUR_WORDS) + r")\s+(dias?|semanas?|meses|mes)\b"),  # "en tres días"
        lambda found: f"{_HOUR_WORDS.index(found[1]) + 1} {found[2]}",
    ),
    (
        re.compile(r"\b(las?)\s+(" + "|".join(_HOUR_WORDS) + r")\b"),  # "a las dos y media"
        lambda found: f"{found[1]} {_HOUR_WORDS.index(found[2]) + 1}",
    ),
)


@dataclass(frozen=True)
class _Language:
    """How one language writes times and days; English words are read in every language."""

    day_first: bool  # which reading of "12/03" is offered first when it reads both ways
    time_patterns: tuple[re.Pattern[str], ...]
    spelling: tuple[tuple[re.Pattern[str], _Replacement], ...]  # before anything is read
    fixes: tuple[tuple[re.Pattern[str], str], ...]  # on the text left once the time is out
    period_not_a_day: re.Pattern[str]
    day_word: re.Pattern[str]
    month_word: re.Pattern[str]
    next_weekday: tuple[re.Pattern[str], ...]
    dateparser: tuple[tuple[str, ...], ...]  # the languages dateparser is given, tried in turn
    strip_accents: bool


_ENGLISH = _Language(
    day_first=True,  # as before the locale came: the e2e tests show day first offered first
    time_patterns=_TIME_PATTERNS,
    spelling=(),
    fixes=_WORD_FIXES,
    period_not_a_day=re.compile(_A_PERIOD_NOT_A_DAY),
    day_word=re.compile(_DAY_WORD),
    month_word=re.compile(r"\b" + _MONTH_WORD),
    next_weekday=(_NEXT_WEEKDAY,),
    dateparser=(("en",),),
    strip_accents=False,
)
_SPANISH = _Language(
    day_first=True,  # "3/12" is 3 December first; both are offered
    time_patterns=_ES_TIME_PATTERNS + _TIME_PATTERNS,
    spelling=_ES_SPELLING,
    fixes=_ES_WORD_FIXES + _WORD_FIXES,
    period_not_a_day=re.compile(_ES_A_PERIOD_NOT_A_DAY + "|" + _A_PERIOD_NOT_A_DAY),
    day_word=re.compile(_ES_DAY_WORD + "|" + _DAY_WORD),
    month_word=re.compile(r"\b(?:" + _ES_MONTH_WORD + "|" + _MONTH_WORD + ")"),
    next_weekday=(*_ES_NEXT_WEEKDAY, _NEXT_WEEKDAY),
    # Spanish alone first: given both at once, dateparser reads "el martes 3 de diciembre" as 3 November.
    dateparser=(("es",), ("en",)),
    strip_accents=True,
)
_LANGUAGES = {"en": _ENGLISH, "es": _SPANISH}


def _language(locale: str) -> _Language:
    """ "es", "es-MX", "es_419" read Spanish; any other locale reads English."""
    return _LANGUAGES.get(re.split(r"[-_]", locale.lower(), maxsplit=1)[0], _ENGLISH)


def _day_first(day_first: bool | None, language: _Language) -> bool:
    return language.day_first if day_first is None else day_first


def _find_day(text: str, local_now: datetime, day_first: bool, language: _Language) -> date | None:
    """The day the text names (without a time in it), or None when it names none."""
    today = local_now.date()
    for pattern, replacement in language.fixes:
        text = pattern.sub(replacement, text)
    text = " ".join(_FILLER.sub(" ", text).split())
    if not text.strip(" ,.;-"):
        return None
    numeric = _numeric_day(text, today, day_first)
    if numeric is not None:
        return numeric
    if re.fullmatch(r"[\d\s,.;-]*", text) or language.period_not_a_day.search(text):
        return None  # bare numbers ("3", "3 12"), or a week rather than a day
    if len(re.findall(r"\b\d{1,2}\b", text)) > 1 and not language.month_word.search(text):
        return None  # "3 12 2026": numbers whose order we cannot know
    if not language.day_word.search(text):
        return None
    for pattern in language.next_weekday:
        if next_weekday := pattern.search(text):
            return _next_weekday(_WEEKDAY_INDEX[next_weekday["wd"]], today)
    return _dateparser_day(text, local_now, language)


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


def _dateparser_day(text: str, local_now: datetime, language: _Language) -> date | None:
    base = local_now.replace(tzinfo=None)
    # Each language in turn; the reading that found the most of the date wins, the first on a tie. dateparser
    # skips words it does not know, so Spanish reads "3 Jan" as the 3rd (a day alone) where English finds
    # 3 January, and "in 3 months" as the 3rd where English finds a month, not a day.
    readings = [found for languages in language.dateparser if (found := _parse(text, base, languages))]
    if readings and (best := max(readings, key=lambda found: found[0])[1]) is not None:
        return best
    for languages in language.dateparser:
        # The text has words around the date that dateparser cannot skip: look for a date inside it.
        hits = search_dates(text, languages=list(languages), settings=_settings(base)) or []
        days = {day for piece, _ in hits if (found := _parse(piece, base, languages)) and (day := found[1])}
        if days:
            return days.pop() if len(days) == 1 else None
    return None


def _parse(text: str, base: datetime, languages: tuple[str, ...]) -> tuple[int, date | None] | None:
    """How many of day, month and year dateparser found in the text (a relative day, "tomorrow", gives all
    three), and the day, if it found one (not just a month, a year or a weekday-less week), with the year
    chosen here when the text gave none. None when it found nothing."""
    data = DateDataParser(languages=list(languages), settings=_settings(base)).get_date_data(text)
    found: datetime | None = data.date_obj
    parts: tuple[str, ...] = data.parts
    if found is None:
        return None
    given = len({"day", "month", "year"} & set(parts))
    if "day" not in parts:
        return given, None
    if "month" not in parts:  # "the 3rd": this month's, or next month's once it has passed
        return given, _day_of_month(found.day, base.date())
    if "year" not in parts:
        return given, _dated(None, found.month, found.day, base.date(), text)
    return given, found.date()


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


def _normalise(text: str, language: _Language) -> str:
    text = text.lower()
    if language.strip_accents:  # "mañana" and "manana", "miércoles" and "miercoles" read alike
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("a.m.", "am").replace("p.m.", "pm")
    for pattern, replacement in language.spelling:
        text = pattern.sub(replacement, text)
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
