"""What the senders hand to the chat platform, and how a send can end.

The Telegram implementation lives at the edge (handlers/sender.py); tests use a plain fake.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol


class Outcome(enum.StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"  # the person blocked the bot, or the bot is out of the group: stop for good
    RETRY = "retry"  # refused for now (rate limit, server trouble) and certainly not delivered
    FAILED = "failed"  # refused as malformed (a bug): trying again would fail the same way
    UNKNOWN = "unknown"  # the request left but no answer came: it may have been delivered


@dataclass(frozen=True)
class Moved:
    """Not delivered: the group became a supergroup and now has this chat id (Telegram says so in its
    refusal). Certainly not delivered, so the same message may be sent to the new id."""

    chat_id: int


Result = Outcome | Moved


@dataclass(frozen=True)
class OutFile:
    name: str
    data: bytes
    caption: str


Rows = tuple[tuple[tuple[str, str], ...], ...]  # inline buttons: rows of (label, callback data)


@dataclass(frozen=True)
class Outgoing:
    """One message to one chat, with its buttons and the files that follow it."""

    chat_id: int
    text: str
    buttons: Rows = ()
    files: tuple[OutFile, ...] = ()


class Sender(Protocol):
    async def send(self, message: Outgoing) -> Result:
        """Send the message (then its files). Never raises for the platform's own refusals."""
        ...

    async def ready(self, chat_id: int) -> None:
        """Wait until a message to this chat would leave without waiting for its rate limit (best effort):
        the courier waits here before it claims an item, so a worker that dies while waiting holds no
        claim, and the item is not lost to "maybe sent"."""
        ...
