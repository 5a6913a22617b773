"""Case <-> JSON-able dict, through one cattrs converter.

Enums are stored by value, datetimes as ISO-8601 with their UTC offset, dates as ISO dates. Loading is
strict (unknown keys and wrong types are refused) so a document that does not match the model fails
loudly instead of being half-read. Errors name the field path, never its value (values are health data).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import cattrs

from journey.models import Case
from storage.repository import StorageError


def _unstructure_datetime(value: datetime) -> str:
    # A naive datetime is ambiguous after a restart on another host: refuse it where it is written.
    if value.tzinfo is None or value.utcoffset() is None:
        raise StorageError("refusing to store a datetime without a time zone")
    return value.isoformat()


def _structure_datetime(value: object, _: type) -> datetime:
    if not isinstance(value, str):
        raise TypeError("expected an ISO-8601 string")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("datetime without a time zone")
    return parsed


def _structure_date(value: object, _: type) -> date:
    if not isinstance(value, str):
        raise TypeError("expected an ISO date string")
    return date.fromisoformat(value)


def _is_enum(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, enum.Enum)


def _unstructure_str(value: str) -> str:
    return str(value.value) if isinstance(value, enum.Enum) else value


def _structure_enum(value: object, kind: type[enum.Enum]) -> enum.Enum:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise TypeError("expected an enum value")
    return kind(value)


def _strict(kind: type) -> Any:
    """cattrs' default would turn 5 into "5" or "no" into True; stored data must already be right."""

    def structure(value: object, target: type) -> object:
        # Our enums are StrEnums, so this str hook also receives them (cattrs dispatches on subclasses).
        if _is_enum(target):
            return _structure_enum(value, target)
        # bool is a subclass of int: do not accept True where an int is expected.
        if type(value) is not kind:
            raise TypeError(f"expected {kind.__name__}")
        return value

    return structure


def make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_unstructure_hook(datetime, _unstructure_datetime)
    converter.register_structure_hook(datetime, _structure_datetime)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(date, _structure_date)
    # StrEnum members are strs, and cattrs dispatches them to its identity hook for str: without this
    # the "plain JSON" would hold enum members. Our str hook stores the value instead.
    converter.register_unstructure_hook(str, _unstructure_str)
    for kind in (str, int, bool):
        converter.register_structure_hook(kind, _strict(kind))
    return converter


_converter = make_converter()


def case_to_dict(case: Case) -> dict[str, Any]:
    """The case as plain JSON types (no schema field: the repository adds it)."""
    data: dict[str, Any] = _converter.unstructure(case, Case)
    return data


def case_from_dict(data: dict[str, Any]) -> Case:
    """Build a Case from `case_to_dict` output; StorageError names the bad fields if it does not fit."""
    try:
        return _converter.structure(data, Case)
    except Exception as err:
        problems = "; ".join(cattrs.transform_error(err, path="case"))
        raise StorageError(f"case document does not match the model: {problems}") from None
