"""The appointment's .ics file, checked field by field in the parsed calendar AND in the raw bytes.

Parsers are lenient ("it parsed" is not "it is valid"), so the raw text is checked too. Times are checked
against the file's own VTIMEZONE (icalendar's parser would otherwise look the TZID up in tzdata and never
read our VTIMEZONE), which is what Outlook does.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Component, Timezone

from journey.calendar import CalendarEvent, appointment_uid, build_ics

NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
UID = appointment_uid("case-0001", "appt-01")

LONG_DESCRIPTION = (
    "Dr. Ana Rivera, medical oncology; second opinion on the treatment plan.\n"
    "Bring: pathology report, CT & PET scans (on disc), medication list; insurance card.\n"
    'Questions: "Is surgery first, or chemo?" — and a path C:\\Users\\me\\notes.txt\n'
    "\n"
    "Feel better soon 💐🙂 · ärztliche Zweitmeinung, 第二意见, दूसरी राय; thank you, team!"
)
LONG_LOCATION = "Cancer Center, Building B; Floor 3, Room 12 — 1200 Main St., Springfield; IL 62701 🏥"


def event(**changes: Any) -> CalendarEvent:
    """A typical in-person visit; tests change only what they are about."""
    base = CalendarEvent(
        uid=UID,
        sequence=0,
        starts_at=datetime(2026, 12, 3, 20, 30, tzinfo=UTC),  # 2:30 PM Chicago time
        zone="America/Chicago",
        duration_minutes=60,
        summary="Second opinion: Dr. Rivera",
        location="City Hospital, Floor 3",
        url=None,
        description="Bring your records.\nArrive 15 minutes early.",
        cancelled=False,
        alarms=(timedelta(days=1), timedelta(hours=2)),
        alarm_text="Second opinion with Dr. Rivera",
    )
    return dataclasses.replace(base, **changes)


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def only_event(cal: Calendar) -> Component:
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def unfolded_lines(data: bytes) -> list[str]:
    """Content lines with RFC 5545 folding undone (CRLF + one space joins a continuation)."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def raw(data: bytes, name: str, inside: str = "VEVENT") -> list[str]:
    """The unfolded lines for property `name` sitting directly in component `inside` (not nested ones)."""
    found: list[str] = []
    stack: list[str] = []
    for line in unfolded_lines(data):
        key, _, value = line.partition(":")
        if key == "BEGIN":
            stack.append(value)
        elif key == "END":
            stack.pop()
        elif stack and stack[-1] == inside and key.split(";")[0] == name:
            found.append(line)
    return found


def wall_time(component: Component, name: str) -> datetime:
    """A DATE-TIME property's value as parsed (aware: icalendar looks the TZID up by name)."""
    value = component.decoded(name)
    assert isinstance(value, datetime)
    return value


def read_with(component: Component, name: str, zone: tzinfo) -> datetime:
    """The property's wall-clock time read in `zone` instead of the zone icalendar looked up."""
    return wall_time(component, name).replace(tzinfo=zone)


def vtimezone_tz(cal: Calendar, tzid: str) -> tzinfo:
    """A tzinfo built from the file's VTIMEZONE alone (not looked up by name)."""
    [vtz] = [tz for tz in cal.timezones if tz.tz_name == tzid]
    assert isinstance(vtz, Timezone)
    built: tzinfo = vtz.to_tz(lookup_tzid=False)
    return built


# --- the calendar and the event -------------------------------------------------------------------------


def test_calendar_header_says_version_prodid_scale_and_publish() -> None:
    data = build_ics(event(), NOW)
    cal = parse(data)
    assert cal.name == "VCALENDAR"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//Second Opinion Companion//EN"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["METHOD"]) == "PUBLISH"
    lines = unfolded_lines(data)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    for expected in ("VERSION:2.0", "PRODID:-//Second Opinion Companion//EN", "CALSCALE:GREGORIAN"):
        assert expected in lines
    assert raw(data, "METHOD", inside="VCALENDAR") == ["METHOD:PUBLISH"]
    assert data.count(b"BEGIN:VEVENT") == 1
    only_event(cal)


