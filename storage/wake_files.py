"""The wake index on disk: when each plan next needs the senders, known without opening any plan.

`DATA_DIR/wake/` holds one EMPTY file per plan with something waiting, named `<unix seconds>-<case id>`.
The name is the data, so start-up reads the whole index with one directory scan and no file reads. The
seconds are the wake time floored, so an entry is never later than the true time. `wake/.built` marks a
complete index: without it (an install from before the index, or a rebuild cut short) the repository
rebuilds the index from the plans.

The repository keeps the crash rule: a new entry is created before the plan is written and the old one
removed after, so there is always an entry no later than the plan's true wake time. A stale early entry
costs one look at a plan with nothing due; a missing one would lose a reminder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage.atomic import FILE_MODE, fsync_dir
from storage.repository import is_case_id

BUILT_MARKER = ".built"
# Digits, a dash, the case id (which may itself contain dashes: the first dash after the digits splits).
ENTRY_NAME = re.compile(r"^(-?\d{1,12})-(.+)$")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@dataclass(frozen=True)
class Entry:
    seconds: int
    name: str


def floor_seconds(when: datetime | None) -> int | None:
    """Unix seconds, floored (never rounded up: an entry must not be later than the true wake time)."""
    return None if when is None else (when - EPOCH) // SECOND


def entry_name(case_id: str, seconds: int) -> str:
    return f"{seconds}-{case_id}"


def parse_entry(name: str) -> tuple[str, Entry] | None:
    """(case id, entry) for a well-formed entry name, else None."""
    match = ENTRY_NAME.fullmatch(name)
    if match is None or not is_case_id(match[2]):
        return None
    seconds = int(match[1])
    try:
        _ = EPOCH + seconds * SECOND  # a name with too many digits is not a time at all
    except OverflowError:
        return None
    return match[2], Entry(seconds, name)


class WakeFolder:
    """The index in memory (case id -> entry) mirrored by the files. Use only under the repository's lock:
    the directory belongs to one process (DATA_DIR/.lock), so memory and disk cannot drift apart."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._entries: dict[str, Entry] = {}

    def scan(self) -> bool:
        """Read the index with one directory scan and tidy it. True when it is complete (marked built)."""
        self._entries.clear()
        built = False
        unwanted: list[str] = []
        with os.scandir(self.directory) as found:
            for item in found:
                if item.name == BUILT_MARKER:
                    built = True
                elif not item.is_dir(follow_symlinks=False):
                    unwanted += self._take(item.name)
        self._unlink(unwanted)
        return built

    def clear(self) -> None:
        """Remove every entry (before a rebuild)."""
        self._unlink([entry.name for entry in self._entries.values()])
        self._entries.clear()

    def mark_built(self) -> None:
        # Entries first, then the marker: a marker must never promise entries a crash could lose.
        fsync_dir(self.directory)
        _create_empty(self.directory / BUILT_MARKER)
        fsync_dir(self.directory)

    def get(self, case_id: str) -> Entry | None:
        return self._entries.get(case_id)

    def items(self) -> list[tuple[str, datetime]]:
        """(case id, wake time) pairs, earliest first, ties by id."""
        pairs = sorted((entry.seconds, case_id) for case_id, entry in self._entries.items())
        return [(case_id, EPOCH + seconds * SECOND) for seconds, case_id in pairs]

    def create(self, case_id: str, seconds: int, sync: bool = True) -> Entry:
        """Create the entry's file (not yet tracked: the caller decides once the plan is written)."""
        entry = Entry(seconds, entry_name(case_id, seconds))
        _create_empty(self.directory / entry.name)
        if sync:
            fsync_dir(self.directory)
        return entry

    def track(self, case_id: str, entry: Entry | None) -> None:
        if entry is None:
            self._entries.pop(case_id, None)
        else:
            self._entries[case_id] = entry

    def remove(self, entry: Entry) -> None:
        """Remove one entry's file (untracked already, or about to be)."""
        self._unlink([entry.name])

    def drop(self, case_id: str) -> None:
        """Forget the plan's entry, file and all. Touches nothing if it has none."""
        entry = self._entries.pop(case_id, None)
        if entry is not None:
            self.remove(entry)

    def _take(self, name: str) -> list[str]:
        """Track the entry called `name`; return the names to delete (malformed, or a later duplicate)."""
        parsed = parse_entry(name)
        if parsed is None:
            return [name]  # a temp file or something put here by hand: not an entry
        case_id, entry = parsed
        known = self._entries.get(case_id)
        if known is None:
            self._entries[case_id] = entry
            return []
        # Two entries: a crash came between creating the new one and removing the old. Either may be the
        # true one; the earlier is never late.
        keep, extra = sorted((known, entry), key=lambda e: (e.seconds, e.name))
        self._entries[case_id] = keep
        return [extra.name]

    def _unlink(self, names: list[str]) -> None:
        for name in names:
            (self.directory / name).unlink(missing_ok=True)
        if names:
            fsync_dir(self.directory)


def _create_empty(path: Path) -> None:
    try:
        # O_EXCL: never follow a link someone put here. The mode is set again so umask cannot change it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE)
    except FileExistsError:
        return  # left by a save that failed part-way: the same name means the same entry
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
