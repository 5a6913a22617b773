"""The one codec for inline-button callback data: typed, versioned, short, validated.

Every button carries a *tap*: a small frozen dataclass declared next to the feature that shows it
(`handlers/<feature>/taps.py`), registered under a short code with `@tap("rcs")`. Its fields travel in
declaration order after the code and the plan's id:

    @tap("rcs")
    @dataclass(frozen=True)
    class RecordStatusTap(Tap):
        kind: RecordKind      # "path_report"
        status: RecordStatus  # "arrived"

    "1:rcs:<case id>:path_report:arrived"

A field is a `str` (letters, digits, `_` and `-`), an `int` (digits only, never negative), a `bool`
("1"/"0") or a member of an `enum.StrEnum`. Codes are what buttons already in people's chats carry: keep
them, and keep a tap's fields as they are, or those buttons go stale.

Decoding proves only that the data is well formed. It is never trusted for authorization: the button
dispatcher re-checks that the person pressing may see or change the case named here.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple, TypeVar

VERSION = "1"
SEP = ":"
MAX_BYTES = 64  # Telegram's limit for callback_data
_ARG = re.compile(r"^[A-Za-z0-9_-]{1,24}$")
_INT = re.compile(r"^[0-9]{1,24}$")
_CASE = re.compile(r"^[A-Za-z0-9_-]{6,32}$")
_BOOL = {"1": True, "0": False}


class InvalidButton(ValueError):
    """Callback data we did not make, or made by an older version of the bot."""


class Tap:
    """What one button asks for: subclasses are frozen dataclasses registered with `@tap(code)`."""

    code: ClassVar[str]


TapT = TypeVar("TapT", bound=type[Tap])

# code -> tap class; and each class's fields as (name, type), in the order they travel.
_TAPS: dict[str, type[Tap]] = {}
_FIELDS: dict[type[Tap], tuple[tuple[str, type], ...]] = {}


def tap(code: str) -> Callable[[TapT], TapT]:
    """Register a tap class under its short code (put it above `@dataclass(frozen=True)`)."""

    def register(cls: TapT) -> TapT:
        if not _ARG.fullmatch(code):
            raise TypeError(f"bad tap code {code!r}")
        if code in _TAPS and _TAPS[code] is not cls:
            raise TypeError(f"tap code {code!r} is taken by {_TAPS[code].__name__}")
        params = getattr(cls, "__dataclass_params__", None)
        if params is None or not params.frozen:
            raise TypeError(f"{cls.__name__} must be a frozen dataclass")
        hints = typing.get_type_hints(cls)
        fields = tuple((f.name, hints[f.name]) for f in dataclasses.fields(typing.cast(Any, cls)))
        for name, kind in fields:
            if not _allowed(kind):
                raise TypeError(f"{cls.__name__}.{name}: a tap field is a str, int, bool or StrEnum")
        cls.code = code
        _TAPS[code] = cls
        _FIELDS[cls] = fields
        return cls

    return register


def _allowed(kind: object) -> bool:
    return kind in (str, int, bool) or (isinstance(kind, type) and issubclass(kind, enum.StrEnum))


def registered() -> dict[str, type[Tap]]:
    """Every tap class by its code (those of the features imported so far: `handlers.routes` imports all)."""
    return dict(_TAPS)


def fields_of(cls: type[Tap]) -> tuple[tuple[str, type], ...]:
    """A tap class's fields as (name, type), in the order they travel."""
    return _FIELDS[cls]


@tap("x")
@dataclass(frozen=True)
class NoopTap(Tap):
    """Blank calendar cells and headings: answered, nothing happens."""


class Decoded(NamedTuple):
    """What a button's data says: which plan, and what was asked for."""

    case_id: str
    tap: Tap


def _field(value: object, kind: type) -> str:
    """One field as text; ValueError for a value of the wrong type or shape (a bug of ours)."""
    if kind is bool:
        if type(value) is not bool:
            raise ValueError(f"not a bool: {value!r}")
        return "1" if value else "0"
    if kind is int:
        if type(value) is not int or value < 0:
            raise ValueError(f"not a non-negative int: {value!r}")
        text = str(value)
    elif kind is str:
        if not isinstance(value, str):
            raise ValueError(f"not a str: {value!r}")
        text = str(value)  # a StrEnum member as its value
    else:
        if not isinstance(value, kind):
            raise ValueError(f"not a {kind.__name__}: {value!r}")
        text = str(value.value)  # type: ignore[attr-defined]
    if not _ARG.fullmatch(text):
        raise ValueError(f"bad button value {text!r}")
    return text


def _parse(text: str, kind: type) -> Any:
    """One field from button data; InvalidButton for anything we would not have written."""
    if not _ARG.fullmatch(text):
        raise InvalidButton()
    if kind is bool:
        if text not in _BOOL:
            raise InvalidButton()
        return _BOOL[text]
    if kind is int:
        if not _INT.fullmatch(text):
            raise InvalidButton()
        return int(text)
    if kind is str:
        return text
    try:
        return kind(text)
    except ValueError:
        raise InvalidButton() from None


def encode(case_id: str, pressed: Tap) -> str:
    """The callback data of a button; ValueError if it could not be decoded back (a bug of ours)."""
    fields = _FIELDS.get(type(pressed))
    if fields is None:
        raise ValueError(f"{type(pressed).__name__} is not a registered tap")
    if not _CASE.fullmatch(case_id):
        raise ValueError("bad case id in a button")
    parts = [_field(getattr(pressed, name), kind) for name, kind in fields]
    data = SEP.join([VERSION, pressed.code, case_id, *parts])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes for {type(pressed).__name__}")
    return data


def decode(data: str | None) -> Decoded:
    """The plan and the tap in a button's data; InvalidButton for anything malformed, unknown or stale."""
    if not data or len(data.encode()) > MAX_BYTES:
        raise InvalidButton()
    version, _, rest = data.partition(SEP)
    if version != VERSION:
        raise InvalidButton()
    code, _, rest = rest.partition(SEP)
    case_id, *args = rest.split(SEP)
    cls = _TAPS.get(code)
    if cls is None or not _CASE.fullmatch(case_id):
        raise InvalidButton()
    fields = _FIELDS[cls]
    if len(args) != len(fields):
        raise InvalidButton()
    values = [_parse(text, kind) for text, (_, kind) in zip(args, fields, strict=True)]
    try:
        return Decoded(case_id, cls(*values))
    except (TypeError, ValueError):  # a tap that checks its own values refused them
        raise InvalidButton() from None
