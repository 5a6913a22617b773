"""The codec: a case survives the trip to JSON text and back exactly, and bad documents are refused."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

import pytest

from journey.models import Case, InsuranceQuestion
from storage import StorageError, case_from_dict, case_to_dict
from tests.unit.storage_helpers import full_case, minimal_case


def _through_json(case: Case) -> Case:
    return case_from_dict(json.loads(json.dumps(case_to_dict(case))))


def _defaults_of(cls: type) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            values[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            values[f.name] = f.default_factory()
    return values


def _fields_set(obj: object, seen: dict[type, set[str]]) -> None:
    """Record, per dataclass, which fields hold a non-default value somewhere in the tree."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        defaults = _defaults_of(type(obj))
        names = seen.setdefault(type(obj), set())
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if value is not None and (f.name not in defaults or value != defaults[f.name]):
                names.add(f.name)
            _fields_set(value, seen)
    elif isinstance(obj, list):
        for item in obj:
            _fields_set(item, seen)
    elif isinstance(obj, dict):
        for item in obj.values():
            _fields_set(item, seen)


def test_full_case_really_sets_every_field() -> None:
    # Guards the round-trip test below: a field added to the model must be added to full_case too.
    seen: dict[type, set[str]] = {}
    _fields_set(full_case(), seen)
    for cls, names in seen.items():
        missing = {f.name for f in dataclasses.fields(cls)} - names
        assert not missing, f"{cls.__name__} fields never set in full_case: {missing}"


@pytest.mark.parametrize("case", [full_case(), minimal_case()], ids=["full", "minimal"])
def test_round_trip_through_json_is_exact(case: Case) -> None:
    back = _through_json(case)
    assert back == case
    # == on aware datetimes compares instants only; the offset must survive too.
    assert back.updated_at.utcoffset() == case.updated_at.utcoffset()
    assert back.created_at.utcoffset() == case.created_at.utcoffset()


def _plain_types(value: object) -> set[type]:
    if isinstance(value, dict):
        keys = {type(k) for k in value}
        return keys.union(*(_plain_types(v) for v in value.values()), {dict})
    if isinstance(value, list):
        return set().union(*(_plain_types(v) for v in value), {list})
    return {type(value)}


def test_encoding_is_plain_readable_json() -> None:
    data = case_to_dict(full_case())
    # Exact types: a StrEnum member would compare equal to its value but is not plain JSON.
    assert _plain_types(data) <= {dict, list, str, int, bool, type(None)}
    assert data["profile"]["urgency"] == "soon"
    assert data["profile"]["reasons"] == ["rare", "comfort"]
    assert data["updated_at"] == "2025-06-07T08:09:10.111213+02:00"
    assert data["records"]["items"][0]["requested_on"] == "2025-02-28"
    assert data["insurance"]["answers"] == {"covered": "yes", "prior_auth": "unsure", "remote": "no"}
    assert data["members"][2]["prompt"] is None
    assert isinstance(next(iter(case_from_dict(data).insurance.answers)), InsuranceQuestion)


def test_naive_datetime_is_refused_on_save() -> None:
    case = minimal_case()
    case.updated_at = datetime(2025, 1, 1, 12, 0)
    with pytest.raises(StorageError, match="time zone"):
        case_to_dict(case)


def test_naive_datetime_is_refused_on_load() -> None:
    data = case_to_dict(minimal_case())
    data["created_at"] = "2025-01-01T12:00:00"
    with pytest.raises(StorageError, match=r"case\.created_at"):
        case_from_dict(data)


def test_unknown_key_is_refused() -> None:
    data = case_to_dict(minimal_case())
    data["profile"]["shoe_size"] = 44
    with pytest.raises(StorageError, match="shoe_size"):
        case_from_dict(data)


def test_wrong_type_is_refused_and_the_value_is_not_in_the_message() -> None:
    data = case_to_dict(full_case())
    data["profile"]["diagnosis"] = ["secret-diagnosis-text"]
    data["members"][0]["user_id"] = "42"
    data["members"][1]["user_id"] = True
    with pytest.raises(StorageError) as caught:
        case_from_dict(data)
    message = str(caught.value)
    assert "case.profile.diagnosis" in message
    assert "case.members[0].user_id" in message
    assert "case.members[1].user_id" in message
    assert "secret-diagnosis-text" not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_unknown_enum_value_is_refused() -> None:
    data = case_to_dict(full_case())
    data["profile"]["urgency"] = "yesterday"
    with pytest.raises(StorageError, match=r"case\.profile\.urgency"):
        case_from_dict(data)
