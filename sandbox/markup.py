"""Reply markup as Telegram checks it: inline keyboards (echoed back in the message) and the others
(ForceReply, ReplyKeyboardRemove, ReplyKeyboardMarkup), which change the user's keyboard but are not
part of the message Telegram returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.errors import ApiError, bad_request

MAX_CALLBACK_DATA = 64  # bytes, UTF-8
MAX_BUTTONS = 100
_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


@dataclass(frozen=True)
class Markup:
    """A checked ``reply_markup``: ``inline`` goes into the message, ``keyboard`` is everything else."""

    inline: dict[str, Any] | None = None
    keyboard: dict[str, Any] | None = None


def _invalid() -> ApiError:
    return bad_request("can't parse reply keyboard markup JSON object")


def _check_inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise _invalid()
    if not any(key in button for key in _ACTIONS):
        raise bad_request("text buttons are unallowed in the inline keyboard")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not data or len(data.encode("utf-8")) > MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
            raise bad_request("BUTTON_URL_INVALID")
    return dict(button)


def check_reply_markup(markup: Any) -> Markup:
    """Validate a decoded ``reply_markup`` the way Telegram does; raises ``ApiError`` if refused."""
    if markup is None:
        return Markup()
    if not isinstance(markup, dict):
        raise _invalid()
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request('can\'t parse inline keyboard button: field "inline_keyboard" must be an Array')
        checked = [[_check_inline_button(button) for button in row] for row in rows]
        if sum(len(row) for row in checked) > MAX_BUTTONS:
            raise bad_request("reply markup is too long")
        checked = [row for row in checked if row]
        return Markup(inline={"inline_keyboard": checked} if checked else None)
    if markup.get("force_reply") is True or markup.get("remove_keyboard") is True or "keyboard" in markup:
        return Markup(keyboard=dict(markup))
    raise _invalid()


def button_labels(inline: dict[str, Any] | None) -> list[str]:
    """Labels of an inline keyboard, rows flattened."""
    if not inline:
        return []
    return [str(button["text"]) for row in inline["inline_keyboard"] for button in row]
