"""Which language each reader gets: a member's own choice, a linked group's, or Telegram's guess.

A person's language is proposed from Telegram's `language_code` the first time they act in a plan
("es", "es-MX", "es-419" -> Spanish) and can be changed in /settings. A group reads the language of
whoever linked it until someone changes it. Anything else reads English.
"""

from __future__ import annotations

import enum

from journey.access import Right, find_member, require, require_member
from journey.errors import Gone
from journey.models import Case


class Language(enum.StrEnum):
    """The languages the bot speaks: each has a folder of words in templates/."""

    ENGLISH = "en"
    SPANISH = "es"


ENGLISH = Language.ENGLISH.value
LANGUAGES = tuple(lang.value for lang in Language)


def from_telegram(language_code: str | None) -> str:
    """Telegram's IETF tag ("es-MX", "pt-br", None) as one of our languages."""
    base = (language_code or "").replace("_", "-").split("-")[0].strip().lower()
    return base if base in LANGUAGES else ENGLISH


def of_member(case: Case, user_id: int, fallback: str | None = None) -> str:
    """The language this member reads: their choice, else `fallback` (Telegram's guess), else English."""
    member = find_member(case, user_id)
    chosen = member.settings.language if member is not None else None
    return chosen or fallback or ENGLISH


def of_chat(case: Case, chat_id: int | None, user_id: int, fallback: str | None = None) -> str:
    """The language of what is shown in `chat_id` (None: the chat of `user_id`, which for a group's copy of
    a reminder is the group's own id): a linked group's own, else the person's."""
    chat = user_id if chat_id is None else chat_id
    group = next((g for g in case.groups if g.chat_id == chat), None)
    if group is not None:
        return group.language or of_member(case, group.linked_by, fallback)
    return of_member(case, user_id, fallback)


def propose(case: Case, user_id: int, language_code: str | None) -> bool:
    """A member who has no language yet gets Telegram's (True if it was set): once, so a later choice in
    /settings is never overridden by the phone's setting."""
    member = find_member(case, user_id)
    if member is None or member.settings.language is not None or language_code is None:
        return False
    member.settings.language = from_telegram(language_code)
    return True


def choose(case: Case, user_id: int, language: str) -> None:
    """A member's choice in /settings."""
    if language not in LANGUAGES:
        raise Gone()
    require_member(case, user_id).settings.language = language


def choose_for_group(case: Case, user_id: int, chat_id: int, language: str) -> None:
    """What a linked group reads: anyone who may change the plan may change it (they post there too)."""
    require(case, user_id, Right.EDIT)
    group = next((g for g in case.groups if g.chat_id == chat_id), None)
    if group is None or language not in LANGUAGES:
        raise Gone()
    group.language = language
