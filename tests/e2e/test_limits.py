"""Limits a person meets, driven as a user: ten plans of one's own, and one "Later" per reminder."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sandbox import SandboxServer, SandboxUser
from sandbox.client import BotMessage
from tests.e2e.harness import NOW, Clock, running_bot
from tests.e2e.test_reminders import book_visit, reminders_seen

NEW_PLAN = "Start a plan of my own"
INSURANCE_CHECK = "Your insurance is not settled yet"
CHECK_DUE = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)  # ten days before the visit, 10:00 Chicago


async def test_a_person_owns_at_most_ten_plans_and_is_told_why_and_what_to_do(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    clock = Clock()
    async with running_bot(sandbox, data_dir, clock):
        ann = sandbox.user(111, "Ann")
        await ann.send("/start")
        for n in range(2, 11):
            clock.set(NOW + timedelta(minutes=n))  # plans are listed oldest first
            await ann.send("/cases")
            reply = await ann.tap(NEW_PLAN)
            assert "Type a first name, or tap Skip" in reply.text, n
            await ann.send(f"Pat{n}")

        reply = await ann.send("/cases")
        assert "Page 1 of 2" in reply.text and "8. Pat8's plan" in reply.text
        assert "Pat9" not in reply.text
        reply = await ann.tap("Next")
        assert "9. Pat9's plan" in reply.text and "10. Pat10's plan: owner (open now)" in reply.text

        reply = await ann.tap(NEW_PLAN, expect_reply=False)
        assert reply.answer is not None and reply.answer["show_alert"]
        assert "You already own 10 plans" in reply.answer["text"]
        assert "/cases" in reply.answer["text"] and "/leave" in reply.answer["text"]

        reply = await ann.send("/cases")  # nothing was added
        assert "Page 1 of 2" in reply.text
        reply = await ann.tap("Next")
        assert "10. Pat10's plan" in reply.text and "11." not in reply.text

        # Deleting one makes room again.
        await ann.send("/leave")
        await ann.tap("Delete the plan")
        await ann.tap("Yes, delete everything")
        await ann.send("/cases")
        reply = await ann.tap(NEW_PLAN)
        assert "Type a first name, or tap Skip" in reply.text


def later_data(message: BotMessage) -> str:
    for row in message.raw["reply_markup"]["inline_keyboard"]:
        for button in row:
            if "Later" in button["text"]:
                return str(button["callback_data"])
    raise AssertionError(f"no Later button on {message.text!r}")


async def seen_after(alex: SandboxUser, clock: Clock, at: datetime) -> int:
    clock.set(at)
    await asyncio.sleep(0.5)  # ten courier ticks
    return reminders_seen(alex, INSURANCE_CHECK)


async def test_later_twice_on_one_reminder_brings_it_back_once_three_hours_after_the_last_tap(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    clock = Clock()
    async with running_bot(sandbox, data_dir, clock):
        alex = sandbox.user(111, "Alex")
        await book_visit(alex)
        clock.set(CHECK_DUE)
        reminder = (await alex.wait_for_reply(within=3)).messages[-1]
        assert reminder.text.startswith(INSURANCE_CHECK)
        data = later_data(reminder)

        reply = await alex.tap("Later", message_id=reminder.message_id)
        assert "I will remind you again in about three hours" in reply.text
        # An hour on, "Later" again on the same reminder (the first screen had not caught up).
        clock.set(CHECK_DUE + timedelta(hours=1))
        reply = await alex.press_raw(reminder.message_id, data)
        assert reply.answer is not None and not reply.answer["text"]  # taken, no complaint

        # The first reminder now reads "Okay..."; the one "Later" waiting was moved to an hour later.
        assert await seen_after(alex, clock, CHECK_DUE + timedelta(hours=3, minutes=30)) == 0
        assert await seen_after(alex, clock, CHECK_DUE + timedelta(hours=4)) == 1
        assert await seen_after(alex, clock, CHECK_DUE + timedelta(hours=8)) == 1  # and only once
