"""Who may let people in, and where the plan's news goes: invites follow their maker, groups follow the owner.

A helper's invite link is only as good as the helper's rights today; a family group chat hears the plan
only while someone still in the plan stands behind it, and the owner can see and unlink every one.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from sandbox import SandboxServer, SandboxUser
from tests.e2e.harness import running_bot
from tests.e2e.test_caregivers import eventually, invite, join, saw
from tests.e2e.test_journey import onboard

GROUP = -4001
OTHER_GROUP = -4002
SUPERGROUP = -1004001
MAKER_CANNOT = "This invite link no longer works, because the person who made it can't invite people now."
FAREWELL = "This group no longer follows Ann's plan. I won't post its news or reminders here any more."


async def mark_pathology(user: SandboxUser) -> str:
    """A change the others hear about; returns the news line they get."""
    await user.send("/records")
    await user.tap("⬜ Pathology report")
    reply = await user.tap("I have it")
    assert "Status: I have it" in reply.text
    return f"{user.profile.first_name} has the pathology report now."


async def test_a_helpers_link_stops_working_when_they_may_no_longer_invite(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria, dana = sandbox.user(1001, "Maria"), sandbox.user(1002, "Dana")
        eve, sam = sandbox.user(1009, "Eve"), sandbox.user(1003, "Sam")
        await onboard(maria, "Ann")
        await join(dana, await invite(maria, "Can help"))
        await maria.send("/members")
        await maria.tap("Helpers may invite others")

        # Dana makes a "Can help" link; Maria then says helpers may not invite: the link lets nobody in.
        first = await invite(dana, "Can help")
        await maria.send("/members")
        reply = await maria.tap("Helpers may invite others")
        assert "Only you can invite people." in reply.text
        reply = await eve.send(f"/start {first}")
        assert MAKER_CANNOT in reply.text and "ask the plan's owner for a new link" in reply.text
        assert "Join" not in " ".join(reply.buttons)

        # Allowed again, Dana makes another; Maria makes Dana "Can look": that link stops too.
        await maria.send("/members")
        await maria.tap("Helpers may invite others")
        second = await invite(dana, "Can help")
        await maria.send("/members")
        await maria.tap("Dana")
        reply = await maria.tap("Let them only look")
        assert "Dana · Can look" in reply.text
        assert "They can see the plan and the visit, but not change anything." in reply.text
        reply = await eve.send(f"/start {second}")
        assert MAKER_CANNOT in reply.text

        # Nobody got in on Dana's word; Maria's own links still work.
        reply = await maria.send("/members")
        assert "Eve" not in reply.text
        await join(sam, await invite(maria, "Can help"))
        reply = await maria.send("/members")
        assert "Sam: can help" in reply.text and "Dana: can look" in reply.text


async def test_the_owner_sees_linked_groups_and_unlinks_one(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        maria, dana = sandbox.user(1001, "Maria"), sandbox.user(1002, "Dana")
        await onboard(maria, "Ann")
        await join(dana, await invite(maria, "Can help"))
        sandbox.group(GROUP, "Dana's friends")
        dana_g = dana.in_group(GROUP)
        reply = await dana_g.send("/start")
        assert "This group now follows Ann's plan." in reply.text

        reply = await maria.send("/members")
        assert "Group chats that get this plan's news" in reply.text
        assert "1. Linked by Dana on" in reply.text
        reply = await maria.tap("Unlink group 1")
        assert "Unlink this group chat?" in reply.text and "Dana linked it on" in reply.text
        reply = await maria.tap("Yes, unlink it")
        assert "That group chat gets no more news from this plan." in reply.text
        assert "Linked by" not in reply.text and "Unlink group" not in " ".join(reply.buttons)
        await eventually(saw(dana_g, FAREWELL), "the group is told", user=dana_g)

        # Maria's next change reaches Dana, but not the group.
        news = await mark_pathology(maria)
        await eventually(saw(dana, news), "Dana hears the news", user=dana)
        await asyncio.sleep(0.3)  # the group's letter would have been sent with Dana's
        texts = [m.text for m in dana_g.bot_messages()]
        assert not any(news in text for text in texts)
        assert sum(FAREWELL in text for text in texts) == 1
        # A helper cannot unlink another's group with a forged button either.
        reply = await dana.send("/members")
        assert "Unlink group" not in " ".join(reply.buttons)


async def test_removing_or_losing_the_helper_who_linked_a_group_unlinks_it_and_the_owner_knows(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria, dana, sam = sandbox.user(1001, "Maria"), sandbox.user(1002, "Dana"), sandbox.user(1003, "Sam")
        await onboard(maria, "Ann")
        await join(dana, await invite(maria, "Can help"))
        await join(sam, await invite(maria, "Can help"))
        sandbox.group(GROUP, "Dana's friends")
        sandbox.group(OTHER_GROUP, "Sam's friends")
        dana_g, sam_g = dana.in_group(GROUP), sam.in_group(OTHER_GROUP)
        await dana_g.send("/start")
        await sam_g.send("/start")

        # Maria takes Dana off: she is warned, then told on her screen that Dana's group went too.
        await maria.send("/members")
        await maria.tap("Dana")
        reply = await maria.tap("Take them off the plan")
        assert "The group chat they linked will stop getting this plan's news too." in reply.text
        reply = await maria.tap("Yes, remove")
        assert "Dana had linked a group chat. It gets no more news from this plan." in reply.text
        assert "1. Linked by Sam on" in reply.text and "Linked by Dana" not in reply.text
        await eventually(saw(dana_g, FAREWELL), "Dana's group is told", user=dana_g)
        await eventually(saw(dana, "Maria took you off Ann's plan."), "Dana is told", user=dana)

        # Sam leaves on their own: Maria hears that Sam's group no longer gets the news.
        await sam.send("/leave")
        await sam.tap("Yes, leave")
        await eventually(
            saw(maria, "A group chat that Sam linked no longer gets this plan's news."),
            "Maria hears",
            user=maria,
        )
        await eventually(saw(sam_g, FAREWELL), "Sam's group is told", user=sam_g)
        reply = await maria.send("/members")
        assert "Group chats" not in reply.text

        # Neither group hears the plan any more.
        await join(sandbox.user(1004, "Lee"), await invite(maria, "Can look"))
        news = await mark_pathology(maria)
        await eventually(saw(sandbox.user(1004, "Lee"), news), "Lee hears the news")
        await asyncio.sleep(0.3)
        for group in (dana_g, sam_g):
            assert not any(news in m.text for m in group.bot_messages())


async def test_a_group_upgraded_to_a_supergroup_keeps_getting_the_news(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria, dana = sandbox.user(1001, "Maria"), sandbox.user(1002, "Dana")
        await onboard(maria, "Ann")
        await join(dana, await invite(maria, "Can help"))
        sandbox.group(GROUP, "Ann's family")
        reply = await maria.in_group(GROUP).send("/start")
        assert "This group now follows Ann's plan." in reply.text

        # Telegram tells the bot in both chats; the plan follows the group to its new id.
        maria_sg = maria.in_group(GROUP).upgrade_group(SUPERGROUP)
        reply = await maria_sg.send("/menu")
        assert "Ann" in reply.text and "1. Find a specialist" in " ".join(reply.buttons)
        news = await mark_pathology(dana)
        await eventually(saw(maria_sg, news), "the supergroup hears", user=maria_sg)
        assert not [c for c in sandbox.calls if c.error and "upgraded to a supergroup" in c.error]
        reply = await maria.send("/members")
        assert "1. Linked by Maria on" in reply.text and "2." not in reply.text.split("news")[-1]


async def test_a_supergroup_the_bot_was_not_told_about_is_found_when_a_send_is_refused(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria, dana = sandbox.user(1001, "Maria"), sandbox.user(1002, "Dana")
        await onboard(maria, "Ann")
        await join(dana, await invite(maria, "Can help"))
        sandbox.group(GROUP, "Ann's family")
        await maria.in_group(GROUP).send("/start")

        # The service messages are lost: the first news to the old id is refused with the new id, and the
        # courier moves the link and sends it there.
        maria_sg = maria.in_group(GROUP).upgrade_group(SUPERGROUP, tell_bot=False)
        news = await mark_pathology(dana)
        await eventually(saw(maria_sg, news), "the supergroup hears", user=maria_sg)
        refused = [c for c in sandbox.calls if c.error and "upgraded to a supergroup" in c.error]
        assert len(refused) == 1
        reply = await maria_sg.send("/menu")
        assert "1. Find a specialist" in " ".join(reply.buttons)