def test_event_has_every_field_the_apps_need() -> None:
    data = build_ics(event(), NOW)
    vevent = only_event(parse(data))
    assert str(vevent["UID"]) == "case-0001-appt-01@second-opinion-companion.local"
    assert vevent["SEQUENCE"] == 0
    assert str(vevent["SUMMARY"]) == "Second opinion: Dr. Rivera"
    assert str(vevent["LOCATION"]) == "City Hospital, Floor 3"
    assert str(vevent["DESCRIPTION"]) == "Bring your records.\nArrive 15 minutes early."
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["TRANSP"]) == "OPAQUE"
    assert str(vevent["CLASS"]) == "PRIVATE"
    assert "URL" not in vevent
    assert raw(data, "STATUS") == ["STATUS:CONFIRMED"]
    assert raw(data, "TRANSP") == ["TRANSP:OPAQUE"]
    assert raw(data, "SEQUENCE") == ["SEQUENCE:0"]
    assert raw(data, "UID") == ["UID:case-0001-appt-01@second-opinion-companion.local"]


def test_an_organizer_is_present_as_publish_and_cancel_require() -> None:
    for cancelled in (False, True):
        data = build_ics(event(cancelled=cancelled, sequence=1), NOW)
        organizer = only_event(parse(data))["ORGANIZER"]
        assert str(organizer) == "mailto:noreply@second-opinion-companion.local"
        assert organizer.params["CN"] == "Second Opinion Companion"
        assert raw(data, "ORGANIZER") == [
            'ORGANIZER;CN="Second Opinion Companion":mailto:noreply@second-opinion-companion.local'
        ]


def test_dtstamp_is_now_in_utc_even_when_now_is_given_in_another_offset() -> None:
    data = build_ics(event(), NOW)
    assert wall_time(only_event(parse(data)), "DTSTAMP") == NOW
    assert raw(data, "DTSTAMP") == ["DTSTAMP:20261001T120000Z"]
    same_instant = NOW.astimezone(timezone(timedelta(hours=5, minutes=30)))
    assert build_ics(event(), same_instant) == data


def test_the_same_inputs_give_the_same_bytes() -> None:
    assert build_ics(event(), NOW) == build_ics(event(), NOW)


def test_a_change_keeps_the_uid_and_raises_the_sequence() -> None:
    first = build_ics(event(), NOW)
    moved = build_ics(
        event(sequence=1, starts_at=datetime(2026, 12, 4, 16, 0, tzinfo=UTC)),
        NOW + timedelta(days=2),
    )
    one, two = only_event(parse(first)), only_event(parse(moved))
    assert str(one["UID"]) == str(two["UID"]) == UID
    assert (one["SEQUENCE"], two["SEQUENCE"]) == (0, 1)
    assert raw(moved, "SEQUENCE") == ["SEQUENCE:1"]
    assert raw(moved, "METHOD", inside="VCALENDAR") == ["METHOD:PUBLISH"]


def test_appointment_uid_is_stable_and_scoped_to_our_domain() -> None:
    assert appointment_uid("c1", "a1") == "c1-a1@second-opinion-companion.local"
    assert appointment_uid("c1", "a1") == appointment_uid("c1", "a1")
    assert appointment_uid("c1", "a1", domain="example.org") == "c1-a1@example.org"


# --- time zones -----------------------------------------------------------------------------------------

