"""Telegram's flood control, so that a bot's rate limiting is tested against refusals, not hope.

Telegram allows about 30 messages a second across all chats, about one a second per private chat (short
bursts tolerated) and 20 a minute per group. Over a limit it answers 429 with ``retry_after``; sending again
before that time has passed is refused too and pushes the penalty further out.

Each limit is a token bucket (capacity = the burst allowed, refilled at the steady rate), the same model
as ``aiolimiter``'s leaky bucket inside PTB's ``AIORateLimiter``. A refusal opens a penalty on the limit
that was broken: the whole bot for the overall limit, the chat for a per-chat one. Off unless a
:class:`RateLimits` is given to :class:`~sandbox.server.SandboxServer`.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sandbox.errors import too_many_requests

#: Bot API methods that post something to a chat and so count against the limits (lower case).
LIMITED_METHODS = frozenset({"sendmessage", "senddocument", "sendphoto", "editmessagetext"})

_BOT = "bot"  # the penalty key of the overall limit


@dataclass(frozen=True)
class RateLimits:
    """The limits to enforce; the defaults are Telegram's published figures."""

    overall_per_second: float = 30.0
    private_per_second: float = 1.0
    private_burst: int = 3
    group_per_minute: float = 20.0


class _Bucket:
    """Holds up to ``capacity`` tokens, refilled at ``rate`` per second; a send takes one."""

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.stamp = now

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait(self) -> float:
        """Seconds until a token is available (0 if one is); call :meth:`refill` first."""
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


class FloodControl:
    """Decides whether one send may go out now, and keeps the counts a benchmark reports."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._overall = _Bucket(limits.overall_per_second, limits.overall_per_second, clock())
        self._chats: dict[int, _Bucket] = {}
        self._penalties: dict[int | str, tuple[float, float]] = {}  # key -> (ends at, length)
        self.accepted: Counter[int] = Counter()  # chat id -> sends that went through
        self.refused: Counter[int] = Counter()  # chat id -> 429s answered

    @property
    def too_many_requests(self) -> int:
        """How many 429s were answered in all."""
        return sum(self.refused.values())

    def admit(self, chat_id: int, is_group: bool) -> None:
        """Take a send to ``chat_id`` out of the budget, or raise Telegram's 429 ``ApiError``."""
        now = self.clock()
        for key in (_BOT, chat_id):
            penalty = self._penalties.get(key)
            if penalty is None:
                continue
            ends, length = penalty
            if now >= ends:
                del self._penalties[key]
                continue
            # A retry before the time given: refused, and the penalty starts over from now.
            self._refuse(chat_id, key, max(ends, now + length), length, now)
        chat = self._chat_bucket(chat_id, is_group, now)
        self._overall.refill(now)
        chat.refill(now)
        if (wait := self._overall.wait()) > 0:
            self._penalize(chat_id, _BOT, wait, now)
        if (wait := chat.wait()) > 0:
            self._penalize(chat_id, chat_id, wait, now)
        self._overall.tokens -= 1
        chat.tokens -= 1

    def count_sent(self, chat_id: int) -> None:
        """The send passed the limits and the method succeeded."""
        self.accepted[chat_id] += 1

    def _chat_bucket(self, chat_id: int, is_group: bool, now: float) -> _Bucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if is_group:
                per_minute = self.limits.group_per_minute
                bucket = _Bucket(per_minute, per_minute / 60, now)
            else:
                bucket = _Bucket(self.limits.private_burst, self.limits.private_per_second, now)
            self._chats[chat_id] = bucket
        return bucket

    def _penalize(self, chat_id: int, key: int | str, wait: float, now: float) -> None:
        """Over a limit: whole seconds, as Telegram gives them, and at least one."""
        length = float(_whole_seconds(wait))
        self._refuse(chat_id, key, now + length, length, now)

    def _refuse(self, chat_id: int, key: int | str, ends: float, length: float, now: float) -> None:
        self._penalties[key] = (ends, length)
        self.refused[chat_id] += 1
        raise too_many_requests(_whole_seconds(ends - now))


def _whole_seconds(seconds: float) -> int:
    """Rounded up, at least 1; a hair of float error does not add a second."""
    return max(1, math.ceil(seconds - 1e-9))
