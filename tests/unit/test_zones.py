"""Time zones from typed names, abbreviations, cities and shared locations."""

from __future__ import annotations

import zoneinfo

import pytest

from journey.errors import JourneyError
from journey.zones import COMMON_ZONES, UnknownZone, city_name, find_zone, zone_at


def test_common_zones_are_real_distinct_and_us_first() -> None:
    assert len(set(COMMON_ZONES)) == len(COMMON_ZONES)
    assert set(COMMON_ZONES) <= zoneinfo.available_timezones()
    assert COMMON_ZONES[:7] == (
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
        "America/Anchorage",
        "Pacific/Honolulu",
    )
    assert {"Europe/London", "Europe/Berlin", "Asia/Kolkata"} <= set(COMMON_ZONES)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        # IANA names in any case
        ("America/Chicago", "America/Chicago"),
        ("america/chicago", "America/Chicago"),
        (" AMERICA/LOS_ANGELES ", "America/Los_Angeles"),
        ("america/los angeles", "America/Los_Angeles"),
        ("America/Port-au-Prince", "America/Port-au-Prince"),
        ("utc", "UTC"),
        # cities that are zone names
        ("Chicago", "America/Chicago"),
        ("new york", "America/New_York"),
        ("Los Angeles", "America/Los_Angeles"),
        ("London", "Europe/London"),
        ("Berlin", "Europe/Berlin"),
        ("Phoenix", "America/Phoenix"),
        ("Toronto", "America/Toronto"),
        ("Sydney", "Australia/Sydney"),
        ("Honolulu", "Pacific/Honolulu"),
        ("Kolkata", "Asia/Kolkata"),
        ("Indianapolis", "America/Indiana/Indianapolis"),  # the current name, not the old link
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("Chicago time", "America/Chicago"),
        ("Chicago, IL", "America/Chicago"),
        # big cities that are not zone names
        ("Houston", "America/Chicago"),
        ("Boston", "America/New_York"),
        ("Seattle", "America/Los_Angeles"),
        ("Dallas", "America/Chicago"),
        ("Atlanta", "America/New_York"),
        ("Miami", "America/New_York"),
        ("San Francisco", "America/Los_Angeles"),
        ("Washington, D.C.", "America/New_York"),
        ("Philadelphia", "America/New_York"),
        ("San Diego", "America/Los_Angeles"),
        ("Minneapolis", "America/Chicago"),
        ("Cleveland", "America/New_York"),
        ("Pittsburgh", "America/New_York"),
        ("Baltimore", "America/New_York"),
        ("Nashville", "America/Chicago"),
        ("Portland", "America/Los_Angeles"),
        ("Portland, Maine", "America/New_York"),
        ("Las Vegas", "America/Los_Angeles"),
        ("Salt Lake City", "America/Denver"),
        ("St. Louis", "America/Chicago"),
        ("Rochester", "America/Chicago"),  # Minnesota: the Mayo Clinic
        ("Rochester, MN", "America/Chicago"),
        ("Rochester, NY", "America/New_York"),
        ("Calgary", "America/Edmonton"),
        # abbreviations and names of US zones
        ("EST", "America/New_York"),
        ("EDT", "America/New_York"),
        ("ET", "America/New_York"),
        ("Eastern Time", "America/New_York"),
        ("CST", "America/Chicago"),
        ("CT", "America/Chicago"),
        ("central time zone", "America/Chicago"),
        ("MST", "America/Denver"),
        ("Mountain Standard Time", "America/Denver"),
        ("PST", "America/Los_Angeles"),
        ("pacific daylight time", "America/Los_Angeles"),
        ("AKST", "America/Anchorage"),
        ("HST", "Pacific/Honolulu"),
        ("Arizona", "America/Phoenix"),
        ("GMT", "Europe/London"),
        ("CET", "Europe/Berlin"),
        ("IST", "Asia/Kolkata"),
    ],
)
def test_find_zone(text: str, zone: str) -> None:
    assert find_zone(text) == zone


@pytest.mark.parametrize(
    "text", ["", "   ", "asdf", "Mars", "GMT+5", "localtime", "Factory", "Springfieldia"]
)
def test_unknown_zone(text: str) -> None:
    with pytest.raises(UnknownZone) as raised:
        find_zone(text)
    assert raised.value.details == {"text": text}
    assert isinstance(raised.value, JourneyError)
    assert raised.value.key == "errors/unknown_zone"


@pytest.mark.parametrize(
    ("latitude", "longitude", "zone"),
    [
        (44.0225, -92.4699, "America/Chicago"),  # Rochester, Minnesota
        (29.7079, -95.3977, "America/Chicago"),  # Houston, Texas Medical Center
        (33.4484, -112.0740, "America/Phoenix"),  # Arizona keeps standard time all year
        (36.1500, -109.5500, "America/Denver"),  # the Navajo Nation in Arizona does observe DST
        (39.7684, -86.1581, "America/Indiana/Indianapolis"),
        (41.6764, -86.2520, "America/Indiana/Indianapolis"),  # South Bend, Eastern like most of Indiana
        (41.5934, -87.3464, "America/Chicago"),  # Gary, Indiana: Central
        (40.7128, -74.0060, "America/New_York"),
        (47.6062, -122.3321, "America/Los_Angeles"),
        (61.2181, -149.9003, "America/Anchorage"),
        (21.3069, -157.8583, "Pacific/Honolulu"),
        (43.6532, -79.3832, "America/Toronto"),
        (51.5074, -0.1278, "Europe/London"),
        (52.5200, 13.4050, "Europe/Berlin"),
        (28.6139, 77.2090, "Asia/Kolkata"),
        (-33.8688, 151.2093, "Australia/Sydney"),
        (-34.6037, -58.3816, "America/Argentina/Buenos_Aires"),
    ],
)
def test_zone_at_a_shared_location(latitude: float, longitude: float, zone: str) -> None:
    assert zone_at(latitude, longitude) == zone


@pytest.mark.parametrize(("latitude", "longitude"), [(0.0, -30.0), (91.0, 0.0), (0.0, 181.0)])
def test_zone_at_the_open_sea_or_nowhere_is_unknown(latitude: float, longitude: float) -> None:
    with pytest.raises(UnknownZone) as raised:
        zone_at(latitude, longitude)
    assert raised.value.details == {"text": f"{latitude},{longitude}"}


@pytest.mark.parametrize(
    ("zone", "name"),
    [
        ("America/Chicago", "Chicago"),
        ("America/Los_Angeles", "Los Angeles"),
        ("America/Indiana/Indianapolis", "Indianapolis"),
        ("America/Port-au-Prince", "Port-au-Prince"),
        ("Europe/London", "London"),
        ("UTC", "UTC"),
    ],
)
def test_city_name(zone: str, name: str) -> None:
    assert city_name(zone) == name


def test_every_common_zone_reads_back_from_its_city_name() -> None:
    assert all(find_zone(city_name(zone)) == zone for zone in COMMON_ZONES)
