"""Closing the holes, as a person meets them: a viewer cannot change the visit, a question is answered only
where it was asked, forged numbers in buttons get a kind word, and names cannot turn text around."""

from __future__ import annotations

import asyncio
import logging
import unicodedata
from pathlib import Path

import pytest

from handlers.plumbing.callbacks import Tap, decode, encode
from handlers.prompts.taps import SetZoneTap
from handlers.settings.taps import ZonesTap
from handlers.visit.taps import (
    ChangeTimeTap,
    ConfirmTimeTap,
    PickDayTap,
    PickHourTap,
    PickMonthTap,
    ProposeTimeTap,
)
from journey.zones import COMMON_ZONES
from sandbox import Reply, SandboxServer, SandboxUser
from tests.e2e.harness import choose_zone, running_bot
from tests.e2e.test_caregivers import alert, eventually, invite, join, saw
from tests.e2e.test_journey import onboard

GROUP = -4001
VISIT_AT = "Thursday 3 December 2026, 2:30 PM, Chicago time"
READ_ONLY = "You can look at this plan, but not change it."
NOTHING_ASKED = "I wasn't waiting for a typed answer just now."
GONE = "That item is not there any more."
STALE = "That button is out of date."
ASKED_ELSEWHERE = "I asked you that in another chat, so I did not save this here."
NOT_IN_PLAN = "Only people in this plan can answer here. Ask the person who made the plan for an invite link."
WENT_WRONG = "something went wrong"


async def add_visit(owner: SandboxUser) -> Reply:
    """The owner (zone already chosen) adds the visit on 3 Dec 2026 at 2:30 PM; the visit screen."""
    reply = await owner.send("/appointment 3 Dec 2026 2:30pm")
    assert "Is that right?" in reply.text
    reply = await owner.tap("Yes, that's right")
    assert any("Saved" in text for text in reply.texts)
    return reply


def visit_ids(owner: SandboxUser) -> tuple[str, str]:
    """The plan id and the visit id, read from the owner's "Change time" button (what a forger copies)."""
    for message in reversed(owner.bot_messages()):
        for row in message.raw.get("reply_markup", {}).get("inline_keyboard", []):
            for button in row:
                decoded = decode(button.get("callback_data"))
                if isinstance(decoded.tap, ChangeTimeTap):
                    return decoded.case_id, decoded.tap.visit
    raise AssertionError("no Change time button in the owner's chat")


