"""Time zones for people: from what they type ("Chicago", "EST", "america/new_york") or share (a location).

Everything is an IANA name, so DST is right wherever the zone is used. Typed names are read in this
order: a US/European abbreviation or "Central"-style name, an IANA name in any case, a short table of
big cities that are not zone names (Houston, Boston, Rochester MN...), then the city part of every IANA
name ("Los_Angeles" as "los angeles").
"""

from __future__ import annotations

import re
import zoneinfo
from functools import cache

from journey.errors import JourneyError

# For a short picker: the US zones first (most users), then a few big ones elsewhere.
COMMON_ZONES: tuple[str, ...] = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Toronto",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Australia/Sydney",
)


class UnknownZone(JourneyError):
    """We could not tell a time zone from what was typed or shared."""

    key = "errors/unknown_zone"

    def __init__(self, *, text: str) -> None:
        super().__init__(text=text)
        self.text = text


# What people call a zone. Abbreviations are read as the place they mostly mean, with its DST:
# "EST" typed in July still means New York time (the IANA zone "EST" has no DST, so it is never used).
_ABBREVIATIONS = {
    **dict.fromkeys(("est", "edt", "et", "eastern", "us eastern"), "America/New_York"),
    **dict.fromkeys(("cst", "cdt", "ct", "central", "us central"), "America/Chicago"),
    **dict.fromkeys(("mst", "mdt", "mt", "mountain", "us mountain"), "America/Denver"),
    **dict.fromkeys(("pst", "pdt", "pt", "pacific", "us pacific"), "America/Los_Angeles"),
    **dict.fromkeys(("akst", "akdt", "akt", "alaska"), "America/Anchorage"),
    **dict.fromkeys(("hst", "hast", "hawaii", "hawaiian"), "Pacific/Honolulu"),
    "arizona": "America/Phoenix",
    **dict.fromkeys(("gmt", "bst", "uk", "british"), "Europe/London"),
    **dict.fromkeys(("cet", "cest"), "Europe/Berlin"),
    "ist": "Asia/Kolkata",  # India's, by far the most users; Irish and Israeli "IST" are by city
    **dict.fromkeys(("utc", "z", "zulu"), "UTC"),
}

# Big cities (mostly US, many with cancer centres) that are not zone names, keyed as _normalise leaves
# them. A bare "Rochester" is Rochester, Minnesota (the Mayo Clinic); "Portland" is Oregon's.
_CITY_LISTS = {
    "America/New_York": "boston, washington, washington dc, dc, philadelphia, baltimore, bethesda, pittsburgh,"
    " cleveland, columbus, cincinnati, atlanta, miami, orlando, tampa, jacksonville, charlotte, raleigh,"
    " durham, richmond, buffalo, rochester ny, new york city, nyc, manhattan, brooklyn, new haven, hartford,"
    " providence, ann arbor, portland me, portland maine",
    "America/Chicago": "houston, dallas, austin, san antonio, fort worth, minneapolis, saint paul, st paul,"
    " rochester, rochester mn, rochester minnesota, st louis, saint louis, kansas city, omaha, milwaukee,"
    " madison, new orleans, memphis, nashville, oklahoma city, tulsa, birmingham al, des moines, little rock,"
    " texas, minnesota",
    "America/Denver": "salt lake city, albuquerque, colorado springs, el paso, colorado",
    "America/Edmonton": "calgary",
    "America/Phoenix": "scottsdale, tucson, mesa, tempe",
    "America/Los_Angeles": "seattle, san francisco, sf, san diego, san jose, oakland, sacramento, las vegas,"
    " portland, portland or, portland oregon, la, palo alto, stanford, california",
    "America/Toronto": "ottawa, montreal, quebec",
    "America/Puerto_Rico": "san juan",
    "Europe/London": "manchester, edinburgh, glasgow, birmingham, england, scotland",
    "Europe/Berlin": "munich, frankfurt, hamburg, cologne, heidelberg, germany",
    "Asia/Kolkata": "mumbai, delhi, new delhi, bangalore, bengaluru, chennai, india",
    "Asia/Shanghai": "beijing, china",
    "Asia/Jerusalem": "tel aviv, israel",
    "Australia/Sydney": "canberra",
}
_CITIES = {city.strip(): zone for zone, cities in _CITY_LISTS.items() for city in cities.split(",")}

_REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)
_NOT_ZONES = {"localtime", "Factory", "posixrules"}  # in some zoneinfo listings, never a place
_SUFFIX = re.compile(r"\s+(?:standard|daylight)?\s*(?:time|timezone|time zone|zone)$")


def find_zone(text: str) -> str:
    """The IANA name for a typed zone, abbreviation or city; `UnknownZone` when we cannot tell."""
    key = _normalise(text)
    for candidate in (key, key.split(",")[0].strip()):
        if not candidate:
            continue
        candidate = _SUFFIX.sub("", candidate)
        squeezed = candidate.replace(",", "")
        found = (
            _ABBREVIATIONS.get(squeezed)
            or _iana_names().get(squeezed.replace(" ", "_"))
            or _CITIES.get(squeezed)
            or _iana_cities().get(squeezed)
        )
        if found:
            return found
    raise UnknownZone(text=text)


def zone_at(latitude: float, longitude: float) -> str:
    """The IANA zone of a shared location, from tzfpy's offline boundary data (a wheel, no network).

    Open sea has only "Etc/GMT+N" zones, whose names read backwards to people; we refuse those and let
    the bot ask for a city instead."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise UnknownZone(text=f"{latitude},{longitude}")
    from tzfpy import get_tz  # imported here so that the rest of the app does not need it to start

    name = get_tz(longitude, latitude)
    if not name or name.startswith("Etc/") or name not in _iana_names().values():
        raise UnknownZone(text=f"{latitude},{longitude}")
    return name


def city_name(zone: str) -> str:
    """The place a zone is named after, for "2:30 PM Chicago time": "America/Los_Angeles" -> "Los Angeles"."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def _normalise(text: str) -> str:
    text = text.strip().lower().replace(".", "").replace("'", "").replace("-", " ")
    return " ".join(text.split())


@cache
def _iana_names() -> dict[str, str]:
    """Every IANA name, keyed in lower case, with "-" read as a space like the typed text."""
    return {
        name.lower().replace("-", "_"): name
        for name in zoneinfo.available_timezones()
        if name not in _NOT_ZONES
    }


@cache
def _iana_cities() -> dict[str, str]:
    """The city part of every regional IANA name. Where two share it (America/Indianapolis, a link, and
    America/Indiana/Indianapolis), the longer name is the current one and both tell the same time."""
    cities: dict[str, str] = {}
    for name in sorted(_iana_names().values(), key=len):
        parts = name.split("/")
        if parts[0] in _REGIONS and len(parts) > 1:
            cities[parts[-1].lower().replace("_", " ").replace("-", " ")] = name
    return cities
