"""What the PostgreSQL repository needs besides SQL: plan bodies to and from rows, and the version each
loaded plan object came from (for the optimistic check in save_case)."""

from __future__ import annotations

import threading
import weakref
from typing import Any

from journey.models import Case
from storage.codec import case_from_dict, case_to_dict
from storage.migrations import CURRENT_SCHEMA, SCHEMA_KEY, upgrade
from storage.repository import StorageError

# What decoding a damaged or foreign body can raise (as in tinydb_repo.py): our StorageError (unknown
# schema, codec), and what the migrations raise on a shape they do not expect.
UNREADABLE = (StorageError, ValueError, TypeError, KeyError, AttributeError, RecursionError)


def encode(case: Case) -> dict[str, Any]:
    """The body stored for a case: the file store's document, schema number included."""
    return {SCHEMA_KEY: CURRENT_SCHEMA, **case_to_dict(case)}


def decode(body: object, case_id: str) -> Case:
    """The case in a stored body; raises one of UNREADABLE if it is not a readable case `case_id`."""
    if not isinstance(body, dict):
        raise StorageError(f"plan {case_id} is not a document")
    data = upgrade(body)
    del data[SCHEMA_KEY]
    case = case_from_dict(data)
    if case.id != case_id:
        raise StorageError(f"plan row {case_id} holds another plan")
    return case


def stored_owner(body: object) -> int | None:
    """The owner named in a stored (perhaps damaged) body, or None if it cannot be told."""
    members = body.get("members", []) if isinstance(body, dict) else []
    if not isinstance(members, list):
        return None
    owners = [
        m["user_id"]
        for m in members
        if isinstance(m, dict) and m.get("role") == "owner" and type(m.get("user_id")) is int
    ]
    return owners[0] if len(owners) == 1 else None


class Versions:
    """The stored version each Case object was loaded at (or last saved as), by object identity.

    A Case carries no version field (adding one would change every stored document and the domain for
    a storage concern), so the repository remembers it beside the object: an entry lives exactly as long
    as its object (weakref.finalize drops it), so ids are never confused and nothing grows.
    """

    def __init__(self) -> None:
        self._known: dict[int, int] = {}
        self._mutex = threading.Lock()

    def remember(self, case: Case, version: int) -> None:
        key = id(case)
        with self._mutex:
            if key not in self._known:
                weakref.finalize(case, self._forget, key)
            self._known[key] = version

    def of(self, case: Case) -> int | None:
        with self._mutex:
            return self._known.get(id(case))

    def _forget(self, key: int) -> None:
        with self._mutex:
            self._known.pop(key, None)