def calendar_files(*users: SandboxUser) -> int:
    return sum((f.file_name or "").endswith(".ics") for user in users for f in user.documents())


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_viewer_cannot_move_the_visit_to_another_zone_with_a_forged_button(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria, sam = sandbox.user(1001, "Maria"), sandbox.user(1003, "Sam")
        await onboard(maria, "Ann")
        await choose_zone(maria, "Chicago")
        await add_visit(maria)
        await join(sam, await invite(maria, "Can look"))
        case_id, visit_id = visit_ids(maria)
        assert COMMON_ZONES[0] == "America/New_York"  # the zone the forged buttons would move the visit to
        files_before = calendar_files(maria, sam)
        here = (await sam.send("/appointment")).messages[-1].message_id
        assert VISIT_AT in sam.last_text()

        # The zone question about the visit is never asked of a viewer...
        reply = await sam.press_raw(here, encode(case_id, ZonesTap(visit_id)))
        assert alert(reply) == READ_ONLY
        # ...so its zone button, forged, finds no question to answer: with none open, or with Sam's own
        # zone question (from /settings) open.
        reply = await sam.press_raw(here, encode(case_id, SetZoneTap(0, visit_id)))
        assert NOTHING_ASKED in str(alert(reply))
        await sam.send("/settings")
        reply = await sam.tap("Time zone")
        assert "Which time zone?" in reply.text
        reply = await sam.press_raw(reply.messages[-1].message_id, encode(case_id, SetZoneTap(0, visit_id)))
        assert GONE in str(alert(reply))

        await asyncio.sleep(0.3)  # news of a change would be on its way by now
        reply = await maria.send("/appointment")
        assert VISIT_AT in reply.text and "New York" not in reply.text
        reply = await sam.send("/appointment")
        assert VISIT_AT in reply.text
        assert calendar_files(maria, sam) == files_before
        assert not any("New York" in m.text for m in maria.bot_messages())


async def test_a_viewer_typing_a_visit_time_is_told_they_can_only_look(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria, sam = sandbox.user(1001, "Maria"), sandbox.user(1003, "Sam")
        await onboard(maria, "Ann")
        await join(sam, await invite(maria, "Can look"))

        # Before Sam has a time zone (the bot would ask it first), and after.
        reply = await sam.send("/appointment 3 Dec 2026 2:30pm")
        assert reply.text == READ_ONLY
        await choose_zone(sam, "Chicago")
        reply = await sam.send("/appointment 3 Dec 2026 2:30pm")
        assert reply.text == READ_ONLY
        assert "Is that right?" not in " ".join(reply.texts)

        # No question was left open, and no visit was added.
        reply = await sam.send("3 Dec 2026 2:30pm")
        assert reply.text == READ_ONLY  # not read as the answer to a time question (none is open)
        assert "Is that right?" not in " ".join(reply.texts)
        reply = await maria.send("/appointment")
        assert "No visit saved yet" in reply.text
        assert calendar_files(maria, sam) == 0


async def test_a_question_asked_in_private_is_not_answered_from_the_group(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria = sandbox.user(1001, "Maria")
        await onboard(maria, "Ann")
        sandbox.group(GROUP, "Ann's family")
        maria_g = maria.in_group(GROUP)
        linked = await maria_g.send("/start")
        assert "This group now follows Ann's plan." in linked.text

        await maria.send("/specialist")
        reply = await maria.tap("Add a doctor")
        assert "What is the doctor's name?" in reply.text
        # In the group, even a reply to the bot's message there is not the answer: the bot stays quiet.
        reply = await maria_g.send("Dr. Group", reply_to=linked.messages[-1].message_id, expect_reply=False)
        assert reply.messages == ()
        reply = await maria_g.send("Dr. Chatter", expect_reply=False)
        assert reply.messages == ()

        # The question is still open in private, and answered there.
        reply = await maria.send("Dr. Kim")
        assert "Where do they work?" in reply.text
        for _ in range(3):  # the place, the phone, the notes
            reply = await maria.tap("Skip")
        assert "Dr. Kim" in reply.text
        reply = await maria.send("/specialist")
        shown = " ".join([reply.text, *reply.buttons])
        assert "Dr. Kim" in shown
        assert "Dr. Group" not in shown and "Dr. Chatter" not in shown


async def test_a_question_asked_in_the_group_is_answered_only_by_a_reply_to_it_there(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria, dana, eve = sandbox.user(1001, "Maria"), sandbox.user(1002, "Dana"), sandbox.user(1009, "Eve")
        await onboard(maria, "Ann")
        await join(dana, await invite(maria, "Can help"))
        sandbox.group(GROUP, "Ann's family")
        dana_g, eve_g = dana.in_group(GROUP), eve.in_group(GROUP)
        linked = await maria.in_group(GROUP).send("/start")
        assert "This group now follows Ann's plan." in linked.text

        await dana_g.send("/menu")
        await dana_g.tap("1. Find a specialist")
        await dana_g.tap("Add a doctor")
        asking = dana_g.last_message()
        assert "Dana, please reply to this message" in asking.text
        keyboard = dana_g.chat.messages[asking.message_id].keyboard
        assert keyboard is not None and keyboard.get("force_reply") is True

        # Plain chatter, or a reply to an older message of the bot, is not the answer: no reply at all.
        reply = await dana_g.send("Dr. Chatter", expect_reply=False)
        assert reply.messages == ()
        reply = await dana_g.send("Dr. Old", reply_to=linked.messages[-1].message_id, expect_reply=False)
        assert reply.messages == ()
        # Typed in private, it is not taken either, and Dana is told where to answer.
        reply = await dana.send("Dr. Private")
        assert ASKED_ELSEWHERE in reply.text
        # Someone in the group but not in the plan who replies to the question is told why nothing happened.
        reply = await eve_g.send("Dr. Eve", reply_to=asking.message_id)
        assert reply.text == NOT_IN_PLAN

        # Dana's reply to the question is the answer.
        reply = await dana_g.send("Dr. Lee", reply_to=asking.message_id)
        assert "Where do they work?" in reply.texts[0]
        for _ in range(3):  # the place, the phone, the notes
            reply = await dana_g.tap("Skip")
        assert "Dr. Lee" in reply.text
        reply = await maria.send("/specialist")
        shown = " ".join([reply.text, *reply.buttons])
        assert "Dr. Lee" in shown
        for wrong in ("Dr. Chatter", "Dr. Old", "Dr. Private", "Dr. Eve"):
            assert wrong not in shown


async def test_out_of_range_numbers_in_time_picker_buttons_get_a_kind_answer(
    sandbox: SandboxServer, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    huge = 10**20
    last_minute = 4223371679  # 31 December 9999, 23:59 UTC: the last minute a datetime holds
    async with running_bot(sandbox, data_dir):
        maria = sandbox.user(1001, "Maria")
        await onboard(maria, "Ann")
        # Sydney is ahead of UTC: the last minute of year 9999 there is past what a datetime holds.
        await choose_zone(maria, "Sydney")
        await maria.send("/appointment 3 Dec 2026 2:30pm")
        await maria.tap("Yes, that's right")
        case_id, visit_id = visit_ids(maria)
        before = (await maria.send("/appointment")).text
        files_before = calendar_files(maria)
        forged: list[Tap] = [
            PickMonthTap(12, "new"),  # year 0
            PickMonthTap(999913, "new"),  # month 13
            PickMonthTap(202600, "new"),  # month 0
            PickMonthTap(huge, "new"),
            PickDayTap(20261299, "new"),  # day 99
            PickDayTap(20261300, "new"),  # month 13
            PickDayTap(huge, "new"),
            PickHourTap(20261203, 25, "new"),
            PickHourTap(20261203, huge, "new"),
            PickHourTap(20261299, 9, "new"),
            PickHourTap(10101, 9, "new"),  # 1 January of year 1: before any UTC time in Sydney
            PickHourTap(99991231, 20, visit_id),
            ProposeTimeTap(huge, "new"),
            ProposeTimeTap(last_minute, "new"),
            ProposeTimeTap(last_minute, visit_id),
            ConfirmTimeTap(huge, visit_id),
            ConfirmTimeTap(last_minute, visit_id),
            ConfirmTimeTap(0, visit_id),  # 1970
        ]
        for tap in forged:
            here = (await maria.send("/appointment")).messages[-1].message_id
            reply = await maria.press_raw(here, encode(case_id, tap))
            assert reply.answer is not None, tap
            words = " ".join([str(alert(reply) or ""), *reply.texts])
            assert WENT_WRONG not in words, (tap, words)
            if not reply.texts:  # no screen: then a kind alert says why
                assert alert(reply), tap

        reply = await maria.send("/appointment")
        assert reply.text == before
        assert "Thursday 3 December 2026, 2:30 PM, Sydney time" in reply.text
        assert calendar_files(maria) == files_before
    assert errors_logged(caplog) == []


async def test_a_typed_time_at_the_end_of_the_calendar_is_too_far_not_an_error(
    sandbox: SandboxServer, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(sandbox, data_dir):
        maria = sandbox.user(1001, "Maria")
        await onboard(maria, "Ann")
        await choose_zone(maria, "Chicago")
        reply = await maria.send("/appointment 31 Dec 9999 11pm")
        assert "That is more than two years away. Please check the year." in reply.text
        assert "When is the visit?" in reply.text  # asked again
        reply = await maria.send("3 Dec 2026 2:30pm")
        assert VISIT_AT in reply.text
    assert errors_logged(caplog) == []


def unseen(text: str) -> list[str]:
    """Bidi controls and other invisible format characters in `text` (as code points)."""
    return [f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cf" and c != "\u200d"]


async def test_a_name_with_bidi_controls_is_shown_without_them(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria = sandbox.user(1001, "Maria")
        # A right-to-left override, an isolate and a zero-width space: "Lee" would read backwards and so
        # would the words after it.
        lee = sandbox.user(1004, "\u202eLee\u2066\u200b")
        await onboard(maria, "Ann")
        await join(lee, await invite(maria, "Can help"))

        await eventually(
            saw(maria, "Lee joined the plan. They can make changes."), "Maria hears Lee joined", user=maria
        )
        news = next(m for m in maria.bot_messages() if "joined the plan" in m.text)
        assert unseen(news.text) == [] and unseen(news.html) == []
        reply = await maria.send("/members")
        assert "Lee: can help" in reply.text
        assert unseen(reply.text) == [] and unseen(reply.html) == []
        assert reply.buttons and all(unseen(label) == [] for label in reply.buttons)

        # News of what Lee does, and a question asked of Lee in the family group, name Lee plainly too.
        sandbox.group(GROUP, "Ann's family")
        await maria.in_group(GROUP).send("/start")
        lee_g = lee.in_group(GROUP)
        await lee_g.send("/menu")
        await lee_g.tap("1. Find a specialist")
        reply = await lee_g.tap("Add a doctor")
        assert "Lee, please reply to this message" in reply.text
        assert unseen(reply.text) == [] and unseen(reply.html) == []
        await lee_g.send("/cancel")

        await lee.send("/records")
        await lee.tap("⬜ Pathology report")
        await lee.tap("I have it")
        await eventually(saw(maria, "Lee has the pathology report now."), "Maria hears", user=maria)
        assert all(unseen(m.text) == [] and unseen(m.html) == [] for m in maria.bot_messages())
