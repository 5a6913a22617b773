"""The bot's pending updates and ``getUpdates`` long polling, as Telegram runs them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from sandbox.errors import GET_UPDATES_CONFLICT, WEBHOOK_ACTIVE, ApiError
from sandbox.events import Signal
from sandbox.webhook import DEFAULT_BACKOFF, WebhookDelivery

MAX_LIMIT = 100


class UpdateQueue:
    """Updates wait here until a ``getUpdates`` call with a higher ``offset`` confirms them.

    A new ``getUpdates`` call ends a waiting older one with 409 Conflict, as Telegram does; this also
    frees the server of long polls whose client went away (PTB cancels its poll when it stops).

    While a webhook is set (:meth:`set_webhook`) updates are posted to it instead (sandbox/webhook.py),
    each staying pending until it is answered 2xx, and ``getUpdates`` is refused with 409.
    """

    def __init__(self) -> None:
        self._pending: list[dict[str, Any]] = []
        self._next_id = 1
        self._signal = Signal()
        self._generation = 0
        self._closed = False
        self._allowed: frozenset[str] = frozenset()
        self.webhook: WebhookDelivery | None = None
        self.webhook_backoff = DEFAULT_BACKOFF  # first and longest wait between tries of one update

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue ``{"update_id": n, kind: payload}`` and wake a waiting poll; returns the update."""
        update = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        self._pending.append(update)
        self._signal.fire()
        if self.webhook is not None:
            self._post([update])
        return update

    async def set_webhook(self, delivery: WebhookDelivery, allowed_updates: Iterable[str] | None) -> None:
        """Post updates to ``delivery`` from now on, the pending ones first."""
        await self.delete_webhook()
        if allowed_updates is not None:
            self._allowed = frozenset(allowed_updates)
        self.webhook = delivery
        self._signal.fire()  # a waiting long poll ends with 409
        self._post(self._pending)

    async def delete_webhook(self) -> None:
        """Back to ``getUpdates``: what was not yet answered 2xx stays pending for it."""
        delivery, self.webhook = self.webhook, None
        if delivery is not None:
            await delivery.close()

    def delivered(self, update_id: int) -> None:
        """The webhook answered ``update_id`` with 2xx."""
        self._pending = [u for u in self._pending if u["update_id"] != update_id]

    def _post(self, updates: list[dict[str, Any]]) -> None:
        """Hand ``updates`` to the webhook; kinds the bot did not ask for are dropped, as in polling."""
        assert self.webhook is not None
        for update in list(updates):
            if self._allowed and self._kind(update) not in self._allowed:
                self._pending.remove(update)
            else:
                self.webhook.send(update)

    def drop_pending(self) -> None:
        """``deleteWebhook(drop_pending_updates=True)``."""
        self._pending.clear()

    def close(self) -> None:
        """End every waiting poll (with no updates): the server is stopping."""
        self._closed = True
        self._signal.fire()

    def reopen(self) -> None:
        """Accept polls again after :meth:`close` (the server was restarted)."""
        self._closed = False

    def _confirm(self, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        if self._allowed:
            self._pending = [u for u in self._pending if self._kind(u) in self._allowed]
        return [dict(u) for u in self._pending[:limit]]

    @staticmethod
    def _kind(update: dict[str, Any]) -> str:
        return next(key for key in update if key != "update_id")

    async def poll(
        self,
        offset: int | None,
        limit: int | None,
        wait_seconds: float,
        allowed_updates: Iterable[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Confirm updates before ``offset``, then return pending ones at once or wait up to ``wait_seconds``."""
        if self.webhook is not None:
            raise ApiError(409, WEBHOOK_ACTIVE)
        self._generation += 1
        mine = self._generation
        self._signal.fire()  # an older poll still waiting ends with 409
        if allowed_updates is not None:
            self._allowed = frozenset(allowed_updates)  # an empty list means "all"
        self._confirm(offset)
        count = min(max(limit or MAX_LIMIT, 1), MAX_LIMIT)
        deadline = asyncio.get_running_loop().time() + max(wait_seconds, 0.0)
        while True:
            if self._closed:
                return []
            if self.webhook is not None:
                raise ApiError(409, WEBHOOK_ACTIVE)
            if mine != self._generation:
                raise ApiError(409, GET_UPDATES_CONFLICT)
            batch = self._deliverable(count)
            remaining = deadline - asyncio.get_running_loop().time()
            if batch or remaining <= 0:
                return batch
            await self._signal.wait(remaining)
