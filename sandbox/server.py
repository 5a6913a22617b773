"""A local Bot API server that behaves like Telegram for one bot, with simulated users.

Point PTB at it with ``ApplicationBuilder().base_url(server.bot_url).base_file_url(server.file_url)``
(that is ``f"{server.url}/bot"`` and ``f"{server.url}/file/bot"``). Routes: ``/bot<token>/<method>``
(GET or POST; JSON, url-encoded or multipart) and ``/file/bot<token>/<file_path>``. After ``setWebhook``
it posts updates to a loopback URL instead of answering ``getUpdates`` (:mod:`sandbox.webhook`).

Tests drive users in-process (:meth:`SandboxServer.user`) and read what the bot did from the chats.

It holds every simulated chat and has no login, so it answers only this computer: it listens on 127.0.0.1,
each run has its own random token (read it from :attr:`SandboxServer.token`), and a request whose ``Host``
is not this server's loopback address and port is refused (:mod:`sandbox.loopback`, DNS rebinding).
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from collections import Counter
from collections.abc import Callable
from types import TracebackType
from typing import Any

from aiohttp import web

from sandbox import events
from sandbox.api import find_method
from sandbox.client import SandboxUser
from sandbox.errors import ApiError
from sandbox.events import ChatEvent
from sandbox.files import MAX_BOT_UPLOAD
from sandbox.http_io import ok, read_params, refusal
from sandbox.limits import LIMITED_METHODS, FloodControl, RateLimits
from sandbox.loopback import from_this_computer
from sandbox.methods_bot import scope_key
from sandbox.params import Params
from sandbox.state import ApiCall, Chat, SandboxState, UserProfile
from sandbox.webhook import DEFAULT_BACKOFF

log = logging.getLogger(__name__)

BOT_ID = 123456


def new_token(bot_id: int = BOT_ID) -> str:
    """A fresh token in Telegram's shape: the bot's id, a colon and 35 random URL-safe characters."""
    return f"{bot_id}:{secrets.token_urlsafe(26)}"


def _unauthorized() -> ApiError:
    return ApiError(401, "Unauthorized")


def _not_found() -> ApiError:
    return ApiError(404, "Not Found")


def _foreign_host(url: str) -> ApiError:
    return ApiError(403, f"Forbidden: use {url}")


class SandboxServer:
    """The sandbox Bot API server. ``async with SandboxServer() as server:`` starts and stops it."""

    def __init__(
        self,
        token: str | None = None,
        bot_username: str = "SecondOpinionSandboxBot",
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        bot_name: str = "Second Opinion Companion",
        clock: Callable[[], float] = time.time,
        reply_timeout: float = 5.0,
        quiet_period: float = 0.15,
        limits: RateLimits | None = None,
        limits_clock: Callable[[], float] = time.monotonic,
        webhook_backoff: tuple[float, float] = DEFAULT_BACKOFF,
    ) -> None:
        """``token``: a new random one (:func:`new_token`) unless given, e.g. by a test."""
        token = new_token() if token is None else token
        self.state = SandboxState(token, bot_username, bot_name, clock)
        self.state.updates.webhook_backoff = webhook_backoff
        # Telegram's flood control; off unless asked for, so functional tests never wait on it.
        self.flood = FloodControl(limits, limits_clock) if limits is not None else None
        self.host = host
        self.port = port
        self.reply_timeout = reply_timeout
        self.quiet_period = quiet_period
        self._runner: web.AppRunner | None = None
        self._started: Counter[str] = Counter()

    # Lifecycle

    async def start(self) -> None:
        """Listen on ``host:port`` (port 0 picks a free one; see :attr:`url`)."""
        if self._runner is not None:
            raise RuntimeError("the sandbox server is already running")
        self.state.updates.reopen()
        app = web.Application(middlewares=[self._guard], client_max_size=MAX_BOT_UPLOAD + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_route("GET", "/file/bot{token}/{file_path:.+}", self._handle_file)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        log.debug("sandbox Bot API server listening on %s", self.url)

    async def stop(self) -> None:
        """End waiting long polls and stop listening."""
        if self._runner is None:
            return
        self.state.updates.close()
        await self.state.updates.delete_webhook()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """The root URL, e.g. ``http://127.0.0.1:43210`` (valid once started)."""
        if self._runner is None:
            raise RuntimeError("start the sandbox server first")
        return f"http://{self.host}:{self.port}"

    @property
    def bot_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)`` / ``Bot(base_url=...)``."""
        return f"{self.url}/bot"

    @property
    def file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url(...)`` / ``Bot(base_file_url=...)``."""
        return f"{self.url}/file/bot"

    @property
    def token(self) -> str:
        """This run's bot token: the only way in (see :func:`new_token`)."""
        return self.state.token

    # Simulated people and chats

    def user(
        self,
        user_id: int,
        first_name: str = "Alex",
        language_code: str = "en",
        *,
        last_name: str | None = None,
        username: str | None = None,
    ) -> SandboxUser:
        """A user and the driver that plays them; their private chat's id is ``user_id``."""
        profile = UserProfile(user_id, first_name, language_code, last_name, username)
        self.state.add_user(profile)
        return SandboxUser(
            self.state, profile, user_id, reply_timeout=self.reply_timeout, quiet_period=self.quiet_period
        )

    def group(self, chat_id: int, title: str, *, privacy_mode: bool = True) -> int:
        """A group with the bot in it (negative id); users act there via ``user.in_group(chat_id)``."""
        return self.state.add_group(chat_id, title, privacy_mode).id

    # Faults

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail like Telegram (429: pass ``retry_after``)."""
        self.state.faults.fail_next(method, error_code, description, retry_after, times)

    # Reading what the bot did

    def history(self, chat_id: int) -> list[dict[str, Any]]:
        """The chat as Bot API messages, edits applied, deleted messages gone."""
        return [record.snapshot() for record in self.state.chat(chat_id).messages.values()]

    def events(self, chat_id: int) -> list[ChatEvent]:
        """The chat's event log, oldest first."""
        return list(self.state.chat(chat_id).events)

    def file_bytes(self, file_id: str) -> bytes:
        """The content of any file users or the bot sent."""
        stored = self.state.files.get(file_id)
        if stored is None:
            raise KeyError(file_id)
        return stored.content

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[dict[str, Any]]:
        """The command list the bot registered for ``scope`` (default scope if None)."""
        return [dict(command) for command in self.state.commands.get(scope_key(scope, language_code), [])]

    def description(self, language_code: str = "") -> str:
        return self.state.descriptions.get(("description", language_code), "")

    def short_description(self, language_code: str = "") -> str:
        return self.state.descriptions.get(("short_description", language_code), "")

    @property
    def calls_started(self) -> dict[str, int]:
        """How many calls of each method (lower case) have begun, finished or not: a long poll counts
        as soon as it starts, which tells a test that a bot is up and waiting for updates."""
        return dict(self._started)

    @property
    def calls(self) -> list[ApiCall]:
        """The bot's latest Bot API calls (up to 10,000), oldest first."""
        return list(self.state.calls)

    # HTTP

    @web.middleware
    async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Refuse requests for another host name (a page that rebound its name to 127.0.0.1)."""
        if not from_this_computer(request, self.port):
            return refusal(_foreign_host(self.url))
        response: web.StreamResponse = await handler(request)
        return response

    def _token_refusal(self, request: web.Request) -> ApiError | None:
        """Telegram's answer to a wrong token: 404 when it is not even shaped like one, else 401."""
        given = request.match_info["token"]
        if hmac.compare_digest(given.encode(), self.state.token.encode()):
            return None
        head, colon, tail = given.partition(":")
        return _unauthorized() if colon and head.isdigit() and tail else _not_found()

    async def _handle_method(self, request: web.Request) -> web.Response:
        if (wrong := self._token_refusal(request)) is not None:
            return refusal(wrong)
        name = request.match_info["method"]
        method = find_method(name)
        if method is None:
            return refusal(_not_found())
        self._started[name.lower()] += 1
        params = Params({})
        try:
            params = await read_params(request)
            fault = self.state.faults.take(name)
            if fault is not None:
                raise fault
            limited = self._check_limits(name, params)
            result = await method(self.state, params)
        except ApiError as error:
            self._note_refusal(name, params, error)
            return refusal(error)
        if limited is not None and self.flood is not None:
            self.flood.count_sent(limited)
        self.state.calls.append(ApiCall(name, params.raw()))
        return ok(result)

    def _check_limits(self, method: str, params: Params) -> int | None:
        """Refuse a send over Telegram's limits (429); the chat it counted against, if any."""
        if self.flood is None or method.lower() not in LIMITED_METHODS:
            return None
        chat = self._chat_of(params)
        if chat is None:
            return None  # no such chat (or an inline message): the method itself answers
        self.flood.admit(chat.id, is_group=chat.type != "private")
        return chat.id

    def _note_refusal(self, method: str, params: Params, error: ApiError) -> None:
        self.state.calls.append(ApiCall(method, params.raw(), error.description))
        chat = self._chat_of(params)
        if chat is not None:
            summary = f"{method}: {error.description}"
            self.state.record(chat, events.REFUSED, params.int_("message_id"), method=method, summary=summary)

    def _chat_of(self, params: Params) -> Chat | None:
        """The chat a call was about: its ``chat_id``, or the chat of its callback query."""
        query = self.state.callbacks.get(params.str_("callback_query_id") or "")
        if query is not None:
            return self.state.chats.get(query.chat_id)
        try:
            return self.state.chats.get(params.chat_id())
        except ApiError:
            return None

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if (wrong := self._token_refusal(request)) is not None:
            return refusal(wrong)
        stored = self.state.files.by_path(request.match_info["file_path"])
        if stored is None:
            return refusal(_not_found())
        content_type = stored.mime_type or (
            "image/jpeg" if stored.kind == "photo" else "application/octet-stream"
        )
        return web.Response(body=stored.content, content_type=content_type)
