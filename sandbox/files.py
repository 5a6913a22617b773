"""Files users and the bot exchanged: ids, download paths and the bytes themselves (kept in memory)."""

from __future__ import annotations

import mimetypes
import struct
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Literal

from sandbox.errors import bad_request

FileKind = Literal["document", "photo", "voice"]
MAX_BOT_UPLOAD = 50 * 1024 * 1024
MAX_BOT_DOWNLOAD = 20 * 1024 * 1024
_FOLDERS = {"document": "documents", "photo": "photos", "voice": "voice"}
_ID_PREFIX = {"document": "BQAC", "photo": "AgAC", "voice": "AwAC"}


@dataclass(frozen=True)
class StoredFile:
    """One file as Telegram keeps it."""

    file_id: str
    file_unique_id: str
    kind: FileKind
    content: bytes
    file_name: str | None
    mime_type: str | None
    file_path: str
    width: int = 0
    height: int = 0

    def as_document(self) -> dict[str, Any]:
        """The Bot API ``Document`` object."""
        document: dict[str, Any] = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.file_name is not None:
            document["file_name"] = self.file_name
        if self.mime_type is not None:
            document["mime_type"] = self.mime_type
        document["file_size"] = len(self.content)
        return document

    def as_photo(self) -> list[dict[str, Any]]:
        """The Bot API ``photo`` field: a list of ``PhotoSize`` (the sandbox keeps one size)."""
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_size": len(self.content),
                "width": self.width,
                "height": self.height,
            }
        ]

    def as_voice(self, duration: int) -> dict[str, Any]:
        """The Bot API ``Voice`` object (a voice note, OGG/Opus)."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(self.content),
        }

    def as_file(self) -> dict[str, Any]:
        """The Bot API ``File`` object returned by ``getFile``."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "file_path": self.file_path,
        }


class FileStore:
    """All files of one sandbox, by ``file_id`` and by download path."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}

    def add(
        self,
        kind: FileKind,
        content: bytes,
        file_name: str | None = None,
        mime_type: str | None = None,
        size: tuple[int, int] = (0, 0),
    ) -> StoredFile:
        """Store ``content`` and give it fresh ids and a path (``documents/file_3.pdf``)."""
        number = len(self._by_id) + 1
        suffix = PurePosixPath(file_name).suffix if file_name else ".jpg" if kind == "photo" else ""
        if kind == "document" and mime_type is None and file_name:
            mime_type = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        stored = StoredFile(
            file_id=f"{_ID_PREFIX[kind]}sandbox{kind}{number:05d}",
            file_unique_id=f"AQAD{number:05d}",
            kind=kind,
            content=bytes(content),
            file_name=file_name,
            mime_type=mime_type,
            file_path=f"{_FOLDERS[kind]}/file_{number}{suffix}",
            width=size[0],
            height=size[1],
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        return self._by_path.get(file_path)

    def reuse(self, file_id: str, kind: FileKind) -> StoredFile:
        """A file sent again by ``file_id``; Telegram refuses unknown ids and the wrong kind."""
        stored = self._by_id.get(file_id)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if stored.kind != kind:
            raise bad_request(f"can't use file of type {stored.kind.title()} as {kind.title()}")
        return stored


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG image, or None if ``data`` is none of them."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(width), int(height)
        i += 2 + length
    return None
