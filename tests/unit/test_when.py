"""Reading typed appointment times: exact UTC instants, every error, DST edges in both hemispheres."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journey.errors import JourneyError
from journey.when import (
    YEARS_AHEAD,
    Ambiguous,
    InPast,
    NeedDate,
    NeedTime,
    NoDate,
    NoSuchTime,
    Reading,
    TooFar,
    at_time,
    local,
    read_day,
    read_when,
    reading_at,
)

NOW = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)  # Monday; 09:30 in Chicago (CST, UTC-6)
FRIDAY = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)
BEFORE_DST_ENDS = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
CHICAGO = "America/Chicago"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def starts(text: str, now: datetime = NOW, zone: str = CHICAGO, day_first: bool = True) -> datetime:
    return read_when(text, now, zone, day_first).starts_at


# --- the example texts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 Dec 14:30", utc(2026, 12, 3, 20, 30)),
        ("3 Dec 2026 14:30", utc(2026, 12, 3, 20, 30)),
        ("Dec 3 at 2 pm", utc(2026, 12, 3, 20, 0)),
        ("14:30 on 3 December", utc(2026, 12, 3, 20, 30)),
        ("tomorrow at 10", utc(2026, 11, 24, 16, 0)),
        ("3.12. 9:00", utc(2026, 12, 3, 15, 0)),
        ("Thursday, December 3rd at 2:30 PM", utc(2026, 12, 3, 20, 30)),
        ("my appointment is on 3 dec at 2:30pm", utc(2026, 12, 3, 20, 30)),
        ("3rd of December at 10 o'clock", utc(2026, 12, 3, 16, 0)),
        ("Dec 3 at 9 in the morning", utc(2026, 12, 3, 15, 0)),
        ("Dec 3 noon", utc(2026, 12, 3, 18, 0)),
        ("dec 3 9 a.m.", utc(2026, 12, 3, 15, 0)),
        ("5 may at 10.30", utc(2027, 5, 5, 15, 30)),  # CDT by May
        ("2026-12-03 14:30", utc(2026, 12, 3, 20, 30)),
        ("2026/12/03 9am", utc(2026, 12, 3, 15, 0)),
        ("the 3rd at 10am", utc(2026, 12, 3, 16, 0)),  # the 3rd of this month has passed
        ("1 week from today at 3pm", utc(2026, 11, 30, 21, 0)),
        ("tmrw 3pm", utc(2026, 11, 24, 21, 0)),
        ("this monday 4pm", utc(2026, 11, 23, 22, 0)),
        ("Sat 10am", utc(2026, 11, 28, 16, 0)),
        ("12am dec 3", utc(2026, 12, 3, 6, 0)),
        ("12pm dec 3", utc(2026, 12, 3, 18, 0)),
        ("12/12 10am", utc(2026, 12, 12, 16, 0)),  # both numbers alike: one reading
        ("13/03 10:00", utc(2027, 3, 13, 16, 0)),  # 13 can only be the day; still CST
        ("29 feb 10am", utc(2028, 2, 29, 16, 0)),  # the next 29 February
        ("dec 3 from 2pm to 3pm", utc(2026, 12, 3, 20, 0)),  # the first time typed
    ],
)
def test_reads_what_patients_type(text: str, expected: datetime) -> None:
    assert read_when(text, NOW, CHICAGO) == Reading(starts_at=expected, zone=CHICAGO)


def test_next_tuesday_later_in_the_week_is_the_coming_one() -> None:
    assert starts("next Tuesday 2:30pm", now=FRIDAY) == utc(2026, 12, 1, 20, 30)


def test_next_tuesday_typed_on_monday_reads_two_ways() -> None:
    with pytest.raises(Ambiguous) as raised:
        read_when("next Tuesday 2:30pm", NOW, CHICAGO)
    assert raised.value.details == {
        "first": date(2026, 11, 24),
        "second": date(2026, 12, 1),
        "at": time(14, 30),
    }


def test_a_weekday_alone_is_the_coming_one() -> None:
    assert starts("tuesday 2:30pm") == utc(2026, 11, 24, 20, 30)
    assert starts("monday 2:30pm") == utc(2026, 11, 30, 20, 30)  # typed on a Monday: next week's


def test_a_numeric_date_the_other_way_round_is_read_by_its_numbers() -> None:
    assert starts("03/13 10am", day_first=False) == utc(2027, 3, 13, 16, 0)
    assert starts("13/03 10am", day_first=False) == utc(2027, 3, 13, 16, 0)
    assert starts("03/15 10am", day_first=False) == utc(2027, 3, 15, 15, 0)  # CDT from 14 March


def test_dotted_dates_are_day_first_whatever_the_user_prefers() -> None:
    assert starts("3.12. 9:00", day_first=False) == utc(2026, 12, 3, 15, 0)
    assert starts("3.12.2026 9:00", day_first=False) == utc(2026, 12, 3, 15, 0)


# --- hours without am/pm -----------------------------------------------------------------------------


def test_an_hour_from_1_to_6_without_am_pm_is_the_afternoon_and_says_so() -> None:
    reading = read_when("Dec 3 at 2", NOW, CHICAGO)
    assert reading == Reading(starts_at=utc(2026, 12, 3, 20, 0), zone=CHICAGO, assumed_pm=True)
    assert read_when("Dec 3 2:30", NOW, CHICAGO).starts_at == utc(2026, 12, 3, 20, 30)


def test_other_hours_and_a_leading_zero_are_read_as_written() -> None:
    assert read_when("Dec 3 02:30", NOW, CHICAGO) == Reading(starts_at=utc(2026, 12, 3, 8, 30), zone=CHICAGO)
    assert read_when("Dec 3 7:30", NOW, CHICAGO) == Reading(starts_at=utc(2026, 12, 3, 13, 30), zone=CHICAGO)
    assert read_when("Dec 3 0:30", NOW, CHICAGO) == Reading(starts_at=utc(2026, 12, 3, 6, 30), zone=CHICAGO)


# --- zones -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Europe/London", utc(2026, 12, 3, 14, 30)),
        ("Asia/Kolkata", utc(2026, 12, 3, 9, 0)),
        ("Australia/Sydney", utc(2026, 12, 3, 3, 30)),  # AEDT, +11: southern summer
        ("America/Phoenix", utc(2026, 12, 3, 21, 30)),
        ("America/New_York", utc(2026, 12, 3, 19, 30)),
        ("Pacific/Honolulu", utc(2026, 12, 4, 0, 30)),
    ],
)
def test_the_wall_clock_time_is_in_the_appointments_zone(zone: str, expected: datetime) -> None:
    assert starts("3 Dec 14:30", zone=zone) == expected


def test_today_and_tomorrow_are_the_zones_own_days() -> None:
    # At NOW it is already Tuesday 24 November, 02:30 in Sydney.
    assert starts("tomorrow 9am", zone="Australia/Sydney") == utc(2026, 11, 24, 22, 0)
    with pytest.raises(NeedTime) as raised:
        read_when("today", NOW, "Australia/Sydney")
    assert raised.value.details == {"day": date(2026, 11, 24)}


def test_sydney_winter_is_plus_ten() -> None:
    assert starts("3 Jun 2027 14:30", zone="Australia/Sydney") == utc(2027, 6, 3, 4, 30)


# --- DST ---------------------------------------------------------------------------------------------


def test_the_same_wall_time_either_side_of_the_us_fall_back() -> None:
    zone = "America/New_York"
    assert starts("30 Oct 9:00", now=BEFORE_DST_ENDS, zone=zone) == utc(2026, 10, 30, 13, 0)
    assert starts("2 Nov 9:00", now=BEFORE_DST_ENDS, zone=zone) == utc(2026, 11, 2, 14, 0)


def test_a_time_skipped_by_spring_forward_is_refused_with_the_hour_after() -> None:
    with pytest.raises(NoSuchTime) as raised:
        read_when("14 Mar 2027 2:30am", NOW, CHICAGO)
    assert raised.value.details == {
        "day": date(2027, 3, 14),
        "at": time(2, 30),
        "later": utc(2027, 3, 14, 8, 30),
    }
    assert starts("14 Mar 2027 1:59am") == utc(2027, 3, 14, 7, 59)  # CST
    assert starts("14 Mar 2027 3:00am") == utc(2027, 3, 14, 8, 0)  # CDT


def test_a_time_repeated_by_fall_back_is_the_first_one() -> None:
    assert starts("1 Nov 1:30am", now=BEFORE_DST_ENDS) == utc(2026, 11, 1, 6, 30)  # 1:30 CDT
    assert starts("1 Nov 2:30am", now=BEFORE_DST_ENDS) == utc(2026, 11, 1, 8, 30)  # CST from 2:00


def test_london_skips_and_repeats_an_hour_too() -> None:
    zone = "Europe/London"
    with pytest.raises(NoSuchTime) as raised:
        read_when("28 Mar 2027 01:30", NOW, zone)
    assert raised.value.later == utc(2027, 3, 28, 1, 30)  # 02:30 BST
    assert starts("25 Oct 01:30", now=BEFORE_DST_ENDS, zone=zone) == utc(2026, 10, 25, 0, 30)  # BST


def test_southern_hemisphere_edges_in_sydney() -> None:
    zone = "Australia/Sydney"
    spring = datetime(2026, 9, 1, tzinfo=UTC)
    with pytest.raises(NoSuchTime) as raised:
        read_when("4 Oct 02:30", spring, zone)
    assert raised.value.later == utc(2026, 10, 3, 16, 30)  # 03:30 AEDT
    assert starts("4 Apr 2027 02:30", zone=zone) == utc(2027, 4, 3, 15, 30)  # first 02:30, AEDT


def test_at_time_follows_the_same_rules() -> None:
    assert at_time(date(2026, 11, 2), 9, 0, "America/New_York") == utc(2026, 11, 2, 14, 0)
    assert at_time(date(2026, 10, 30), 9, 0, "America/New_York") == utc(2026, 10, 30, 13, 0)
    assert at_time(date(2026, 11, 1), 1, 30, CHICAGO) == utc(2026, 11, 1, 6, 30)
    with pytest.raises(NoSuchTime):
        at_time(date(2027, 3, 14), 2, 30, CHICAGO)
    assert at_time(date(2026, 12, 3), 14, 30, "Asia/Kolkata") == utc(2026, 12, 3, 9, 0)


def test_local_shows_the_instant_on_the_zones_clock() -> None:
    shown = local(utc(2026, 11, 1, 6, 30), CHICAGO)
    assert (shown.date(), shown.time(), shown.utcoffset()) == (
        date(2026, 11, 1),
        time(1, 30),
        timedelta(hours=-5),
    )
    shown = local(utc(2026, 11, 1, 7, 30), CHICAGO)  # the second 1:30
    assert (shown.time(), shown.utcoffset()) == (time(1, 30), timedelta(hours=-6))


# --- the year ----------------------------------------------------------------------------------------


def test_a_day_without_a_year_that_has_passed_is_next_years() -> None:
    assert starts("3 Jan 10am") == utc(2027, 1, 3, 16, 0)
    with pytest.raises(NeedTime) as raised:
        read_when("22 Nov", NOW, CHICAGO)
    assert raised.value.day == date(2027, 11, 22)


def test_today_without_a_year_is_today_not_next_year() -> None:
    with pytest.raises(NeedTime) as raised:
        read_when("23 Nov", NOW, CHICAGO)
    assert raised.value.day == date(2026, 11, 23)
    assert starts("23 Nov 11am") == utc(2026, 11, 23, 17, 0)
    with pytest.raises(InPast):  # earlier today: not rolled to next year
        read_when("23 Nov 9am", NOW, CHICAGO)


def test_an_explicit_past_year_is_in_the_past() -> None:
    with pytest.raises(InPast) as raised:
        read_when("3 Dec 2025 10am", NOW, CHICAGO)
    assert raised.value.details == {"when": utc(2025, 12, 3, 16, 0), "day": date(2025, 12, 3)}


# --- errors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["asdf", "soon", "", "   ", "?", "a", "hello 5", "12", "1 2 3", "december", "next week", "in 3 months",
     "31/02", "4/31", "the doctor will call", "mayo clinic", "1234567890", "25:00 dec 3"],
)  # fmt: skip
def test_nothing_date_like_is_no_date(text: str) -> None:
    with pytest.raises(NoDate) as raised:
        read_when(text, NOW, CHICAGO)
    assert raised.value.details == {"text": text}


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("3 Dec", date(2026, 12, 3)),
        ("in 2 weeks", date(2026, 12, 7)),
        ("13/03", date(2027, 3, 13)),
        ("3 Jan", date(2027, 1, 3)),
        ("today", date(2026, 11, 23)),
        ("tomorrow morning", date(2026, 11, 24)),
        ("the 22nd", date(2026, 12, 22)),  # the 22nd of this month has passed
        ("friday", date(2026, 11, 27)),
    ],
)
def test_a_day_without_a_time_needs_the_time(text: str, day: date) -> None:
    with pytest.raises(NeedTime) as raised:
        read_when(text, NOW, CHICAGO)
    assert raised.value.details == {"day": day}


def test_next_tuesday_alone_needs_the_time() -> None:
    with pytest.raises(NeedTime) as raised:
        read_when("next Tuesday", FRIDAY, CHICAGO)
    assert raised.value.day == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "at", "assumed_pm"),
    [("2:30pm", time(14, 30), False), ("at 3", time(15, 0), True), ("noon", time(12, 0), False)],
)
def test_a_time_alone_needs_the_day(text: str, at: time, assumed_pm: bool) -> None:
    with pytest.raises(NeedDate) as raised:
        read_when(text, NOW, CHICAGO)
    assert raised.value.details == {"at": at, "assumed_pm": assumed_pm}


@pytest.mark.parametrize(
    ("text", "day_first", "first", "second", "at"),
    [
        ("12/03 9am", True, date(2027, 3, 12), date(2026, 12, 3), time(9, 0)),
        ("12/03 9am", False, date(2026, 12, 3), date(2027, 3, 12), time(9, 0)),
        ("03/12/2026", True, date(2026, 12, 3), date(2026, 3, 12), None),
        ("3-12-26 10:00", True, date(2026, 12, 3), date(2026, 3, 12), time(10, 0)),
        ("next Tuesday", True, date(2026, 11, 24), date(2026, 12, 1), None),
    ],
)
def test_two_readings_are_asked_not_guessed(
    text: str, day_first: bool, first: date, second: date, at: time | None
) -> None:
    with pytest.raises(Ambiguous) as raised:
        read_when(text, NOW, CHICAGO, day_first)
    assert raised.value.details == {"first": first, "second": second, "at": at}


def test_in_the_past_allows_no_grace() -> None:
    assert starts("today 9:30am") == NOW  # exactly now is not before now
    with pytest.raises(InPast) as raised:
        read_when("today 9:29am", NOW, CHICAGO)
    assert raised.value.details == {"when": utc(2026, 11, 23, 15, 29), "day": date(2026, 11, 23)}


def test_a_past_day_without_a_time_is_refused_before_asking_the_time() -> None:
    with pytest.raises(InPast) as raised:
        read_when("3 Dec 2025", NOW, CHICAGO)
    assert raised.value.details == {"when": utc(2025, 12, 3, 6, 0), "day": date(2025, 12, 3)}
    with pytest.raises(InPast):
        read_when("yesterday", NOW, CHICAGO)


def test_more_than_two_years_ahead_is_too_far() -> None:
    assert starts("23 Nov 2028 9:30am") == utc(2028, 11, 23, 15, 30)  # exactly two years: fine
    with pytest.raises(TooFar) as raised:
        read_when("23 Nov 2028 9:31am", NOW, CHICAGO)
    assert raised.value.details == {"when": utc(2028, 11, 23, 15, 31), "day": date(2028, 11, 23)}
    with pytest.raises(TooFar) as far_day:
        read_when("24 Nov 2028", NOW, CHICAGO)
    assert far_day.value.details == {"when": utc(2028, 11, 24, 6, 0), "day": date(2028, 11, 24)}
    with pytest.raises(NeedTime):
        read_when("23 Nov 2028", NOW, CHICAGO)


def test_the_ends_of_the_calendar_are_too_far_or_past_not_a_crash() -> None:
    # West of UTC, the last evening of year 9999 is already year 10000 in UTC; east, the first morning
    # of year 1 is still year 0: no datetime holds those instants.
    with pytest.raises(TooFar):
        read_when("31 Dec 9999 11pm", NOW, CHICAGO)
    with pytest.raises(TooFar):
        at_time(date(9999, 12, 31), 20, 0, CHICAGO)
    with pytest.raises(InPast):
        at_time(date(1, 1, 1), 6, 0, "Australia/Sydney")
    assert at_time(date(9999, 12, 31), 20, 0, "Australia/Sydney") == datetime(9999, 12, 31, 9, 0, tzinfo=UTC)


def test_every_error_is_a_journey_error_with_its_own_key() -> None:
    errors = (NoDate, NeedTime, NeedDate, Ambiguous, InPast, TooFar, NoSuchTime)
    assert all(issubclass(error, JourneyError) for error in errors)
    assert [error.key for error in errors] == [
        "errors/when_no_date",
        "errors/when_need_time",
        "errors/when_need_date",
        "errors/when_ambiguous",
        "errors/when_in_past",
        "errors/when_too_far",
        "errors/when_no_such_time",
    ]


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        read_when("3 Dec 10am", datetime(2026, 11, 23, 15, 30), CHICAGO)


# --- picking a day and a time separately -------------------------------------------------------------


def test_reading_at_checks_like_typed_text() -> None:
    assert reading_at(date(2026, 12, 3), time(14, 30), NOW, CHICAGO) == Reading(
        starts_at=utc(2026, 12, 3, 20, 30), zone=CHICAGO
    )
    with pytest.raises(InPast):
        reading_at(date(2026, 11, 23), time(9, 0), NOW, CHICAGO)
    with pytest.raises(TooFar):
        reading_at(date(2029, 1, 1), time(9, 0), NOW, CHICAGO)
    with pytest.raises(NoSuchTime):
        reading_at(date(2027, 3, 14), time(2, 30), NOW, CHICAGO)


# --- Spanish -------------------------------------------------------------------------------------------
# NOW is Monday 23 November 2026, 9:30 in Chicago (CST, UTC-6).


def spanish(text: str, now: datetime = NOW) -> Reading:
    return read_when(text, now, CHICAGO, locale="es")


@pytest.mark.parametrize(
    ("text", "expected", "assumed_pm"),
    [
        (
            "el martes 3 de diciembre a las 2:30",
            utc(2026, 12, 3, 20, 30),
            True,
        ),  # the date wins over the weekday
        ("martes 3 de diciembre 14:30", utc(2026, 12, 3, 20, 30), False),
        ("mañana a las 10", utc(2026, 11, 24, 16, 0), False),
        ("pasado mañana a las 9", utc(2026, 11, 25, 15, 0), False),
        ("hoy a las 4 de la tarde", utc(2026, 11, 23, 22, 0), False),
        ("el 3 de dic. a las 9:15 de la mañana", utc(2026, 12, 3, 15, 15), False),
        ("25/12 a las 10", utc(2026, 12, 25, 16, 0), False),  # 25 can only be the day
        ("13/03 a las 10", utc(2027, 3, 13, 16, 0), False),
        ("el próximo lunes a las 11", utc(2026, 11, 30, 17, 0), False),  # typed on a Monday: next week's
        ("el lunes que viene a las 11", utc(2026, 11, 30, 17, 0), False),
        ("en 2 semanas a las 10", utc(2026, 12, 7, 16, 0), False),
        ("dentro de 2 semanas a las 10", utc(2026, 12, 7, 16, 0), False),
        ("en dos semanas a las 10", utc(2026, 12, 7, 16, 0), False),
        ("en tres días a las 9", utc(2026, 11, 26, 15, 0), False),
        ("de hoy en ocho a las 10", utc(2026, 11, 30, 16, 0), False),  # a week from today, not today
        ("de mañana en 8 a las 10", utc(2026, 12, 1, 16, 0), False),
        ("3 dic las 2 y media", utc(2026, 12, 3, 20, 30), True),
        ("3 dic las 3 y cuarto", utc(2026, 12, 3, 21, 15), True),
        ("3 dic a las 3 menos cuarto", utc(2026, 12, 3, 20, 45), True),
        ("3 dic a la 1 y 10 de la tarde", utc(2026, 12, 3, 19, 10), False),
        ("3 dic a las dos y media", utc(2026, 12, 3, 20, 30), True),
        ("3 dic a la una", utc(2026, 12, 3, 19, 0), True),
        ("3 dic a mediodía", utc(2026, 12, 3, 18, 0), False),
        ("3 dic al mediodía", utc(2026, 12, 3, 18, 0), False),
        ("3 dic a las 12 del mediodía", utc(2026, 12, 3, 18, 0), False),
        ("3 dic 14 h", utc(2026, 12, 3, 20, 0), False),
        ("3 dic 14:30 h", utc(2026, 12, 3, 20, 30), False),
        ("3 de diciembre de 2026 a las 14 horas", utc(2026, 12, 3, 20, 0), False),
        ("3 dic 9 a. m.", utc(2026, 12, 3, 15, 0), False),
        ("3 dic 2 p. m.", utc(2026, 12, 3, 20, 0), False),
        ("3 dic 12:30 p. m.", utc(2026, 12, 3, 18, 30), False),
        ("3 dic 9 am", utc(2026, 12, 3, 15, 0), False),
        ("3 dic 9:00 a.m", utc(2026, 12, 3, 15, 0), False),
        ("3 dic a las 10 de la noche", utc(2026, 12, 4, 4, 0), False),
        ("3 dic a las 7 de la mañana", utc(2026, 12, 3, 13, 0), False),
        ("3 dic a las 10 en punto", utc(2026, 12, 3, 16, 0), False),
        ("3 dic a las 02:30", utc(2026, 12, 3, 8, 30), False),  # a leading zero: as written
        ("martes a las 9 en la mañana", utc(2026, 11, 24, 15, 0), False),
        ("3 dic por la tarde a las 4", utc(2026, 12, 3, 22, 0), True),
        ("mañana 9 de la mañana", utc(2026, 11, 24, 15, 0), False),
        ("mañana a las 10 de la mañana", utc(2026, 11, 24, 16, 0), False),
        ("para el jueves a las 9 y media de la mañana", utc(2026, 11, 26, 15, 30), False),
        ("el sábado 5 de diciembre a las 10:00 a.m.", utc(2026, 12, 5, 16, 0), False),
        ("mié 25 nov 10:00", utc(2026, 11, 25, 16, 0), False),
        ("el 22 a las 10", utc(2026, 12, 22, 16, 0), False),  # the 22nd of this month has passed
        ("día 3 a las 10", utc(2026, 12, 3, 16, 0), False),
        ("3 de enero a las 10", utc(2027, 1, 3, 16, 0), False),  # passed this year: next year's
        ("la cita es a las 3 de la tarde del 3 de diciembre", utc(2026, 12, 3, 21, 0), False),
        ("mi cita es el 3 de diciembre a las 2:30", utc(2026, 12, 3, 20, 30), True),
        ("el 3 de diciembre a las 10.", utc(2026, 12, 3, 16, 0), False),  # a full stop ends the sentence
        ("3.12. 9:00", utc(2026, 12, 3, 15, 0), False),
        ("Dec 3 a las 10", utc(2026, 12, 3, 16, 0), False),  # English words read too
        ("tomorrow at 10", utc(2026, 11, 24, 16, 0), False),
        # accents left out
        ("manana a las 10", utc(2026, 11, 24, 16, 0), False),
        ("pasado manana a las 9", utc(2026, 11, 25, 15, 0), False),
        ("el miercoles a las 10", utc(2026, 11, 25, 16, 0), False),
        ("el sabado a las 9", utc(2026, 11, 28, 15, 0), False),
        ("el proximo lunes a las 11", utc(2026, 11, 30, 17, 0), False),
        ("3 dic a mediodia", utc(2026, 12, 3, 18, 0), False),
        ("hoy a las 4 de la tarde", utc(2026, 11, 23, 22, 0), False),
        # mixed case
        ("MAÑANA A LAS 10", utc(2026, 11, 24, 16, 0), False),
        ("El Martes 3 De Diciembre A Las 2:30", utc(2026, 12, 3, 20, 30), True),
        ("Mañana A Las 10 De La Mañana", utc(2026, 11, 24, 16, 0), False),
        ("EL MIÉRCOLES A LAS 9 A. M.", utc(2026, 11, 25, 15, 0), False),
    ],
)
def test_reads_what_spanish_speakers_type(text: str, expected: datetime, assumed_pm: bool) -> None:
    assert spanish(text) == Reading(starts_at=expected, zone=CHICAGO, assumed_pm=assumed_pm)


@pytest.mark.parametrize(
    "text",
    ["3 Jan 10am", "January 5 10am", "3 Aug 10am", "in 3 days at 9am", "in 2 weeks 10am", "1 week from today at 3pm",
     "Thursday, December 3rd at 2:30 PM", "tmrw 3pm", "Sat 10am", "the 3rd at 10am", "5 may at 10.30"],
)  # fmt: skip
def test_english_typed_by_a_spanish_reader_reads_as_in_english(text: str) -> None:
    # Spanish dateparser skips English words it does not know ("3 Jan" would be the 3rd): the reading
    # that found more of the date wins.
    assert spanish(text) == read_when(text, NOW, CHICAGO)


@pytest.mark.parametrize("text", ["in 3 months", "next week", "December"])
def test_english_periods_are_not_a_day_for_a_spanish_reader_either(text: str) -> None:
    with pytest.raises(NoDate):
        spanish(text)


@pytest.mark.parametrize("locale", ["es-MX", "es_419", "ES"])
def test_every_spanish_locale_reads_spanish(locale: str) -> None:
    assert read_when("mañana a las 10", NOW, CHICAGO, locale=locale).starts_at == utc(2026, 11, 24, 16, 0)


def test_spanish_words_are_not_read_in_english() -> None:
    with pytest.raises(NoDate):  # neither "mañana" nor "a las 10" is English
        read_when("mañana a las 10", NOW, CHICAGO)
    with pytest.raises(NoDate):
        read_when("mañana a las 10", NOW, CHICAGO, locale="fr")  # a locale we do not read: English


@pytest.mark.parametrize(
    ("text", "first", "second", "at"),
    [
        ("3/12 9:00", date(2026, 12, 3), date(2027, 3, 12), time(9, 0)),  # day first, offered first
        ("12/03", date(2027, 3, 12), date(2026, 12, 3), None),
        ("3-12-26 a las 10", date(2026, 12, 3), date(2026, 3, 12), time(10, 0)),
        ("viernes 4/12 a las 3 pm", date(2026, 12, 4), date(2027, 4, 12), time(15, 0)),
        (
            "el próximo martes a las 10",
            date(2026, 11, 24),
            date(2026, 12, 1),
            time(10, 0),
        ),  # typed on a Monday
    ],
)
def test_spanish_dates_that_read_two_ways_are_asked_day_first(
    text: str, first: date, second: date, at: time | None
) -> None:
    with pytest.raises(Ambiguous) as raised:
        spanish(text)
    assert raised.value.details == {"first": first, "second": second, "at": at}


def test_the_order_offered_can_still_be_chosen() -> None:
    with pytest.raises(Ambiguous) as raised:
        read_when("3/12 9:00", NOW, CHICAGO, False, locale="es")
    assert (raised.value.first, raised.value.second) == (date(2027, 3, 12), date(2026, 12, 3))


def test_el_proximo_martes_later_in_the_week_is_the_coming_one() -> None:
    assert spanish("el próximo martes a las 2:30", now=FRIDAY).starts_at == utc(2026, 12, 1, 20, 30)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("el martes", date(2026, 11, 24)),
        ("mañana", date(2026, 11, 24)),
        ("manana", date(2026, 11, 24)),
        ("mañana por la mañana", date(2026, 11, 24)),  # the morning, not tomorrow twice
        ("mañana en la tarde", date(2026, 11, 24)),
        ("pasado mañana", date(2026, 11, 25)),
        ("hoy", date(2026, 11, 23)),
        ("esta tarde", date(2026, 11, 23)),
        ("el 3 de diciembre", date(2026, 12, 3)),
        ("el 3 de diciembre por la tarde", date(2026, 12, 3)),
        ("el martes 3 por la tarde", date(2026, 12, 3)),  # "3 por la tarde" is the day, not 3:00
        ("en 2 semanas", date(2026, 12, 7)),
        ("25/12", date(2026, 12, 25)),
        ("SÁBADO", date(2026, 11, 28)),
    ],
)
def test_a_spanish_day_without_a_time_needs_the_time(text: str, day: date) -> None:
    with pytest.raises(NeedTime) as raised:
        spanish(text)
    assert raised.value.details == {"day": day}


@pytest.mark.parametrize(
    ("text", "at", "assumed_pm"),
    [
        ("a las 10", time(10, 0), False),
        ("las 2 y media", time(14, 30), True),
        ("las 3 y cuarto", time(15, 15), True),
        ("a mediodía", time(12, 0), False),
        ("a las 9 de la mañana", time(9, 0), False),
        ("a las 12 de la noche", time(0, 0), False),  # midnight
        ("a las 3 de la madrugada", time(3, 0), False),
        ("14 h", time(14, 0), False),
    ],
)
def test_a_spanish_time_alone_needs_the_day(text: str, at: time, assumed_pm: bool) -> None:
    with pytest.raises(NeedDate) as raised:
        spanish(text)
    assert raised.value.details == {"at": at, "assumed_pm": assumed_pm}


@pytest.mark.parametrize(
    "text",
    ["hola", "gracias doctor", "diciembre", "la próxima semana", "la semana que viene", "el mes que viene",
     "en 3 meses", "en 3 horas", "dentro de 2 horas", "31/04", "el doctor va a llamar", "pronto", ""],
)  # fmt: skip
def test_nothing_date_like_in_spanish_is_no_date(text: str) -> None:
    with pytest.raises(NoDate) as raised:
        spanish(text)
    assert raised.value.details == {"text": text}


def test_spanish_past_and_far_are_refused_like_english() -> None:
    with pytest.raises(InPast):
        spanish("ayer a las 10")
    with pytest.raises(InPast):
        spanish("hoy a las 9 de la mañana")  # 9:00, and it is 9:30
    with pytest.raises(TooFar):
        spanish("3 de diciembre de 2029 a las 10")


def test_a_day_alone_reads_spanish() -> None:
    today = date(2026, 11, 23)
    assert read_day("25 de diciembre", today, locale="es") == date(2026, 12, 25)
    assert read_day("25/12", today, locale="es") == date(2026, 12, 25)
    assert read_day("pasado mañana a las 10", today, locale="es") == date(2026, 11, 25)
    with pytest.raises(Ambiguous) as raised:
        read_day("3/12", today, locale="es")
    assert (raised.value.first, raised.value.second) == (date(2026, 12, 3), date(2027, 3, 12))
    with pytest.raises(NoDate):
        read_day("la próxima semana", today, locale="es")


# Words a Spanish speaker might type, run together in any order with anything else: the reader answers
# with a reading or one of our errors, never a crash.
SPANISH_WORDS = [
    "el", "la", "las", "a", "de", "del", "y", "menos", "media", "cuarto", "en", "punto", "por", "mañana",
    "manana", "pasado", "hoy", "ayer", "tarde", "noche", "madrugada", "mediodía", "medio día", "próximo",
    "que viene", "semana", "semanas", "días", "mes", "año", "lunes", "miércoles", "sábado", "dic.", "diciembre",
    "3", "12", "25", "0", "99", "2:30", "14 h", "14:30 h", "a. m.", "p. m.", "am", "pm", "h", "horas", "3/12",
    "25/12", "12/03/2026", "3.12.", "31/02", "dos", "una", "doce", ",", ".", "-", "/", ":", "ñ", "é",
    "\u0301", "\u00a0", "\u202f", "\u0663", "\uff11\uff12", "\u00b2", "\u00bd", "\x00", "\U0001f600",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(
        st.lists(st.sampled_from(SPANISH_WORDS), max_size=12).map(" ".join),
        st.lists(st.sampled_from(SPANISH_WORDS), max_size=12).map("".join),
        st.text(max_size=80),
    ),
    locale=st.sampled_from(["es", "en"]),
    hours=st.integers(min_value=-24 * 400, max_value=24 * 400),
)
def test_no_text_crashes_the_reader(text: str, locale: str, hours: int) -> None:
    now = NOW + timedelta(hours=hours)
    try:
        reading = read_when(text, now, CHICAGO, locale=locale)
    except JourneyError:
        pass
    else:
        assert now <= reading.starts_at <= now.replace(year=now.year + YEARS_AHEAD)
    try:
        day = read_day(text, now.date(), locale=locale)
    except JourneyError:
        pass
    else:
        assert now.date() <= day
