"""The parameters of one Bot API call, whatever way they arrived.

Telegram takes parameters as a JSON body, a query string, ``application/x-www-form-urlencoded`` or
``multipart/form-data``. In the form encodings every value is a string and structured values (a
``reply_markup``, a list of ``commands``) are JSON inside that string; PTB sends exactly that, even
numbers ("123") and booleans ("true"). :class:`Params` hides the difference behind typed getters.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sandbox.errors import bad_request


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content: bytes
    content_type: str


class Params:
    """Typed access to call parameters; wrong or missing values raise Telegram-worded 400 errors."""

    def __init__(self, values: Mapping[str, Any], files: Mapping[str, UploadedFile] | None = None) -> None:
        self._values = dict(values)
        self._files = dict(files or {})

    def __contains__(self, name: str) -> bool:
        return name in self._values or name in self._files

    def raw(self) -> dict[str, Any]:
        """All plain values as received (files are listed by name)."""
        return {**self._values, **{name: f"<file {f.filename}>" for name, f in self._files.items()}}

    def file(self, name: str) -> UploadedFile | None:
        """The uploaded file in part ``name``, if the request carried one."""
        return self._files.get(name)

    def str_(self, name: str, default: str | None = None) -> str | None:
        value = self._values.get(name)
        if value is None:
            return default
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dict | list):
            return json.dumps(value)
        return str(value)

    def int_(self, name: str, default: int | None = None) -> int | None:
        value = self._values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise bad_request(f"invalid {name} specified")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            try:
                number = float(str(value).strip())
            except ValueError:
                raise bad_request(f"invalid {name} specified") from None
            return int(number)

    def require_int(self, name: str, missing: str) -> int:
        """An integer parameter that must be present; ``missing`` is Telegram's description if not."""
        value = self.int_(name)
        if value is None:
            raise bad_request(missing)
        return value

    def float_(self, name: str, default: float) -> float:
        value = self._values.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def bool_(self, name: str, default: bool = False) -> bool:
        value = self._values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("true", "1")

    def json_(self, name: str, what: str | None = None) -> Any:
        """A structured value: decoded if it came as a JSON string. ``what`` names it in the error."""
        value = self._values.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {what or name} JSON object") from None

    def chat_id(self) -> int:
        """``chat_id`` as a number; ``@username`` chats do not exist in the sandbox."""
        value = self._values.get("chat_id")
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad_request("chat not found") from None
