"""After the visit, its summary: sent by choice to everyone in the plan (the members who hear news, and the
family group), or kept to oneself; a viewer reads it but cannot send it. Also: "What they said" typed in
visit mode stays in visit mode, and the family hears when the date to start treatment is set or changed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from handlers.outcome.taps import SendSummaryTap
from handlers.plumbing.callbacks import decode, encode
from handlers.visit.taps import ChangeTimeTap
from sandbox import SandboxServer, SandboxUser
from tests.e2e.harness import Clock, choose_zone, running_bot
from tests.e2e.test_after_visit import settled
from tests.e2e.test_caregivers import alert, eventually, invite, join, saw
from tests.e2e.test_journey import onboard

GROUP = -4077
AFTER_THE_VISIT = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)  # the visit (16:00 to 17:00 UTC) is over
SENT_YOU = "sent you a summary of the visit"
READ_ONLY = "You can look at this plan, but not change it."


async def plan_with_a_visit(owner: SandboxUser) -> None:
    """Ann's plan, a question of their own, and a second-opinion visit on Tue 24 Nov at 10 AM Chicago."""
    await onboard(owner, "Ann")
    await choose_zone(owner, "Chicago")
    await owner.send("/questions")
    await owner.tap("Add my own")
    await owner.send("Can I keep working?")
    await owner.send("/appointment 24 Nov 2026 10am")
    await owner.tap("Yes, that's right")


async def at_the_visit(user: SandboxUser) -> None:
    """In visit mode: the question asked and answered, and what they said, which keeps them in visit mode."""
    await user.send("/appointment")
    reply = await user.tap("At the visit")
    assert "🩺 At the visit" in reply.text
    await user.tap("Answer 1")
    reply = await user.send("Yes, with rest days.")
    assert "💬 Yes, with rest days." in reply.text
    reply = await user.tap("What they said")
    assert "How did it go?" in reply.text
    reply = await user.send("Come back in a month.")
    assert "Your note is saved." in reply.text
    assert "🩺 At the visit" in reply.text  # still in visit mode, not sent back to the visit screen
    assert "📝 What they said: Come back in a month." in reply.text
    assert "▫️ Asked 1" in reply.buttons or "✅ Asked 1" in reply.buttons


async def record_the_outcome(user: SandboxUser) -> None:
    reply = await user.send("/outcome")
    assert reply.text.startswith("What did the second opinion say?")
    assert "📋 Summary for the family" not in reply.buttons  # nothing recorded yet
    reply = await user.tap("They suggest changes")
    assert "When you are done, tap" in reply.text and "📋 Summary for the family" in reply.buttons
    await user.tap("Their main advice")
    reply = await user.send("Radiation first, then surgery.")
    assert "Their main advice: Radiation first, then surgery." in reply.text


def summaries(user: SandboxUser) -> list[str]:
    return [m.text for m in user.bot_messages() if SENT_YOU in m.text]


