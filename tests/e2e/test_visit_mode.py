"""Visit mode: at the visit, each question is marked asked and its answer kept (typed, or a voice note),
in the private chat and by a helper in the family group."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sandbox import SandboxServer, SandboxUser
from tests.e2e.harness import Clock, choose_zone, running_bot
from tests.e2e.test_caregivers import invite, join
from tests.e2e.test_journey import onboard
from tests.e2e.test_reminders import arrives

GROUP = -4013
HOURS_BEFORE = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)  # two hours before 2:30 PM Chicago time


async def plan_with_questions(user: SandboxUser) -> None:
    """A visit on 3 Dec and two questions of the user's own, the second marked most important."""
    await choose_zone(user, "Chicago")
    await user.send("/appointment 3 Dec 2026 2:30pm")
    await user.tap("Yes, that's right")
    for question in ("Can I keep working?", "How sure are you about the diagnosis?"):
        await user.send("/questions")
        await user.tap("Add my own")
        await user.send(question)
    await user.tap("☆ 2")


async def test_visit_mode_from_the_reminder_marks_asked_and_keeps_typed_and_voice_answers(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    clock = Clock()
    async with running_bot(sandbox, data_dir, clock):
        alex = sandbox.user(111, "Alex")
        await onboard(alex, "Ann")
        await plan_with_questions(alex)

        # A voice note before anything asked for one changes nothing and says where they are kept.
        reply = await alex.send_voice()
        assert "I keep a voice note only as the answer to a question at a visit" in reply.text

        # Two hours before the visit, the reminder offers visit mode.
        clock.set(HOURS_BEFORE)
        await arrives(alex, "Your visit is soon")
        soon = next(m for m in alex.bot_messages() if m.text.startswith("Your visit is soon"))
        assert "🩺 At the visit" in soon.buttons
        reply = await alex.tap("At the visit", message_id=soon.message_id)
        assert "🩺 At the visit" in reply.text
        top = reply.text.index("1. How sure are you about the diagnosis?")  # the top question first
        assert top < reply.text.index("2. Can I keep working?")
        assert "You may record the talk if the doctor agrees" in reply.text
        assert reply.buttons[:4] == ["▫️ Asked 1", "✍️ Answer 1", "▫️ Asked 2", "✍️ Answer 2"]

        reply = await alex.tap("▫️ Asked 2")
        assert "✅ Asked 2" in reply.buttons and "▫️ Asked 1" in reply.buttons
        assert reply.text.count("✅ Asked") == 1

        reply = await alex.tap("Answer 1")
        assert "The answer to: How sure are you about the diagnosis?" in reply.text
        assert "Type the answer, or send a voice note" in reply.text
        reply = await alex.send("Very sure. The lab checked twice.")
        assert "The answer is saved" in reply.text
        assert "💬 Very sure. The lab checked twice." in reply.text
        assert "✅ Asked 1" in reply.buttons  # an answered question was asked

        reply = await alex.tap("Answer 2")
        reply = await alex.send_voice()
        assert "The answer is saved" in reply.text and "🎤 Voice note kept" in reply.text
        assert reply.text.count("✅ Asked") == 2

        # What they said: the visit's note, typed in visit mode, and back in visit mode (still at the visit).
        await alex.tap("What they said")
        reply = await alex.send("Come back in a month.")
        assert "Your note is saved" in reply.text
        assert "🩺 At the visit" in reply.text and "📝 What they said" in reply.buttons
        assert "📝 What they said: Come back in a month." in reply.text
        assert "💬 Very sure. The lab checked twice." in reply.text and "🎤 Voice note kept" in reply.text


async def test_a_helper_in_the_family_group_fills_in_answers_by_replying(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria = sandbox.user(1001, "Maria")
        dana = sandbox.user(1002, "Dana")
        await onboard(maria, "Ann")
        await plan_with_questions(maria)
        await join(dana, await invite(maria, "Can help"))
        sandbox.group(GROUP, "Ann's family", privacy_mode=True)
        maria_g, dana_g = maria.in_group(GROUP), dana.in_group(GROUP)
        await maria_g.send("/start")

        await dana_g.send("/appointment")
        reply = await dana_g.tap("At the visit")
        assert "1. How sure are you about the diagnosis?" in reply.text
        await dana_g.tap("Answer 2")
        asking = dana_g.last_message()
        assert "Dana, please reply to this message" in asking.text
        await dana_g.send(
            "they chat in the group meanwhile", expect_reply=False
        )  # not a reply: not the answer
        reply = await dana_g.send("Yes, with rest days.", reply_to=asking.message_id)
        assert "The answer is saved" in reply.text and "💬 Yes, with rest days." in reply.text

        await dana_g.tap("Answer 1")
        asking = dana_g.last_message()
        reply = await dana_g.send_voice(reply_to=asking.message_id)
        assert "The answer is saved" in reply.text and "🎤 Voice note kept" in reply.text

        # The patient sees what the helper kept, in the private chat.
        await maria.send("/appointment")
        reply = await maria.tap("At the visit")
        assert "💬 Yes, with rest days." in reply.text and "🎤 Voice note kept" in reply.text
        assert "they chat in the group" not in reply.text
