"""Handling the webhook inbox: every chat's updates in order, one worker at a time per chat, many chats at once.

With several workers (webhook mode on PostgreSQL), an update is stored in the inbox (storage/pg_inbox.py)
before Telegram is answered, and whichever worker holds the chat's lane handles it. `note(lane)` is called
by the webhook server after storing an update: this worker tries to take the lane and, if it gets it,
handles the lane's updates oldest first until none is left, then lets it go. If another worker holds the
lane, that worker handles the new update in its own loop. A poll every `poll_seconds` picks up lanes whose
worker died (PostgreSQL dropped its locks) and anything a race left behind.

The one race: a worker finds no more updates and lets the lane go while another worker stores one and
finds the lane still held. So after letting go, the worker looks once more, and takes the lane again if
something is waiting; the other worker stored its update before trying the lock, so one of the two sees it.

A handler's failure is logged (by type and update id) and the update counts as handled: a bad update must
not block its chat for ever. Stopping lets each lane finish the update in hand, then lets the lanes go, and
the other workers take the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from typing import Any, Protocol

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
FORGET_EVERY = 600.0  # seconds between clean-ups of the ids of long-handled updates
STOP_TIMEOUT = 20.0  # how long stopping waits for the updates in hand

Handle = Callable[[dict[str, Any]], Awaitable[None]]


class Held(Protocol):
    async def next(self) -> tuple[int, dict[str, Any]] | None: ...
    async def done(self, update_id: int) -> None: ...


class Inbox(Protocol):
    """What the reader needs of storage/pg_inbox.py::PostgresInbox."""

    async def waiting_lanes(self, limit: int = ...) -> list[int]: ...
    async def waiting(self, lane: int) -> bool: ...
    async def forget_handled(self, older_than: timedelta = ...) -> int: ...
    def hold(self, lane: int) -> AbstractAsyncContextManager[Held | None]: ...


class InboxReader:
    def __init__(
        self, inbox: Inbox, handle: Handle, *, poll_seconds: float = POLL_SECONDS, lanes: int = 16
    ) -> None:
        self._inbox = inbox
        self._handle = handle
        self.poll_seconds = poll_seconds
        self.stop_timeout = STOP_TIMEOUT
        self._slots = asyncio.Semaphore(lanes)
        self._draining: dict[int, asyncio.Task[None]] = {}
        self._again: set[int] = set()  # lanes noted while being drained here
        self._poller: asyncio.Task[None] | None = None
        self._stopping = False
        self.handled = 0  # updates handled by this worker (for tests and the log)

    def start(self) -> None:
        self._poller = asyncio.create_task(self._poll(), name="inbox-poll")

    def note(self, lane: int) -> None:
        """An update for this lane was stored: handle it here unless this worker is at it already."""
        if self._stopping:
            return
        if lane in self._draining:
            self._again.add(lane)  # the drain looks again before it lets the lane go
            return
        self._draining[lane] = asyncio.create_task(self._drain(lane), name="inbox-lane")

    async def stop(self) -> None:
        """Finish the updates in hand (within `stop_timeout`), then let every lane go."""
        self._stopping = True
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
        busy = list(self._draining.values())
        if busy:
            _, late = await asyncio.wait(busy, timeout=self.stop_timeout)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        log.info("inbox: stopped after handling %d updates", self.handled)

    async def _poll(self) -> None:
        forgotten = time.monotonic()
        while True:
            await asyncio.sleep(self.poll_seconds)
            try:
                for lane in await self._inbox.waiting_lanes():
                    self.note(lane)
                if time.monotonic() - forgotten > FORGET_EVERY:
                    forgotten = time.monotonic()
                    await self._inbox.forget_handled()
            except Exception as error:  # the database away for a moment: try again next time
                log.warning("inbox: could not look for waiting updates: %s", type(error).__name__)

    async def _drain(self, lane: int) -> None:
        try:
            async with self._slots:
                while not self._stopping:
                    self._again.discard(lane)
                    if not await self._drain_once(lane):
                        return  # another worker holds the lane: it handles what is new
                    # Let go with nothing left; look once more (see the module's docstring).
                    if lane not in self._again and not await self._inbox.waiting(lane):
                        return
        except Exception as error:  # the database away: the poll brings the lane back
            log.warning("inbox: lane left for later: %s", type(error).__name__)
        finally:
            # Here, not in a done-callback: a note() between the last look and the callback would be lost.
            self._draining.pop(lane, None)
            self._again.discard(lane)

    async def _drain_once(self, lane: int) -> bool:
        """Hold the lane and handle its updates in order; False when another worker holds it."""
        async with self._inbox.hold(lane) as held:
            if held is None:
                return False
            async for update_id, update in _updates(held, lambda: self._stopping):
                try:
                    await self._handle(update)
                except Exception as error:  # never let one update block its chat
                    log.error("inbox: update %d failed: %s", update_id, type(error).__name__)
                await held.done(update_id)
                self.handled += 1
            return True


async def _updates(held: Held, stopping: Callable[[], bool]) -> AsyncIterator[tuple[int, dict[str, Any]]]:
    while not stopping():
        item = await held.next()
        if item is None:
            return
        yield item
