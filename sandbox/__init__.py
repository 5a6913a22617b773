"""A local Bot API server that behaves like Telegram (refusals included) and a driver that plays users."""

from sandbox.client import BotMessage, ReceivedFile, Reply, SandboxUser
from sandbox.errors import ApiError
from sandbox.events import ChatEvent
from sandbox.server import SandboxServer

__all__ = ["ApiError", "BotMessage", "ChatEvent", "ReceivedFile", "Reply", "SandboxServer", "SandboxUser"]
