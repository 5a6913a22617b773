"""LaneProcessor: chats run side by side, one chat runs in order, a flooding chat is cut back, lanes go away."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import warnings
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Any

import pytest
from telegram import CallbackQuery, Chat, Message, Update, User
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.ext import ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import BaseRequest, RequestData

from handlers.plumbing.lanes import LaneProcessor, is_droppable, lane_of

WHEN = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
ALICE = 1001  # a person; her private chat has the same id
BOB = 1002
GROUP = -100500
PATIENCE = 5.0  # seconds a test waits before calling it a deadlock

_ids = iter(range(1, 1_000_000))


def _user(user_id: int) -> User:
    return User(user_id, "Someone", is_bot=False)


def _chat(chat_id: int) -> Chat:
    return Chat(chat_id, Chat.PRIVATE if chat_id > 0 else Chat.SUPERGROUP)


def message(chat_id: int, text: str | None = "hello", user_id: int = ALICE) -> Update:
    """A typed message (or, with text None, e.g. a photo) in a chat."""
    msg = Message(next(_ids), WHEN, _chat(chat_id), from_user=_user(user_id), text=text)
    return Update(next(_ids), message=msg)


def command(chat_id: int, text: str = "/start") -> Update:
    return message(chat_id, text)


def tap(chat_id: int, data: str = "v1:menu", user_id: int = ALICE) -> Update:
    """A button tap on one of the bot's messages in a chat."""
    shown = Message(next(_ids), WHEN, _chat(chat_id), from_user=_user(999), text="menu")
    query = CallbackQuery(str(next(_ids)), _user(user_id), "instance", message=shown, data=data)
    return Update(next(_ids), callback_query=query)


def inline_tap(user_id: int) -> Update:
    """A tap on a button of an inline-mode message: the query has a user but no message, so no chat."""
    query = CallbackQuery(str(next(_ids)), _user(user_id), "instance", inline_message_id="im1", data="x")
    return Update(next(_ids), callback_query=query)


async def settle(rounds: int = 5) -> None:
    """Let every task created so far run up to its first real wait."""
    for _ in range(rounds):
        await asyncio.sleep(0)


