"""The courier asks the rate limiter for room in a chat before it claims a send (service/courier.py)."""

from __future__ import annotations

import asyncio

import pytest

from handlers.plumbing import ratelimit
from handlers.plumbing.ratelimit import ChatAwareRateLimiter

PERSON, GROUP = 111, -100123


async def test_ready_waits_while_a_private_chat_has_no_room() -> None:
    limiter = ChatAwareRateLimiter(private_burst=1, private_period=0.5)
    await asyncio.wait_for(limiter.ready(PERSON), 0.1)  # room at once
    async with limiter._private_limiter(PERSON):  # one message sent: the chat's bucket is full
        pass
    waiting = asyncio.create_task(limiter.ready(PERSON))
    await asyncio.sleep(0.1)
    assert not waiting.done()
    await asyncio.wait_for(waiting, 2)  # the bucket drains: room again
    await asyncio.wait_for(limiter.ready(PERSON + 1), 0.1)  # another chat never waited
    await asyncio.wait_for(limiter.ready(GROUP), 0.1)  # groups: PTB's own limiter, not asked here


async def test_a_chat_that_stays_full_is_waited_for_a_bounded_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit, "READY_MAX", 0.3)
    limiter = ChatAwareRateLimiter(private_burst=1, private_period=3600)  # full for an hour
    async with limiter._private_limiter(PERSON):
        pass
    # The courier goes on (and queues in the limiter) instead of holding its slot for the hour.
    await asyncio.wait_for(limiter.ready(PERSON), 2)
