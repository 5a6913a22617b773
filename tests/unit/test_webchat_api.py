"""The web chat's JSON API over the sandbox, without a bot or a browser: guards, acting, reading, files."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from sandbox import SandboxServer, events
from sandbox.events import ChatEvent
from sandbox.state import Chat
from sandbox.webchat import CSRF_HEADER, WebChat
from sandbox.webview import action_view

MARIA, DANA, FAMILY = 1001, 1002, -1001
HEADERS = {CSRF_HEADER: "1"}


@pytest.fixture
async def web() -> AsyncIterator[tuple[SandboxServer, WebChat, aiohttp.ClientSession]]:
    async with SandboxServer() as server:
        server.user(MARIA, "Maria")
        server.user(DANA, "Dana")
        server.group(FAMILY, "Family")
        chat = WebChat(server.state, 0, labels={MARIA: "Maria (patient)"}, poll_seconds=0.5)
        async with chat, aiohttp.ClientSession(chat.url) as http:
            yield server, chat, http


async def post(http: aiohttp.ClientSession, path: str, body: dict[str, Any]) -> tuple[int, Any]:
    async with http.post(path, json=body, headers=HEADERS) as response:
        return response.status, await response.json()


async def test_setup_lists_people_with_their_labels_and_groups(web: Any) -> None:
    _, _, http = web
    async with http.get("/api/setup") as response:
        setup = await response.json()
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert [u["name"] for u in setup["users"]] == ["Maria (patient)", "Dana"]
    assert setup["groups"] == [{"id": FAMILY, "title": "Family", "privacy_mode": True}]


async def test_cross_site_posts_and_other_host_names_are_refused(web: Any) -> None:
    server, _, http = web
    async with http.post(f"/api/chats/{MARIA}/send", json={"user_id": MARIA, "text": "hi"}) as response:
        assert response.status == 403  # no X-Sandbox-Chat header: a form on another site
    async with http.get("/api/setup", headers={"Host": "evil.example:8080"}) as response:
        assert response.status == 403  # DNS rebinding
    assert server.history(MARIA) == []


async def test_only_the_loopback_at_the_web_chats_own_port_is_answered(web: Any) -> None:
    # The same check as the Bot API server's (sandbox.loopback): name and port must both be this server's.
    _, chat, http = web
    other_port = chat.port + 1 if chat.port < 65535 else chat.port - 1
    for host in (f"evil.example:{chat.port}", f"127.0.0.1:{other_port}"):
        async with http.get("/api/setup", headers={"Host": host}) as response:
            assert response.status == 403
            assert await response.json() == {"error": f"use {chat.url}"}  # no people, no chats
    async with http.get("/api/setup", headers={"Host": f"localhost:{chat.port}"}) as response:
        assert response.status == 200 and "Maria (patient)" in await response.text()


async def test_a_person_cannot_write_in_someone_elses_private_chat(web: Any) -> None:
    server, _, http = web
    status, body = await post(http, f"/api/chats/{MARIA}/send", {"user_id": DANA, "text": "hi"})
    assert status == 400 and "someone else's" in body["error"]
    async with http.get(f"/api/chats/{MARIA}?user={DANA}&after=-1") as response:
        assert response.status == 400
    assert server.history(MARIA) == []


async def test_sending_a_command_queues_the_update_the_bot_will_get(web: Any) -> None:
    server, _, http = web
    status, _ = await post(http, f"/api/chats/{MARIA}/send", {"user_id": MARIA, "text": "/start"})
    assert status == 200
    (message,) = server.history(MARIA)
    assert message["text"] == "/start" and message["entities"][0]["type"] == "bot_command"
    assert server.state.updates.pending_count == 1


async def test_a_long_poll_answers_when_the_chat_changes(web: Any) -> None:
    server, _, http = web
    async with http.get(f"/api/chats/{FAMILY}?user={DANA}&after=-1") as response:
        first = await response.json()
    assert first["messages"] == []
    waiting = asyncio.create_task(http.get(f"/api/chats/{FAMILY}?user={DANA}&after={first['version']}"))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    await post(http, f"/api/chats/{FAMILY}/send", {"user_id": MARIA, "text": "hello family"})
    async with await asyncio.wait_for(waiting, 2) as response:
        update = await response.json()
    (message,) = update["messages"]
    assert message["text"] == "hello family" and message["sender"] == "Maria"
    assert server.state.updates.pending_count == 0  # privacy mode: the bot does not see plain talk


async def test_a_press_is_found_by_position_and_sends_the_buttons_data(web: Any) -> None:
    server, _, http = web
    await post(http, f"/api/chats/{MARIA}/send", {"user_id": MARIA, "text": "/start"})
    markup = (
        '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}, {"text": "B", "callback_data": "b"}]]}'
    )
    params = {"chat_id": MARIA, "text": "<b>Pick</b>", "parse_mode": "HTML", "reply_markup": markup}
    url = f"{server.bot_url}{server.token}/sendMessage"
    async with aiohttp.ClientSession() as bot, bot.post(url, json=params) as response:
        sent = (await response.json())["result"]
    status, _ = await post(
        http,
        f"/api/chats/{MARIA}/press",
        {"user_id": MARIA, "message_id": sent["message_id"], "row": 0, "col": 1},
    )
    assert status == 200
    query = next(c for c in server.state.callbacks.values())
    assert query.message_id == sent["message_id"]
    status, body = await post(
        http,
        f"/api/chats/{MARIA}/press",
        {"user_id": MARIA, "message_id": sent["message_id"], "row": 3, "col": 0},
    )
    assert status == 400 and "gone" in body["error"]
    async with http.get(f"/api/chats/{MARIA}?user={MARIA}&after=-1") as response:
        view = (await response.json())["messages"][-1]
    assert view["html"] == "<b>Pick</b>" and [b["text"] for b in view["buttons"][0]] == ["A", "B"]


async def test_an_uploaded_pdf_is_a_document_and_downloads_with_its_name(web: Any) -> None:
    server, _, http = web
    form = aiohttp.FormData()
    form.add_field("user_id", str(MARIA))
    form.add_field("file", b"%PDF-1.4 x", filename="labs-2026.pdf", content_type="application/pdf")
    async with http.post(f"/api/chats/{MARIA}/upload", data=form, headers=HEADERS) as response:
        assert response.status == 200
    (message,) = server.history(MARIA)
    file_id = message["document"]["file_id"]
    assert message["document"]["file_name"] == "labs-2026.pdf"
    async with http.get(f"/api/files/{file_id}") as response:
        assert await response.read() == b"%PDF-1.4 x"
        assert response.headers["Content-Disposition"] == "attachment; filename*=UTF-8''labs-2026.pdf"
    async with http.get("/static/../webchat.py") as response:
        assert response.status == 404


async def bot_calls(server: SandboxServer, method: str, **params: Any) -> None:
    url = f"{server.bot_url}{server.token}/{method}"
    async with aiohttp.ClientSession() as bot, bot.post(url, json=params) as response:
        assert (await response.json())["ok"]


async def test_the_bots_chat_action_shows_until_its_next_message(web: Any) -> None:
    server, _, http = web
    await post(http, f"/api/chats/{MARIA}/send", {"user_id": MARIA, "text": "/start"})
    async with http.get(f"/api/chats/{MARIA}?user={MARIA}&after=-1") as response:
        before = await response.json()
    assert before["action"] is None
    waiting = asyncio.create_task(http.get(f"/api/chats/{MARIA}?user={MARIA}&after={before['version']}"))
    await bot_calls(server, "sendChatAction", chat_id=MARIA, action="upload_document")
    async with await asyncio.wait_for(waiting, 2) as response:
        action = (await response.json())["action"]  # the long poll answers: "sending a file…" now
    assert action["action"] == "upload_document" and 4 < action["seconds"] <= 5
    await bot_calls(server, "sendMessage", chat_id=MARIA, text="Here it is")
    async with http.get(f"/api/chats/{MARIA}?user={MARIA}&after=-1") as response:
        assert (await response.json())["action"] is None  # the message ends it, as on Telegram
    async with http.get(f"/api/chats/{DANA}?user={DANA}&after=-1") as response:
        assert (await response.json())["action"] is None  # another chat never shows it


def test_a_chat_action_shows_for_five_seconds_and_a_newer_one_starts_again() -> None:
    chat = Chat(id=MARIA, type="private")

    def happened(seq: int, kind: str, at: float, **detail: Any) -> None:
        chat.events.append(ChatEvent(seq=seq, kind=kind, chat_id=MARIA, detail=detail, at=at))

    happened(1, events.USER_SENT, 100.0)
    assert action_view(chat, 100.0) is None
    happened(2, events.CHAT_ACTION, 101.0, action="typing")
    happened(3, events.EDITED, 102.0)  # an edit is not a new message: the action goes on
    assert action_view(chat, 103.5) == {"action": "typing", "seconds": 2.5}
    assert action_view(chat, 106.0) is None  # five seconds are over
    happened(4, events.CHAT_ACTION, 107.0, action="upload_document")
    assert action_view(chat, 111.75) == {"action": "upload_document", "seconds": 0.25}
    happened(5, events.SENT_DOCUMENT, 108.0)
    assert action_view(chat, 108.0) is None
