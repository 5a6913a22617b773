"""Telegram's limits kept by the bot as a whole: two workers booking sends in one PostgreSQL (send_pace).

The assertions read the slots the database handed out (their times on the database's clock), never how
fast anything ran. These run where PostgreSQL is installed (always in CI; see tests/postgres_cluster.py)."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from telegram.error import RetryAfter

from handlers.plumbing.ratelimit import ChatAwareRateLimiter
from handlers.plumbing.shared_pace import RETRY_AFTER, SharedRateLimiter
from sandbox import SandboxServer
from settings import Settings
from storage import pg_schema
from storage.pace import Pace, PaceUnavailable, Slot
from storage.pg_pace import SendPace
from storage.postgres_repo import PostgresCaseRepository
from wiring import build_application, polling, rate_limiter

BOT = Pace("bot", 1 / 27, 27)
PRIVATE = 4 / 3, 3  # interval, burst: ChatAwareRateLimiter's 3 per 4 s
GROUP = 3.0, 20  # 20 a minute
GAP = 1e-5  # the database keeps microseconds
# A slot "at once": a booking may wait a hair for one whose statement started after it but locked first.
AT_ONCE = 0.2


def private(chat: int) -> Pace:
    return Pace(f"chat:{chat}", *PRIVATE)


def gaps_hold(times: list[datetime], pace: Pace) -> bool:
    """A token bucket's promise (Telegram's, and the sandbox's model of it): between any two sends, at
    most `burst` plus one per interval that passed."""
    times = sorted(times)
    return all(
        (times[j] - times[i]).total_seconds() >= (j - i + 1 - pace.burst) * pace.interval - GAP
        for i in range(len(times))
        for j in range(i + 1, len(times))
    )


def send_times(slots: list[list[Slot]], key: str) -> list[datetime]:
    return [slot.send_at for booked in slots for slot in booked if slot.key == key]


def waits(slots: list[list[Slot]], key: str) -> list[float]:
    return sorted(slot.wait for booked in slots for slot in booked if slot.key == key)


@pytest.fixture
def schema(pg_url: str) -> str:
    with psycopg.connect(pg_url) as conn:
        pg_schema.apply(conn)
    return pg_url


@pytest.fixture
async def two(schema: str) -> AsyncIterator[tuple[SendPace, SendPace]]:
    """Two workers' paces: separate pools on one database."""
    first, second = SendPace(schema), SendPace(schema)
    for pace in (first, second):
        await pace.open()
    yield first, second
    for pace in (first, second):
        await pace.close()


async def test_two_workers_booking_at_once_keep_one_pace_for_the_whole_bot(
    two: tuple[SendPace, SendPace],
) -> None:
    a, b = two
    booked = await asyncio.gather(*((a, b)[n % 2].reserve(BOT, private(n)) for n in range(135)))
    times = send_times(booked, "bot")
    assert len(times) == 135
    assert gaps_hold(times, BOT)
    # Past the burst the sends are spaced at the rate: 108 more take 4 s (per worker, 2 s).
    assert (max(times) - min(times)).total_seconds() >= 108 / 27 - GAP


async def test_a_burst_goes_at_once_and_no_more(two: tuple[SendPace, SendPace]) -> None:
    a, b = two
    slow = Pace("bot", 10.0, 27)  # slow enough that no slot comes free while the 40 are booked
    booked = await asyncio.gather(*((a, b)[n % 2].reserve(slow) for n in range(40)))
    at_once = [w for w in waits(booked, "bot") if w < AT_ONCE]
    assert len(at_once) == 27  # of 40, from two workers (each alone would let all 40 go)


async def test_a_private_chat_gets_its_burst_at_once_then_one_message_per_interval(
    two: tuple[SendPace, SendPace],
) -> None:
    a, b = two
    chat = private(7)
    booked = await asyncio.gather(*((a, b)[n % 2].reserve(BOT, chat) for n in range(10)))
    assert [w < AT_ONCE for w in waits(booked, "chat:7")] == [True] * 3 + [False] * 7
    times = sorted(send_times(booked, "chat:7"))
    assert gaps_hold(times, chat)
    # Past the burst, the messages waiting are booked exactly one interval apart.
    apart = [(later - earlier).total_seconds() for earlier, later in itertools.pairwise(times[3:])]
    assert apart == [pytest.approx(chat.interval, abs=GAP)] * 6


