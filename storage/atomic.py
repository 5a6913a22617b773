"""Crash-safe files for TinyDB: write a private temp file, fsync it, rename it over the target.

TinyDB's own JSONStorage rewrites the file in place, so a kill mid-write leaves a truncated database
(see field-notes.md). Here a reader sees either the old file or the new one, never a mix: `os.replace`
is atomic on POSIX, and fsyncing the file before and the directory after makes the rename durable.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import stat
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from storage.repository import StorageError

logger = logging.getLogger(__name__)

FILE_MODE = 0o600
DIR_MODE = 0o700

# `.<target name>.<random hex>.tmp`: hidden, so directory listings of cases never count them.
TEMP_NAME = re.compile(r"^\..+\.[0-9a-f]{16}\.tmp$")


class AtomicJSONStorage(Storage):
    """A TinyDB storage that replaces its file atomically on every write.

    It holds no open file between calls, so thousands of these can exist without exhausting descriptors.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw.strip():
            return None
        try:
            data = json.loads(raw)
        except ValueError as err:
            # The name is a case id or a chat id, never user content.
            raise StorageError(f"unreadable database file {self.path.name}") from err
        if not isinstance(data, dict):
            raise StorageError(f"unexpected content in {self.path.name}")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        write_file_atomically(self.path, payload)


def write_file_atomically(path: Path, payload: bytes) -> None:
    """Replace `path` with `payload`: the old content or the new one survives a crash, nothing else."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    # O_EXCL: never follow or reuse someone else's file; the mode is set again below so umask cannot widen
    # or narrow it.
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make a rename or unlink in `directory` durable (the entry lives in the directory, not the file)."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_private_dir(directory: Path) -> None:
    """Create `directory` (and parents) as 0700, or tighten it if others can read it."""
    directory.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    mode = stat.S_IMODE(directory.stat().st_mode)
    if mode & 0o077:
        # Only the directory is named: it is configuration, not user data.
        logger.warning(
            "data directory %s was accessible to group/others (mode %o); tightening to 0700",
            directory,
            mode,
        )
    if mode != DIR_MODE:
        # mkdir's mode is filtered by umask; chmod makes it exact either way.
        os.chmod(directory, DIR_MODE)


def remove_temp_files(directory: Path) -> int:
    """Delete temp files left by a crash mid-write; return how many. Call only while holding the lock."""
    removed = 0
    for entry in os.scandir(directory):
        if entry.is_file(follow_symlinks=False) and TEMP_NAME.match(entry.name):
            os.unlink(entry.path)
            removed += 1
    if removed:
        fsync_dir(directory)
    return removed
