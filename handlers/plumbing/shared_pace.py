"""Telegram's limits for the bot as a whole, when several workers send through one token.

ChatAwareRateLimiter (ratelimit.py) keeps the limits inside one process; two workers each keeping them
would send twice Telegram's pace together and collect 429s. SharedRateLimiter keeps the in-process
limits (and their retries of a 429), and as the last step before each new message goes to Telegram books
it a slot in the shared pace (storage/pg_pace.py: the whole bot at OVERALL_RATE a second, and its chat at
the private or group pace) and sleeps until the later of the two. A 429 is shared too: every worker's
next sends to that chat, and of the bot, wait the time Telegram asked for.

The shared pace is a help, never a condition: if the database cannot be asked the message goes on under
the in-process limits alone (a few 429s, retried, rather than a lost message). The outage is logged once,
by the error's type, and the database is asked again RETRY_AFTER seconds later.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram._utils.types import JSONDict
from telegram.error import RetryAfter

from handlers.plumbing.ratelimit import (
    GROUP_PERIOD,
    GROUP_RATE,
    OVERALL_RATE,
    PRIVATE_BURST,
    PRIVATE_PERIOD,
    ChatAwareRateLimiter,
    chat_of,
)
from storage.pace import Pace, PaceUnavailable, SharedPace, Slot, wait_of

log = logging.getLogger(__name__)

BOT_KEY = "bot"
# A booking that takes longer than this is given up for this message (the database is stalled).
RESERVE_TIMEOUT = 2.0
# After a failure, sends skip the database this long: a database that is down must not cost every
# message a timeout.
RETRY_AFTER = 5.0
READY_LOOKS = 5  # times `ready` looks at a chat's shared pace before the courier goes on anyway


class SharedRateLimiter(ChatAwareRateLimiter):
    def __init__(
        self,
        pace: SharedPace,
        *,
        private_burst: int = PRIVATE_BURST,
        private_period: float = PRIVATE_PERIOD,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        reserve_timeout: float = RESERVE_TIMEOUT,
    ) -> None:
        super().__init__(private_burst=private_burst, private_period=private_period)
        self._pace = pace
        self._sleep = sleep
        self._clock = clock
        self._reserve_timeout = reserve_timeout
        self._down = False
        self._skip_until = float("-inf")

    async def initialize(self) -> None:
        """PTB calls this with the bot's own initialize(): the pool lives as long as the application."""
        await super().initialize()
        await self._pace.open()

    async def shutdown(self) -> None:
        await self._pace.close()
        await super().shutdown()

    async def ready(self, chat_id: int) -> None:
        """Until this worker's limits and the bot's shared pace both have room for the chat: other workers
        may be sending to it right now (replies), and a courier must not claim a send and then wait."""
        await super().ready(chat_id)
        chat = self.paces(chat_id)[-1]
        for _ in range(READY_LOOKS):  # others may book in between: look again, a few times at most
            wait = await self._ask(self._pace.room(chat))
            if not wait:
                return
            await self._sleep(wait)

    def paces(self, chat_id: object) -> tuple[Pace, ...]:
        """The limits a new message to `chat_id` counts against."""
        overall = Pace(BOT_KEY, 1 / OVERALL_RATE, OVERALL_RATE)
        if chat_id is None:
            return (overall,)
        if isinstance(chat_id, int) and chat_id > 0:
            chat = Pace(f"chat:{chat_id}", self._private_period / self._private_burst, self._private_burst)
        else:  # a group, or a channel by @name
            chat = Pace(f"chat:{chat_id}", GROUP_PERIOD / GROUP_RATE, GROUP_RATE)
        return (overall, chat)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        # New messages only, as in ChatAwareRateLimiter: a chat action is a hint, edits keep taps quick.
        if not endpoint.startswith("send") or endpoint == "sendChatAction":
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        paces = self.paces(chat_of(data))

        async def booked(*call_args: Any, **call_kwargs: Any) -> bool | JSONDict | list[JSONDict]:
            # The shared slot is the last gate before Telegram, booked for every attempt (a retry too):
            # a wait in the in-process limits after it would bunch up sends the database spread out.
            wait = await self._ask(self._pace.reserve(*paces))
            if wait:
                await self._sleep(wait)
            try:
                return await callback(*call_args, **call_kwargs)
            except RetryAfter as refused:
                # Telegram does not say which limit was broken: every worker holds off the bot and the
                # chat, or the others' sends would keep restarting the penalty.
                await self._ask(self._pace.hold(_seconds(refused), *paces))
                raise

        return await super().process_request(booked, args, kwargs, endpoint, data, rate_limit_args)

    async def _ask(self, question: Coroutine[Any, Any, list[Slot] | float | None]) -> float:
        """The wait a booking (or a look at a chat's room) gives (0 for a hold), or 0 when the shared pace
        cannot be asked."""
        if self._clock() < self._skip_until:
            question.close()  # never started
            return 0.0
        try:
            answer = await asyncio.wait_for(question, self._reserve_timeout)
        except (PaceUnavailable, TimeoutError) as error:
            self._skip_until = self._clock() + RETRY_AFTER
            if not self._down:
                self._down = True
                cause = error.cause if isinstance(error, PaceUnavailable) else type(error).__name__
                log.warning("shared send pace unavailable (%s); this worker keeps the limits alone", cause)
            return 0.0
        if self._down:
            self._down = False
            log.warning("shared send pace back")
        return answer if isinstance(answer, float) else wait_of(answer or [])


def _seconds(refused: RetryAfter) -> float:
    """The wait Telegram asked for (PTB's own limiter reads it the same way)."""
    return refused._retry_after.total_seconds()
