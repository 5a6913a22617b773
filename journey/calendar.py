"""An appointment as an iCalendar file (RFC 5545, with RFC 5546 methods) that imports cleanly.

Pure: the caller passes the clock (`now`) and every word (rendered from templates), so nothing here reads
the time, does I/O or hard-codes English. The file carries the event's own zone name (`TZID`) and a
`VTIMEZONE` we build from tzdata, because Outlook shifts a `TZID` time by an hour when the zone's
definition is missing or is one it cannot read (see `_vtimezone`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress

from journey.text import fit, is_web_link, visible

PRODID = "-//Second Opinion Companion//EN"
DOMAIN = "second-opinion-companion.local"
ORGANIZER_NAME = "Second Opinion Companion"  # the product's name, not prose: the same in every language
ORGANIZER_ADDRESS = f"mailto:noreply@{DOMAIN}"

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Calendar apps cut or choke on very long values; what we write is far shorter unless stored text is odd.
LINE_LIMIT = 1000  # summary, location, alarm text
DESCRIPTION_LIMIT = 8000


def _text(value: str, limit: int, *, multiline: bool = False) -> str:
    """Stored text made safe for a TEXT property: nothing invisible (control characters, bidi controls),
    one line where a line is expected, and not endless. icalendar escapes the rest (commas, semicolons)."""
    return fit(visible(value, multiline=multiline).strip(), limit)


@dataclass(frozen=True)
class CalendarEvent:
    """Everything the file says about one appointment, already in the user's words.

    `alarms` are how long *before* the start each reminder fires. `url` is for a video visit; Google
    Calendar and Outlook ignore the URL property, so when there is no `location` the link is also used
    as the location, where every app shows it.
    """

    uid: str
    sequence: int
    starts_at: datetime  # aware, UTC
    zone: str  # IANA name, e.g. "Europe/Berlin"
    duration_minutes: int
    summary: str
    location: str | None
    url: str | None
    description: str
    cancelled: bool = False
    alarms: tuple[timedelta, ...] = ()
    alarm_text: str = ""

    def __post_init__(self) -> None:
        # Caller mistakes would otherwise become a file that is silently an hour off or won't import.
        if self.starts_at.utcoffset() is None:
            raise ValueError("starts_at must be timezone-aware")
        try:
            ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.zone!r}") from exc
        if self.sequence < 0:
            raise ValueError("sequence must be >= 0")
        if self.duration_minutes <= 0:
            raise ValueError("duration_minutes must be > 0")
        if any(alarm <= timedelta(0) for alarm in self.alarms):
            raise ValueError("alarms are durations before the start and must be positive")
        if self.alarms and not self.alarm_text.strip():
            raise ValueError("a DISPLAY alarm needs alarm_text")


def appointment_uid(case_id: str, appointment_id: str, domain: str = DOMAIN) -> str:
    """The event's UID: stable for the appointment's life, so a changed or cancelled file replaces it."""
    return f"{case_id}-{appointment_id}@{domain}"


def build_ics(event: CalendarEvent, now: datetime) -> bytes:
    """The `.ics` file for `event`, stamped `now`: UTF-8, CRLF line ends, folded at 75 octets."""
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    zone = ZoneInfo(event.zone)
    start = event.starts_at.astimezone(zone)
    # Add the duration to the instant, not the wall clock, so a visit across a DST change keeps its length.
    end = (event.starts_at + timedelta(minutes=event.duration_minutes)).astimezone(zone)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # RFC 5546: a cancellation is METHOD:CANCEL with the same UID and a higher SEQUENCE.
    cal.add("method", "CANCEL" if event.cancelled else "PUBLISH")

    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", now.astimezone(UTC))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", start)  # icalendar writes TZID=<zone key> for a ZoneInfo datetime
    vevent.add("dtend", end)
    vevent.add("summary", _text(event.summary, LINE_LIMIT))
    # A link stored by an older version may be any text: it is then only words in the location.
    url = event.url if event.url is not None and is_web_link(event.url) else None
    location = event.location if event.location is not None else event.url
    if location is not None and (where := _text(location, LINE_LIMIT)):
        vevent.add("location", where)
    if url is not None:
        vevent.add("url", url)
    vevent.add("description", _text(event.description, DESCRIPTION_LIMIT, multiline=True))
    organizer = vCalAddress(ORGANIZER_ADDRESS)
    organizer.params["CN"] = ORGANIZER_NAME
    vevent.add("organizer", organizer)  # RFC 5546 requires ORGANIZER for PUBLISH and CANCEL
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    # A medical visit: in a shared or work calendar others see only "busy", not the details.
    vevent.add("class", "PRIVATE")
    if not event.cancelled:
        for before in event.alarms:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", _text(event.alarm_text, LINE_LIMIT) or ORGANIZER_NAME)
            alarm.add("trigger", -before, parameters={"RELATED": "START"})
            vevent.add_component(alarm)

    # TZID is what icalendar wrote; "UTC" is written as ...Z and needs no VTIMEZONE.
    tzid = vevent["DTSTART"].params.get("TZID")
    if tzid:
        cal.add_component(_vtimezone(str(tzid), zone, start.year))
    cal.add_component(vevent)
    ics: bytes = cal.to_ical()
    return ics


# --- VTIMEZONE -----------------------------------------------------------------------------------------
#
# icalendar's own `Timezone.from_tzinfo` lists every transition as DTSTART + RDATE (default 1970-2038)
# and opens with a pseudo-observance on its first date. Outlook reads only DTSTART/RRULE/TZOFFSET* and
# approximates the zone as one yearly rule each way (MS-STANOICAL 2.2.47): it ignores RDATE and can pick
# the pseudo-observance, so such a file is an hour off there. So for the usual zone we write what Outlook
# and Google themselves write: one STANDARD and one DAYLIGHT, each an RRULE taken from the event year's
# real transitions (exact for that year, whatever the zone did in other years). Zones without DST get one
# STANDARD. Anything irregular in that year falls back to icalendar's exact RDATE form.


@dataclass(frozen=True)
class _Transition:
    at: datetime  # UTC instant the new offset starts
    offset_from: timedelta
    offset_to: timedelta
    name: str  # abbreviation after the change, e.g. "CEST"

    @property
    def onset(self) -> datetime:
        """Local wall time of the change in the old offset: how RFC 5545 reads a sub-component's DTSTART."""
        return (self.at + self.offset_from).replace(tzinfo=None)


