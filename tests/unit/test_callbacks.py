"""The callback-data codec: every tap round trips within Telegram's 64 bytes; anything else is refused."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import pytest

import handlers.routes  # noqa: F401  (imports every feature, so every tap is registered)
from handlers.onboarding.taps import UrgencyAnswer
from handlers.plumbing.callbacks import (
    MAX_BYTES,
    Decoded,
    InvalidButton,
    NoopTap,
    Tap,
    decode,
    encode,
    fields_of,
    registered,
    tap,
)
from handlers.records.taps import RecordStatusTap, RecordTap
from handlers.sharing.taps import JoinTap, MemberTap
from handlers.specialist.taps import ToggleKindTap
from journey.models import RecordKind, RecordStatus, SpecialistKind, Urgency
from journey.sharing import SECRET_LENGTH

CASE = "AbCdEfGhIjKlMnOp"  # the length journey.ids.new_case_id makes
TAPS = sorted(registered().values(), key=lambda cls: cls.code)

# The codes of buttons already in people's chats: a code that goes away makes those buttons stale.
CODES = set(
    [
        "m",
        "p",
        "h",
        "dby",
        "dbn",
        "sk",
        "cx",
        "or",
        "od",
        "oM",  # a visit's summary
        "oT",  # ... sent to everyone in the plan
        "oK",  # ... kept to oneself
        "aN",  # "What they said" from visit mode
        "ou",
        "sp",
        "spk",
        "spt",
        "spw",
        "spa",
        "spc",
        "sps",
        "spr",
        "spx",
        "gt",
        "gc",
        "gw",
        "gv",
        "rc",
        "rci",
        "rcs",
        "rcf",
        "rca",
        "rcq",
        "rcy",
        "in",
        "inq",
        "ina",
        "inc",
        "inl",
        "ins",
        "ino",
        "inx",
        "qs",
        "qt",
        "qb",
        "ql",
        "qo",
        "qp",
        "qr",
        "ap",
        "an",
        "af",
        "aw",
        "ac",
        "am",
        "ay",
        "ah",
        "ad",
        "ak",
        "aK",
        "ai",
        "ax",
        "aX",
        "av",
        "aa",
        "ae",
        "aM",
        "aA",
        "aT",
        "st",
        "sz",
        "sZ",
        "sq",
        "sr",
        "ro",
        "x",
        "aq",
        "rz",
        "sn",
        "sl",
        "sh",
        "shn",
        "shr",
        "she",
        "mb",
        "mbi",
        "mbr",
        "mbx",
        "mbX",
        "mbo",
        "mbO",
        "mbg",
        "mbl",
        "mbG",
        "lv",
        "lvY",
        "dl",
        "dlY",
        "jn",
        "jx",
        "cs",
        "csp",
        "csu",
        "csn",
        "oy",
        "on",
        "nl",
        "nd",
        "nD",
        "pdf",
        "ltr",
        "erY",
        "kp",
        "oc",
        "oS",
        "oA",
        "oF",
        "oB",
        "o3",
    ]
)
# Toggles carry, last, the state they ask for: a tap sets, never flips.
TOGGLES = {"or", "spt", "qb", "qp", "sr", "aA", "rcy"}

LONGEST_STR = "x" * 12  # ids, targets, theme and question ids
LONGEST: dict[tuple[type[Tap], str], object] = {(JoinTap, "secret"): "s" * SECRET_LENGTH}
LARGE_INT = 9_999_999_999  # a page, a yyyymmdd, minutes since the epoch, a Telegram user id


def longest(cls: type[Tap], name: str, kind: type, flag: bool) -> object:
    if (cls, name) in LONGEST:
        return LONGEST[(cls, name)]
    if kind is bool:
        return flag
    if kind is int:
        return LARGE_INT
    if kind is str:
        return LONGEST_STR
    assert issubclass(kind, enum.StrEnum)
    return max(kind, key=lambda member: len(member.value))


def sample(cls: type[Tap], flag: bool = True) -> Tap:
    return cls(*(longest(cls, name, kind, flag) for name, kind in fields_of(cls)))


def test_every_code_of_old_buttons_is_still_a_tap() -> None:
    assert set(registered()) == CODES


@pytest.mark.parametrize("cls", TAPS, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("flag", [True, False])
def test_every_tap_round_trips_within_64_bytes_with_the_longest_values(cls: type[Tap], flag: bool) -> None:
    pressed = sample(cls, flag)
    data = encode(CASE, pressed)
    assert len(data.encode()) <= MAX_BYTES
    assert decode(data) == Decoded(CASE, pressed)
    case_id, back = decode(data)
    assert (case_id, type(back)) == (CASE, cls)


@pytest.mark.parametrize("cls", TAPS, ids=lambda cls: cls.__name__)
def test_toggles_carry_the_state_they_ask_for_last(cls: type[Tap]) -> None:
    declared = list(fields_of(cls))
    if cls.code in TOGGLES:
        assert declared[-1] == ("on", bool)
    else:
        assert all(kind is not bool for _, kind in declared)


def test_the_wire_format_is_what_buttons_in_chats_carry() -> None:
    pressed = RecordStatusTap(RecordKind("path_report"), RecordStatus("arrived"))
    assert encode(CASE, pressed) == f"1:rcs:{CASE}:path_report:arrived"
    assert encode(CASE, ToggleKindTap(SpecialistKind("surgical"), on=False)).endswith(":surgical:0")
    assert decode(f"1:mbi:{CASE}:12345") == (CASE, MemberTap(12345))
    assert decode(f"1:x:{CASE}") == (CASE, NoopTap())


def test_urgency_buttons_are_the_urgencies_and_no_answer() -> None:
    assert {a.urgency for a in UrgencyAnswer} == {*Urgency, None}


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "garbage",
        "2:m:AbCdEfGhIjKlMnOp",  # a future or past version
        "0:m:AbCdEfGhIjKlMnOp",
        "1:zz:AbCdEfGhIjKlMnOp",  # unknown code
        "1::AbCdEfGhIjKlMnOp",
        "1:m:../../etc",  # not a case id
        "1:m:short",
        "1:m:",
        "1:m:AbCdEfGhIjKlMnOp:extra",  # wrong number of fields
        "1:rcs:AbCdEfGhIjKlMnOp:labs",
        "1:rcs:AbCdEfGhIjKlMnOp:labs:arrived:arrived",
        "1:rcs:AbCdEfGhIjKlMnOp:xray:arrived",  # not a member of the enum
        "1:rcs:AbCdEfGhIjKlMnOp:labs:ARRIVED",
        "1:rci:AbCdEfGhIjKlMnOp:la bs",  # bad characters
        "1:rci:AbCdEfGhIjKlMnOp:",  # empty
        "1:rci:AbCdEfGhIjKlMnOp:" + "x" * 60,  # too long
        "1:mbi:AbCdEfGhIjKlMnOp:12a",  # not digits
        "1:mbi:AbCdEfGhIjKlMnOp:-5",  # negative
        "1:mbi:AbCdEfGhIjKlMnOp:١٢",  # digits, but not ASCII ones
        "1:mbi:AbCdEfGhIjKlMnOp:1:2",
        "1:spt:AbCdEfGhIjKlMnOp:surgical:2",  # a bool other than 0 and 1
        "1:spt:AbCdEfGhIjKlMnOp:surgical:true",
        "1:spt:AbCdEfGhIjKlMnOp:surgical:",
        "1:sp:AbCdEfGhIjKlMnOp:1x",  # a page that is not a number
    ],
)
def test_forged_or_stale_data_is_refused(data: str | None) -> None:
    with pytest.raises(InvalidButton):
        decode(data)


@pytest.mark.parametrize(
    "pressed",
    [
        RecordTap("a:b"),  # type: ignore[arg-type]  # a str where an enum goes
        MemberTap(-1),
        MemberTap(True),  # a bool is not an int here
        MemberTap("12"),  # type: ignore[arg-type]
        ToggleKindTap(SpecialistKind("surgical"), 1),  # type: ignore[arg-type]  # an int is not a bool
        JoinTap("a:b"),
        JoinTap(""),
        JoinTap("x" * 25),
    ],
)
def test_encode_refuses_values_decode_would_refuse(pressed: Tap) -> None:
    with pytest.raises(ValueError):
        encode(CASE, pressed)


def test_encode_refuses_a_bad_case_id_and_data_over_64_bytes() -> None:
    with pytest.raises(ValueError):
        encode("../etc", NoopTap())
    too_long = sample(registered()["qb"])  # fits with a real case id, not with the longest allowed
    with pytest.raises(ValueError):
        encode("C" * 32, too_long)


def test_a_tap_must_be_a_frozen_dataclass_of_plain_fields_with_a_free_code() -> None:
    with pytest.raises(TypeError):

        @tap("zz1")
        @dataclass
        class Thawed(Tap):
            page: int

    with pytest.raises(TypeError):

        @tap("zz2")
        @dataclass(frozen=True)
        class Odd(Tap):
            when: float

    with pytest.raises(TypeError):

        @tap("m")  # the menu's
        @dataclass(frozen=True)
        class Menu2(Tap):
            pass

    with pytest.raises(TypeError):

        @tap("a:b")
        @dataclass(frozen=True)
        class BadCode(Tap):
            pass

    assert {"zz1", "zz2", "a:b"}.isdisjoint(registered())
