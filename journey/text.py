"""Rules for what people type: only what can be seen, trimmed, not empty, not longer than we can show back.

Every typed field goes through one of these, and so do the names Telegram gives us:
- `visible` removes what cannot be seen: control characters (a newline is kept where lines are allowed),
  bidi controls that make text read backwards, and invisible formatting (zero-width spaces, joiners, BOMs).
  A zero-width joiner between two emoji is kept: it is what makes 👨‍👩‍👧 one family instead of three people.
- `clean` is for fields that may hold several lines (notes, an address, a question), `line` for one line
  (names, places, a reference number), `phone` for a number to call, `video_link` for one web link.
What they keep is shown as the user gave it (escaped where it is shown), never reformatted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from journey.errors import EmptyText, NotALink, NotAPhone, SeveralLinks, TooLong

SHORT = 120  # names, places, phone numbers, reference numbers
LONG = 500  # notes, a diagnosis in the user's words, their own questions
LINK = 500  # a web link: meeting links (Teams) run to a few hundred characters

# Characters that change the direction text is shown in: a name could make the words after it read backwards.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # isolates
    "\u200e\u200f\u061c"  # marks
)
# Letters that show as nothing (used for "invisible" names); category Lo, so they are named here.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
ZWJ = "\u200d"
_EMOJI_BEFORE_JOINER = frozenset("\ufe0f\u20e3")  # a variation selector or keycap ends an emoji too
MIN_PHONE_DIGITS = 3

# A web address as people paste it: the scheme, then anything up to a space or a character that ends it.
_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?*_~"


def _is_emoji(char: str) -> bool:
    return unicodedata.category(char) in ("So", "Sk") or char in _EMOJI_BEFORE_JOINER


def visible(text: str, *, multiline: bool = True) -> str:
    """`text` without what cannot be seen. Any line break becomes a newline (a space if `multiline` is off),
    a tab a space; other control characters, bidi controls and invisible formatting are removed."""
    lines = text.splitlines()  # \r\n, \r, \v, \f, \x1c-\x1e, \x85, \u2028, \u2029: all line breaks
    joined = ("\n" if multiline else " ").join(lines)
    kept: list[str] = []
    for i, char in enumerate(joined):
        category = unicodedata.category(char)
        if char == "\n" or (category not in ("Cc", "Cf", "Cs") and char not in BLANK_LETTERS):
            kept.append(char)
        elif char == "\t":
            kept.append(" ")
        elif (
            char == ZWJ
            and kept
            and _is_emoji(kept[-1])
            and i + 1 < len(joined)
            and unicodedata.category(joined[i + 1]) in ("So", "Sk")  # the next emoji starts right here
        ):
            kept.append(char)
        # anything else (Cc, Cf incl. bidi controls, lone surrogates, blank letters) is dropped
    return "".join(kept)


def clean(text: str, limit: int) -> str:
    """Text of one or more lines: invisible characters removed, outer space removed, inner runs of blank
    lines squeezed to one."""
    lines = [line.strip() for line in visible(text).strip().splitlines()]
    squeezed = "\n".join(line for i, line in enumerate(lines) if line or (i and lines[i - 1]))
    return _within(squeezed, limit)


def line(text: str, limit: int) -> str:
    """Text of one line (a name, a place): line breaks and runs of spaces become one space."""
    return _within(" ".join(visible(text, multiline=False).split()), limit)


def name(given: str | None) -> str | None:
    """A name Telegram gave us (not typed for us): squeezed and cut rather than refused; None if nothing
    visible is left, so the screens say "Someone"."""
    words = " ".join(visible(given or "", multiline=False).split())
    return words[:SHORT].strip() or None


def phone(text: str) -> str:
    """A number to call, kept as typed ("+1 (555) 010-2030 ext. 4"): one line with at least a few digits."""
    number = line(text, SHORT)
    if sum(char.isdigit() for char in number) < MIN_PHONE_DIGITS:
        raise NotAPhone()
    return number


@dataclass(frozen=True)
class Pasted:
    """A video link as pasted: the link itself, and any other text that came with it (an invitation)."""

    link: str
    rest: str | None


def video_link(text: str) -> Pasted:
    """Exactly one http(s) link in `text`. Other words around it (a pasted meeting invitation) come back
    as `rest`, cut to the notes limit at a line end; the same link twice counts once."""
    seen = visible(text)
    found = [(m.start(), _trimmed(m.group())) for m in _URL.finditer(seen)]
    links = list(dict.fromkeys(link for _, link in found))
    if not links:
        raise NotALink()
    if len(links) > 1:
        raise SeveralLinks(count=len(links))
    link = links[0]
    if not is_web_link(link):
        raise NotALink()
    if len(link) > LINK:
        raise TooLong(limit=LINK, length=len(link))
    rest = seen
    for start, found_link in reversed(found):
        rest = rest[:start] + rest[start + len(found_link) :]
    return Pasted(link, _rest(rest))


def _trimmed(link: str) -> str:
    """A link without the full stop or bracket that closed the sentence around it."""
    link = link.rstrip(_TRAILING)
    while link.endswith(")") and link.count(")") > link.count("("):
        link = link[:-1].rstrip(_TRAILING)
    return link


def is_web_link(text: str) -> bool:
    """One http(s) address with a host and nothing else: no spaces or control characters."""
    if not text or text != visible(text, multiline=False) or any(char.isspace() for char in text):
        return False
    try:
        parts = urlsplit(text)
        _ = parts.port  # a port that is not a number raises here
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _rest(text: str) -> str | None:
    """What is left of a pasted invitation: None if it has no letter or digit worth keeping."""
    lines = [line.strip() for line in text.strip().splitlines()]
    squeezed = "\n".join(line for i, line in enumerate(lines) if line or (i and lines[i - 1])).strip()
    if not any(char.isalnum() for char in squeezed):
        return None
    return fit(squeezed, LONG)


def fit(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, at the end of a line (or a word) where there is one."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for stop in ("\n", " "):
        at = cut.rfind(stop)
        if at > limit // 2:
            return cut[:at].rstrip()
    return cut.rstrip()


def _within(text: str, limit: int) -> str:
    if not text:
        raise EmptyText()
    if len(text) > limit:
        raise TooLong(limit=limit, length=len(text))
    return text
