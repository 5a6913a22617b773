"""Telegram's sending limits for the bot as a whole: every worker books its sends in one PostgreSQL table.

Telegram counts a bot's messages (about 30 a second, one a second per private chat, 20 a minute per group),
not a process's, so workers that each keep the limits alone send up to N times too much together. Here
each limit (the whole bot, or one chat) is a row of `send_pace` (storage/sql/0004_send_pace.sql) holding
its GCRA "theoretical arrival time" (virtual scheduling, as in ATM traffic shaping): a send books the next
slot in ONE statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING; the row lock makes two workers
queue, never share a slot) and learns how long to wait for it. Times are the database's `now()`, so
workers on different machines agree whatever their own clocks say.

With interval T and burst b a limit allows b sends at once after a quiet spell, then one per T: the slot
booked ends at next_at, and may be used from next_at - b*T on. A row whose next_at has passed is a limit
at rest, the same as no row, so such rows (one per chat ever written to) are deleted now and then.
After a 429, `hold` moves next_at on so that no worker books a send before Telegram's wait is over.

Async (psycopg_pool.AsyncConnectionPool), unlike the plan repository: it is called from the rate limiter
on the event loop, for every message, and a thread hop per send would cost more than the query.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import psycopg
from psycopg_pool import AsyncConnectionPool

from storage.pace import Pace, PaceUnavailable, Slot

POOL_SIZE = 4
# How long a send may wait for a free connection before the limiter goes on without the shared pace.
CONNECTION_TIMEOUT = 2.0
PRUNE_EVERY = 1000  # reservations between two clean-ups of rows at rest
# A row is deleted only well after its next_at: a reservation that started before the clean-up and
# waited on the row's lock must not find its booking gone.
PRUNE_AFTER_SECONDS = 60

AsyncConnection = psycopg.AsyncConnection[tuple[object, ...]]

# Each limit's row in key order (two workers lock the same rows in the same order). On a conflict the
# new next_at is the later of the booked one and now, plus one interval; excluded.next_at - now() is that
# interval (the row proposed for a first send is now() + interval).
RESERVE = """
INSERT INTO send_pace AS pace (key, next_at)
SELECT key, now() + make_interval(secs => seconds)
FROM unnest(%(keys)s::text[], %(intervals)s::float8[]) AS limits (key, seconds)
ORDER BY key
ON CONFLICT (key) DO UPDATE
SET next_at = greatest(pace.next_at, now()) + (excluded.next_at - now())
RETURNING key, next_at, now()
"""

# After a 429: no limit given may book a send before `seconds` from now (and then at its steady rate).
HOLD = """
INSERT INTO send_pace AS pace (key, next_at)
SELECT key, now() + make_interval(secs => seconds)
FROM unnest(%(keys)s::text[], %(seconds)s::float8[]) AS limits (key, seconds)
ORDER BY key
ON CONFLICT (key) DO UPDATE SET next_at = greatest(pace.next_at, excluded.next_at)
"""

PRUNE = "DELETE FROM send_pace WHERE next_at < now() - make_interval(secs => %s)"


class SendPace:
    """The `send_pace` table over an async pool. `open()` inside the event loop, `close()` at the end.
    The schema is applied by the plan repository (storage/pg_schema.py), which the bot opens first."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = POOL_SIZE,
        connection_timeout: float = CONNECTION_TIMEOUT,
        prune_every: int = PRUNE_EVERY,
    ) -> None:
        self._pool: AsyncConnectionPool[AsyncConnection] = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            open=False,
            # One statement is the whole transaction: the booking is committed (and the row's lock
            # released) as soon as it is made.
            kwargs={"autocommit": True},
            timeout=connection_timeout,
            name="send-pace",
        )
        self._prune_every = prune_every
        self._until_prune = prune_every

    async def open(self) -> None:
        """Start the pool without waiting: a database that is down now is tried again at each send."""
        await self._pool.open(wait=False)

    async def close(self) -> None:
        await self._pool.close()

    async def reserve(self, *paces: Pace) -> list[Slot]:
        """Book the next slot under every limit given, at once; raises PaceUnavailable."""
        keys = [pace.key for pace in paces]
        if len(set(keys)) != len(keys):
            raise ValueError("each limit once per reservation")
        by_key = {pace.key: pace for pace in paces}
        try:
            async with self._pool.connection() as conn:
                cursor = await conn.execute(
                    RESERVE, {"keys": keys, "intervals": [pace.interval for pace in paces]}
                )
                rows = await cursor.fetchall()
                self._until_prune -= 1
                if self._until_prune <= 0:
                    self._until_prune = self._prune_every
                    await conn.execute(PRUNE, (PRUNE_AFTER_SECONDS,))
        except psycopg.Error as error:  # PoolTimeout and PoolClosed are psycopg errors too
            raise PaceUnavailable(type(error).__name__) from None
        return [_slot(by_key[str(key)], _at(next_at), _at(now)) for key, next_at, now in rows]

    async def hold(self, seconds: float, *paces: Pace) -> None:
        """Telegram refused a send for `seconds`: every worker's next booking under these limits waits
        that long, then goes at the steady rate (no burst straight after a refusal)."""
        try:
            async with self._pool.connection() as conn:
                await conn.execute(
                    HOLD,
                    {
                        "keys": [pace.key for pace in paces],
                        # The booking after the hold adds an interval and may use a burst's worth
                        # earlier: so the first send goes at `seconds` from now.
                        "seconds": [seconds + pace.interval * (pace.burst - 1) for pace in paces],
                    },
                )
        except psycopg.Error as error:
            raise PaceUnavailable(type(error).__name__) from None

    async def room(self, pace: Pace) -> float:
        """Seconds until a booking under `pace` would not wait: its next_at may be up to a burst (less the
        interval the booking adds) ahead of now. Reads only."""
        try:
            async with self._pool.connection() as conn:
                cursor = await conn.execute(
                    "SELECT extract(epoch FROM next_at - now()) FROM send_pace WHERE key = %s", (pace.key,)
                )
                row = await cursor.fetchone()
        except psycopg.Error as error:
            raise PaceUnavailable(type(error).__name__) from None
        ahead = 0.0 if row is None else float(str(row[0]))
        return max(0.0, ahead - pace.interval * (pace.burst - 1))

    async def prune(self) -> int:
        """Delete the rows of limits long at rest; how many went."""
        try:
            async with self._pool.connection() as conn:
                cursor = await conn.execute(PRUNE, (PRUNE_AFTER_SECONDS,))
                return cursor.rowcount
        except psycopg.Error as error:
            raise PaceUnavailable(type(error).__name__) from None


def _slot(pace: Pace, next_at: datetime, now: datetime) -> Slot:
    """The slot just booked ends at next_at; a burst of b lets it start b intervals earlier."""
    send_at = max(now, next_at - timedelta(seconds=pace.interval * pace.burst))
    return Slot(pace.key, send_at, (send_at - now).total_seconds())


def _at(value: object) -> datetime:
    assert isinstance(value, datetime), value
    return value
