"""Message text and captions as Telegram stores them: parsed, trimmed, measured, with command entities."""

from __future__ import annotations

import html
import re
from typing import Any

from sandbox.errors import bad_request
from sandbox.html_check import FormattedText, HtmlError, parse_html, utf16_len

MAX_TEXT = 4096
MAX_CAPTION = 1024
_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")


def trim(formatted: FormattedText) -> FormattedText:
    """Drop leading and trailing whitespace as Telegram does, shifting and clipping the entities."""
    text = formatted.text
    left_stripped = text.lstrip()
    kept = left_stripped.rstrip()
    shift = utf16_len(text[: len(text) - len(left_stripped)])
    size = utf16_len(kept)
    entities = []
    for entity in formatted.entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, size)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return FormattedText(kept, entities)


def format_text(
    text: str | None,
    parse_mode: str | None,
    entities: list[dict[str, Any]] | None,
    *,
    caption: bool = False,
) -> FormattedText:
    """Parse ``text`` as a ``sendMessage`` text (or, with ``caption=True``, a caption) would be parsed.

    Raises the :class:`~sandbox.errors.ApiError` Telegram would answer with: unsupported parse mode,
    can't parse entities, empty text, too long.
    """
    if not text and not caption:
        raise bad_request("message text is empty")
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            formatted = parse_html(text or "")
        except HtmlError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    elif mode == "":
        formatted = FormattedText(text or "", [dict(e) for e in entities or []])
    else:
        # Markdown modes are not emulated: refuse rather than pretend.
        raise bad_request("unsupported parse_mode")
    formatted = trim(formatted)
    if not formatted.text and not caption:
        raise bad_request("message text is empty")
    limit = MAX_CAPTION if caption else MAX_TEXT
    if len(formatted.text) > limit:
        raise bad_request("message caption is too long" if caption else "message is too long")
    return formatted


def source_html(text: str | None, parse_mode: str | None) -> str:
    """What the bot meant, as HTML: the text itself in HTML mode, else the escaped plain text."""
    if (parse_mode or "").lower() == "html":
        return text or ""
    return html.escape(text or "", quote=False)


def command_entities(text: str) -> list[dict[str, Any]]:
    """``bot_command`` entities for every ``/command`` (or ``/command@bot``) starting a word."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _COMMAND_RE.finditer(text)
    ]


def commands_in(text: str) -> list[str]:
    """The ``/command`` and ``/command@bot`` words of ``text``, in order."""
    return [match.group() for match in _COMMAND_RE.finditer(text)]