# (zone, local wall time of the visit, the same instant in UTC worked out by hand)
ZONED = [
    ("America/Chicago", datetime(2026, 12, 3, 14, 30), datetime(2026, 12, 3, 20, 30)),  # CST -6
    ("America/Chicago", datetime(2026, 7, 15, 10, 0), datetime(2026, 7, 15, 15, 0)),  # CDT -5
    ("Europe/Berlin", datetime(2026, 3, 27, 9, 0), datetime(2026, 3, 27, 8, 0)),  # CET +1, before
    ("Europe/Berlin", datetime(2026, 3, 30, 9, 0), datetime(2026, 3, 30, 7, 0)),  # CEST +2, day after 29th
    ("Europe/Berlin", datetime(2026, 10, 26, 9, 0), datetime(2026, 10, 26, 8, 0)),  # CET again, after 25th
    ("Asia/Kolkata", datetime(2026, 6, 1, 11, 0), datetime(2026, 6, 1, 5, 30)),  # IST +5:30, no DST
    ("Australia/Sydney", datetime(2026, 1, 15, 9, 0), datetime(2026, 1, 14, 22, 0)),  # AEDT +11, summer
    ("Australia/Sydney", datetime(2026, 7, 15, 9, 0), datetime(2026, 7, 14, 23, 0)),  # AEST +10, winter
    ("Australia/Sydney", datetime(2026, 10, 5, 9, 0), datetime(2026, 10, 4, 22, 0)),  # AEDT, day after 4th
    ("America/New_York", datetime(2026, 10, 30, 9, 0), datetime(2026, 10, 30, 13, 0)),  # EDT -4, before
    ("America/New_York", datetime(2026, 11, 2, 9, 0), datetime(2026, 11, 2, 14, 0)),  # EST -5, after 1st
    ("America/New_York", datetime(2026, 3, 9, 9, 0), datetime(2026, 3, 9, 13, 0)),  # EDT, after 8 March
]


@pytest.mark.parametrize(("zone", "wall", "utc"), ZONED, ids=[f"{z}-{w:%Y%m%d}" for z, w, _ in ZONED])
def test_start_carries_the_zone_and_its_vtimezone_gives_the_right_instant(
    zone: str, wall: datetime, utc: datetime
) -> None:
    starts_at = utc.replace(tzinfo=UTC)
    data = build_ics(event(zone=zone, starts_at=starts_at, duration_minutes=45), NOW)
    cal = parse(data)
    vevent = only_event(cal)

    assert raw(data, "DTSTART") == [f"DTSTART;TZID={zone}:{wall:%Y%m%dT%H%M%S}"]
    assert vevent["DTSTART"].params["TZID"] == zone
    assert vevent["DTEND"].params["TZID"] == zone
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == [zone]
    assert cal.get_missing_tzids() == set()

    # Read the wall time back through our VTIMEZONE only, as Outlook does.
    own_tz = vtimezone_tz(cal, zone)
    start = read_with(vevent, "DTSTART", own_tz)
    end = read_with(vevent, "DTEND", own_tz)
    assert start.astimezone(UTC) == starts_at
    assert end - start == timedelta(minutes=45)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(minutes=45)


@pytest.mark.parametrize(
    ("zone", "year", "check_instants"),
    [
        ("America/Chicago", 2026, True),
        ("America/New_York", 2026, True),
        ("Europe/Berlin", 2026, True),
        ("Asia/Kolkata", 2026, True),
        ("Australia/Sydney", 2026, True),
        ("Europe/Dublin", 2026, True),  # tzdata calls winter the "DST" here
        ("America/Sao_Paulo", 2019, True),  # DST abolished mid-year: irregular, RDATE fallback
        # Base offset changed once (irregular, RDATE fallback). Not checked from UTC: the oracle, dateutil's
        # generic fromutc, misreads the repeated hour when both sides are "standard" time.
        ("Europe/Moscow", 2014, False),
    ],
)
def test_vtimezone_matches_tzdata_all_through_the_event_year(
    zone: str, year: int, check_instants: bool
) -> None:
    starts_at = datetime(year, 6, 10, 12, 0, tzinfo=UTC)
    cal = parse(build_ics(event(zone=zone, starts_at=starts_at), NOW))
    own_tz, real_tz = vtimezone_tz(cal, zone), ZoneInfo(zone)
    # Every wall-clock hour of the year that exists once (a visit is never booked in a skipped or
    # repeated hour) reads back to tzdata's offset.
    wall = datetime(year, 1, 1)
    checked = 0
    while wall.year == year:
        earlier, later = wall.replace(tzinfo=real_tz), wall.replace(tzinfo=real_tz, fold=1)
        if earlier.utcoffset() == later.utcoffset():
            assert wall.replace(tzinfo=own_tz).utcoffset() == earlier.utcoffset(), wall
            checked += 1
        wall += timedelta(hours=1)
    assert checked > 8700
    # And from the other side: every UTC hour, the hours around each change included (this is what catches
    # an onset written an hour off), gets tzdata's offset.
    instant = datetime(year, 1, 1, tzinfo=UTC)
    while check_instants and instant.year == year:
        assert instant.astimezone(own_tz).utcoffset() == instant.astimezone(real_tz).utcoffset(), instant
        instant += timedelta(hours=1)