class Recorder:
    """Coroutines that log what ran, optionally held at a gate, and how many ran at once."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []
        self.ran: list[object] = []
        self.now = 0
        self.most = 0

    async def work(self, name: object, gate: asyncio.Event | None = None, pause: float = 0.0) -> None:
        self.now += 1
        self.most = max(self.most, self.now)
        self.events.append(("start", name))
        try:
            if gate is not None:
                await gate.wait()
            await asyncio.sleep(pause)
            self.ran.append(name)
        finally:
            self.events.append(("end", name))
            self.now -= 1


class HookCalls:
    """An on_dropped hook that records its calls and what the processor looked like at that moment."""

    def __init__(self, processor: LaneProcessor | None = None, recorder: Recorder | None = None) -> None:
        self.calls: list[tuple[int, int]] = []
        self.lanes_at_call: list[int] = []
        self.ran_at_call: list[int] = []
        self._processor = processor
        self._recorder = recorder

    async def __call__(self, chat_id: int, count: int) -> None:
        self.calls.append((chat_id, count))
        if self._processor is not None:
            self.lanes_at_call.append(self._processor.lanes_in_use())
        if self._recorder is not None:
            self.ran_at_call.append(len(self._recorder.ran))


def submit(processor: LaneProcessor, update: object, coroutine: Awaitable[Any]) -> asyncio.Task[None]:
    return asyncio.create_task(processor.process_update(update, coroutine))


async def finish(tasks: list[asyncio.Task[None]]) -> None:
    await asyncio.wait_for(asyncio.gather(*tasks), PATIENCE)


# --- lane keys --------------------------------------------------------------------------------------------


def test_lane_is_the_chat_else_the_user_else_none() -> None:
    assert lane_of(message(GROUP, user_id=BOB)) == GROUP
    assert lane_of(tap(GROUP, user_id=BOB)) == GROUP
    assert lane_of(inline_tap(BOB)) == BOB
    assert lane_of(Update(next(_ids))) is None
    assert lane_of("not an update") is None


def test_only_plain_messages_may_be_dropped() -> None:
    assert is_droppable(message(ALICE, "hello"))
    assert is_droppable(message(ALICE, None))  # a photo without text
    assert not is_droppable(command(ALICE, "/start"))
    assert not is_droppable(tap(ALICE))
    assert not is_droppable(Update(next(_ids)))
    assert not is_droppable("not an update")


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        LaneProcessor(max_waiting=-1)
    with pytest.raises(ValueError):
        LaneProcessor(max_concurrent_updates=0)


# --- concurrency and order --------------------------------------------------------------------------------


async def test_a_slow_chat_does_not_hold_up_another() -> None:
    processor = LaneProcessor()
    finished: list[str] = []
    unblock = asyncio.Event()

    async def slow_alice() -> None:
        await unblock.wait()
        finished.append("alice")

    async def quick_bob() -> None:
        finished.append("bob")
        unblock.set()  # if lanes were serialised, Alice would never get here: a deadlock

    await finish(
        [submit(processor, message(ALICE), slow_alice()), submit(processor, message(BOB), quick_bob())]
    )
    assert finished == ["bob", "alice"]


async def test_one_chat_runs_in_arrival_order_and_never_overlaps() -> None:
    processor = LaneProcessor()
    rec = Recorder()
    # Earlier updates take longer: run concurrently they would finish in reverse order.
    updates = [message(ALICE, f"m{i}") for i in range(4)] + [command(ALICE, "/menu"), tap(ALICE)]
    tasks = [submit(processor, u, rec.work(i, pause=(6 - i) * 0.002)) for i, u in enumerate(updates)]
    await finish(tasks)

    expected: list[tuple[str, object]] = []
    for i in range(6):
        expected += [("start", i), ("end", i)]
    assert rec.events == expected
    assert rec.most == 1


async def test_an_inline_tap_queues_behind_the_same_persons_private_chat() -> None:
    processor = LaneProcessor()
    rec = Recorder()
    gate = asyncio.Event()
    tasks = [
        submit(processor, message(ALICE), rec.work("chat", gate)),
        submit(processor, inline_tap(ALICE), rec.work("inline")),
    ]
    await settle()
    assert processor.waiting(ALICE) == 1
    gate.set()
    await finish(tasks)
    assert rec.ran == ["chat", "inline"]


async def test_updates_without_a_lane_run_at_once() -> None:
    processor = LaneProcessor()
    unblock = asyncio.Event()
    finished: list[str] = []

    async def first() -> None:
        await unblock.wait()
        finished.append("first")

    async def second() -> None:
        finished.append("second")
        unblock.set()

    await finish([submit(processor, Update(next(_ids)), first()), submit(processor, "no update", second())])
    assert finished == ["second", "first"]
    assert processor.lanes_in_use() == 0


# --- flood control ----------------------------------------------------------------------------------------


async def test_a_flood_keeps_the_running_one_and_the_newest_and_reports_once_when_idle() -> None:
    rec = Recorder()
    processor = LaneProcessor(max_waiting=8)
    hook = HookCalls(processor, rec)
    processor.set_on_dropped(hook)
    gate = asyncio.Event()

    tasks = [submit(processor, message(ALICE, "m0"), rec.work(0, gate))]
    tasks += [submit(processor, message(ALICE, f"m{i}"), rec.work(i)) for i in range(1, 50)]
    await settle()
    assert processor.waiting(ALICE) == 8
    assert hook.calls == []  # still busy: nothing reported yet

    gate.set()
    await finish(tasks)
    assert rec.ran == [0, *range(42, 50)]  # 1 + max_waiting ran: the first and the 8 newest
    assert hook.calls == [(ALICE, 41)]
    assert hook.lanes_at_call == [0]  # called after the lane went idle...
    assert hook.ran_at_call == [9]  # ...and after everything that ran had finished


async def test_a_flood_never_drops_commands_or_taps() -> None:
    rec = Recorder()
    hook = HookCalls()
    processor = LaneProcessor(max_waiting=8, on_dropped=hook)
    gate = asyncio.Event()

    tasks = [submit(processor, message(ALICE, "m0"), rec.work("m0", gate))]
    tasks.append(submit(processor, message(ALICE, "m1"), rec.work("m1")))
    tasks.append(submit(processor, command(ALICE, "/start"), rec.work("/start")))
    tasks.append(submit(processor, tap(ALICE), rec.work("tap")))
    tasks += [submit(processor, message(ALICE, f"m{i}"), rec.work(f"m{i}")) for i in range(2, 50)]
    tasks.append(submit(processor, command(ALICE, "/menu"), rec.work("/menu")))
    await settle()
    gate.set()
    await finish(tasks)

    # The lane was full when /menu came, so it pushed out the oldest plain message still waiting (m44).
    assert rec.ran == ["m0", "/start", "tap", *(f"m{i}" for i in range(45, 50)), "/menu"]
    assert hook.calls == [(ALICE, 44)]


async def test_with_only_commands_waiting_a_plain_arrival_is_dropped_and_commands_still_wait() -> None:
    rec = Recorder()
    hook = HookCalls()
    processor = LaneProcessor(max_waiting=2, on_dropped=hook)
    gate = asyncio.Event()

    tasks = [submit(processor, message(ALICE, "m0"), rec.work("m0", gate))]
    tasks += [submit(processor, command(ALICE, f"/c{i}"), rec.work(f"/c{i}")) for i in range(3)]
    tasks.append(submit(processor, message(ALICE, "late"), rec.work("late")))
    tasks.append(submit(processor, tap(ALICE), rec.work("tap")))
    await settle()
    assert processor.waiting(ALICE) == 4  # over max_waiting: commands and taps are never refused
    gate.set()
    await finish(tasks)

    assert rec.ran == ["m0", "/c0", "/c1", "/c2", "tap"]
    assert hook.calls == [(ALICE, 1)]


async def test_each_burst_is_reported_once_and_other_chats_are_untouched() -> None:
    rec = Recorder()
    hook = HookCalls()
    processor = LaneProcessor(max_waiting=1, on_dropped=hook)

    for burst in range(2):
        gate = asyncio.Event()
        tasks = [submit(processor, message(ALICE), rec.work((burst, 0), gate))]
        tasks += [submit(processor, message(ALICE), rec.work((burst, i))) for i in range(1, 4)]
        tasks.append(submit(processor, message(BOB), rec.work(("bob", burst))))
        await settle()
        gate.set()
        await finish(tasks)

    assert hook.calls == [(ALICE, 2), (ALICE, 2)]


async def test_dropped_coroutines_are_closed_so_nothing_warns() -> None:
    # The check can see the warning at all: a coroutine that is never awaited does warn.
    with warnings.catch_warnings(record=True) as control:
        warnings.simplefilter("always")
        orphan = Recorder().work("orphan")
        del orphan
        gc.collect()
    assert any("never awaited" in str(w.message) for w in control)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rec = Recorder()
        processor = LaneProcessor(max_waiting=1)
        gate = asyncio.Event()
        tasks = [submit(processor, message(ALICE), rec.work(0, gate))]
        tasks += [submit(processor, message(ALICE), rec.work(i)) for i in range(1, 20)]
        await settle()
        gate.set()
        await finish(tasks)
        del tasks
        gc.collect()
    assert rec.ran == [0, 19]
    assert [str(w.message) for w in caught if "never awaited" in str(w.message)] == []


async def test_a_failing_hook_is_logged_by_type_and_the_lane_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(chat_id: int, count: int) -> None:
        raise RuntimeError("secret words")

    rec = Recorder()
    processor = LaneProcessor(max_waiting=0, on_dropped=broken)
    gate = asyncio.Event()
    with caplog.at_level(logging.INFO, logger="handlers.plumbing.lanes"):
        tasks = [submit(processor, message(ALICE, "private text"), rec.work(0, gate))]
        tasks.append(submit(processor, message(ALICE, "private text"), rec.work(1)))
        await settle()
        gate.set()
        await finish(tasks)
        await finish([submit(processor, message(ALICE), rec.work(2))])

    assert rec.ran == [0, 2]
    assert "RuntimeError" in caplog.text
    assert "dropped 1" in caplog.text
    assert "secret words" not in caplog.text and "private text" not in caplog.text


async def test_waiting_updates_hold_a_slot_of_max_concurrent_updates() -> None:
    # BaseUpdateProcessor.process_update takes the slot before the lane: it bounds waiting updates too.
    processor = LaneProcessor(max_concurrent_updates=3)
    rec = Recorder()
    gate = asyncio.Event()
    tasks = [submit(processor, message(ALICE), rec.work("m0", gate))]
    tasks += [submit(processor, command(ALICE, f"/c{i}"), rec.work(f"/c{i}")) for i in range(2)]
    tasks.append(submit(processor, message(BOB), rec.work("bob")))
    await settle()
    assert processor.current_concurrent_updates == 3
    assert ("start", "bob") not in rec.events
    gate.set()
    await finish(tasks)
    assert rec.ran[0] == "m0"  # Bob got in only once Alice's first update gave its slot back
    assert [r for r in rec.ran if r != "bob"] == ["m0", "/c0", "/c1"]


# --- lifecycle ----------------------------------------------------------------------------------------------


async def test_idle_lanes_are_forgotten() -> None:
    processor = LaneProcessor(max_concurrent_updates=1024)
    rec = Recorder()
    gate = asyncio.Event()
    tasks = [submit(processor, message(chat_id), rec.work(chat_id, gate)) for chat_id in range(1, 501)]
    tasks.append(submit(processor, message(1), rec.work("again")))
    await settle()
    assert processor.lanes_in_use() == 500
    assert processor.waiting(1) == 1 and processor.waiting(2) == 0
    gate.set()
    await finish(tasks)
    assert processor.lanes_in_use() == 0
    assert processor.waiting(1) == 0


async def test_an_error_does_not_stop_the_lane(caplog: pytest.LogCaptureFixture) -> None:
    processor = LaneProcessor()
    rec = Recorder()

    async def fails() -> None:
        raise ValueError("what the person typed")

    with caplog.at_level(logging.WARNING, logger="handlers.plumbing.lanes"):
        await finish(
            [submit(processor, message(ALICE), fails()), submit(processor, message(ALICE), rec.work("next"))]
        )
    assert rec.ran == ["next"]
    assert "ValueError" in caplog.text
    assert "what the person typed" not in caplog.text
    assert processor.lanes_in_use() == 0


async def test_a_cancelled_waiter_leaves_and_a_cancelled_runner_passes_the_lane_on() -> None:
    processor = LaneProcessor()
    rec = Recorder()
    gate = asyncio.Event()
    runner = submit(processor, message(ALICE), rec.work("runner", gate))
    waiter = submit(processor, message(ALICE), rec.work("waiter"))
    last = submit(processor, message(ALICE), rec.work("last"))
    await settle()
    assert processor.waiting(ALICE) == 2

    waiter.cancel()
    await settle()
    assert processor.waiting(ALICE) == 1
    runner.cancel()
    await finish([last])

    assert rec.ran == ["last"]
    assert waiter.cancelled() and runner.cancelled()
    assert processor.lanes_in_use() == 0


async def test_a_waiter_cancelled_just_as_its_turn_comes_passes_the_lane_on() -> None:
    processor = LaneProcessor()
    rec = Recorder()
    gate = asyncio.Event()
    first = submit(processor, message(ALICE), rec.work("first", gate))
    second = submit(processor, message(ALICE), rec.work("second"))
    third = submit(processor, message(ALICE), rec.work("third"))
    await settle()
    gate.set()
    # Let `first` finish and hand the lane to `second`, then cancel `second` before it wakes up.
    for _ in range(100):
        if processor.waiting(ALICE) == 1:
            break
        await asyncio.sleep(0)
    assert processor.waiting(ALICE) == 1
    second.cancel()
    await finish([first, third])

    assert rec.ran == ["first", "third"]
    assert second.cancelled()
    assert processor.lanes_in_use() == 0


# --- inside a real Application ------------------------------------------------------------------------------


class OfflineRequest(BaseRequest):
    """Answers getMe from memory so Application.initialize() works with no network; refuses the rest."""

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if url.endswith("/getMe"):
            me = {"id": 123, "is_bot": True, "first_name": "Lanes", "username": "lanes_bot"}
            return 200, json.dumps({"ok": True, "result": me}).encode()
        return 400, json.dumps({"ok": False, "error_code": 400, "description": "offline"}).encode()


async def test_it_plugs_into_a_real_application() -> None:
    app = (
        ApplicationBuilder()
        .token("123:abc")
        .request(OfflineRequest())
        .get_updates_request(OfflineRequest())
        .concurrent_updates(LaneProcessor())
        .build()
    )
    processor = app.update_processor
    assert isinstance(processor, LaneProcessor)

    unblock = asyncio.Event()
    handled: list[int] = []

    async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        assert chat is not None
        if chat.id == ALICE:
            await unblock.wait()
        handled.append(chat.id)
        unblock.set()

    app.add_handler(TypeHandler(Update, callback))
    seen: list[tuple[int, int]] = []

    async def tell(chat_id: int, count: int) -> None:
        seen.append((chat_id, count))

    processor.set_on_dropped(tell)  # after build: a real hook would use app.bot here
    async with app:  # initialize()/shutdown(), which also run the processor's
        updates = [message(ALICE), message(BOB)]

        def run(u: Update) -> Awaitable[None]:
            return processor.process_update(u, app.process_update(u))

        await asyncio.wait_for(asyncio.gather(*(run(u) for u in updates)), PATIENCE)

    assert handled == [BOB, ALICE]
    assert seen == []
    assert processor.lanes_in_use() == 0


async def test_a_flood_of_taps_is_bounded_too() -> None:
    """Taps are never dropped for plain messages, but one chat cannot queue them without end."""
    processor = LaneProcessor(max_waiting=2)
    gate = asyncio.Event()
    ran: list[int] = []

    async def work(n: int) -> None:
        if n == 0:
            await gate.wait()
        ran.append(n)

    first = submit(processor, tap(ALICE), work(0))
    await settle()
    rest = [submit(processor, tap(ALICE), work(n)) for n in range(1, 20)]
    await settle()
    assert processor.waiting(ALICE) == 8
    gate.set()
    await finish([first, *rest])
    assert ran[0] == 0 and len(ran) == 1 + 8
