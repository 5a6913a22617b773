"""The bot's own small web server in webhook mode: Telegram (through nginx) posts updates here.

Routes (the paths are fixed; nginx maps the public WEBHOOK_URL's path onto ``/telegram``):
- ``POST /telegram``: an update. Only with the ``X-Telegram-Bot-Api-Secret-Token`` header equal to
  WEBHOOK_SECRET (else 403); a body that is not a JSON update gets 400, one over ``MAX_BODY`` 413. An
  accepted update goes on PTB's update queue (python-telegram-bot's "custom webhook bot" pattern) and is
  answered 200 at once; the lanes (handlers/plumbing/lanes.py) then handle it as a polled one. While the bot
  is not running (starting or stopping) it answers 503, so Telegram delivers the update again later.
  With an inbox (several workers on PostgreSQL) the update is stored there instead and answered 200 only
  once it is saved (503 when the database cannot take it); service/inbox_reader.py handles it, in order
  with the rest of its chat, on whichever worker holds the chat.
- ``GET /healthz``: 200 while the process runs.
- ``GET /readyz``: 200 only when the bot is started and storage answers a cheap read, else 503.

Logs: one line per event, never an update's content.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from handlers.plumbing.lanes import lane_of
from handlers.plumbing.turn import PLANS_KEY
from storage.repository import CaseRepository

if TYPE_CHECKING:
    from service.inbox_reader import InboxReader
    from storage.pg_inbox import PostgresInbox

log = logging.getLogger("webhook")

UPDATE_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are a few kilobytes; a message's text is at most 4096 characters.
MAX_BODY = 1024 * 1024
READY_TIMEOUT = 2.0  # seconds storage has to answer /readyz


class WebhookServer:
    """``POST /telegram``, ``/healthz`` and ``/readyz`` for one Application; see the module's docstring."""

    def __init__(
        self,
        app: Application,  # type: ignore[type-arg]
        secret: str,
        listen: str = "127.0.0.1",
        port: int = 8443,
        inbox: tuple[PostgresInbox, InboxReader] | None = None,
    ) -> None:
        self.app = app
        self._inbox = inbox
        self._secret = secret.encode()
        self.listen = listen
        self.port = port
        # Set once Telegram has been told our URL: only then are we ready for traffic.
        self.accepting = False
        self._runner: web.AppRunner | None = None
        self._was_ready: bool | None = None

    async def start(self) -> None:
        """Listen on ``listen:port`` (port 0 picks a free one; read :attr:`port` after)."""
        web_app = web.Application(client_max_size=MAX_BODY)
        web_app.router.add_post(UPDATE_PATH, self._update)
        web_app.router.add_get("/healthz", self._healthz)
        web_app.router.add_get("/readyz", self._readyz)
        runner = web.AppRunner(web_app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        await web.TCPSite(runner, self.listen, self.port).start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        log.info("webhook server listening on %s:%d", self.listen, self.port)

    async def stop(self) -> None:
        """Stop taking updates (requests under way are finished first)."""
        self.accepting = False
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    @property
    def url(self) -> str:
        """Where this server takes updates, as seen from this computer."""
        return f"http://{self.listen}:{self.port}{UPDATE_PATH}"

    async def _update(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None or not hmac.compare_digest(given.encode(errors="surrogateescape"), self._secret):
            log.warning(
                "refused a request %s",
                "without the secret" if given is None else "with a wrong secret",
            )
            return web.Response(status=403, text="forbidden")
        if not self.app.running:
            return web.Response(status=503, text="not running")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            log.warning("refused a body over %d bytes", MAX_BODY)
            return web.Response(status=413, text="too large")
        parsed = self._parse(body)
        if parsed is None:
            return web.Response(status=400, text="not an update")
        update, data = parsed
        if self._inbox is None:
            await self.app.update_queue.put(update)
            return web.Response(text="ok")
        inbox, reader = self._inbox
        lane = lane_of(update) or 0
        try:
            await inbox.put(update.update_id, lane, data)
        except Exception as error:  # not stored: Telegram must deliver it again
            log.warning("could not store update %d: %s", update.update_id, type(error).__name__)
            return web.Response(status=503, text="not stored")
        reader.note(lane)
        return web.Response(text="ok")

    def _parse(self, body: bytes) -> tuple[Update, dict[str, Any]] | None:
        """The update in ``body`` and its JSON, or None (logged by the error's type) when it is not one."""
        try:
            data: Any = json.loads(body)
            if not isinstance(data, dict) or type(data.get("update_id")) is not int:
                raise ValueError("no update_id")
            return Update.de_json(data, self.app.bot), data
        except Exception as error:  # any malformed body: 400, never a crash
            log.warning("refused a body that is not an update: %s", type(error).__name__)
            return None

    async def _healthz(self, request: web.Request) -> web.Response:
        return web.Response(text="alive")

    async def _readyz(self, request: web.Request) -> web.Response:
        ready = self.accepting and self.app.running and await self._storage_answers()
        if ready != self._was_ready:
            log.info("readiness: %s", "ready" if ready else "not ready")
            self._was_ready = ready
        return web.Response(text="ready") if ready else web.Response(status=503, text="not ready")

    async def _storage_answers(self) -> bool:
        repo: CaseRepository = self.app.bot_data[PLANS_KEY].repo
        try:
            # A cheap read (one row, or one small file), in a thread: a slow disk never holds the loop.
            await asyncio.wait_for(asyncio.to_thread(repo.linked_case_id, 0), READY_TIMEOUT)
        except Exception as error:  # any storage failure means "not ready", never a crash
            log.warning("storage did not answer: %s", type(error).__name__)
            return False
        return True
