"""What happened in a chat, in order, and a signal to wait on until something happens."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Final

# Event kinds. The bot's: the first five; the user's: user_*; a call the sandbox refused: "refused".
SENT: Final = "sent"
EDITED: Final = "edited"
DELETED: Final = "deleted"
SENT_DOCUMENT: Final = "sent_document"
SENT_PHOTO: Final = "sent_photo"
ANSWERED_CALLBACK: Final = "answered_callback"
CHAT_ACTION: Final = "chat_action"
USER_SENT: Final = "user_sent"
USER_PRESSED: Final = "user_pressed"
REFUSED: Final = "refused"

#: Events that count as "the bot responded" for the driver.
RESPONSE_KINDS: Final = frozenset({SENT, EDITED, SENT_DOCUMENT, SENT_PHOTO})
#: Everything the bot does (a refused call included): the driver's quiet period restarts on these.
BOT_KINDS: Final = frozenset(
    {SENT, EDITED, DELETED, SENT_DOCUMENT, SENT_PHOTO, ANSWERED_CALLBACK, CHAT_ACTION, REFUSED}
)


@dataclass(frozen=True)
class ChatEvent:
    """One entry of a chat's log. ``seq`` orders events across all chats of a sandbox."""

    seq: int
    kind: str
    chat_id: int
    message_id: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    at: float = 0.0  # time.monotonic(), for quiet periods

    def describe(self) -> str:
        """One line for failure messages: ``#4 sent message 3: 'Welcome ...'``."""
        where = f" message {self.message_id}" if self.message_id is not None else ""
        summary = self.detail.get("summary")
        return f"#{self.seq} {self.kind}{where}" + (f": {summary!r}" if summary else "")


class Signal:
    """A broadcast "something changed": every waiter wakes on each :meth:`fire`."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> bool:
        """Wait for the next :meth:`fire` for at most ``seconds``; True if it fired."""
        if seconds <= 0:
            return False
        try:
            await asyncio.wait_for(self._event.wait(), seconds)
        except TimeoutError:
            return False
        return True
