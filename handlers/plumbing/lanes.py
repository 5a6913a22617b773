"""Per-chat lanes for PTB updates: chats run side by side, each chat's updates one at a time, in order.

PTB processes updates one at a time by default, so one slow chat (a disk write, a rate-limiter wait) holds
up every other chat; `concurrent_updates(N)` fixes that but drops all ordering, and a person's "/start"
could then race their next tap. `LaneProcessor` keeps one lane per chat: updates of different chats run
concurrently, updates of one chat run strictly in arrival order and never overlap.

A lane is a flag ("someone is running") and a deque of waiters, each with a future that is resolved when it
is its turn (True) or when it was dropped (False). The runner that finishes hands the lane to the oldest
waiter directly, so no newcomer can slip in between; a lane with nothing running or waiting is deleted, so
memory follows the chats that are busy right now, not every chat ever seen.

A chat that floods (a paste split into 50 messages, a stuck client) may keep at most `max_waiting` updates
waiting. Beyond that the oldest waiting plain message is dropped (the newest text is what the person means
now); commands and button taps are never dropped, because each is a deliberate act and they are few. Once
the lane is idle, `on_dropped(chat_id, count)` is called once so the bot can say so.

Note that `BaseUpdateProcessor.process_update` holds one slot of `max_concurrent_updates` while an update
waits in its lane, so the bound also caps updates waiting across all lanes.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

DroppedHook = Callable[[int, int], Awaitable[None]]


def lane_of(update: object) -> int | None:
    """The lane an update belongs to: its chat, else its user (an inline button tap), else none.

    A private chat's id equals its user's id, so a tap on an inline-mode message shares the lane of that
    person's private chat; group ids are negative and never collide with user ids.
    """
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


def is_droppable(update: object) -> bool:
    """Whether a flooding lane may drop this update: a plain message, not a command and not a tap."""
    if not isinstance(update, Update) or update.message is None:
        return False
    return not (update.message.text or "").startswith("/")


def _discard(coroutine: Awaitable[Any]) -> None:
    """Close an awaitable that will never run, so Python does not warn that it was never awaited."""
    if isinstance(coroutine, Coroutine):
        coroutine.close()
    elif isinstance(coroutine, asyncio.Future):
        coroutine.cancel()


HARD_LIMIT_FACTOR = 4  # past this many times max_waiting, even commands and taps are dropped


@dataclass(eq=False)
class _Waiter:
    """One update waiting in a lane; `turn` resolves True when it may run, False when it was dropped."""

    update: object
    coroutine: Awaitable[Any]
    turn: asyncio.Future[bool]
    droppable: bool


@dataclass(eq=False)
class _Lane:
    """A chat's lane: whether an update is running, who waits behind it, and how many were dropped."""

    running: bool = False
    waiting: deque[_Waiter] = field(default_factory=deque)
    dropped: int = 0


