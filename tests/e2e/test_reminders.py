"""Reminders fire at their planned local times, survive restarts, and get through Telegram's errors."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sandbox import SandboxServer, SandboxUser
from tests.e2e.harness import Clock, choose_zone, running_bot

VISIT = "3 Dec 2026 2:30pm"  # Thursday, Chicago time = 20:30 UTC
WEEK_BEFORE = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)  # Thu 26 Nov, 10:00 Chicago
TWO_DAYS_BEFORE = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)


async def book_visit(alex: SandboxUser) -> None:
    await alex.send("/start")
    await alex.tap("Cancel")
    await choose_zone(alex, "Chicago")
    await alex.send(f"/appointment {VISIT}")
    await alex.tap("Yes, that's right")


async def arrives(alex: SandboxUser, heading: str, within: float = 3.0) -> str:
    """A reminder sent right at start-up may come before anyone waits for it: look for it, then wait."""
    seen = reminders_seen(alex, heading)
    for _ in range(int(within / 0.05)):
        found = [m.text for m in alex.bot_messages() if m.text.startswith(heading)]
        if found:
            return found[-1]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no reminder starting {heading!r} (seen {seen}):\n{alex.describe_log()}")


def reminders_seen(alex: SandboxUser, heading: str) -> int:
    """How many reminders with this heading the user got (other messages may mention the words)."""
    return sum(m.text.startswith(heading) for m in alex.bot_messages())


async def test_reminders_arrive_at_their_local_times_with_the_visit_in_words(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    clock = Clock()
    async with running_bot(sandbox, data_dir, clock):
        alex = sandbox.user(111, "Alex")
        await book_visit(alex)
        # The insurance check (ten days before, 10:00) is due first: 23 Nov 16:00 UTC.
        clock.set(datetime(2026, 11, 23, 16, 0, tzinfo=UTC))
        reply = await alex.wait_for_reply(within=3)
        assert "Your insurance is not settled yet" in reply.text

        clock.set(WEEK_BEFORE - timedelta(minutes=1))
        reply = await alex.send("/menu")  # nothing else arrives a minute early
        assert reminders_seen(alex, "Your visit is in one week") == 0

        clock.set(WEEK_BEFORE)
        reply = await alex.wait_for_reply(within=3)
        assert "Your visit is in one week." in reply.text
        assert "Thursday 3 December 2026, 2:30 PM, Chicago time (in 7 days)" in reply.text
        assert "Not confirmed as arrived yet" in reply.text
        assert "📋 Open my records" in reply.buttons and "⏰ Later" in reply.buttons

        reply = await alex.tap("Got it")
        assert "Noted" in reply.text and reply.buttons == []


async def test_a_restart_between_planning_and_firing_loses_nothing_and_sends_nothing_twice(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    clock = Clock()
    alex = sandbox.user(111, "Alex")
    async with running_bot(sandbox, data_dir, clock):
        await book_visit(alex)
        clock.set(datetime(2026, 11, 23, 16, 0, tzinfo=UTC))
        await alex.wait_for_reply(within=3)  # the insurance check

    # The bot is down while the week-before reminder comes due; it starts again the next morning.
    clock.set(WEEK_BEFORE + timedelta(hours=20))
    async with running_bot(sandbox, data_dir, clock):
        text = await arrives(alex, "Your visit is in one week.")
        assert "(in 6 days)" in text

    # Down again over the two-days-before time *and* more: only the latest "before" reminder is sent.
    clock.set(datetime(2026, 12, 2, 12, 0, tzinfo=UTC))
    async with running_bot(sandbox, data_dir, clock):
        await arrives(alex, "Your visit is in two days.")
        await alex.send("/menu")

    async with running_bot(sandbox, data_dir, clock):
        await alex.send("/menu")  # a restart sends nothing again
    assert reminders_seen(alex, "Your visit is in one week") == 1
    assert reminders_seen(alex, "Your visit is in two days") == 1
    assert reminders_seen(alex, "Your insurance is not settled yet") == 1


async def test_telegram_errors_delay_a_reminder_but_never_drop_it(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    clock = Clock()
    async with running_bot(sandbox, data_dir, clock):
        alex = sandbox.user(111, "Alex")
        await book_visit(alex)
        # Flood control once (the rate limiter waits and retries), then two server errors.
        sandbox.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        clock.set(datetime(2026, 11, 23, 16, 0, tzinfo=UTC))
        reply = await alex.wait_for_reply(within=5)
        assert "Your insurance is not settled yet" in reply.text

        sandbox.fail_next("sendMessage", 502, "Bad Gateway", times=2)
        clock.set(WEEK_BEFORE)
        await _until(lambda: _refused(sandbox) == 2 or _refused(sandbox) == 1)
        assert reminders_seen(alex, "Your visit is in one week") == 0
        clock.set(WEEK_BEFORE + timedelta(seconds=31))  # the first retry, after 30 s
        await _until(lambda: _refused(sandbox) == 2)
        assert reminders_seen(alex, "Your visit is in one week") == 0
        clock.set(WEEK_BEFORE + timedelta(minutes=2))  # the second retry, after a longer pause
        reply = await alex.wait_for_reply(within=3)
        assert "Your visit is in one week." in reply.text
    assert reminders_seen(alex, "Your visit is in one week") == 1


def _refused(sandbox: SandboxServer) -> int:
    return sum(c.method.lower() == "sendmessage" and c.error == "Bad Gateway" for c in sandbox.calls)


async def _until(condition: Callable[[], bool], within: float = 3.0) -> None:
    for _ in range(int(within / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the condition did not come true in time")


async def test_a_user_who_blocked_the_bot_is_not_retried(sandbox: SandboxServer, data_dir: Path) -> None:
    clock = Clock()
    async with running_bot(sandbox, data_dir, clock):
        alex = sandbox.user(111, "Alex")
        await book_visit(alex)
        alex.block_bot()
        # "How did it go?" is due on Fri 4 Dec at 16:00 UTC; then an hour of ticks, 30 minutes apart.
        clock.set(datetime(2026, 12, 4, 15, 30, tzinfo=UTC))
        for _ in range(20):
            clock.set(clock.now + timedelta(minutes=30))
            await asyncio.sleep(0.05)
    refused = [c for c in sandbox.calls if c.method.lower() == "sendmessage" and c.error]
    assert len(refused) == 1 and "blocked" in str(refused[0].error)  # one refusal, then no more tries


async def test_a_save_after_the_visit_and_a_restart_still_ask_how_it_went_once(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    clock = Clock()
    alex = sandbox.user(111, "Alex")
    async with running_bot(sandbox, data_dir, clock):
        await book_visit(alex)  # Thursday 3 December, 2:30 PM Chicago time
        clock.set(datetime(2026, 12, 4, 1, 0, tzinfo=UTC))  # that evening, the visit is over
        await alex.send("/settings")
        await alex.tap("Time zone")  # any change saves the plan (and re-plans its reminders)
        await alex.tap("Chicago")
    clock.set(datetime(2026, 12, 4, 16, 5, tzinfo=UTC))  # the next morning, after a restart
    async with running_bot(sandbox, data_dir, clock):
        await arrives(alex, "How did your visit go?")
    async with running_bot(sandbox, data_dir, clock):
        await alex.send("/menu")  # a restart sends nothing again
    assert reminders_seen(alex, "How did your visit go?") == 1
