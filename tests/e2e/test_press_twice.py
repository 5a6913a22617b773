"""A button press handled twice: with several workers, the update a dead worker had in hand is handled again
by another (the inbox), after the first may have answered the press. Telegram then refuses the second
answer ("query is too old"); the person must not be told that something went wrong."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from sandbox import SandboxServer, SandboxUser
from sandbox.inbound import chat_instance
from tests.e2e.harness import running_bot_webhook
from tests.e2e.test_webhook import ALEX, post


def press_update(sandbox: SandboxServer, user: SandboxUser, query_id: str, data: str) -> dict[str, Any]:
    """The press as Telegram posted it (the sandbox delivered it once already)."""
    message = user.last_message()
    payload = {
        "id": query_id,
        "from": user.profile.as_api(),
        "message": user.chat.messages[message.message_id].snapshot(),
        "chat_instance": chat_instance(sandbox.state, user.chat),
        "data": data,
    }
    return {"update_id": 900_101, "callback_query": payload}


async def test_a_press_handled_again_after_it_was_answered_shows_no_error(
    sandbox: SandboxServer, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="handlers.plumbing.dispatch")
    async with running_bot_webhook(sandbox, data_dir) as server:
        alex = sandbox.user(ALEX, "Alex")
        await alex.send("/start")
        await alex.send("Maria")
        message = alex.last_message()
        assert "What is the diagnosis" in message.text
        data = next(
            b["callback_data"]
            for row in message.raw["reply_markup"]["inline_keyboard"]
            for b in row
            if b["text"] == "Skip"
        )
        query_id = alex.press_nowait(message.message_id, data)
        reply = await alex.wait_for_reply()
        assert "Why do you want a second opinion?" in reply.text
        # Another worker handles the same press again: it was answered already.
        assert await post(server.url, json.dumps(press_update(sandbox, alex, query_id, data)).encode()) == 200
        reply = await alex.tap("Done")  # handled after the repeat: the chat's updates go in order
        assert "treatment must start soon?" in reply.text
    texts = [m.text for m in alex.bot_messages()]
    assert not any("something went wrong" in text for text in texts), texts
    assert "a button press was answered already, or too late" in caplog.text
