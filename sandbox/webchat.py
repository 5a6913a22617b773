"""The local web chat: a page that looks like a Telegram chat on a phone, over the sandbox's state.

A thin HTTP layer: the page reads chats through :mod:`sandbox.webview` and acts through
:mod:`sandbox.inbound`, the same functions the test driver uses, so there is one emulation of Telegram.
It listens on 127.0.0.1 only; it is for one person trying the bot on their own computer. The page opens a
``t.me/<bot>?start=...`` link the way Telegram does: ``/start ...`` sent by the person in "I am" in their own
chat with the bot (through ``send`` below).

Routes: ``GET /`` the page, ``GET /static/<file>``, ``GET /api/setup`` (people, groups, commands),
``GET /api/chats/<id>?user=&after=`` (long poll: answers once the chat's version passes ``after``),
``POST /api/chats/<id>/send|press|upload|location``, ``GET /api/files/<file_id>``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

from aiohttp import web

from sandbox import inbound, webview
from sandbox.files import image_size
from sandbox.loopback import from_this_computer
from sandbox.state import Chat, SandboxState, UserProfile

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).parent / "web"
STATIC = {"app.js": "text/javascript", "style.css": "text/css"}
MAX_UPLOAD = 20 * 1024 * 1024  # the sandbox keeps files in memory
MAX_TEXT = 4096
# Every POST must carry this header. A page on another site cannot add it without a CORS preflight,
# which this server never grants, so other sites cannot make the simulated users act.
CSRF_HEADER = "X-Sandbox-Chat"
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
}


class BadAction(Exception):
    """The page asked for something a Telegram client could not do (HTTP 400 with the reason)."""


def _refuse(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


class WebChat:
    """``async with WebChat(server.state, port=8080) as web:`` serves the page at :attr:`url`."""

    def __init__(
        self,
        state: SandboxState,
        port: int = 8080,
        *,
        labels: Mapping[int, str] | None = None,
        poll_seconds: float = 20.0,
    ) -> None:
        self.state = state
        self.host = "127.0.0.1"  # never another interface: there is no login
        self.port = port
        self.labels = dict(labels or {})  # e.g. {1001: "Maria (patient)"} for the "I am" list
        self.poll_seconds = poll_seconds
        self._runner: web.AppRunner | None = None
        self._closing = False

    async def start(self) -> None:
        app = web.Application(middlewares=[self._guard], client_max_size=MAX_UPLOAD + 64 * 1024)
        app.router.add_get("/", self._page)
        app.router.add_get("/static/{name}", self._static)
        app.router.add_get("/api/setup", self._setup)
        app.router.add_get("/api/chats/{chat_id}", self._chat)
        app.router.add_post("/api/chats/{chat_id}/send", self._send)
        app.router.add_post("/api/chats/{chat_id}/press", self._press)
        app.router.add_post("/api/chats/{chat_id}/upload", self._upload)
        app.router.add_post("/api/chats/{chat_id}/location", self._location)
        app.router.add_get("/api/files/{file_id}", self._file)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        await web.TCPSite(runner, self.host, self.port).start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        log.debug("web chat listening on %s", self.url)

    async def stop(self) -> None:
        if self._runner is not None:
            self._closing = True  # waiting long polls answer now instead of holding up the shutdown
            self.state.signal.fire()
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> WebChat:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @web.middleware
    async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Refuse requests for other host names (DNS rebinding) and cross-site POSTs; add safe headers."""
        if not from_this_computer(request, self.port):
            return _refuse(403, f"use {self.url}")
        if request.method == "POST" and CSRF_HEADER not in request.headers:
            return _refuse(403, f"missing {CSRF_HEADER} header")
        try:
            response: web.StreamResponse = await handler(request)
        except BadAction as problem:
            response = _refuse(400, str(problem))
        response.headers.update(_SECURITY_HEADERS)
        return response

    # Page

    async def _page(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(WEB_DIR / "index.html", headers={"Cache-Control": "no-store"})

    async def _static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in STATIC:  # a fixed list: no path from the request reaches the file system
            raise web.HTTPNotFound()
        headers = {"Cache-Control": "no-store", "Content-Type": STATIC[name]}
        return web.FileResponse(WEB_DIR / name, headers=headers)

    async def _setup(self, request: web.Request) -> web.Response:
        users = [
            {"id": user.id, "name": self.labels.get(user.id) or webview.display_name(user)}
            for user in self.state.users.values()
        ]
        groups = [
            {"id": chat.id, "title": chat.title or "Group", "privacy_mode": chat.privacy_mode}
            for chat in self.state.chats.values()
            if chat.type == "group"
        ]
        bot = {"name": self.state.bot_user["first_name"], "username": self.state.bot_username}
        return web.json_response(
            {"bot": bot, "users": users, "groups": groups, "commands": webview.commands_view(self.state)}
        )

    # Reading a chat

    async def _chat(self, request: web.Request) -> web.Response:
        user = self._user(request.query.get("user"))
        chat = self._chat_of(request, user)
        after = _int(request.query.get("after", "0"), "after")
        deadline = time.monotonic() + self.poll_seconds
        while not self._closing and webview.chat_version(chat) <= after:
            if (left := deadline - time.monotonic()) <= 0:
                break
            await self.state.signal.wait(left)  # fires on every event of any chat
        view = webview.chat_view(self.state, chat, user.id, after, time.monotonic())
        return web.json_response(view)

    # Acting as a user

    async def _send(self, request: web.Request) -> web.Response:
        body = await _json(request)
        user = self._user(body.get("user_id"))
        chat = self._chat_of(request, user)
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BadAction("type a message first")
        if len(text) > MAX_TEXT:
            raise BadAction(f"a message can have at most {MAX_TEXT} characters")
        reply_to = body.get("reply_to")
        replied = _int(reply_to, "reply_to") if reply_to is not None else None
        self._act(lambda: inbound.send_text(self.state, user, chat, text, replied).message_id)
        return web.json_response({"ok": True})

    async def _press(self, request: web.Request) -> web.Response:
        body = await _json(request)
        user = self._user(body.get("user_id"))
        chat = self._chat_of(request, user)
        record = chat.messages.get(_int(body.get("message_id"), "message_id"))
        if record is None or not record.from_bot:
            raise BadAction("that message is gone")
        rows = (record.inline_markup or {}).get("inline_keyboard", [])
        row, col = _int(body.get("row"), "row"), _int(body.get("col"), "col")
        if not (0 <= row < len(rows) and 0 <= col < len(rows[row])):
            raise BadAction("that button is gone")  # the message was edited meanwhile
        data = rows[row][col].get("callback_data")
        if not isinstance(data, str):
            raise BadAction("that button does nothing in the sandbox")
        self._act(lambda: inbound.press(self.state, user, chat, record.message_id, data).query_id)
        return web.json_response({"ok": True})

    async def _upload(self, request: web.Request) -> web.Response:
        form = await request.post()
        user = self._user(form.get("user_id"))
        chat = self._chat_of(request, user)
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            raise BadAction("choose a file to send")
        data = upload.file.read()
        if not data:
            raise BadAction("the file is empty")
        caption = form.get("caption")
        caption = caption.strip() or None if isinstance(caption, str) else None
        size = image_size(data)
        name = upload.filename or "file"
        if size is not None and upload.content_type.startswith("image/"):
            # Telegram clients send pictures as photos unless asked to send them as files.
            self._act(lambda: inbound.send_photo(self.state, user, chat, data, size, caption).message_id)
        else:
            mime = upload.content_type or "application/octet-stream"
            self._act(
                lambda: inbound.send_document(self.state, user, chat, name, data, mime, caption).message_id
            )
        return web.json_response({"ok": True})

    async def _location(self, request: web.Request) -> web.Response:
        body = await _json(request)
        user = self._user(body.get("user_id"))
        chat = self._chat_of(request, user)
        try:
            latitude, longitude = float(body["latitude"]), float(body["longitude"])
        except (KeyError, TypeError, ValueError):
            raise BadAction("a location needs a latitude and a longitude") from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise BadAction("that is not a place on Earth")
        self._act(lambda: inbound.send_location(self.state, user, chat, latitude, longitude).message_id)
        return web.json_response({"ok": True})

    # Files

    async def _file(self, request: web.Request) -> web.Response:
        stored = self.state.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        if stored.kind == "photo":
            return web.Response(body=stored.content, content_type="image/jpeg")
        name = stored.file_name or "file"
        disposition = f"attachment; filename*=UTF-8''{quote(name)}"
        return web.Response(
            body=stored.content,
            content_type=stored.mime_type or "application/octet-stream",
            headers={"Content-Disposition": disposition},
        )

    # Helpers

    def _user(self, value: Any) -> UserProfile:
        user = self.state.users.get(_int(value, "user"))
        if user is None:
            raise BadAction("no such person in the sandbox")
        return user

    def _chat_of(self, request: web.Request, user: UserProfile) -> Chat:
        chat = self.state.chats.get(_int(request.match_info["chat_id"], "chat"))
        if chat is None:
            raise BadAction("no such chat")
        if chat.type == "private" and chat.id != user.id:
            raise BadAction("that is someone else's private chat")
        return chat

    @staticmethod
    def _act(action: Any) -> Any:
        """Run an inbound action; its AssertionError explains misuse (e.g. a user who blocked the bot)."""
        try:
            return action()
        except AssertionError as problem:
            raise BadAction(str(problem)) from None


def _int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BadAction(f"{name} must be a number") from None


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise BadAction("send JSON") from None
    if not isinstance(body, dict):
        raise BadAction("send a JSON object")
    return body
