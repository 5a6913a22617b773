"""Telegram's sending limits, applied before Telegram has to refuse us.

PTB's AIORateLimiter knows the overall limit (~30 messages a second) and the group limit (20 a minute), but
not the private-chat one (about one message a second, short bursts tolerated). Several reminders for one
person, or a caregiver's chat, would otherwise collect 429s. This adds that limit and retries a 429
after the wait Telegram asks for.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram._utils.types import JSONDict
from telegram.ext import AIORateLimiter

PRIVATE_BURST = 3  # messages a private chat may get at once...
PRIVATE_PERIOD = (
    4.0  # ...per this many seconds: a little under Telegram's one a second, so jitter stays clear
)
MAX_LIMITERS = 1024
READY_POLL = 0.05  # seconds between looks while the courier waits for a chat's room
READY_MAX = 30.0  # seconds the courier waits for room before it claims and queues in the limiter anyway
# Messages a second across all chats: a little under Telegram's ~30, as the per-chat pace is. With many
# chats answered at once the bot runs at this ceiling, and at exactly 30 jitter earned 429s that locked
# everyone out (docs/benchmarks.md, fairness with --telegram-limits).
OVERALL_RATE = 27
GROUP_RATE = 20  # messages a group may get...
GROUP_PERIOD = 60.0  # ...per this many seconds (Telegram's published figure)


class ChatAwareRateLimiter(AIORateLimiter):
    def __init__(self, *, private_burst: int = PRIVATE_BURST, private_period: float = PRIVATE_PERIOD) -> None:
        super().__init__(
            overall_max_rate=OVERALL_RATE,
            overall_time_period=1,
            group_max_rate=GROUP_RATE,
            group_time_period=GROUP_PERIOD,
            max_retries=5,
        )
        self._private_burst = private_burst
        self._private_period = private_period
        self._private: dict[int, AsyncLimiter] = {}

    def _private_limiter(self, chat_id: int) -> AsyncLimiter:
        if len(self._private) > MAX_LIMITERS:
            # Forget idle chats (a full bucket means nothing is waiting), as PTB does for groups.
            for key, limiter in list(self._private.items()):
                if limiter.has_capacity(self._private_burst):
                    del self._private[key]
        if chat_id not in self._private:
            self._private[chat_id] = AsyncLimiter(self._private_burst, self._private_period)
        return self._private[chat_id]

    async def ready(self, chat_id: int) -> None:
        """Until a new message to this private chat would not wait (the courier asks before it claims)."""
        if chat_id > 0:
            limiter = self._private_limiter(chat_id)
            # The bucket drains with time, not on an event: look again after a short while; a chat that
            # stays full (someone typing fast) gets the send after READY_MAX anyway, through the limiter.
            for _ in range(round(READY_MAX / READY_POLL)):
                if limiter.has_capacity():
                    return
                await asyncio.sleep(READY_POLL)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if endpoint == "sendChatAction":
            # Only a hint ("typing…"), and no message: it takes no place in a chat's budget and is never
            # retried, so it cannot hold up the send it comes before. A refusal reaches show_action.
            return await callback(*args, **kwargs)
        chat_id = chat_of(data)
        # New messages only: edits answering a tap keep buttons quick, and Telegram tolerates them.
        new_message = endpoint.startswith("send")
        if new_message and isinstance(chat_id, int) and chat_id > 0:
            async with self._private_limiter(chat_id):
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


def chat_of(data: dict[str, Any]) -> object:
    """The request's chat: an int when it is one (Telegram takes "123" too), else as given (an @name)."""
    chat_id: object = data.get("chat_id")
    with contextlib.suppress(ValueError, TypeError):
        chat_id = int(chat_id)  # type: ignore[call-overload]
    return chat_id
