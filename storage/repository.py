"""The repository interface: how the rest of the bot loads and saves cases.

Three implementations follow it: `TinyDBCaseRepository` (files, the default), `PostgresCaseRepository`
(chosen by DATABASE_URL) and `InMemoryCaseRepository` (for tests). The shared storage tests run against
all three (PostgreSQL where its binaries are installed).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Protocol, runtime_checkable

from journey.models import Case

# Case ids become file names: anything else is refused before it gets near the file system.
CASE_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{6,32}$")


class StorageError(Exception):
    """The store could not do what was asked (bad id, unreadable file, unknown schema)."""


class Conflict(StorageError):
    """The plan was changed (or deleted) by someone else since it was loaded, so this save was refused and
    nothing was written. Load it again and redo the change: the unit of work (service/work.py) does.
    Only a store shared by several processes raises it (PostgreSQL); one process has the per-plan lock."""


class CaseRepository(Protocol):
    # True when other processes write the same plans (PostgreSQL with several workers): the courier then
    # reads their wake times too, and settles only claims older than its timeout (service/courier.py).
    shared: bool

    def load_case(self, case_id: str) -> Case | None:
        """The case, or None if there is no such case (or the id is malformed).

        A stored case that cannot be read (damaged, another case's id, not matching the model, a schema
        this bot does not know) is set aside (see `quarantined`), logged by id, and gives None: one bad
        file must not stop the bot. Every listing skips it from then on.
        """
        ...

    def save_case(self, case: Case) -> None:
        """Write the whole case atomically and durably. Cost does not depend on how many cases exist.

        Raises `Conflict` (writing nothing) if this case object was loaded from a stored copy that another
        writer has replaced or deleted since."""
        ...

    def delete_case(self, case_id: str) -> None:
        """Remove the case for good (its file and any copies set aside are gone) and every chat link."""
        ...

    def link_chat(self, chat_id: int, case_id: str) -> None:
        """Make `case_id` the case this chat works on (a private chat's id is the user's id)."""
        ...

    def unlink_chat(self, chat_id: int) -> None: ...

    def case_for_chat(self, chat_id: int) -> Case | None:
        """The case linked to this chat, or None."""
        ...

    def linked_case_id(self, chat_id: int) -> str | None:
        """The id the chat's link names, without loading the case (a hint: the case may be gone)."""
        ...

    def cases_of_user(self, user_id: int) -> list[Case]:
        """Every case this user is a member of, oldest first (for choosing the active one)."""
        ...

    def forget_user(self, user_id: int) -> None:
        """Forget what is kept about a person outside the plans' own content: their index of plans, their
        private chat's link, and any copy set aside of a plan they own (or whose owner cannot be read).
        Call once they are in no plan (deleting their data): the plans themselves change only through
        the unit of work."""
        ...

    def count_cases(self) -> int: ...

    def case_ids(self) -> list[str]:
        """Every stored case id, sorted (a case set aside is no longer stored)."""
        ...

    def wake_index(self) -> list[tuple[str, datetime]]:
        """(case id, wake time) for every case with something waiting (`journey.wake.next_wake`),
        earliest first, ties by id. Kept up to date by save_case and delete_case, so start-up reads no
        case. A time may be earlier than the truth (floored to the second, or stale after a crash; the
        reader then finds nothing due yet) but never later.
        """
        ...

    def quarantined(self) -> list[str]:
        """Ids of the cases whose stored copy could not be read and was set aside, sorted."""
        ...

    def close(self) -> None:
        """Release what the repository holds (the TinyDB one: its lock on DATA_DIR). Call at shutdown."""
        ...


def check_case_id(case_id: str) -> str:
    if not is_case_id(case_id):
        raise StorageError("malformed case id")
    return case_id


def is_case_id(value: object) -> bool:
    """True for a well-formed case id (also False for non-strings, which callers may pass by mistake)."""
    return isinstance(value, str) and CASE_ID_PATTERN.fullmatch(value) is not None


def check_chat_id(chat_id: int) -> int:
    # bool is an int subclass; True as a chat id is always a bug.
    if type(chat_id) is not int:
        raise StorageError("chat id must be an int")
    return chat_id


@runtime_checkable
class CourierLeases(Protocol):
    """A shared store's leases: which worker's courier sends for a plan now (storage/postgres_repo.py)."""

    def take_due(self, courier: str, now: datetime, until: datetime, limit: int) -> list[str]: ...
    def lease(self, case_id: str, courier: str, now: datetime, until: datetime) -> bool: ...
    def release(self, case_id: str, courier: str) -> None: ...
