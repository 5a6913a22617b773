"""The bot says it is busy ("sending a file…", Telegram's chat action) before it sends a file, and a chat
action that does not go through never stops the file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from sandbox import SandboxServer, SandboxUser, events
from tests.e2e.harness import running_bot
from tests.e2e.test_caregivers import eventually, invite, join
from tests.e2e.test_journey import onboard


async def add_a_visit(user: SandboxUser) -> None:
    await user.send("/appointment")
    await user.tap("Add the visit")
    await user.tap("Chicago")
    await user.send("3 Dec 2026 2:30pm")
    await user.tap("Yes, that's right")


def before_each_file(user: SandboxUser) -> list[tuple[str, str]]:
    """For each file the bot sent, the bot's call just before it: ("chat_action", its action) or another."""
    log = [e for e in user.log() if e.kind in events.BOT_KINDS]
    return [
        (log[n - 1].kind, str(log[n - 1].detail.get("action", ""))) if n else ("", "")
        for n, event in enumerate(log)
        if event.kind == events.SENT_DOCUMENT
    ]


async def test_the_calendar_file_comes_after_the_bot_says_it_is_sending_a_file(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria = sandbox.user(1001, "Maria")
        dana = sandbox.user(1002, "Dana")
        await onboard(maria, "Ann")
        await join(dana, await invite(maria, "Can help"))

        await add_a_visit(maria)
        assert any((f.file_name or "").endswith(".ics") for f in maria.documents())
        assert before_each_file(maria) == [(events.CHAT_ACTION, "upload_document")]

        # The news of the visit reaches Dana with the calendar file, and the same "sending a file…".
        await eventually(lambda: bool(dana.documents()), "Dana gets the calendar file", user=dana)
        assert before_each_file(dana) == [(events.CHAT_ACTION, "upload_document")]


async def test_a_chat_action_that_fails_does_not_stop_the_file(
    sandbox: SandboxServer, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await onboard(alex, "Ann")
        sandbox.fail_next("sendChatAction", 400, "Bad Request: wrong parameter action in request")
        with caplog.at_level(logging.INFO):
            await add_a_visit(alex)
        (calendar,) = alex.documents()
        assert (calendar.file_name or "").endswith(".ics")
        assert "Saved" in "\n".join(m.text for m in alex.bot_messages())
        noted = [r.getMessage() for r in caplog.records if "chat action" in r.getMessage()]
        assert noted == ["a chat action was not shown: BadRequest"]