async def test_the_summary_reaches_the_members_who_hear_news_and_the_group(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    clock = Clock()
    async with running_bot(sandbox, data_dir, clock):
        maria, dana = sandbox.user(1001, "Maria"), sandbox.user(1002, "Dana")
        sam, lee = sandbox.user(1003, "Sam"), sandbox.user(1004, "Lee")
        await plan_with_a_visit(maria)
        await join(dana, await invite(maria, "Can help"))
        await join(sam, await invite(maria, "Can help"))
        await join(lee, await invite(maria, "Can look"))
        await sam.send("/settings")
        await sam.tap("Nothing")  # Sam chose to hear no news
        sandbox.group(GROUP, "Ann's family", privacy_mode=True)
        maria_g = maria.in_group(GROUP)
        reply = await maria_g.send("/start")
        assert "This group now follows Ann's plan." in reply.text

        await at_the_visit(maria)
        clock.set(AFTER_THE_VISIT)
        for user in (maria, dana, sam, lee):
            await settled(user)
        await record_the_outcome(maria)

        reply = await maria.tap("Summary for the family")
        assert "Send the summary to your family?" in reply.text
        assert "It would go to Dana, Lee and the family group chat." in reply.text  # not Sam
        assert "Summary of the second opinion" in reply.text  # what they would get, above the question
        assert reply.buttons[:2] == ["👪 Send to everyone in the plan", "🙋 Only me"]
        reply = await maria.tap("Send to everyone in the plan")
        assert "I am sending this summary to Dana, Lee and the family group chat." in reply.text
        assert "Can I keep working?" in reply.text  # Maria has it too, on her screen

        for reader in (dana, lee, maria_g):
            await eventually(saw(reader, SENT_YOU), "the summary arrives", user=reader)
        (text,) = summaries(dana)
        assert text.startswith("📨 Maria sent you a summary of the visit. It is from Ann's plan.")
        assert "What was asked\n• Can I keep working?\n  💬 Yes, with rest days." in text
        assert "What they said\nCome back in a month." in text
        assert "The outcome\nThey suggest changes." in text
        assert "Their main advice: Radiation first, then surgery." in text
        assert "Take the new opinion back to your first doctor." in text
        assert "Ask your two doctors to talk with each other" in text  # the opinions differ
        assert "🏠 Open the plan" in next(m for m in dana.bot_messages() if SENT_YOU in m.text).buttons
        assert "Can I keep working?" in summaries(lee)[0] and "Can I keep working?" in summaries(maria_g)[0]
        await asyncio.sleep(0.3)
        assert summaries(sam) == []  # Sam hears no news
        assert summaries(maria) == []  # Maria saw it on her own screen; not sent to her again


async def test_only_me_keeps_the_summary_and_a_viewer_cannot_send_it(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    clock = Clock()
    async with running_bot(sandbox, data_dir, clock):
        maria, dana, lee = sandbox.user(1001, "Maria"), sandbox.user(1002, "Dana"), sandbox.user(1004, "Lee")
        await plan_with_a_visit(maria)
        await join(dana, await invite(maria, "Can help"))
        await join(lee, await invite(maria, "Can look"))
        clock.set(AFTER_THE_VISIT)
        for user in (maria, dana, lee):
            await settled(user)
        await record_the_outcome(maria)

        await maria.tap("Summary for the family")
        reply = await maria.tap("Only me")
        assert "This summary is just for you. I did not send it to anyone else." in reply.text
        assert "Their main advice: Radiation first, then surgery." in reply.text
        # The next time, the question starts with what Maria chose.
        await maria.tap("Back")
        reply = await maria.tap("Summary for the family")
        assert "Last time, you kept it just for you." in reply.text
        assert reply.buttons[:2] == ["🙋 Only me", "👪 Send to everyone in the plan"]

        # Lee can look: Lee reads the summary, with nothing to send it with.
        reply = await lee.send("/outcome")
        reply = await lee.tap("Summary for the family")
        assert "Summary of the second opinion" in reply.text
        assert "Send to everyone in the plan" not in " ".join(reply.buttons)
        # A forged "send to everyone" from Lee is refused and sends nothing.
        case_id, visit_id = ids(maria)
        reply = await lee.press_raw(reply.messages[-1].message_id, encode(case_id, SendSummaryTap(visit_id)))
        assert alert(reply) == READ_ONLY

        await asyncio.sleep(0.3)
        assert summaries(dana) == [] and summaries(lee) == [] and summaries(maria) == []


def ids(owner: SandboxUser) -> tuple[str, str]:
    """The plan id and the visit id, read from the owner's buttons (what a forger copies)."""
    for message in reversed(owner.bot_messages()):
        for row in message.raw.get("reply_markup", {}).get("inline_keyboard", []):
            for button in row:
                decoded = decode(button.get("callback_data"))
                visit = getattr(decoded.tap, "visit", None)
                if isinstance(visit, str) and not isinstance(decoded.tap, ChangeTimeTap):
                    return decoded.case_id, visit
    raise AssertionError("no visit button in the owner's chat")


async def test_the_family_hears_when_the_date_to_start_treatment_is_set_changed_or_removed(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria, dana = sandbox.user(1001, "Maria"), sandbox.user(1002, "Dana")
        await onboard(maria, "Ann")
        await join(dana, await invite(maria, "Can help"))

        await maria.send("/menu")
        await maria.tap("⏳ Date to start treatment")
        await maria.send("12 Jan 2027")
        set_news = "Maria set the date to start treatment by: Tue 12 Jan 2027."
        await eventually(saw(dana, set_news), "Dana hears the date", user=dana)

        await maria.send("/menu")
        await maria.tap("⏳ Date to start treatment")
        await maria.send("20 Jan 2027")
        await eventually(
            saw(dana, "Maria set the date to start treatment by: Wed 20 Jan 2027."), "a new date"
        )

        await maria.send("/menu")
        await maria.tap("⏳ Date to start treatment")
        await maria.tap("Remove the date")
        await eventually(
            saw(dana, "Maria removed the date to start treatment."), "the date removed", user=dana
        )
        assert not any("set the date" in m.text for m in maria.bot_messages())  # Maria did it: not told
