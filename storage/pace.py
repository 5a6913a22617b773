"""The shared send pace, as the rate limiter sees it (handlers/plumbing/shared_pace.py); the PostgreSQL
implementation is storage/pg_pace.py. No psycopg here, so the limiter loads it only when it is used."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from storage.repository import StorageError


class PaceUnavailable(StorageError):
    """The shared pace could not be asked; `cause` is the error's type name (safe to log)."""

    def __init__(self, cause: str) -> None:
        super().__init__(f"the shared send pace is unavailable ({cause})")
        self.cause = cause


@dataclass(frozen=True)
class Pace:
    """One limit: `burst` sends at once after a quiet spell, then one every `interval` seconds."""

    key: str
    interval: float
    burst: int


@dataclass(frozen=True)
class Slot:
    """A send booked under one limit: it may go at `send_at` (the database's clock), `wait` seconds
    after the booking."""

    key: str
    send_at: datetime
    wait: float


class SharedPace(Protocol):
    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def reserve(self, *paces: Pace) -> list[Slot]:
        """Book the next slot under every limit given, at once; raises PaceUnavailable."""
        ...

    async def hold(self, seconds: float, *paces: Pace) -> None:
        """No limit given books a send before `seconds` from now; raises PaceUnavailable."""
        ...

    async def room(self, pace: Pace) -> float:
        """Seconds until a send booked under this limit would not wait (0: now); books nothing; raises
        PaceUnavailable."""
        ...


def wait_of(slots: Sequence[Slot]) -> float:
    """How long a send must wait: for the latest of its slots."""
    return max((slot.wait for slot in slots), default=0.0)