class LaneProcessor(BaseUpdateProcessor):
    """Runs different chats' updates concurrently and each chat's updates one at a time, in order."""

    __slots__ = ("_lanes", "_max_waiting", "_on_dropped")

    def __init__(
        self,
        max_concurrent_updates: int = 256,
        max_waiting: int = 8,
        *,
        on_dropped: DroppedHook | None = None,
    ) -> None:
        super().__init__(max_concurrent_updates)
        if max_waiting < 0:
            raise ValueError("max_waiting must be zero or more")
        self._max_waiting = max_waiting
        self._on_dropped = on_dropped
        self._lanes: dict[int, _Lane] = {}

    # --- public -----------------------------------------------------------------------------------------

    @property
    def max_waiting(self) -> int:
        """How many updates one lane may keep waiting behind the running one before it drops some."""
        return self._max_waiting

    def set_on_dropped(self, hook: DroppedHook | None) -> None:
        """Set the hook told about drops; separate from the constructor because it needs the built bot."""
        self._on_dropped = hook

    def waiting(self, chat_id: int) -> int:
        """How many updates of this lane wait behind the running one (0 for an idle lane)."""
        lane = self._lanes.get(chat_id)
        return 0 if lane is None else len(lane.waiting)

    def lanes_in_use(self) -> int:
        """How many lanes have something running or waiting (idle lanes are forgotten)."""
        return len(self._lanes)

    async def initialize(self) -> None:
        """Nothing to allocate: lanes are made on demand."""

    async def shutdown(self) -> None:
        """Nothing to free: lanes delete themselves when idle."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run `coroutine` in the lane of `update`, after every update of that lane that came before it.

        Everything up to the first await is synchronous, so the order of calls is the order in the lane.
        """
        key = lane_of(update)
        if key is None:
            await self._run(coroutine)
            return
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = _Lane()
        if not lane.running:
            lane.running = True
            await self._run_and_hand_over(key, lane, coroutine)
            return
        waiter = self._admit(lane, update, coroutine)
        if waiter is not None:
            await self._wait_then_run(key, lane, waiter)

    # --- running ----------------------------------------------------------------------------------------

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        """Await one update; an error is logged (type only, never text) so the lane goes on."""
        try:
            await coroutine
        except Exception as err:
            log.warning("update failed in its lane: %s", type(err).__name__)

    async def _run_and_hand_over(self, key: int, lane: _Lane, coroutine: Awaitable[Any]) -> None:
        """Run while owning the lane, then pass it on (also when cancelled), then report drops if idle."""
        try:
            await self._run(coroutine)
        except BaseException:
            self._hand_over(key, lane, cancelled=True)
            raise
        dropped = self._hand_over(key, lane, cancelled=False)
        if dropped:
            await self._report(key, dropped)

    async def _wait_then_run(self, key: int, lane: _Lane, waiter: _Waiter) -> None:
        """Wait for this update's turn; run it, or return if a newer arrival pushed it out."""
        try:
            may_run = await waiter.turn
        except BaseException:
            self._leave(key, lane, waiter)
            raise
        if may_run:
            await self._run_and_hand_over(key, lane, waiter.coroutine)

    def _hand_over(self, key: int, lane: _Lane, *, cancelled: bool) -> int:
        """Give the lane to the oldest waiter, or delete it; return the drops to report (0: none or busy)."""
        if lane.waiting:
            lane.waiting.popleft().turn.set_result(True)
            return 0
        lane.running = False
        if self._lanes.get(key) is lane:
            del self._lanes[key]
        dropped, lane.dropped = lane.dropped, 0
        if dropped and cancelled:
            log.info("lane cancelled with %d dropped updates unreported", dropped)
            return 0
        return dropped

    def _leave(self, key: int, lane: _Lane, waiter: _Waiter) -> None:
        """Clean up after a waiter cancelled while waiting; if it had just been given the lane, pass it on."""
        _discard(waiter.coroutine)
        if waiter in lane.waiting:
            lane.waiting.remove(waiter)
        elif waiter.turn.done() and not waiter.turn.cancelled() and waiter.turn.result():
            self._hand_over(key, lane, cancelled=True)

    # --- flood control ----------------------------------------------------------------------------------

    def _admit(self, lane: _Lane, update: object, coroutine: Awaitable[Any]) -> _Waiter | None:
        """Queue an arrival behind the running update, dropping one plain message if the lane is full.

        Returns the new waiter, or None when the arrival itself was dropped.
        """
        droppable = is_droppable(update)
        if len(lane.waiting) >= HARD_LIMIT_FACTOR * max(self._max_waiting, 1):
            # Commands and taps are kept first, but not without end: one chat must not hold every slot.
            _discard(coroutine)
            lane.dropped += 1
            return None
        if len(lane.waiting) >= self._max_waiting:
            victim = next((w for w in lane.waiting if w.droppable), None)
            if victim is not None:
                lane.waiting.remove(victim)
                _discard(victim.coroutine)
                victim.turn.set_result(False)
                lane.dropped += 1
            elif droppable:
                _discard(coroutine)
                lane.dropped += 1
                return None
        waiter = _Waiter(update, coroutine, asyncio.get_running_loop().create_future(), droppable)
        lane.waiting.append(waiter)
        return waiter

    async def _report(self, key: int, dropped: int) -> None:
        """Log a burst's drops (numbers only) and tell the hook once; a failing hook never breaks a lane."""
        log.info("lane dropped %d waiting updates", dropped)
        hook = self._on_dropped
        if hook is None:
            return
        try:
            await hook(key, dropped)
        except Exception as err:
            log.warning("on_dropped hook failed: %s", type(err).__name__)