def _transitions(zone: ZoneInfo, year: int) -> list[_Transition]:
    """The offset changes during `year` (UTC), found by a daily scan and a bisection to the second."""
    found: list[_Transition] = []
    t = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    before = t.astimezone(zone).utcoffset()
    while t < end:
        nxt = t + timedelta(days=1)
        after = nxt.astimezone(zone).utcoffset()
        if after != before:
            lo, hi = t, nxt
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) // 2
                if mid.astimezone(zone).utcoffset() == before:
                    lo = mid
                else:
                    hi = mid
            local = hi.astimezone(zone)
            assert before is not None and after is not None
            found.append(_Transition(hi, before, after, local.tzname() or ""))
        t, before = nxt, after
    return found


def _byday(onset: datetime) -> str:
    """`onset`'s weekday-in-month as an RRULE BYDAY: "2SU", or "-1SU" when it is the month's last."""
    ordinal = -1 if (onset + timedelta(days=7)).month != onset.month else (onset.day - 1) // 7 + 1
    return f"{ordinal}{_WEEKDAYS[onset.weekday()]}"


def _nth_weekday(year: int, month: int, byday: str) -> int:
    """The day of month that `byday` ("2SU", "-1SU") falls on in `year`-`month`."""
    ordinal, weekday = int(byday[:-2]), _WEEKDAYS.index(byday[-2:])
    first = date(year, month, 1)
    first_match = 1 + (weekday - first.weekday()) % 7
    if ordinal > 0:
        return first_match + 7 * (ordinal - 1)
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return first_match + 7 * ((last_day - first_match) // 7)


def _vtimezone(tzid: str, zone: ZoneInfo, year: int) -> Timezone:
    """A VTIMEZONE for `zone` that gives the right offset throughout `year` (and, by its rules, after)."""
    changes = _transitions(zone, year)
    vtz = Timezone()
    vtz.add("tzid", tzid)
    if not changes:
        # No DST this year: one fixed offset, valid from the start of the previous year.
        jan1 = datetime(year, 1, 1, tzinfo=zone)
        offset = jan1.utcoffset()
        standard = TimezoneStandard()
        standard.add("dtstart", datetime(year - 1, 1, 1))
        standard.add("tzoffsetfrom", offset)
        standard.add("tzoffsetto", offset)
        standard.add("tzname", jan1.tzname() or tzid)
        vtz.add_component(standard)
        return vtz
    regular = (
        len(changes) == 2
        and changes[0].offset_to == changes[1].offset_from
        and changes[1].offset_to == changes[0].offset_from
    )
    if not regular:
        return Timezone.from_tzinfo(zone, tzid, date(year - 1, 1, 1), date(year + 2, 1, 1))
    for change in changes:
        into_daylight = change.offset_to > change.offset_from  # the larger offset is "summer" time
        sub = TimezoneDaylight() if into_daylight else TimezoneStandard()
        byday = _byday(change.onset)
        # Start the rule a year early so dates in `year` before its first change are covered too.
        first = change.onset.replace(year=year - 1, day=_nth_weekday(year - 1, change.onset.month, byday))
        sub.add("dtstart", first)
        sub.add("rrule", {"FREQ": "YEARLY", "BYMONTH": change.onset.month, "BYDAY": byday})
        sub.add("tzoffsetfrom", change.offset_from)
        sub.add("tzoffsetto", change.offset_to)
        sub.add("tzname", change.name)
        vtz.add_component(sub)
    return vtz
