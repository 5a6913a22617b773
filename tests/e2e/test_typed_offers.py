"""Text typed when the bot asked nothing is offered a useful place, in private and in the family group.

Each kind: the offer, then Yes puts it in the plan and No changes nothing. Words of distress get a kind
line and nothing is stored. In a group only a reply to the bot or a mention of it counts.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from sandbox import SandboxServer, SandboxUser
from sandbox.client import Reply
from tests.e2e.harness import choose_zone, running_bot
from tests.e2e.test_caregivers import alert, invite, join
from tests.e2e.test_journey import onboard

GROUP = -100888
BOT = "SecondOpinionSandboxBot"

QUESTION = "what should I ask about clinical trials?"
VISIT = "Friday 11 December 9:30am"
VISIT_READ_BACK = "Add a visit on Friday 11 December 2026, 9:30 AM, Chicago time?"
KIND_LINE = "Many people feel this way"

Say = Callable[[str], Awaitable[Reply]]


def plan(data_dir: Path) -> dict[str, Any]:
    """The stored plan (there is one in these tests)."""
    (path,) = (data_dir / "cases").glob("*.json")
    doc: dict[str, Any] = json.loads(path.read_text())["case"]["1"]
    return doc


def content(data_dir: Path) -> dict[str, Any]:
    """What typed text could add to: the questions, the doctors, the notes, the visits."""
    doc = plan(data_dir)
    return {
        "questions": doc["questions"]["chosen"],
        "doctors": doc["specialist"]["candidates"],
        "notes": doc["notes"],
        "visits": doc["appointments"],
    }


async def in_private(sandbox: SandboxServer) -> tuple[SandboxUser, Say]:
    maria = sandbox.user(1001, "Maria")
    await onboard(maria, "Ann")
    return maria, maria.send


async def in_group(sandbox: SandboxServer) -> tuple[SandboxUser, Say]:
    """Maria's plan followed by the family group; she types as a reply to the bot's last message there."""
    maria = sandbox.user(1001, "Maria")
    await onboard(maria, "Ann")
    sandbox.group(GROUP, "Ann's family", privacy_mode=True)
    group = maria.in_group(GROUP)
    await group.send("/start")

    async def say(text: str) -> Reply:
        return await group.send(text, reply_to=group.last_message().message_id)

    return group, say


PLACES = {"private": in_private, "group": in_group}


@pytest.fixture(params=list(PLACES))
def place(request: pytest.FixtureRequest) -> Callable[[SandboxServer], Awaitable[tuple[SandboxUser, Say]]]:
    return PLACES[request.param]


async def test_a_typed_question_goes_on_the_list_for_the_doctor(
    sandbox: SandboxServer, data_dir: Path, place: Any
) -> None:
    async with running_bot(sandbox, data_dir):
        user, say = await place(sandbox)
        reply = await say(QUESTION)
        assert "Add this to your questions for the doctor?" in reply.text and QUESTION in reply.text
        assert "I wasn't waiting" not in reply.text
        before = content(data_dir)
        reply = await user.tap("No")
        assert "I did not save it" in reply.text
        assert content(data_dir) == before

        await say(QUESTION)
        reply = await user.tap("Add")
        assert "Added to your questions for the doctor." in reply.text and QUESTION in reply.text
        assert [q["text"] for q in content(data_dir)["questions"]] == [QUESTION]


async def test_a_typed_time_becomes_a_visit_read_back_first(
    sandbox: SandboxServer, data_dir: Path, place: Any
) -> None:
    async with running_bot(sandbox, data_dir):
        user, say = await place(sandbox)
        await choose_zone(sandbox.user(1001, "Maria"), "Chicago")
        reply = await say(VISIT)
        assert VISIT_READ_BACK in reply.text
        before = content(data_dir)
        await user.tap("No")
        assert content(data_dir) == before

        await say(VISIT)
        reply = await user.tap("Yes")
        assert "Saved" in "\n".join(reply.texts) and "Friday 11 December 2026" in "\n".join(reply.texts)
        (visit,) = content(data_dir)["visits"]
        assert (visit["starts_at"], visit["zone"]) == ("2026-12-11T15:30:00+00:00", "America/Chicago")


async def test_with_no_zone_a_typed_time_asks_the_zone_then_reads_the_same_time(
    sandbox: SandboxServer, data_dir: Path, place: Any
) -> None:
    """The zone is never guessed: asked first, then the time typed before is read in it."""
    async with running_bot(sandbox, data_dir):
        user, say = await place(sandbox)
        reply = await say(VISIT)
        assert "Add a visit at this time?" in reply.text and "First I need your time zone" in reply.text
        reply = await user.tap("Yes")
        assert "Which time zone?" in "\n".join(reply.texts)
        reply = await user.tap("Chicago")
        assert "Friday 11 December 2026, 9:30 AM, Chicago time" in reply.text
        assert content(data_dir)["visits"] == []  # confirmed first, as /appointment does
        reply = await user.tap("Yes, that's right")
        assert "Saved" in "\n".join(reply.texts)
        assert len(content(data_dir)["visits"]) == 1


async def test_a_time_that_reads_two_ways_is_asked_never_guessed(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria, say = await in_private(sandbox)
        await choose_zone(maria, "Chicago")
        reply = await say("12/11 9:30am")
        assert "Add a visit at this time?" in reply.text and "more than one way" in reply.text
        reply = await maria.tap("Yes")
        assert "can mean two days" in reply.text
        assert any("12 Nov" in b for b in reply.buttons) and any("11 Dec" in b for b in reply.buttons), (
            reply.buttons
        )
        assert content(data_dir)["visits"] == []


async def test_a_doctors_name_goes_on_the_list_of_doctors(
    sandbox: SandboxServer, data_dir: Path, place: Any
) -> None:
    async with running_bot(sandbox, data_dir):
        user, say = await place(sandbox)
        reply = await say("Dr. Ana Lopez")
        assert "Add Dr. Ana Lopez to your list of doctors?" in reply.text
        before = content(data_dir)
        await user.tap("No")
        assert content(data_dir) == before

        await say("Dr. Ana Lopez")
        reply = await user.tap("Add")
        assert "Added to your list of doctors." in reply.text and "Dr. Ana Lopez" in reply.text
        assert [d["name"] for d in content(data_dir)["doctors"]] == ["Dr. Ana Lopez"]


async def test_anything_else_can_be_saved_as_a_note_then_seen_and_deleted(
    sandbox: SandboxServer, data_dir: Path, place: Any
) -> None:
    async with running_bot(sandbox, data_dir):
        user, say = await place(sandbox)
        reply = await say("Bring the scans on a disc")
        assert "Save this as a note in your plan?" in reply.text
        assert {"📝 Save", "No", "🏠 Menu"} <= set(reply.buttons)
        before = content(data_dir)
        await user.tap("No")
        assert content(data_dir) == before

        await say("Bring the scans on a disc")
        reply = await user.tap("Save")
        assert "Saved in your notes." in reply.text and "1. Bring the scans on a disc" in reply.text
        assert [n["text"] for n in content(data_dir)["notes"]] == ["Bring the scans on a disc"]

        await user.send("/menu")
        reply = await user.tap("Notes (1)")
        assert "Bring the scans on a disc" in reply.text
        reply = await user.tap("🗑 1")
        assert "Delete this note?" in reply.text
        reply = await user.tap("Yes, remove")
        assert "The note is deleted." in reply.text and "No notes yet" in reply.text
        assert content(data_dir)["notes"] == []


async def test_distress_gets_a_kind_line_and_nothing_is_stored(
    sandbox: SandboxServer, data_dir: Path, place: Any
) -> None:
    async with running_bot(sandbox, data_dir):
        _, say = await place(sandbox)
        before = plan(data_dir)
        reply = await say("I feel scared")
        assert KIND_LINE in reply.text and "social worker or patient navigator" in reply.text
        assert "call emergency services" in reply.text
        assert reply.buttons == ["🏠 Menu"]  # nothing offered: a feeling is not a task
        assert plan(data_dir) == before  # nothing stored, not even an offer


async def test_distress_and_a_question_get_the_kind_line_then_the_question_offer(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria, say = await in_private(sandbox)
        reply = await say("I'm so overwhelmed. What should I ask first?")
        assert reply.text.index(KIND_LINE) < reply.text.index("Add this to your questions for the doctor?")
        await maria.tap("Add")
        assert len(content(data_dir)["questions"]) == 1


async def test_in_the_group_chatter_is_left_alone_and_a_mention_counts(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria = sandbox.user(1001, "Maria")
        await onboard(maria, "Ann")
        sandbox.group(GROUP, "Ann's family", privacy_mode=False)  # the bot sees every message here
        group = maria.in_group(GROUP)
        await group.send("/start")
        before = plan(data_dir)
        await group.send("Bring the scans on a disc", expect_reply=False)  # family chatter
        assert plan(data_dir) == before and "Save this" not in group.last_text()

        reply = await group.send(f"@{BOT} Bring the scans on a disc")
        assert "Save this as a note in your plan?" in reply.text and f"@{BOT}" not in reply.text
        await group.tap("Save")
        assert [n["text"] for n in content(data_dir)["notes"]] == ["Bring the scans on a disc"]


async def test_a_viewer_is_told_kindly_and_offered_nothing(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        maria = sandbox.user(1001, "Maria")
        victor = sandbox.user(1002, "Victor")
        await onboard(maria, "Ann")
        await join(victor, await invite(maria, "Can look"))
        before = plan(data_dir)
        reply = await victor.send("Bring the scans on a disc")
        assert "You can look at this plan, but not change it." in reply.text
        assert "Save" not in " ".join(reply.buttons)
        assert content(data_dir) == content_of(before)


def content_of(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "questions": doc["questions"]["chosen"],
        "doctors": doc["specialist"]["candidates"],
        "notes": doc["notes"],
        "visits": doc["appointments"],
    }


async def test_an_offer_left_for_another_screen_is_gone(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        maria, say = await in_private(sandbox)
        offer = (await say(QUESTION)).messages[-1]
        await maria.send("/menu")  # went elsewhere: the words are no longer kept
        reply = await maria.tap("Add", message_id=offer.message_id, expect_reply=False)
        assert "not there any more" in (alert(reply) or "")
        assert content(data_dir)["questions"] == []
