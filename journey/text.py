"""Rules for what people type: trimmed, not empty, not longer than we can show back."""

from __future__ import annotations

from journey.errors import EmptyText, TooLong

SHORT = 120  # names, places, phone numbers, reference numbers
LONG = 500  # notes, a diagnosis in the user's words, their own questions


def clean(text: str, limit: int) -> str:
    """The text with outer space removed and inner runs of blank lines squeezed."""
    lines = [line.strip() for line in text.strip().splitlines()]
    squeezed = "\n".join(line for i, line in enumerate(lines) if line or (i and lines[i - 1]))
    if not squeezed:
        raise EmptyText()
    if len(squeezed) > limit:
        raise TooLong(limit=limit, length=len(squeezed))
    return squeezed
