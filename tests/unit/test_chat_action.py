"""The "typing…" hint before a file: best effort, and never in the way of the send it comes before."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

import pytest
from telegram import Bot
from telegram.constants import ChatAction
from telegram.error import RetryAfter

from handlers.plumbing.actions import show_action
from handlers.plumbing.ratelimit import ChatAwareRateLimiter

GROUP = -100


class RefusingBot:
    """A bot whose chat actions fail with ``error`` (with a user's words in its message)."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.asked: list[tuple[int, str]] = []

    async def send_chat_action(self, chat_id: int, action: str) -> bool:
        self.asked.append((chat_id, action))
        raise self.error


ERRORS: dict[str, Callable[[], Exception]] = {
    "flood": lambda: RetryAfter(timedelta(seconds=3)),
    "other": lambda: RuntimeError("Maria's scan.pdf"),
    "timeout": TimeoutError,
}


@pytest.mark.filterwarnings("ignore:.*retry_after.*")  # PTB's own RetryAfter warns in 22.x
@pytest.mark.parametrize("kind", ERRORS)
async def test_a_failed_chat_action_is_logged_by_its_type_only(
    kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    error = ERRORS[kind]()
    bot = RefusingBot(error)
    with caplog.at_level(logging.DEBUG):
        await show_action(cast(Bot, bot), 5, ChatAction.UPLOAD_DOCUMENT)  # returns: the send goes on
    assert bot.asked == [(5, ChatAction.UPLOAD_DOCUMENT)]
    assert [r.getMessage() for r in caplog.records] == [
        f"a chat action was not shown: {type(error).__name__}"
    ]
    assert all(r.exc_info is None for r in caplog.records)


@pytest.mark.filterwarnings("ignore:.*retry_after.*")  # PTB's own str(RetryAfter) warns in 22.x
async def test_the_rate_limiter_lets_a_chat_action_straight_through() -> None:
    limiter = ChatAwareRateLimiter()
    sent: list[str] = []

    async def call(endpoint: str) -> Any:
        sent.append(endpoint)
        return True

    async def through(endpoint: str) -> Any:
        data = {"chat_id": GROUP}
        return await limiter.process_request(lambda: call(endpoint), (), {}, endpoint, data, None)

    for _ in range(20):  # a group's budget: 20 messages a minute
        await through("sendMessage")
    with pytest.raises(TimeoutError):  # the 21st message waits its turn...
        await asyncio.wait_for(through("sendMessage"), 0.3)
    for _ in range(30):  # ...a chat action does not: it is no message
        await asyncio.wait_for(through("sendChatAction"), 0.3)
    assert sent.count("sendChatAction") == 30

    tries = 0

    async def refused() -> Any:
        nonlocal tries
        tries += 1
        raise RetryAfter(timedelta(seconds=3))

    with pytest.raises(RetryAfter):  # not waited out and retried: the file it comes before goes first
        await asyncio.wait_for(limiter.process_request(refused, (), {}, "sendChatAction", {}, None), 1)
    assert tries == 1
