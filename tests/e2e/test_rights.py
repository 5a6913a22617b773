"""A person's data rights, end to end: /privacy, /export and /delete over the sandbox."""

from __future__ import annotations

import json
from pathlib import Path

from sandbox import SandboxServer
from tests.e2e.harness import running_bot
from tests.e2e.test_caregivers import eventually, invite, join, saw
from tests.e2e.test_journey import onboard

GROUP = -4101
MARK = "Zq7mark"


def bytes_under(data_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(data_dir)): p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}


async def test_privacy_answers_in_private_and_in_groups_with_or_without_a_plan(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(2001, "Alex")
        reply = await alex.send("/privacy")
        assert "not end-to-end encrypted" in reply.text
        assert "emergency services" in reply.text and "12 months" in reply.text
        assert "/export" in reply.text and "/delete" in reply.text
        sandbox.group(GROUP, "Alex's family")
        reply = await alex.in_group(GROUP).send("/privacy")
        assert "Who can see it" in reply.text
        reply = await alex.send("/start")
        assert "/privacy" in reply.text
        await alex.send("Ann")
        reply = await alex.send("/help")
        assert "/privacy" in reply.text


async def test_export_holds_what_was_typed_and_nothing_of_another_family(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria, sam = sandbox.user(2011, "Maria"), sandbox.user(2012, "Sam")
        await onboard(maria, "Ann Núñez")
        await onboard(sam, "Nina")
        await maria.send("/export")
        assert saw(maria, "Here is everything I keep about you, from 1 plan")()
        (file,) = [f for f in maria.documents() if f.file_name == "second-opinion-export.json"]
        data = json.loads(file.data)
        assert (data["format"], data["version"]) == ("second-opinion-export", 1)
        (plan,) = data["plans"]
        assert plan["patient"]["patient_name"] == "Ann Núñez"
        assert plan["patient"]["diagnosis"] == "Stage 2 breast cancer"
        assert "Nina" not in file.data.decode()
        # Personal: not in a group, where others read along.
        sandbox.group(GROUP, "Family")
        reply = await maria.in_group(GROUP).send("/export")
        assert "private chat" in reply.text


async def test_delete_leaves_no_trace_of_what_was_typed_and_the_others_are_told(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria, dana, sam = sandbox.user(2021, "Maria"), sandbox.user(2022, "Dana"), sandbox.user(2023, "Sam")
        await maria.send("/start")
        await maria.send("Ann")
        await maria.send(f"Stage 2, {MARK}")  # the diagnosis, as typed
        await maria.tap("Rare or unclear diagnosis")
        await maria.tap("Done")
        await maria.tap("No")
        await join(dana, await invite(maria, "🤝 Can help"))
        await onboard(sam, "Nina")
        others = bytes_under(data_dir)
        sams = {k: v for k, v in others.items() if k.startswith("cases/") and b"Nina" in v}
        assert len(sams) == 1 and any(MARK.encode() in v for v in others.values())

        reply = await maria.send("/delete")
        assert "Delete everything of yours?" in reply.text
        assert "Ann's plan" in reply.text and "deleted for everyone" in reply.text
        assert reply.buttons == ["Yes, delete everything", "No, keep"]
        await maria.tap("Yes, delete everything")
        assert saw(maria, "Deleting everything of yours now")()  # the confirmation, edited in place
        await eventually(saw(maria, "Everything of yours is deleted"), "the erasure is confirmed", user=maria)
        await eventually(saw(dana, "Maria deleted"), "the helper is told", user=dana)

        after = bytes_under(data_dir)
        assert sorted(k for k, v in after.items() if MARK.encode() in v) == []
        assert {k: after.get(k) for k in sams} == sams  # the other family's plan, byte for byte
        reply = await maria.send("/delete")
        assert "I keep nothing about you" in reply.text
        reply = await sam.send("/menu")
        assert "step" in reply.text.lower()
