"""Short ids for things inside a case.

An id made from the Telegram message that created the thing makes "add" safe to run twice: a
re-delivered update produces the same id, and adding an id that exists changes nothing.
"""

from __future__ import annotations

import base64
import hashlib
import secrets


def id_from(*parts: object) -> str:
    digest = hashlib.blake2s(":".join(map(str, parts)).encode(), digest_size=5).digest()
    return base64.b32encode(digest).decode().lower()


def new_case_id() -> str:
    """An unguessable case id (80 bits): lowercase letters and digits, safe as a file name and in buttons.

    Knowing it grants nothing (every action checks membership); it only must not collide or be guessed.
    """
    return base64.b32encode(secrets.token_bytes(10)).decode().lower()
