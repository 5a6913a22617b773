"""The bot in webhook mode against the sandbox in webhook mode: updates come only with the secret."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from telegram import Bot as PtbBot
from telegram.error import Conflict

from sandbox import SandboxServer
from storage import StorageError
from storage.memory_repo import InMemoryCaseRepository
from tests.e2e.harness import WEBHOOK_SECRET, Clock, running_bot_webhook, settings_for
from webhook import MAX_BODY, SECRET_HEADER, WebhookServer
from wiring import build_application

ALEX = 111


class FlakyStorage(InMemoryCaseRepository):
    """Plans in memory, with a switch that makes every read fail as a lost database would."""

    def __init__(self) -> None:
        super().__init__()
        self.failing = False

    def linked_case_id(self, chat_id: int) -> str | None:
        if self.failing:
            raise StorageError("the database went away")
        return super().linked_case_id(chat_id)


def start_update(sandbox: SandboxServer) -> dict[str, Any]:
    """A /start Alex typed, as Telegram would post it, kept out of the sandbox's own delivery."""
    message = sandbox.user(ALEX, "Alex").send_nowait("/start")
    sandbox.state.updates.drop_pending()
    return {"update_id": 900_001, "message": message}


async def post(url: str, body: bytes, secret: str | None = WEBHOOK_SECRET) -> int:
    headers = {"Content-Type": "application/json"} | ({SECRET_HEADER: secret} if secret else {})
    async with aiohttp.ClientSession() as session, session.post(url, data=body, headers=headers) as answer:
        return answer.status


async def status(url: str) -> int:
    async with aiohttp.ClientSession() as session, session.get(url) as answer:
        return answer.status


async def until(check: Callable[[], bool], within: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


def bot_messages(sandbox: SandboxServer) -> list[dict[str, Any]]:
    return [m for m in sandbox.history(ALEX) if m["from"]["is_bot"]]


async def test_a_short_journey_by_webhook(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot_webhook(sandbox, data_dir) as server:
        set_calls = [call for call in sandbox.calls if call.method == "setWebhook"]
        assert [call.params["url"] for call in set_calls] == [server.url]
        assert set_calls[0].params["secret_token"] == WEBHOOK_SECRET
        alex = sandbox.user(ALEX, "Alex")
        reply = await alex.send("/start")
        assert "Welcome to Second Opinion Companion" in reply.text
        reply = await alex.send("Maria")
        assert "What is the diagnosis" in reply.text
        reply = await alex.tap("Skip")
        assert "Why do you want a second opinion?" in reply.text
        assert "getupdates" not in sandbox.calls_started  # every update came by webhook
    # Stopping leaves the webhook set: Telegram keeps updates for the next worker.
    assert sandbox.state.updates.webhook is not None


async def test_only_the_secret_gets_an_update_in(sandbox: SandboxServer, data_dir: Path) -> None:
    repo = InMemoryCaseRepository()
    body = json.dumps(start_update(sandbox)).encode()
    async with running_bot_webhook(sandbox, data_dir, repo=repo) as server:
        assert await post(server.url, body, secret=None) == 403
        assert await post(server.url, body, secret="e2e_webhook-secreT") == 403
        assert await post(server.url, body, secret=WEBHOOK_SECRET + "x") == 403
        await asyncio.sleep(0.3)
        assert bot_messages(sandbox) == []
        assert repo.count_cases() == 0
        # The same update with the secret is answered: the refusals above were for the secret alone.
        assert await post(server.url, body) == 200
        await until(lambda: bool(bot_messages(sandbox)))
        assert "Welcome to Second Opinion Companion" in bot_messages(sandbox)[0]["text"]


@pytest.mark.parametrize(
    "body", [b"not json", b"[]", b'{"no": "update_id"}', b'{"update_id": "7"}', b"\xff\xfe", b""]
)
async def test_a_body_that_is_not_an_update_gets_400_and_the_bot_goes_on(
    sandbox: SandboxServer, data_dir: Path, body: bytes
) -> None:
    async with running_bot_webhook(sandbox, data_dir) as server:
        assert await post(server.url, body) == 400
        assert await post(server.url, b"{" + b" " * MAX_BODY + b"}") == 413
        assert await status(server.url) == 405  # updates are posted, never read
        alex = sandbox.user(ALEX, "Alex")
        assert "Welcome to Second Opinion Companion" in (await alex.send("/start")).text


async def test_healthz_and_readyz_follow_the_bot_and_its_storage(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    repo = FlakyStorage()
    async with running_bot_webhook(sandbox, data_dir, repo=repo) as server:
        root = f"http://127.0.0.1:{server.port}"
        assert (await status(f"{root}/healthz"), await status(f"{root}/readyz")) == (200, 200)
        repo.failing = True
        assert (await status(f"{root}/healthz"), await status(f"{root}/readyz")) == (200, 503)
        repo.failing = False
        assert await status(f"{root}/readyz") == 200


async def test_readyz_is_503_until_the_bot_is_started(sandbox: SandboxServer, data_dir: Path) -> None:
    repo = InMemoryCaseRepository()
    app = build_application(settings_for(sandbox, data_dir), repo, clock=Clock())
    server = WebhookServer(app, WEBHOOK_SECRET, port=0)
    await server.start()
    try:
        root = f"http://127.0.0.1:{server.port}"
        assert (await status(f"{root}/healthz"), await status(f"{root}/readyz")) == (200, 503)
        # An update before the bot runs is answered 503, so Telegram delivers it again later.
        assert await post(server.url, json.dumps(start_update(sandbox)).encode()) == 503
    finally:
        await server.stop()


async def test_get_updates_is_refused_while_the_webhook_is_set(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with (
        running_bot_webhook(sandbox, data_dir),
        PtbBot(sandbox.token, base_url=sandbox.bot_url) as other,
    ):
        with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
            await other.get_updates()


async def test_an_update_the_bot_could_not_take_yet_is_delivered_again(data_dir: Path) -> None:
    """The bot answers 503 while it is not running; the sandbox tries again until it is."""
    async with SandboxServer(quiet_period=0.1, webhook_backoff=(0.02, 0.1)) as sandbox:
        repo = InMemoryCaseRepository()
        app = build_application(settings_for(sandbox, data_dir), repo, clock=Clock())
        server = WebhookServer(app, WEBHOOK_SECRET, port=0)
        await server.start()
        try:
            async with PtbBot(sandbox.token, base_url=sandbox.bot_url) as bot:
                await bot.set_webhook(server.url, secret_token=WEBHOOK_SECRET)
                alex = sandbox.user(ALEX, "Alex")
                alex.send_nowait("/start")
                delivery = sandbox.state.updates.webhook
                assert delivery is not None
                await until(lambda: delivery.attempts >= 3)
                info = await bot.get_webhook_info()
                assert info.last_error_message == "Wrong response from the webhook: 503 Service Unavailable"
                assert info.pending_update_count == 1
                assert bot_messages(sandbox) == []
                reply = asyncio.create_task(alex.wait_for_reply(within=5.0))
                await app.initialize()
                await app.start()
                assert "Welcome to Second Opinion Companion" in (await reply).text
                assert (await bot.get_webhook_info()).pending_update_count == 0
        finally:
            await server.stop()
            if app.running:
                await app.stop()
            await app.shutdown()
