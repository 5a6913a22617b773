"""The webhook inbox on PostgreSQL, with two workers reading it: each chat's updates are handled once, in
order, never two at a time, and a chat whose worker died is taken over by the other.

These run where PostgreSQL is installed (always in CI; see tests/postgres_cluster.py)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import psycopg
import pytest

from service.inbox_reader import InboxReader
from storage import pg_schema
from storage.pg_inbox import PostgresInbox, lock_key

GROUP = -1001234567890  # a supergroup's id: negative, past 32 bits


@pytest.fixture
async def inboxes(pg_url: str) -> AsyncIterator[tuple[PostgresInbox, PostgresInbox]]:
    with psycopg.connect(pg_url) as conn:
        pg_schema.apply(conn)
    first, second = PostgresInbox(pg_url, lanes=4), PostgresInbox(pg_url, lanes=4)
    await first.open()
    await second.open()
    yield first, second
    await first.close()
    await second.close()


def update(update_id: int, chat_id: int) -> dict[str, Any]:
    return {"update_id": update_id, "message": {"chat": {"id": chat_id}, "text": f"step {update_id}"}}


def test_lock_keys_keep_every_chat_apart() -> None:
    chats = [0, 1, -1, 2**31, 2**32 - 1, 2**32, GROUP, 2**52 - 1, -(2**52)]
    keys = [lock_key(chat) for chat in chats]
    assert len(set(keys)) == len(chats)
    assert all(-(2**31) <= half < 2**31 for key in keys for half in key)


async def test_an_update_delivered_twice_is_stored_once(inboxes: tuple[PostgresInbox, PostgresInbox]) -> None:
    first, second = inboxes
    assert await first.put(7, 42, update(7, 42)) is True
    assert await second.put(7, 42, update(7, 42)) is False  # Telegram delivered it again, to the other
    async with first.hold(42) as held:
        assert held is not None
        assert await held.next() == (7, update(7, 42))
        await held.done(7)
        assert await held.next() is None
    # Handled long ago or not, a repeat is still known while its id is kept; the text itself is gone.
    assert await second.put(7, 42, update(7, 42)) is False
    assert await first.waiting_lanes() == []


async def test_a_chat_is_held_by_one_worker_at_a_time(inboxes: tuple[PostgresInbox, PostgresInbox]) -> None:
    first, second = inboxes
    await first.put(1, GROUP, update(1, GROUP))
    async with first.hold(GROUP) as held:
        assert held is not None
        async with second.hold(GROUP) as other:
            assert other is None
        async with second.hold(GROUP + 1) as unrelated:
            assert unrelated is not None  # other chats are free
    async with second.hold(GROUP) as held_now:
        assert held_now is not None  # let go at the end of the block


async def test_waiting_chats_come_longest_waiting_first(inboxes: tuple[PostgresInbox, PostgresInbox]) -> None:
    first, _ = inboxes
    for update_id, chat in ((5, 300), (6, 100), (7, 300), (8, 200)):
        await first.put(update_id, chat, update(update_id, chat))
    assert await first.waiting_lanes() == [300, 100, 200]
    assert await first.waiting(100) and not await first.waiting(999)


class Journal:
    """What the workers did: each update handled, and the chats being handled right now."""

    def __init__(self) -> None:
        self.handled: list[tuple[str, int, int]] = []  # (worker, chat, update_id)
        self.busy: set[int] = set()
        self.overlaps = 0

    def worker(self, name: str, pause: float = 0.005) -> Any:
        async def handle(data: dict[str, Any]) -> None:
            chat = data["message"]["chat"]["id"]
            if chat in self.busy:
                self.overlaps += 1
            self.busy.add(chat)
            await asyncio.sleep(pause)
            self.busy.discard(chat)
            self.handled.append((name, chat, data["update_id"]))

        return handle

    def of(self, chat: int) -> list[int]:
        return [u for _, c, u in self.handled if c == chat]


async def settle(*readers: InboxReader, inbox: PostgresInbox, expected: int) -> None:
    for _ in range(500):
        if sum(r.handled for r in readers) >= expected and not await inbox.waiting_lanes():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the inbox was not emptied")


async def test_two_workers_handle_each_chat_once_in_order(
    inboxes: tuple[PostgresInbox, PostgresInbox],
) -> None:
    first, second = inboxes
    journal = Journal()
    a = InboxReader(first, journal.worker("a"), poll_seconds=0.05)
    b = InboxReader(second, journal.worker("b"), poll_seconds=0.05)
    a.start()
    b.start()
    chats = [101, 102, 103, GROUP, 105, 106]
    update_id = 0
    for _ in range(12):
        for index, chat in enumerate(chats):
            update_id += 1
            # As a load balancer does: updates of one chat reach either worker.
            inbox, reader = (first, a) if (update_id + index) % 2 else (second, b)
            await inbox.put(update_id, chat, update(update_id, chat))
            reader.note(chat)
        await asyncio.sleep(0.002)
    await settle(a, b, inbox=first, expected=update_id)
    await a.stop()
    await b.stop()

    assert sorted(u for _, _, u in journal.handled) == list(range(1, update_id + 1))  # each once
    for chat in chats:
        mine = journal.of(chat)
        assert mine == sorted(mine) and len(mine) == 12
    assert journal.overlaps == 0


async def test_a_chat_whose_worker_died_is_taken_over(
    pg_url: str, inboxes: tuple[PostgresInbox, PostgresInbox], caplog: pytest.LogCaptureFixture
) -> None:
    first, second = inboxes
    stuck = asyncio.Event()
    handled: list[tuple[str, int]] = []

    async def hangs(data: dict[str, Any]) -> None:
        stuck.set()
        await asyncio.sleep(3600)  # the worker is frozen, then killed, in the middle of this update

    async def works(data: dict[str, Any]) -> None:
        handled.append(("b", data["update_id"]))

    a = InboxReader(first, hangs, poll_seconds=3600)
    b = InboxReader(second, works, poll_seconds=0.05)
    for update_id in (1, 2, 3):
        await first.put(update_id, 555, update(update_id, 555))
    a.note(555)
    await asyncio.wait_for(stuck.wait(), 5)
    b.start()
    await asyncio.sleep(0.3)
    assert handled == []  # the lane is held: the other worker waits, it does not jump ahead

    # The worker dies: its connections go, and PostgreSQL drops its locks with them.
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND objid = %s AND classid = %s",
            (lock_key(555)[1] & 0xFFFF_FFFF, lock_key(555)[0] & 0xFFFF_FFFF),
        )
    for _ in range(300):
        if len(handled) == 3:
            break
        await asyncio.sleep(0.01)
    # The update in hand when it died is handled again (it was never marked handled), then the rest, in order.
    assert handled == [("b", 1), ("b", 2), ("b", 3)]
    await b.stop()
    a.stop_timeout = 0.1
    with caplog.at_level(logging.INFO):
        await a.stop()
    assert not await second.waiting_lanes()
    assert "step" not in caplog.text  # never the update's text


async def test_a_failing_update_does_not_block_its_chat(
    inboxes: tuple[PostgresInbox, PostgresInbox], caplog: pytest.LogCaptureFixture
) -> None:
    first, _ = inboxes
    seen: list[int] = []

    async def handle(data: dict[str, Any]) -> None:
        seen.append(data["update_id"])
        if data["update_id"] == 1:
            raise ValueError(data["message"]["text"])  # an error whose message quotes the person

    reader = InboxReader(first, handle, poll_seconds=0.05)
    reader.start()
    for update_id in (1, 2):
        await first.put(update_id, 77, update(update_id, 77))
    with caplog.at_level(logging.INFO):
        reader.note(77)
        await settle(reader, inbox=first, expected=2)
        await reader.stop()
    assert seen == [1, 2]
    assert "update 1 failed: ValueError" in caplog.text
    assert "step 1" not in caplog.text
