"""The sandbox's flood control answers like Telegram: 429 with retry_after, longer for an early retry.

Most tests move a fake clock so that every figure is exact; the last one runs PTB's own HTTP stack and the
project's rate limiter against real time, to show the limiter gets everything through without doubles.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from sandbox import SandboxServer
from sandbox.limits import RateLimits
from wiring import rate_limiter

FIRST_USER = 1000
GROUP = -100


class FakeClock:
    """Monotonic seconds that only move when the test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def set(self, now: float) -> None:
        self.now = now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def server(clock: FakeClock) -> AsyncIterator[SandboxServer]:
    async with SandboxServer(limits=RateLimits(), limits_clock=clock) as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def open_chats(server: SandboxServer, count: int) -> list[int]:
    """Private chats the bot may write to (each user wrote to it first)."""
    ids = [FIRST_USER + n for n in range(count)]
    for user_id in ids:
        server.user(user_id, f"User {user_id}").send_nowait("/start")
    return ids


async def call(
    http: aiohttp.ClientSession, server: SandboxServer, method: str, **params: Any
) -> tuple[int, dict[str, Any]]:
    async with http.post(f"{server.bot_url}{server.token}/{method}", json=params) as response:
        body: dict[str, Any] = await response.json()
        return response.status, body


async def send(
    http: aiohttp.ClientSession, server: SandboxServer, chat_id: int
) -> tuple[int, dict[str, Any]]:
    return await call(http, server, "sendMessage", chat_id=chat_id, text="hello")


def too_many(retry_after: int) -> tuple[int, dict[str, Any]]:
    """The exact answer Telegram gives over a limit."""
    body = {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {retry_after}",
        "parameters": {"retry_after": retry_after},
    }
    return 429, body


async def test_limits_are_off_unless_asked_for() -> None:
    async with SandboxServer() as server, aiohttp.ClientSession() as http:
        (chat,) = open_chats(server, 1)
        statuses = [(await send(http, server, chat))[0] for _ in range(40)]
        assert statuses == [200] * 40 and server.flood is None


async def test_overall_limit_penalises_the_whole_bot_and_an_early_retry_extends_it(
    server: SandboxServer, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    chats = open_chats(server, 33)
    for chat in chats[:30]:
        assert (await send(http, server, chat))[0] == 200
    assert await send(http, server, chats[30]) == too_many(1)  # the 31st in the same second

    clock.set(0.5)  # too early, and to another chat: the whole bot is held, and the wait starts over
    assert await send(http, server, chats[31]) == too_many(1)
    clock.set(1.2)  # would have been fine without the early retry
    assert await send(http, server, chats[31]) == too_many(1)
    clock.set(2.2)
    assert (await send(http, server, chats[30]))[0] == 200
    assert (await send(http, server, chats[31]))[0] == 200

    flood = server.flood
    assert flood is not None
    assert flood.too_many_requests == 3
    assert flood.refused == {chats[30]: 1, chats[31]: 2}
    assert sum(flood.accepted.values()) == 32 and flood.accepted[chats[0]] == 1
    assert len(server.history(chats[31])) == 2  # "/start" and the one that went through


async def test_private_chat_allows_a_short_burst_then_one_a_second(
    server: SandboxServer, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    alice, bob = open_chats(server, 2)
    for _ in range(3):
        assert (await send(http, server, alice))[0] == 200
    assert await send(http, server, alice) == too_many(1)
    assert (await send(http, server, bob))[0] == 200  # only Alice's chat is held

    clock.set(0.4)
    assert await send(http, server, alice) == too_many(1)  # early: held until 1.4 now
    clock.set(1.0)
    assert await send(http, server, alice) == too_many(1)
    clock.set(2.0)  # two seconds since the burst: two more
    assert (await send(http, server, alice))[0] == 200
    assert (await send(http, server, alice))[0] == 200
    assert await send(http, server, alice) == too_many(1)
    clock.set(3.0)
    assert (await send(http, server, alice))[0] == 200
    assert server.flood is not None and server.flood.accepted[alice] == 6


async def test_group_gets_twenty_a_minute(
    server: SandboxServer, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    server.group(GROUP, "Family")
    for _ in range(20):
        assert (await send(http, server, GROUP))[0] == 200
    assert await send(http, server, GROUP) == too_many(3)  # one more every 3 s (20 a minute)
    clock.set(2.0)
    assert await send(http, server, GROUP) == too_many(3)  # early: held until 5 now
    clock.set(5.0)
    assert (await send(http, server, GROUP))[0] == 200
    assert await send(http, server, GROUP) == too_many(1)  # 5 s refilled 1.67: one, then 1 s more


async def test_edits_count_other_calls_do_not(
    server: SandboxServer, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    (alice,) = open_chats(server, 1)
    status, body = await send(http, server, alice)
    message_id = body["result"]["message_id"]
    for n in range(2):
        status, _ = await call(
            http, server, "editMessageText", chat_id=alice, message_id=message_id, text=f"edit {n}"
        )
        assert status == 200
    status, body = await call(http, server, "editMessageText", chat_id=alice, message_id=message_id, text="x")
    assert (status, body["parameters"]) == (429, {"retry_after": 1})
    for _ in range(5):  # chat actions and reading are not messages
        assert (await call(http, server, "sendChatAction", chat_id=alice, action="typing"))[0] == 200
        assert (await call(http, server, "getMe"))[0] == 200


@pytest.mark.filterwarnings("ignore:.*retry_after.*")  # PTB's own str(RetryAfter) warns in 22.x
async def test_the_projects_rate_limiter_gets_every_message_through_once() -> None:
    """Scaled down (20 a second overall) so the bot's limiter, set for 27, is refused and must retry."""
    async with SandboxServer(limits=RateLimits(overall_per_second=20)) as server:
        chats = open_chats(server, 60)
        request = HTTPXRequest(connection_pool_size=64)
        async with ExtBot(
            server.token, base_url=server.bot_url, request=request, rate_limiter=rate_limiter()
        ) as bot:
            await asyncio.gather(*(bot.send_message(chat, f"reminder {chat}") for chat in chats))
        assert server.flood is not None
        assert server.flood.too_many_requests > 0  # the limits did bite
        for chat in chats:
            from_bot = [m["text"] for m in server.history(chat) if m["from"]["is_bot"]]
            assert from_bot == [f"reminder {chat}"]


async def test_the_bots_limiter_keeps_one_private_chat_under_telegrams_limit() -> None:
    """Six messages for one person at once (a burst of reminders): PTB's limiter alone would be refused;
    the per-chat limit spaces them so Telegram (here the sandbox, with its real figures) never says 429."""
    async with SandboxServer(limits=RateLimits()) as server:
        (chat,) = open_chats(server, 1)
        async with ExtBot(server.token, base_url=server.bot_url, rate_limiter=rate_limiter()) as bot:
            await asyncio.gather(*(bot.send_message(chat, f"reminder {n}") for n in range(6)))
        assert server.flood is not None and server.flood.too_many_requests == 0
        from_bot = sorted(m["text"] for m in server.history(chat) if m["from"]["is_bot"])
        assert from_bot == [f"reminder {n}" for n in range(6)]
