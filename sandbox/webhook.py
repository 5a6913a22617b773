"""Delivering updates by webhook, as Telegram does once ``setWebhook`` is called.

Each update is POSTed as JSON to the webhook URL with the ``X-Telegram-Bot-Api-Secret-Token`` header (when a
secret was set). Updates of one chat go one at a time, in order; different chats at once. An answer that is
not 2xx (or no answer) is tried again after a short, growing wait, until it is 2xx or the webhook is
deleted; the error is kept for ``getWebhookInfo`` in Telegram's words.

The sandbox answers only this computer, and delivers only to it: a webhook URL must name 127.0.0.1 or
localhost (:mod:`sandbox.loopback`), and redirects are not followed.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from sandbox.errors import bad_request
from sandbox.loopback import LOOPBACK_NAMES

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: First and longest wait between two tries of one update, in seconds.
DEFAULT_BACKOFF = (0.05, 1.0)
ATTEMPT_TIMEOUT = 10.0


def check_url(url: str) -> str:
    """A webhook URL the sandbox may deliver to (loopback, http or https), or a 400 in Telegram's words."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if parts.hostname.lower() not in LOOPBACK_NAMES:
        raise bad_request("bad webhook: the sandbox delivers only to 127.0.0.1 or localhost")
    return url


def chat_key(update: dict[str, Any]) -> int:
    """The chat an update belongs to, for ordering (0 when it has none)."""
    payload: Any = next((value for key, value in update.items() if key != "update_id"), {})
    if not isinstance(payload, dict):
        return 0
    message = payload.get("message")  # a callback query's message
    for holder in (payload, message if isinstance(message, dict) else {}):
        chat = holder.get("chat")
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            return int(chat["id"])
    sender = payload.get("from")
    return int(sender["id"]) if isinstance(sender, dict) and isinstance(sender.get("id"), int) else 0


class WebhookDelivery:
    """Posts updates to one URL: per chat one at a time and in order, each until it is answered 2xx."""

    def __init__(
        self,
        url: str,
        secret: str | None,
        confirm: Callable[[int], None],
        clock: Callable[[], int],
        backoff: tuple[float, float] = DEFAULT_BACKOFF,
    ) -> None:
        self.url = url
        self._headers = {SECRET_HEADER: secret} if secret else {}
        self._confirm = confirm
        self._clock = clock
        self._backoff = backoff
        self._waiting: dict[int, deque[dict[str, Any]]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._session: aiohttp.ClientSession | None = None
        self.last_error: tuple[int, str] | None = None  # (unix date, Telegram's message)
        self.attempts = 0

    def send(self, update: dict[str, Any]) -> None:
        """Queue ``update`` behind the earlier ones of its chat."""
        key = chat_key(update)
        self._waiting.setdefault(key, deque()).append(update)
        if key not in self._workers:
            self._workers[key] = asyncio.get_running_loop().create_task(self._deliver_chat(key))

    async def close(self) -> None:
        """Stop delivering (updates not yet answered 2xx stay pending)."""
        workers = list(self._workers.values())
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        self._workers.clear()
        self._waiting.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _deliver_chat(self, key: int) -> None:
        waiting = self._waiting[key]
        try:
            while waiting:
                update = waiting[0]
                await self._deliver(update)
                waiting.popleft()
                self._confirm(int(update["update_id"]))
        finally:
            if self._workers.get(key) is asyncio.current_task():
                del self._workers[key]
                self._waiting.pop(key, None)

    async def _deliver(self, update: dict[str, Any]) -> None:
        delay, longest = self._backoff
        while True:
            error = await self._attempt(update)
            if error is None:
                return
            self.last_error = (self._clock(), error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, longest)

    async def _attempt(self, update: dict[str, Any]) -> str | None:
        """Post once: None when answered 2xx, else the error as getWebhookInfo words it."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=ATTEMPT_TIMEOUT))
        self.attempts += 1
        try:
            async with self._session.post(
                self.url, json=update, headers=self._headers, allow_redirects=False
            ) as response:
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except TimeoutError:
            return "Read timeout expired"
        except aiohttp.ClientError as error:
            log.debug("webhook delivery failed: %s", type(error).__name__)
            return "Connection refused"