async def test_a_group_gets_twenty_at_once_then_one_every_three_seconds(
    two: tuple[SendPace, SendPace],
) -> None:
    a, b = two
    group = Pace("chat:-100", *GROUP)
    booked = await asyncio.gather(*((a, b)[n % 2].reserve(BOT, group) for n in range(23)))
    assert len([w for w in waits(booked, "chat:-100") if w < AT_ONCE]) == 20
    times = sorted(send_times(booked, "chat:-100"))
    assert gaps_hold(times, group)
    assert (times[22] - times[0]).total_seconds() >= 3 * 3 - GAP


async def test_a_chat_with_many_messages_waiting_does_not_hold_up_another(
    two: tuple[SendPace, SendPace],
) -> None:
    a, b = two
    busy = await asyncio.gather(*(a.reserve(BOT, private(1)) for _ in range(12)))
    assert max(waits(busy, "chat:1")) > 10  # 9 past the burst, 4/3 s apart
    other = await b.reserve(BOT, private(2))
    assert [slot.wait < AT_ONCE for slot in other] == [True, True]


async def test_a_refusal_holds_every_workers_next_send_to_the_bot_and_the_chat(
    two: tuple[SendPace, SendPace],
) -> None:
    a, b = two
    await a.hold(3.0, BOT, private(1))  # a's send to chat 1 was refused: retry after 3 s
    to_chat = await b.reserve(BOT, private(1))
    assert [slot.wait > 3.0 - AT_ONCE for slot in to_chat] == [True, True]
    elsewhere = await b.reserve(BOT, private(2))
    assert {slot.key: slot.wait > 3.0 - AT_ONCE for slot in elsewhere} == {"bot": True, "chat:2": False}


async def test_limits_at_rest_are_deleted_now_and_then_and_busy_ones_kept(schema: str) -> None:
    pace = SendPace(schema, prune_every=3)
    await pace.open()
    try:
        await pace.reserve(private(1))
        await pace.reserve(private(2))
        with psycopg.connect(schema, autocommit=True) as conn:
            conn.execute("UPDATE send_pace SET next_at = now() - interval '2 minutes' WHERE key = 'chat:1'")
            await pace.reserve(private(3))  # the third booking cleans up
            keys = {str(row[0]) for row in conn.execute("SELECT key FROM send_pace")}
        assert keys == {"chat:2", "chat:3"}
        assert await pace.prune() == 0
    finally:
        await pace.close()


# --- the rate limiter -----------------------------------------------------------------------------------


class Recorder:
    """The limiter's sleep and the Bot API call, both written down instead of waited for."""

    def __init__(self) -> None:
        self.slept: list[float] = []
        self.sent: list[tuple[str, object]] = []

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)

    def call(self, endpoint: str, data: dict[str, Any]) -> Any:
        async def callback() -> dict[str, Any]:
            self.sent.append((endpoint, data.get("chat_id")))
            return {"message_id": len(self.sent)}

        return callback


async def send(limiter: SharedRateLimiter, recorder: Recorder, endpoint: str, data: dict[str, Any]) -> object:
    return await limiter.process_request(recorder.call(endpoint, data), (), {}, endpoint, data, None)


async def test_two_limiters_on_one_database_let_only_one_burst_go_at_once(schema: str) -> None:
    workers = [(SharedRateLimiter(SendPace(schema), sleep=r.sleep), r) for r in (Recorder(), Recorder())]
    for limiter, _ in workers:
        await limiter.initialize()
    try:
        # 25 new chats each: under every in-process limit, over the bot's together.
        await asyncio.gather(
            *(
                send(limiter, recorder, "sendMessage", {"chat_id": 1000 + 100 * w + n, "text": "hi"})
                for w, (limiter, recorder) in enumerate(workers)
                for n in range(25)
            )
        )
    finally:
        for limiter, _ in workers:
            await limiter.shutdown()
    assert sum(len(recorder.sent) for _, recorder in workers) == 50
    slept = sorted(s for _, recorder in workers for s in recorder.slept)
    # One burst for the whole bot went at once (per worker, all 50 would have); the rest slept their
    # slot. At 27 a second a few slots come free while the 50 are booked.
    assert len(slept) >= 50 - 27 - 5


