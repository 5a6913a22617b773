"""Telegram's HTML parse mode: the few tags it accepts, and its refusals, worded as Telegram words them.

``parse_html`` turns ``"<b>Hi</b> &amp; bye"`` into plain text plus Bot API entities (offsets and lengths
in UTF-16 code units, as Telegram counts them), or raises :class:`HtmlError` whose message is the part
after ``"Bad Request: can't parse entities: "``.

One deliberate difference: Telegram keeps a bare ``&`` that does not start a known entity as text; the
sandbox refuses it (``strict_ampersand=True``), because it almost always means user text was not
escaped, and the same text with a ``<`` in it would be refused by Telegram.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Tag -> entity type. "a", "span", "tg-emoji", "pre" and "blockquote" are refined from attributes.
_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
}
ALLOWED_TAGS = frozenset(_TAG_ENTITY)
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_LANGUAGE = " language"  # internal key (no real attribute name has a space): a pre's language
_ENTITY_RE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{0,31}));")


class HtmlError(ValueError):
    """The text is not valid Telegram HTML; ``str(error)`` is Telegram's description of why."""


@dataclass
class FormattedText:
    """Plain text and its Bot API entities (``MessageEntity`` dicts)."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _OpenTag:
    name: str
    start: int  # UTF-16 offset in the output
    attributes: dict[str, str]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: how Telegram measures entity offsets and lengths."""
    return len(text.encode("utf-16-le")) // 2


class _Parser:
    def __init__(self, source: str, strict_ampersand: bool) -> None:
        self.source = source
        self.strict_ampersand = strict_ampersand
        self.out: list[str] = []
        self.out_len = 0  # UTF-16 units written so far
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode("utf-8"))

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.out_len += utf16_len(text)

    def run(self) -> FormattedText:
        source, i = self.source, 0
        while i < len(source):
            char = source[i]
            if char == "&":
                i = self.entity(i)
            elif char == "<" and source.startswith("</", i):
                i = self.end_tag(i)
            elif char == "<":
                i = self.start_tag(i)
            else:
                self.emit(char)
                i += 1
        if self.stack:
            raise HtmlError(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return FormattedText("".join(self.out), self.entities)

    def entity(self, i: int) -> int:
        decoded, end = decode_entity(self.source, i)
        if decoded is None:
            if self.strict_ampersand:
                raise HtmlError(
                    f"Unescaped '&' at byte offset {self.byte_offset(i)}: write it as &amp; "
                    "(the sandbox is stricter than Telegram here)"
                )
            decoded = "&"
        self.emit(decoded)
        return end

    def end_tag(self, begin: int) -> int:
        close = self.source.find(">", begin + 2)
        if close == -1:
            raise HtmlError(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        name = self.source[begin + 2 : close].strip().lower()
        if not self.stack:
            raise HtmlError(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        top = self.stack.pop()
        if name != top.name:
            raise HtmlError(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{top.name}>", found "</{name}>"'
            )
        self.close_entity(top)
        return close + 1

    def start_tag(self, begin: int) -> int:
        source, i = self.source, begin + 1
        while i < len(source) and not source[i].isspace() and source[i] != ">":
            i += 1
        if i >= len(source):
            raise HtmlError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        name = source[begin + 1 : i].lower()
        if name not in ALLOWED_TAGS:
            raise HtmlError(f'Unsupported start tag "{name}" at byte offset {self.byte_offset(begin)}')
        attributes, i = self.attributes(name, begin, i)
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise HtmlError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        if name == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
            raise HtmlError(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {self.byte_offset(begin)}'
            )
        self.stack.append(_OpenTag(name, self.out_len, attributes))
        return i + 1

    def attributes(self, tag: str, begin: int, i: int) -> tuple[dict[str, str], int]:
        """Parse ``name="value"`` pairs up to the closing ``>``; returns them and the index of ``>``."""
        source, found = self.source, dict[str, str]()
        while True:
            while i < len(source) and source[i].isspace():
                i += 1
            if i >= len(source):
                raise HtmlError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            if source[i] == ">":
                return found, i
            start = i
            while i < len(source) and not source[i].isspace() and source[i] not in "=>":
                i += 1
            name = source[start:i].lower()
            while i < len(source) and source[i].isspace():
                i += 1
            if i >= len(source) or source[i] != "=":
                if tag == "blockquote" and name == "expandable":
                    found[name] = ""
                    continue
                raise HtmlError(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {self.byte_offset(begin)}"
                )
            i += 1
            while i < len(source) and source[i].isspace():
                i += 1
            value, i = self.attribute_value(tag, begin, i)
            found[name] = value

    def attribute_value(self, tag: str, begin: int, i: int) -> tuple[str, int]:
        source = self.source
        if i < len(source) and source[i] in "\"'":
            end = source.find(source[i], i + 1)
            if end == -1:
                raise HtmlError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            return unescape(source[i + 1 : end]), end + 1
        start = i
        while i < len(source) and not source[i].isspace() and source[i] != ">":
            i += 1
        if i == start:
            raise HtmlError(
                f'Empty attribute value in the tag "{tag}" at byte offset {self.byte_offset(begin)}'
            )
        return unescape(source[start:i]), i

    def close_entity(self, tag: _OpenTag) -> None:
        length = self.out_len - tag.start
        if length == 0:
            return  # Telegram drops empty entities
        entity: dict[str, Any] = {"type": _TAG_ENTITY[tag.name], "offset": tag.start, "length": length}
        if tag.name == "a":
            if "href" not in tag.attributes:
                return  # an anchor without href is plain text
            entity["url"] = tag.attributes["href"]
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.attributes["emoji-id"]
        elif tag.name == "blockquote" and "expandable" in tag.attributes:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "pre" and _LANGUAGE in tag.attributes:
            entity["language"] = tag.attributes[_LANGUAGE]
        elif tag.name == "code" and self.absorbed_by_pre(tag):
            return
        self.entities.append(entity)

    def absorbed_by_pre(self, code: _OpenTag) -> bool:
        """``<pre><code class="language-x">`` sets the pre's language; True if the code was absorbed."""
        language = code.attributes.get("class", "")
        outer = self.stack[-1] if self.stack else None
        if outer is None or outer.name != "pre" or outer.start != code.start:
            return False
        if language.startswith("language-"):
            outer.attributes[_LANGUAGE] = language.removeprefix("language-")
        return True


def decode_entity(source: str, i: int) -> tuple[str | None, int]:
    """Decode the HTML entity at ``source[i]`` (an ``&``); ``(None, i + 1)`` if there is none."""
    match = _ENTITY_RE.match(source, i)
    if match is None:
        return None, i + 1
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        char = _NAMED_ENTITIES.get(name)
        return (char, match.end()) if char is not None else (None, i + 1)
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None, i + 1
    return chr(code), match.end()


def unescape(text: str) -> str:
    """Decode entities in an attribute value (unknown ones are kept as they are)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "&":
            decoded, end = decode_entity(text, i)
            out.append(decoded if decoded is not None else "&")
            i = end
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def parse_html(source: str, *, strict_ampersand: bool = True) -> FormattedText:
    """Parse Telegram HTML into plain text and entities, or raise :class:`HtmlError`."""
    return _Parser(source, strict_ampersand).run()
