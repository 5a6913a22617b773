"""Errors the sandbox answers with, worded exactly as the Telegram Bot API words them.

A method raises :class:`ApiError`; the HTTP layer turns it into
``{"ok": false, "error_code": ..., "description": ..., "parameters": ...}`` so that PTB raises the same
exception class (``BadRequest``, ``Forbidden``, ``RetryAfter`` ...) it would raise against Telegram.
"""

from __future__ import annotations

from typing import Any

# Descriptions Telegram uses, collected in one place so tests can refer to them.
MESSAGE_TEXT_EMPTY = "Bad Request: message text is empty"
MESSAGE_TOO_LONG = "Bad Request: message is too long"
CAPTION_TOO_LONG = "Bad Request: message caption is too long"
BUTTON_DATA_INVALID = "Bad Request: BUTTON_DATA_INVALID"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
EDIT_NOT_FOUND = "Bad Request: message to edit not found"
DELETE_NOT_FOUND = "Bad Request: message to delete not found"
REPLY_NOT_FOUND = "Bad Request: message to be replied not found"
CHAT_NOT_FOUND = "Bad Request: chat not found"
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
WRONG_ACTION = "Bad Request: wrong parameter action in request"
GROUP_MIGRATED = "Bad Request: group chat was upgraded to a supergroup chat"
CANT_INITIATE = "Forbidden: bot can't initiate conversation with a user"
BLOCKED = "Forbidden: bot was blocked by the user"
GET_UPDATES_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)

WEBHOOK_ACTIVE = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"


class ApiError(Exception):
    """A refusal of a Bot API call, carried up to the HTTP layer."""

    def __init__(self, error_code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> dict[str, Any]:
        """The response body Telegram sends for this error."""
        body: dict[str, Any] = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.parameters:
            body["parameters"] = dict(self.parameters)
        return body


def bad_request(description: str) -> ApiError:
    """A 400 error; ``description`` may be given with or without the ``Bad Request: `` prefix."""
    prefix = "Bad Request: "
    return ApiError(400, description if description.startswith(prefix) else prefix + description)


def forbidden(description: str) -> ApiError:
    """A 403 error, e.g. a user who blocked the bot."""
    return ApiError(403, description)


def too_many_requests(retry_after: int) -> ApiError:
    """A 429 error with ``parameters.retry_after`` as Telegram sends it (PTB raises ``RetryAfter``)."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})


def migrated(new_chat_id: int) -> ApiError:
    """A 400 for a group that became a supergroup, naming its new id (PTB raises ``ChatMigrated``)."""
    return ApiError(400, GROUP_MIGRATED, {"migrate_to_chat_id": new_chat_id})