def test_vtimezone_is_the_one_rule_each_way_form_outlook_reads() -> None:
    # Outlook ignores RDATE and approximates a zone as one yearly rule each way, so that is what we write.
    data = build_ics(event(zone="America/New_York"), NOW)
    block = data.decode().split("BEGIN:VTIMEZONE\r\n")[1].split("END:VTIMEZONE")[0]
    assert "RDATE" not in block
    assert block.count("BEGIN:DAYLIGHT") == 1
    assert block.count("BEGIN:STANDARD") == 1
    assert "DTSTART:20250309T020000\r\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\n" in block
    assert "DTSTART:20251102T020000\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\n" in block

    berlin = build_ics(event(zone="Europe/Berlin"), NOW).decode()
    assert "DTSTART:20250330T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n" in berlin
    assert "DTSTART:20251026T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n" in berlin

    kolkata = build_ics(event(zone="Asia/Kolkata"), NOW).decode()
    assert "BEGIN:DAYLIGHT" not in kolkata
    assert "TZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\n" in kolkata


def test_a_visit_across_a_dst_change_keeps_its_real_length() -> None:
    # 01:30 CET on 29 March 2026 for two real hours ends at 04:30 CEST (the clock skipped 02:00-03:00).
    starts_at = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    data = build_ics(event(zone="Europe/Berlin", starts_at=starts_at, duration_minutes=120), NOW)
    assert raw(data, "DTSTART") == ["DTSTART;TZID=Europe/Berlin:20260329T013000"]
    assert raw(data, "DTEND") == ["DTEND;TZID=Europe/Berlin:20260329T043000"]
    cal = parse(data)
    own_tz = vtimezone_tz(cal, "Europe/Berlin")
    vevent = only_event(cal)
    start = read_with(vevent, "DTSTART", own_tz).astimezone(UTC)
    end = read_with(vevent, "DTEND", own_tz).astimezone(UTC)
    assert (start, end - start) == (starts_at, timedelta(hours=2))


def test_a_utc_visit_is_written_with_z_and_needs_no_vtimezone() -> None:
    data = build_ics(event(zone="UTC"), NOW)
    assert raw(data, "DTSTART") == ["DTSTART:20261203T203000Z"]
    assert b"VTIMEZONE" not in data


# --- text, folding, line ends ---------------------------------------------------------------------------


def test_text_with_commas_semicolons_backslashes_newlines_and_emoji_round_trips_exactly() -> None:
    data = build_ics(event(description=LONG_DESCRIPTION, location=LONG_LOCATION), NOW)
    vevent = only_event(parse(data))
    assert str(vevent["DESCRIPTION"]) == LONG_DESCRIPTION
    assert str(vevent["LOCATION"]) == LONG_LOCATION

    [description] = raw(data, "DESCRIPTION")
    assert "\n" not in description  # newlines are written as the two characters \n
    assert r"Dr. Ana Rivera\, medical oncology\; second opinion" in description
    assert r"C:\\Users\\me\\notes.txt\n\nFeel better soon 💐🙂" in description
    [location] = raw(data, "LOCATION")
    assert location.startswith(r"LOCATION:Cancer Center\, Building B\; Floor 3\, Room 12")