async def test_a_429_one_worker_gets_makes_the_other_wait_too(schema: str) -> None:
    first, second = Recorder(), Recorder()
    a = SharedRateLimiter(SendPace(schema), sleep=first.sleep)
    b = SharedRateLimiter(SendPace(schema), sleep=second.sleep)
    for limiter in (a, b):
        await limiter.initialize()
    refused = [RetryAfter(timedelta(seconds=2))]

    async def telegram() -> dict[str, Any]:
        if refused:
            raise refused.pop()
        return {"message_id": 1}

    async def meanwhile() -> None:
        await asyncio.sleep(0.5)  # a's refusal is held by now
        await send(b, second, "sendMessage", {"chat_id": 6, "text": "hi"})

    try:
        message = {"chat_id": 5, "text": "hi"}
        # a is refused, waits the 2 s Telegram asked for (PTB's retry) and books again; b sends meanwhile.
        answer, _ = await asyncio.gather(
            a.process_request(telegram, (), {}, "sendMessage", message, None), meanwhile()
        )
    finally:
        for limiter in (a, b):
            await limiter.shutdown()
    assert answer == {"message_id": 1}
    assert second.sent == [("sendMessage", 6)]
    # b's send, to another chat, waited for the rest of the hold on the whole bot.
    assert second.slept == [pytest.approx(1.5, abs=0.4)]


async def test_edits_and_chat_actions_book_nothing(schema: str) -> None:
    recorder = Recorder()
    limiter = SharedRateLimiter(SendPace(schema), sleep=recorder.sleep)
    await limiter.initialize()
    try:
        await send(limiter, recorder, "sendChatAction", {"chat_id": 5, "action": "typing"})
        await send(limiter, recorder, "editMessageText", {"chat_id": 5, "message_id": 1, "text": "x"})
    finally:
        await limiter.shutdown()
    assert [endpoint for endpoint, _ in recorder.sent] == ["sendChatAction", "editMessageText"]
    with psycopg.connect(schema) as conn:
        assert conn.execute("SELECT count(*) FROM send_pace").fetchone() == (0,)


def test_with_a_database_the_bot_keeps_the_shared_pace(tmp_path: Path) -> None:
    plain = Settings("1:t", "http://127.0.0.1:1", tmp_path, "INFO", ZoneInfo("UTC"))
    shared = Settings(
        "1:t", "http://127.0.0.1:1", tmp_path, "INFO", ZoneInfo("UTC"), database_url="postgresql://x"
    )
    assert type(rate_limiter(plain)) is ChatAwareRateLimiter
    assert type(rate_limiter()) is ChatAwareRateLimiter
    assert type(rate_limiter(shared)) is SharedRateLimiter


async def test_the_bot_on_a_database_books_its_messages_there_while_it_runs(
    schema: str, tmp_path: Path
) -> None:
    async with SandboxServer() as server:
        server.user(42, "Sam")
        server.state.chat(42).started = True
        settings = Settings(server.token, server.url, tmp_path, "INFO", ZoneInfo("UTC"), database_url=schema)
        repo = PostgresCaseRepository(schema)
        try:
            app = build_application(settings, repo)
            async with polling(app):  # PTB opens the limiter's pool with the bot
                await app.bot.send_message(42, "hello")
        finally:
            repo.close()
        assert [m.get("text") for m in server.history(42)] == ["hello"]
    with psycopg.connect(schema) as conn:
        keys = {str(row[0]) for row in conn.execute("SELECT key FROM send_pace")}
    assert keys == {"bot", "chat:42"}
    assert isinstance(app.bot.rate_limiter, SharedRateLimiter)


# --- a database that cannot be asked --------------------------------------------------------------------

