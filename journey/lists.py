"""Small list rules shared by the steps: find an item by id, toggle a choice in a stable order."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Protocol, TypeVar

from journey.errors import Gone


class HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=HasId)
E = TypeVar("E", bound=enum.Enum)


def existing(items: Iterable[T], item_id: str) -> T | None:
    return next((item for item in items if item.id == item_id), None)


def find(items: Iterable[T], item_id: str) -> T:
    """The item with this id; Gone if it was removed (or a button names one that never was)."""
    item = existing(items, item_id)
    if item is None:
        raise Gone()
    return item


def toggled(chosen: list[E], value: E, present: bool | None = None) -> list[E]:
    """`chosen` with `value` added or removed, kept in the enum's order so lists read the same every time.

    `present` says which: a button carries the state it asks for, so a second tap on a screen that did
    not update (a lost edit) asks for the same state again instead of undoing the first.
    """
    keep = set(chosen)
    if present is None:
        keep ^= {value}
    elif present:
        keep.add(value)
    else:
        keep.discard(value)
    return [member for member in type(value) if member in keep]