def test_every_physical_line_is_at_most_75_octets_ends_in_crlf_and_is_whole_utf8() -> None:
    data = build_ics(event(description=LONG_DESCRIPTION, location=LONG_LOCATION), NOW)
    assert data.endswith(b"\r\n")
    assert data.count(b"\n") == data.count(b"\r\n")
    assert data.count(b"\r") == data.count(b"\r\n")
    physical = data.split(b"\r\n")[:-1]
    assert any(line.startswith(b" ") for line in physical)  # long values really were folded
    for line in physical:
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never cuts a multi-byte character in half


# --- alarms and cancellation ----------------------------------------------------------------------------


def test_each_alarm_fires_its_duration_before_the_start() -> None:
    alarms = (timedelta(days=1), timedelta(hours=2), timedelta(minutes=30))
    data = build_ics(event(alarms=alarms), NOW)
    valarms = only_event(parse(data)).walk("VALARM")
    assert [a.decoded("TRIGGER") for a in valarms] == [-d for d in alarms]
    for valarm in valarms:
        assert str(valarm["ACTION"]) == "DISPLAY"
        assert str(valarm["DESCRIPTION"]) == "Second opinion with Dr. Rivera"
        assert valarm["TRIGGER"].params["RELATED"] == "START"
    assert raw(data, "TRIGGER", inside="VALARM") == [
        "TRIGGER;RELATED=START:-P1D",
        "TRIGGER;RELATED=START:-PT2H",
        "TRIGGER;RELATED=START:-PT30M",
    ]


def test_no_alarms_means_no_valarm() -> None:
    assert b"VALARM" not in build_ics(event(alarms=(), alarm_text=""), NOW)


def test_a_cancellation_is_method_cancel_with_the_same_uid_a_higher_sequence_and_no_alarm() -> None:
    data = build_ics(event(sequence=2, cancelled=True), NOW)
    cal = parse(data)
    vevent = only_event(cal)
    assert str(cal["METHOD"]) == "CANCEL"
    assert raw(data, "METHOD", inside="VCALENDAR") == ["METHOD:CANCEL"]
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert raw(data, "STATUS") == ["STATUS:CANCELLED"]
    assert str(vevent["UID"]) == UID
    assert vevent["SEQUENCE"] == 2
    assert "ORGANIZER" in vevent
    assert vevent.walk("VALARM") == []
    assert b"VALARM" not in data
    assert b"TRIGGER" not in data


# --- video visits ---------------------------------------------------------------------------------------


def test_a_video_visit_carries_the_link_as_url_and_as_location_when_there_is_no_address() -> None:
    link = "https://video.example.org/join/abc-123?pwd=x,y;z"
    data = build_ics(event(location=None, url=link), NOW)
    vevent = only_event(parse(data))
    assert str(vevent["URL"]) == link
    assert str(vevent["LOCATION"]) == link  # Google Calendar and Outlook ignore URL

    with_room = only_event(parse(build_ics(event(location="Telehealth room 2", url=link), NOW)))
    assert (str(with_room["LOCATION"]), str(with_room["URL"])) == ("Telehealth room 2", link)


def test_without_location_or_link_there_is_no_location_line() -> None:
    data = build_ics(event(location=None, url=None), NOW)
    assert raw(data, "LOCATION") == []
    assert raw(data, "URL") == []


# --- caller mistakes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_at": datetime(2026, 12, 3, 20, 30)},  # naive
        {"zone": "Mars/Olympus_Mons"},
        {"zone": "../etc/passwd"},
        {"duration_minutes": 0},
        {"sequence": -1},
        {"alarms": (timedelta(hours=-1),)},
        {"alarms": (timedelta(0),)},
        {"alarms": (timedelta(hours=1),), "alarm_text": " "},
    ],
)
def test_a_bad_event_is_refused_rather_than_written_wrong(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        event(**changes)


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        build_ics(event(), datetime(2026, 10, 1, 12, 0))
