"""After the visit: the day-after reminder asks what the doctor said; the opinions side by side; a third."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from sandbox import SandboxServer, SandboxUser
from tests.e2e.harness import Clock, choose_zone, running_bot
from tests.e2e.test_caregivers import eventually, invite, join, saw
from tests.e2e.test_journey import onboard
from tests.e2e.test_reminders import arrives, book_visit

DAY_AFTER = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)  # Fri 4 Dec, 10:00 Chicago: "How did your visit go?"
AFTER_THE_THIRD = datetime(2026, 12, 16, 18, 0, tzinfo=UTC)  # the third opinion (15 Dec) is over


async def test_after_the_visit_the_outcome_the_opinions_side_by_side_and_a_third_opinion(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    clock = Clock()
    async with running_bot(sandbox, data_dir, clock):
        alex = sandbox.user(111, "Alex")
        await book_visit(alex)  # a second opinion on Thursday 3 December, 2:30 PM Chicago time
        clock.set(DAY_AFTER)
        await arrives(alex, "How did your visit go?")
        assert "🩺 What did they say?" in alex.buttons()

        # What the second opinion said, by buttons.
        reply = await alex.tap("What did they say?")
        assert reply.text.startswith("What did the second opinion say?")
        assert "Their main advice: —" in reply.text
        assert "▫️ They suggest changes" in reply.buttons
        reply = await alex.tap("They suggest changes")
        assert "✅ They suggest changes" in reply.buttons
        assert "▫️ They agree with the first plan" in reply.buttons

        # Their main advice, typed in the user's words.
        reply = await alex.tap("Their main advice")
        assert "What was their main advice?" in reply.text
        reply = await alex.send("Add radiation after the surgery")
        assert "Saved." in reply.text
        assert "Their main advice: Add radiation after the surgery" in reply.text

        # The first doctor's plan, asked once and kept on the plan.
        reply = await alex.tap("What did your first doctor recommend?")
        assert "What did your first doctor recommend?" in reply.text
        reply = await alex.send("Surgery, then watch and wait")
        assert "Your first doctor's plan: Surgery, then watch and wait" in reply.text

        # The visit's own screen, now that it is over, leads here too.
        reply = await alex.tap("The visit")
        assert "🩺 What did they say?" in reply.buttons
        reply = await alex.tap("What did they say?")
        assert "✅ They suggest changes" in reply.buttons

        # Side by side, as entered; the bot does not judge; the next steps.
        reply = await alex.tap("See the opinions side by side")
        text = reply.text
        assert "The opinions side by side" in text
        assert "I can't tell which opinion is right." in text
        assert "1. Your first doctor\nSurgery, then watch and wait" in text
        assert "2. Second opinion" in text and "Their advice: Add radiation after the surgery" in text
        assert "Not the same as the first plan: they suggest changes." in text
        assert "Take the new opinion back to your first doctor." in text
        assert "Ask your two doctors to talk with each other" in text
        assert "tumor board" in text
        assert "You choose who gives your treatment. You do not have to switch doctors." in text
        assert "Part B may help pay for a third opinion" in text
        assert "https://www.medicare.gov/coverage/second-surgical-opinions" in text
        assert "3. " not in text  # no third opinion yet

        # A third opinion: the same new-visit flow, in the same plan.
        reply = await alex.tap("Get a third opinion")
        assert "A third opinion" in reply.text
        assert "records, insurance and questions are already in this plan" in reply.text
        assert "When is the visit?" in reply.text
        reply = await alex.send("15 Dec 2026 10am")
        reply = await alex.tap("Yes, that's right")
        assert "Your third opinion" in reply.texts[0]  # the visit saved, then its calendar file

        # After it: /outcome opens the latest visit that is over; its day-after reminder asks too.
        sent = len(alex.bot_messages())
        clock.set(AFTER_THE_THIRD)
        for _ in range(100):  # the third visit's reminders that came due, its day-after one last
            if any(m.text.startswith("How did your visit go?") for m in alex.bot_messages()[sent:]):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("no day-after reminder for the third opinion")
        reply = await alex.send("/outcome")
        assert reply.text.startswith("What did the third opinion say?")
        reply = await alex.tap("They agree with the first plan")
        reply = await alex.tap("See the opinions side by side")
        text = reply.text
        assert "2. Second opinion" in text and "3. Third opinion" in text
        assert "✅ The same as the first plan." in text
        assert "Get a third opinion" not in " ".join(reply.buttons)  # there is one already
        assert "Medicare" not in text


async def test_outcome_before_any_visit_is_over_says_to_come_back(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    clock = Clock()
    async with running_bot(sandbox, data_dir, clock):
        alex = sandbox.user(111, "Alex")
        await book_visit(alex)
        reply = await alex.send("/outcome")
        assert "No visit is over yet." in reply.text
        assert "📅 Your visit" in reply.buttons


async def settled(user: SandboxUser) -> None:
    """Reminders that came due when the clock moved go out in the background: wait until they stop."""
    count, still = len(user.bot_messages()), 0
    while still < 10:
        await asyncio.sleep(0.05)
        now = len(user.bot_messages())
        still, count = (still + 1, count) if now == count else (0, now)


async def test_the_family_hears_who_recorded_what_the_second_opinion_said(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    clock = Clock()
    async with running_bot(sandbox, data_dir, clock):
        maria = sandbox.user(1001, "Maria")
        dana = sandbox.user(1002, "Dana")
        await onboard(maria, "Ann")
        await choose_zone(maria, "Chicago")
        await maria.send("/appointment 24 Nov 2026 10am")
        await maria.tap("Yes, that's right")
        await join(dana, await invite(maria, "Can help"))

        clock.set(datetime(2026, 11, 24, 18, 0, tzinfo=UTC))  # the visit (16:00 to 17:00 UTC) is over
        await settled(dana)
        await settled(maria)
        reply = await dana.send("/outcome")
        assert reply.text.startswith("What did the second opinion say?")
        await dana.tap("A different diagnosis or stage")
        await eventually(
            saw(maria, "Dana recorded what the second opinion said."),
            "Maria hears what Dana recorded",
            user=maria,
        )
