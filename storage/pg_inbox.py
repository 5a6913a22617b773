"""The webhook inbox on PostgreSQL: updates stored before Telegram is answered, handled per chat in order.

Several workers behind one load balancer take updates at once, and two updates of one chat may reach two
workers. Each update is written to `inbox` (storage/sql/0002_inbox.sql) with its lane (its chat) before the
worker answers Telegram, so a worker that dies after answering loses nothing. A lane is handled by whoever
holds its session advisory lock (`pg_try_advisory_lock`), on a connection of its own for as long as it
drains the lane, oldest update first: one worker at a time per chat, in update_id order. When a worker dies
its connections close and PostgreSQL drops its locks at once, so another worker takes the lane over.

Lanes are chat ids (64-bit), locked in the two-int4 key space (high and low halves), which PostgreSQL keeps
apart from the single-bigint space the schema lock uses (storage/pg_schema.py): a chat never shares a lock
with anything else.

Async (psycopg_pool.AsyncConnectionPool): it is used by the webhook server and the lane readers, on the
event loop; each call is one short statement in autocommit.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import psycopg
from psycopg.rows import TupleRow
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from storage.repository import StorageError

log = logging.getLogger(__name__)

AsyncConnection = psycopg.AsyncConnection[TupleRow]
LANES = 16  # lanes one worker drains at once; each holds a connection while it does
CONNECT_TIMEOUT = 30.0
# A handled update keeps its id (not its body) this long, so a delivery Telegram repeats is not handled twice.
KEEP_HANDLED = timedelta(days=1)


def lock_key(lane: int) -> tuple[int, int]:
    """The lane's advisory lock as two signed int4 halves (a chat id needs 53 bits)."""
    high, low = lane >> 32, lane & 0xFFFF_FFFF
    return high, low - (1 << 32) if low >= 1 << 31 else low


class HeldLane:
    """A lane this worker holds: read its oldest update, mark it handled; on the lane's own connection."""

    def __init__(self, conn: AsyncConnection, lane: int) -> None:
        self._conn = conn
        self.lane = lane

    async def next(self) -> tuple[int, dict[str, Any]] | None:
        """The lane's oldest update not yet handled, as (update_id, the update's JSON), or None."""
        cursor = await self._conn.execute(
            "SELECT update_id, body FROM inbox WHERE lane = %s AND handled_at IS NULL"
            " ORDER BY update_id LIMIT 1",
            (self.lane,),
        )
        row = await cursor.fetchone()
        if row is None:
            return None
        update_id, body = row
        if type(update_id) is not int or not isinstance(body, dict):
            raise StorageError("the inbox holds a row that is not an update")
        return update_id, body

    async def done(self, update_id: int) -> None:
        """Handled: the body goes (it holds what the person wrote); the id stays a day, for repeats."""
        await self._conn.execute(
            "UPDATE inbox SET handled_at = now(), body = NULL WHERE update_id = %s", (update_id,)
        )


class PostgresInbox:
    """The inbox of one worker; `open()` before use and `close()` at the end (which drops its lanes)."""

    def __init__(self, url: str, *, lanes: int = LANES) -> None:
        # One connection per lane held, and one for everything else, so a full set of lanes never
        # holds up storing a new update.
        self._pool: AsyncConnectionPool[AsyncConnection] = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=lanes + 1,
            open=False,
            kwargs={"autocommit": True},
            check=AsyncConnectionPool.check_connection,
            name="inbox",
        )

    async def open(self) -> None:
        try:
            await self._pool.open(wait=True, timeout=CONNECT_TIMEOUT)
        except PoolTimeout:
            await self._pool.close()
            raise StorageError("cannot reach the database in DATABASE_URL (PoolTimeout)") from None

    async def close(self) -> None:
        await self._pool.close()

    async def put(self, update_id: int, lane: int, update: dict[str, Any]) -> bool:
        """Store an update; False when it was stored before (Telegram delivered it again)."""
        async with self._pool.connection() as conn:
            cursor = await conn.execute(
                "INSERT INTO inbox (update_id, lane, body) VALUES (%s, %s, %s)"
                " ON CONFLICT (update_id) DO NOTHING",
                (update_id, lane, Jsonb(update)),
            )
            return cursor.rowcount == 1

    async def waiting_lanes(self, limit: int = 64) -> list[int]:
        """Lanes with updates not yet handled, the longest waiting first."""
        async with self._pool.connection() as conn:
            cursor = await conn.execute(
                "SELECT lane FROM inbox WHERE handled_at IS NULL GROUP BY lane ORDER BY min(update_id) LIMIT %s",
                (limit,),
            )
            return [int(str(row[0])) for row in await cursor.fetchall()]

    async def waiting(self, lane: int) -> bool:
        async with self._pool.connection() as conn:
            cursor = await conn.execute(
                "SELECT EXISTS (SELECT 1 FROM inbox WHERE lane = %s AND handled_at IS NULL)", (lane,)
            )
            row = await cursor.fetchone()
            return bool(row and row[0])

    async def forget_handled(self, older_than: timedelta = KEEP_HANDLED) -> int:
        """Drop the ids of updates handled long ago; how many went."""
        async with self._pool.connection() as conn:
            cursor = await conn.execute("DELETE FROM inbox WHERE handled_at < now() - %s", (older_than,))
            return cursor.rowcount

    @asynccontextmanager
    async def hold(self, lane: int) -> AsyncIterator[HeldLane | None]:
        """The lane, held by this worker for the block; None when another worker holds it now."""
        async with self._pool.connection() as conn:
            cursor = await conn.execute("SELECT pg_try_advisory_lock(%s, %s)", lock_key(lane))
            row = await cursor.fetchone()
            if not (row and row[0]):
                yield None
                return
            released = False
            try:
                yield HeldLane(conn, lane)
                await conn.execute("SELECT pg_advisory_unlock(%s, %s)", lock_key(lane))
                released = True
            finally:
                if not released:
                    # Never hand a connection that may still hold the lock back to the pool: closed, the
                    # pool drops it, and PostgreSQL drops the lock with the session.
                    await conn.close()
