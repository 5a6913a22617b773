"""A family shares one plan: invites, roles, a group progress chat, news, leaving and removal."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path

from sandbox import SandboxServer, SandboxUser
from sandbox.client import Reply
from tests.e2e.harness import running_bot
from tests.e2e.test_journey import onboard

GROUP = -4001


async def eventually(
    check: Callable[[], bool], what: str, within: float = 5.0, user: SandboxUser | None = None
) -> None:
    """News goes out in the background: wait until the person sees it."""
    for _ in range(int(within / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never happened: {what}\n{[m.text for m in user.bot_messages()] if user else ''}")


def alert(reply: Reply) -> str | None:
    """The text of the alert a button press was answered with."""
    return reply.answer.get("text") if reply.answer else None


def saw(user: SandboxUser, text: str) -> Callable[[], bool]:
    return lambda: any(text in m.text for m in user.bot_messages())


async def invite(owner: SandboxUser, role_button: str) -> str:
    await owner.send("/share")
    reply = await owner.tap(role_button)
    assert "Your invite link is ready" in reply.text
    match = re.search(r"https://t\.me/SecondOpinionSandboxBot\?start=([A-Za-z0-9_-]+)", reply.text)
    assert match is not None, reply.text
    return match.group(1)


async def join(user: SandboxUser, token: str) -> None:
    reply = await user.send(f"/start {token}")
    assert "Join" in " ".join(reply.buttons), reply.text
    reply = await user.tap("Join")
    assert "You are now in Ann's plan" in reply.text


async def test_invite_accept_act_and_see_each_others_progress(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        maria = sandbox.user(1001, "Maria")
        dana = sandbox.user(1002, "Dana")
        sam = sandbox.user(1003, "Sam")
        await onboard(maria, "Ann")

        token = await invite(maria, "Can help")
        reply = await dana.send(f"/start {token}")
        # Before joining: who invites, to what, with what rights; and no medical advice.
        assert "Maria invited you to Ann's plan." in reply.text
        assert "make changes" in reply.text and "never gives medical advice" in reply.text
        assert reply.buttons == ["✅ Join", "No, thanks"]
        reply = await dana.tap("Join")
        assert "Welcome, Dana! You are now in Ann's plan." in reply.text
        assert "1. Find a specialist" in " ".join(reply.buttons)
        await eventually(
            saw(maria, "Dana joined the plan. They can make changes."), "Maria hears Dana joined"
        )

        viewer_token = await invite(maria, "Can look")
        await join(sam, viewer_token)

        # Dana marks a record; Maria and Sam hear who did what.
        await dana.send("/records")
        await dana.tap("⬜ Pathology report")
        reply = await dana.tap("I have it")
        assert "Status: I have it" in reply.text
        news = "Dana has the pathology report now."
        await eventually(saw(maria, news), "Maria hears about the record")
        await eventually(saw(sam, news), "Sam hears about the record")
        assert "News from Ann's plan" in maria.last_text()

        # Sam can look but not change.
        await sam.send("/records")
        await sam.tap("Pathology report")
        reply = await sam.tap("Arrived", expect_reply=False)
        assert alert(reply) is not None and "not change it" in str(alert(reply))
        assert "Status: I have it" in sam.last_text()

        # /members: the owner sees everyone and can take Sam off; Sam is told and loses access at once.
        reply = await maria.send("/members")
        assert "Maria (you): owner" in reply.text and "Dana: can help" in reply.text
        assert "Sam: can look" in reply.text
        await maria.tap("Sam")
        reply = await maria.tap("Take them off the plan")
        assert "Take Sam off the plan?" in reply.text
        reply = await maria.tap("Yes, remove")
        assert "Sam" not in reply.text
        await eventually(saw(sam, "Maria took you off Ann's plan."), "Sam is told")
        reply = await sam.send("/records")
        assert "Send /start" in reply.text and "Pathology" not in reply.text

        # Dana leaves; Maria hears it.
        await dana.send("/leave")
        reply = await dana.tap("Yes, leave")
        assert "You left Ann's plan." in reply.text
        await eventually(saw(maria, "Dana left the plan."), "Maria hears Dana left")


async def test_a_group_chat_follows_the_plan_with_privacy_mode_on(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria = sandbox.user(1001, "Maria")
        dana = sandbox.user(1002, "Dana")
        stranger = sandbox.user(1009, "Eve")
        await onboard(maria, "Ann")
        await join(dana, await invite(maria, "Can help"))
        sandbox.group(GROUP, "Ann's family", privacy_mode=True)
        maria_g, dana_g, eve_g = maria.in_group(GROUP), dana.in_group(GROUP), stranger.in_group(GROUP)

        reply = await maria_g.send("/start")
        assert "This group now follows Ann's plan." in reply.text

        # A question in the group comes with a ForceReply; the answer is a reply to it.
        await dana_g.send("/menu")
        await dana_g.tap("1. Find a specialist")
        reply = await dana_g.tap("Add a doctor")
        asking = dana_g.last_message()
        assert "Dana, please reply to this message" in asking.text
        reply = await dana_g.send("Dr. Lee", reply_to=asking.message_id)
        assert "Where do they work?" in reply.texts[0]  # the name was taken; the next question
        reply = await dana_g.send("/cancel")
        assert "stopped that question" in reply.text

        # Chatter in the group is left alone; a stranger's button press is refused.
        await eve_g.send("hi all", expect_reply=False)
        reply = await eve_g.tap("1. Find a specialist", expect_reply=False)
        assert "can't open this plan" in str(alert(reply))

        # Progress made in private shows up in the group, with who did it.
        await maria.send("/records")
        await maria.tap("⬜ Lab work")
        await maria.tap("Asked for")
        await maria.send("City lab")
        await eventually(saw(dana_g, "Maria asked for the lab work"), "the group hears", user=dana_g)

        # /stop: the group is no longer posted to.
        reply = await dana_g.send("/stop")
        assert "no longer follows" in reply.text
        reply = await eve_g.send("/start")
        assert "first start a plan with me in a private chat" in reply.text


async def test_bad_invites_and_forged_buttons_change_nothing(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        maria = sandbox.user(1001, "Maria")
        dana = sandbox.user(1002, "Dana")
        eve = sandbox.user(1009, "Eve")
        await onboard(maria, "Ann")
        token = await invite(maria, "Can help")

        reply = await eve.send("/start " + token[:-22] + "A" * 22)
        assert "does not work" in reply.text
        reply = await eve.send("/start not-a-token")
        assert "does not work" in reply.text

        await join(dana, token)
        reply = await eve.send(f"/start {token}")
        assert "was used already" in reply.text

        revoked = await invite(maria, "Can look")
        await maria.tap("Cancel this invite")
        reply = await eve.send(f"/start {revoked}")
        assert "invite was cancelled" in reply.text

        # A forged Join button with a made-up secret, and forged edits on Maria's case, all refused.
        case_id = token[:-22]
        eve_first = await eve.send("/start")
        assert "Welcome" in eve_first.text
        message_id = eve.bot_messages()[-1].message_id
        for data in (f"1:jn:{case_id}:{'B' * 22}", f"1:rcs:{case_id}:labs:arrived", f"1:mbX:{case_id}:1002"):
            reply = await eve.press_raw(message_id, data)
            assert alert(reply), data
        reply = await maria.send("/members")
        assert "Dana: can help" in reply.text and "Eve" not in reply.text
        reply = await maria.send("/records")
        assert "12 still to arrive" in reply.text

        # A helper cannot remove the owner or change roles.
        dana_id_button = f"1:mbX:{case_id}:1001"
        reply = await dana.press_raw(dana.bot_messages()[-1].message_id, dana_id_button)
        assert "Only the owner" in str(alert(reply))


async def test_the_invite_link_says_in_a_sentence_what_the_person_will_be_able_to_do(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria = sandbox.user(1001, "Maria")
        await onboard(maria, "Ann")
        await maria.send("/share")
        reply = await maria.tap("Can help")
        assert "They will be able to make changes, like marking records as arrived." in reply.text
        assert "will can" not in reply.text.lower()
        await maria.send("/share")
        reply = await maria.tap("Can look")
        assert "They will be able to see the plan and the visit, but not change anything." in reply.text
        assert "will can" not in reply.text.lower()
