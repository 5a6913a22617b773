"""The sandbox in webhook mode, against PTB's own ``telegram.Bot`` and a small receiver on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot as PtbBot
from telegram.error import BadRequest, Conflict

from sandbox import SandboxServer
from sandbox import errors as tg

SECRET = "sandbox_secret-1"
Answer = Callable[[dict[str, Any]], int]


class Receiver:
    """A webhook endpoint that records what it is sent and answers with ``answer(update)``."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, Any], str | None]] = []
        self.answer: Answer = lambda update: 200
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        update = await request.json()
        self.received.append((update, request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        return web.Response(status=self.answer(update))

    def texts(self) -> list[str]:
        return [update["message"]["text"] for update, _ in self.received if "message" in update]


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(webhook_backoff=(0.01, 0.05)) as running:
        yield running


@pytest.fixture
async def bot(server: SandboxServer) -> AsyncIterator[PtbBot]:
    async with PtbBot(server.token, base_url=server.bot_url, base_file_url=server.file_url) as ptb_bot:
        yield ptb_bot


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    found = Receiver()
    app = web.Application()
    app.router.add_post("/hook", found.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    found.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield found
    await runner.cleanup()


async def until(check: Callable[[], bool], within: float = 3.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_updates_are_posted_in_order_with_the_secret_and_get_updates_is_refused(
    server: SandboxServer, bot: PtbBot, receiver: Receiver
) -> None:
    alice = server.user(111, "Alice")
    alice.send_nowait("before the webhook")  # pending updates are posted first
    assert await bot.set_webhook(receiver.url, secret_token=SECRET)
    for text in ("one", "two", "three"):
        alice.send_nowait(text)
    await until(lambda: len(receiver.received) == 4)
    assert receiver.texts() == ["before the webhook", "one", "two", "three"]
    assert {secret for _, secret in receiver.received} == {SECRET}
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bot.get_updates()
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count, info.last_error_message) == (receiver.url, 0, None)


async def test_a_delivery_answered_500_is_tried_again_until_2xx_and_other_chats_go_on(
    server: SandboxServer, bot: PtbBot, receiver: Receiver
) -> None:
    failures = {"first": 2}

    def answer(update: dict[str, Any]) -> int:
        text = update["message"]["text"]
        if failures.get(text, 0) > 0:
            failures[text] -= 1
            return 500
        return 200

    receiver.answer = answer
    await bot.set_webhook(receiver.url, secret_token=SECRET)
    alice, bob = server.user(111, "Alice"), server.user(222, "Bob")
    alice.send_nowait("first")
    alice.send_nowait("second")
    bob.send_nowait("bob's")
    await until(lambda: "second" in receiver.texts())
    # Alice's first update three times (two 500s), her second only after it; Bob's did not wait.
    texts = receiver.texts()
    assert [text for text in texts if text != "bob's"] == ["first", "first", "first", "second"]
    assert texts.index("bob's") < texts.index("second")
    ids = [update["update_id"] for update, _ in receiver.received if update["message"]["text"] == "first"]
    assert len(set(ids)) == 1  # the same update, not a new one
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    assert info.pending_update_count == 0


async def test_delete_webhook_returns_what_was_not_delivered_to_get_updates(
    server: SandboxServer, bot: PtbBot, receiver: Receiver
) -> None:
    receiver.answer = lambda update: 503
    await bot.set_webhook(receiver.url, secret_token=SECRET)
    server.user(111, "Alice").send_nowait("kept")
    await until(lambda: len(receiver.received) >= 2)
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    updates = await bot.get_updates()
    assert [u.message.text for u in updates if u.message] == ["kept"]


@pytest.mark.parametrize(
    ("url", "secret", "why"),
    [
        ("https://example.org/hook", SECRET, "delivers only to 127.0.0.1 or localhost"),
        ("ftp://127.0.0.1/hook", SECRET, "An HTTPS URL must be provided"),
        ("http://127.0.0.1:1/hook", "no spaces allowed", "secret token contains unallowed characters"),
    ],
)
async def test_a_webhook_off_this_computer_or_with_a_bad_secret_is_refused(
    server: SandboxServer, bot: PtbBot, url: str, secret: str, why: str
) -> None:
    with pytest.raises(BadRequest, match=f"(?i){why}"):
        await bot.set_webhook(url, secret_token=secret)
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates(timeout=0) == ()


def test_the_conflict_is_worded_as_telegram_words_it() -> None:
    assert tg.WEBHOOK_ACTIVE.startswith("Conflict: can't use getUpdates method while webhook is active")