PRIVATE_TEXT = "Ana's biopsy is on Friday"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_a_database_that_is_down_costs_no_message_and_is_logged_once_by_type(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    down = f"postgresql://nobody@/none?host={tmp_path}&port=9"  # no server on that socket
    recorder, clock = Recorder(), Clock()
    limiter = SharedRateLimiter(SendPace(down, connection_timeout=0.2), sleep=recorder.sleep, clock=clock)
    caplog.set_level(logging.INFO, logger="handlers.plumbing.shared_pace")
    await limiter.initialize()
    try:
        for n in range(3):
            result = await send(limiter, recorder, "sendMessage", {"chat_id": 5, "text": PRIVATE_TEXT})
            assert result == {"message_id": n + 1}
            clock.now += RETRY_AFTER  # asked again each time: still down, still one line
    finally:
        await limiter.shutdown()
    assert recorder.sent == [("sendMessage", 5)] * 3
    lines = [r.getMessage() for r in caplog.records if r.name == "handlers.plumbing.shared_pace"]
    assert lines == ["shared send pace unavailable (PoolTimeout); this worker keeps the limits alone"]
    assert "biopsy" not in caplog.text and "Ana" not in caplog.text


class FlakyPace:
    """Down for the first booking, stalled for the second, then back."""

    def __init__(self) -> None:
        self.asked = 0

    async def open(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def reserve(self, *paces: Pace) -> list[Slot]:
        self.asked += 1
        if self.asked == 1:
            raise PaceUnavailable("OperationalError")
        if self.asked == 2:
            await asyncio.Event().wait()  # a database that never answers
        return [Slot(pace.key, datetime(2026, 12, 4), 0.5) for pace in paces]

    async def hold(self, seconds: float, *paces: Pace) -> None:
        raise AssertionError("no 429 here")

    async def room(self, pace: Pace) -> float:
        raise AssertionError("the courier does not ask here")


async def test_an_outage_is_skipped_for_a_while_then_asked_again_and_its_end_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pace, recorder, clock = FlakyPace(), Recorder(), Clock()
    limiter = SharedRateLimiter(pace, sleep=recorder.sleep, clock=clock, reserve_timeout=0.05)
    caplog.set_level(logging.INFO, logger="handlers.plumbing.shared_pace")
    message = {"chat_id": -100, "text": PRIVATE_TEXT}
    await send(limiter, recorder, "sendMessage", message)  # down
    await send(limiter, recorder, "sendMessage", message)  # within RETRY_AFTER: not asked
    assert pace.asked == 1
    clock.now += RETRY_AFTER
    await send(limiter, recorder, "sendMessage", message)  # stalled: given up after the timeout
    clock.now += RETRY_AFTER
    await send(limiter, recorder, "sendMessage", message)  # back: waits its slot
    assert pace.asked == 3
    assert len(recorder.sent) == 4
    assert recorder.slept == [0.5]
    lines = [r.getMessage() for r in caplog.records if r.name == "handlers.plumbing.shared_pace"]
    assert lines == [
        "shared send pace unavailable (OperationalError); this worker keeps the limits alone",
        "shared send pace back",
    ]


async def test_a_courier_waits_for_room_in_a_chat_another_worker_is_filling(schema: str) -> None:
    other = SendPace(schema)
    await other.open()
    recorder = Recorder()
    courier_side = SharedRateLimiter(SendPace(schema), sleep=recorder.sleep)
    await courier_side.initialize()
    try:
        chat = private(8)
        assert await other.room(chat) == 0.0  # nobody has written to the chat: room now
        for _ in range(3):  # another worker sends the chat a burst of replies
            await other.reserve(BOT, chat)
        # About one interval until the chat has room again; looking books nothing (it does not grow).
        first = await other.room(chat)
        assert chat.interval - AT_ONCE < first <= chat.interval
        assert await other.room(chat) <= first
        await courier_side.ready(8)
        assert recorder.slept and 0 < recorder.slept[0] <= first
        assert recorder.sent == []  # waiting for room sends nothing
    finally:
        await courier_side.shutdown()
        await other.close()
