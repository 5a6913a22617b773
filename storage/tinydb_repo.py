"""The file-backed CaseRepository: one small TinyDB database per case, one per linked chat.

Layout under DATA_DIR (dirs 0700, files 0600):
    .lock                   flock'ed while a bot process uses the directory
    cases/<case_id>.json    table "case": the case (doc 1); table "links": chats that point at it
    chats/<p|n><id>.json    table "chat": {"case_id": ...} (n = negative id, for groups)
    users/u<id>.json        table "user": {"case_ids": [...]}: the cases a user is a member of
    wake/<secs>-<case_id>   empty; the case's next wake time in unix seconds, floored (see wake_files.py)
    wake/.built             the wake index is complete (missing: rebuild it from the cases at open)
    quarantine/<case_id>.<UTC time, e.g. 20261204T010203Z>.json
                            a case file that could not be read, set aside as it was (never read again)

One file per case keeps a save at the same cost with 10 or 10,000 cases, and a crash can only ever touch
the one file being replaced (see atomic.py). The chat file is the source of truth for "which case does this
chat work on"; the case's "links" table is a reverse index kept as a superset of it (written before a chat
file is created, trimmed after one is removed) so delete_case finds every link without a scan.
The user files follow the same rule the other way round: the case's member list is the truth, a user
file is a superset of it (an id is added before the case naming them is written, dropped after), and
cases_of_user checks membership in each case it loads.

A case file that cannot be read (bad JSON, another case's id, a shape the model refuses, a schema this bot
does not know) is moved to quarantine/ when met, logged by id, and from then on is simply not there: one
bad file must not stop the bot. Chat and user files are hints that can be derived again, so an unreadable
one is deleted.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import threading
from collections.abc import Callable, MutableMapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from tinydb import Query, TinyDB
from tinydb.table import Document, Table

from journey.models import Case
from journey.wake import next_wake
from storage.atomic import (
    AtomicJSONStorage,
    ensure_private_dir,
    fsync_dir,
    remove_temp_files,
)
from storage.codec import case_from_dict, case_to_dict
from storage.migrations import CURRENT_SCHEMA, SCHEMA_KEY, upgrade
from storage.repository import StorageError, check_case_id, check_chat_id, is_case_id
from storage.wake_files import Entry, WakeFolder, floor_seconds

log = logging.getLogger(__name__)

T = TypeVar("T")

CASE_TABLE = "case"
LINKS_TABLE = "links"
CHAT_TABLE = "chat"
USER_TABLE = "user"
# The only document in the "case" and "chat" tables.
ONLY_DOC = 1
# Chat and link documents are versioned apart from case documents: they change for other reasons.
INDEX_SCHEMA = 1
# What reading a damaged or foreign file can raise: our own StorageError (bad JSON, unknown schema, codec),
# what TinyDB and the migrations raise on a shape they do not expect (a list where a table should be), and
# the json parser's RecursionError on absurdly deep nesting. OSError is not here: a disk that fails says
# nothing about the file, which must stay where it is.
UNREADABLE = (StorageError, ValueError, TypeError, KeyError, AttributeError, RecursionError)
QUARANTINE_STAMP = "%Y%m%dT%H%M%SZ"
_CHAT_FILE = re.compile(r"^[pn]\d{1,20}\.json$")


class TinyDBCaseRepository:
    """CaseRepository on files. Holds an exclusive lock on `data_dir` until close()."""

    shared = False  # one process holds the folder's lock

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = Path(data_dir)
        self._cases_dir = self._data_dir / "cases"
        self._chats_dir = self._data_dir / "chats"
        self._users_dir = self._data_dir / "users"
        self._quarantine_dir = self._data_dir / "quarantine"
        self._wake = WakeFolder(self._data_dir / "wake")
        self._mutex = threading.RLock()
        ensure_private_dir(self._data_dir)
        self._lock_fd: int | None = _acquire_lock(self._data_dir)
        try:
            for directory in (self._cases_dir, self._chats_dir, self._users_dir):
                ensure_private_dir(directory)
                # Safe only now: with the lock held, no other writer can own a temp file here.
                remove_temp_files(directory)
            ensure_private_dir(self._quarantine_dir)
            ensure_private_dir(self._wake.directory)
            if not self._wake.scan():
                self._rebuild_wake_index()
        except BaseException:
            self.close()
            raise

    # --- CaseRepository -----------------------------------------------------------------------------

    def load_case(self, case_id: str) -> Case | None:
        with self._mutex:
            self._check_open()
            if not is_case_id(case_id):
                return None
            path = self._case_path(case_id)
            if not path.exists():
                # An entry for a case never written (a crash right after creating it) goes with it.
                self._wake.drop(case_id)
                return None
            try:
                return _read_case(path, case_id)
            except UNREADABLE as err:
                self._set_aside(case_id, err)
                return None

    def save_case(self, case: Case) -> None:
        with self._mutex:
            self._check_open()
            path = self._case_path(case.id)
            # Encode before touching the disk: a case that cannot be stored leaves the old file as it was.
            doc = {SCHEMA_KEY: CURRENT_SCHEMA, **case_to_dict(case)}
            wake = floor_seconds(next_wake(case))
            members = {m.user_id for m in case.members}
            was = self._stored_members(case.id, path)
            # Superset order: name the case in a new member's file before the case names them.
            for user_id in members - was:
                self._edit_user(user_id, lambda ids: ids | {case.id})
            self._write_case(case.id, path, doc, wake)
            for user_id in was - members:
                self._edit_user(user_id, lambda ids: ids - {case.id})

    def delete_case(self, case_id: str) -> None:
        with self._mutex:
            self._check_open()
            path = self._case_path(case_id)
            chat_ids, members = _case_refs(path)
            # Links first: a crash half-way leaves a case without links, never links without a case.
            for chat_id in chat_ids:
                if self._read_chat(chat_id) == case_id:
                    self._chat_path(chat_id).unlink(missing_ok=True)
            if chat_ids:
                fsync_dir(self._chats_dir)
            path.unlink(missing_ok=True)
            # A temp file from a write that crashed is a copy of the case too. The id is validated, so
            # it holds no glob characters.
            for leftover in self._cases_dir.glob(f".{path.name}.*.tmp"):
                leftover.unlink(missing_ok=True)
            fsync_dir(self._cases_dir)
            self._wake.drop(case_id)
            self._delete_quarantined(case_id)
            for user_id in members:
                self._edit_user(user_id, lambda ids: ids - {case_id})

    def link_chat(self, chat_id: int, case_id: str) -> None:
        with self._mutex:
            self._check_open()
            chat_path = self._chat_path(chat_id)
            if not self._case_path(case_id).exists():
                raise StorageError("cannot link a chat to a case that does not exist")
            previous = self._read_chat(chat_id)
            if previous == case_id:
                return
            # Order keeps "links" a superset of the chat files that point at the case.
            try:
                self._edit_links(case_id, lambda links: _add_link(links, chat_id))
            except UNREADABLE as err:
                self._set_aside(case_id, err)
                raise StorageError("cannot link a chat to a case that does not exist") from None
            with _open(chat_path) as db:
                _put_only_doc(db.table(CHAT_TABLE), {SCHEMA_KEY: INDEX_SCHEMA, "case_id": case_id})
            if previous is not None:
                self._drop_reverse_link(previous, chat_id)

    def unlink_chat(self, chat_id: int) -> None:
        with self._mutex:
            self._check_open()
            previous = self._read_chat(chat_id)
            self._remove_chat_file(chat_id)
            if previous is not None:
                self._drop_reverse_link(previous, chat_id)

    def case_for_chat(self, chat_id: int) -> Case | None:
        with self._mutex:
            self._check_open()
            case_id = self._read_chat(chat_id)
            if case_id is None:
                return None
            case = self.load_case(case_id)
            if case is None:
                # Dangling: the case is gone (or the id is bad). Forget the link so it stays gone.
                self._remove_chat_file(chat_id)
            return case

    def linked_case_id(self, chat_id: int) -> str | None:
        with self._mutex:
            self._check_open()
            return self._read_chat(chat_id)

    def linked_chats(self) -> list[tuple[int, str]]:
        """(chat id, plan id) for every chat link, by chat id: for copying an install elsewhere
        (storage/migrate.py). Not in CaseRepository: the bot never needs every link at once."""
        with self._mutex:
            self._check_open()
            with os.scandir(self._chats_dir) as entries:
                names = [e.name for e in entries if _CHAT_FILE.fullmatch(e.name)]
            links = []
            for name in names:
                chat_id = int(name[1:].removesuffix(".json")) * (-1 if name[0] == "n" else 1)
                case_id = self._read_chat(chat_id)
                if case_id is not None:
                    links.append((chat_id, case_id))
            return sorted(links)

    def cases_of_user(self, user_id: int) -> list[Case]:
        with self._mutex:
            self._check_open()
            found = [self.load_case(case_id) for case_id in sorted(self._read_user(user_id))]
            mine = [c for c in found if c is not None and any(m.user_id == user_id for m in c.members)]
            return sorted(mine, key=lambda c: (c.created_at, c.id))

    def forget_user(self, user_id: int) -> None:
        with self._mutex:
            self._check_open()
            path = self._user_path(user_id)
            for case_id in sorted(self._read_user(user_id)):
                if not self._case_path(case_id).exists():
                    self._delete_quarantined(case_id, unless_owned_by_another=user_id)
            path.unlink(missing_ok=True)
            fsync_dir(self._users_dir)
            self.unlink_chat(user_id)

    def count_cases(self) -> int:
        return len(self.case_ids())

    def case_ids(self) -> list[str]:
        with self._mutex:
            self._check_open()
            with os.scandir(self._cases_dir) as entries:
                names = [e.name.removesuffix(".json") for e in entries if e.name.endswith(".json")]
            return sorted(name for name in names if is_case_id(name))

    def wake_index(self) -> list[tuple[str, datetime]]:
        with self._mutex:
            self._check_open()
            return self._wake.items()

    def quarantined(self) -> list[str]:
        with self._mutex:
            self._check_open()
            with os.scandir(self._quarantine_dir) as entries:
                ids = {_quarantined_id(e.name) for e in entries}
            return sorted(i for i in ids if i is not None)

    def close(self) -> None:
        with self._mutex:
            if self._lock_fd is not None:
                # Closing the descriptor drops the flock; a crash does the same, so no stale lock.
                os.close(self._lock_fd)
                self._lock_fd = None

    def __enter__(self) -> TinyDBCaseRepository:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- helpers ------------------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._lock_fd is None:
            raise StorageError("repository is closed")

    def _case_path(self, case_id: str) -> Path:
        # Validate before building any path: the id may come from a deep link.
        return self._cases_dir / f"{check_case_id(case_id)}.json"

    def _stored_members(self, case_id: str, path: Path) -> set[int]:
        """Who the stored case names. A file that cannot be read is set aside, never written over."""
        if not path.exists():
            return set()
        try:
            with _open(path) as db:
                stored = db.table(CASE_TABLE).get(doc_id=ONLY_DOC)
            return _member_ids(stored) if isinstance(stored, dict) else set()
        except UNREADABLE as err:
            self._set_aside(case_id, err)
            return set()

    def _write_case(self, case_id: str, path: Path, doc: dict[str, Any], wake: int | None) -> None:
        """Write the case, moving its wake entry so that one no later than the truth always exists."""
        old = self._wake.get(case_id)
        if (None if old is None else old.seconds) == wake:
            _put_case_doc(path, doc)  # the usual save: the index is untouched, no extra fsync
            return
        new = None if wake is None else self._wake.create(case_id, wake)
        try:
            _put_case_doc(path, doc)
        except BaseException:
            if new is not None:
                # The write may or may not have landed: track the earlier entry, which is never late.
                self._wake.track(case_id, _earlier(old, new))
            raise
        self._wake.track(case_id, new)
        if old is not None:
            self._wake.remove(old)

    def _set_aside(self, case_id: str, err: BaseException) -> None:
        """Move an unreadable case file to quarantine/, as it is, so the bot can go on without it."""
        target = self._quarantine_path(case_id)
        os.replace(self._case_path(case_id), target)
        fsync_dir(self._quarantine_dir)
        fsync_dir(self._cases_dir)
        self._wake.drop(case_id)
        # The id and the error's type only: its message, like the file, may carry health data.
        log.warning("set aside unreadable case file %s (%s)", case_id, type(err).__name__)

    def _quarantine_path(self, case_id: str) -> Path:
        stamp = datetime.now(UTC).strftime(QUARANTINE_STAMP)
        target = self._quarantine_dir / f"{case_id}.{stamp}.json"
        count = 1
        while target.exists():  # set aside twice in one second: keep both copies
            count += 1
            target = self._quarantine_dir / f"{case_id}.{stamp}-{count}.json"
        return target

    def _delete_quarantined(self, case_id: str, unless_owned_by_another: int | None = None) -> None:
        # Delete means deleted: a copy set aside is the case too. The id holds no glob characters.
        copies = list(self._quarantine_dir.glob(f"{check_case_id(case_id)}.*.json"))
        if unless_owned_by_another is not None:
            # A person's own data: copies of plans they own, or whose owner nobody can read any more.
            # Another family's plan set aside stays for the operator to repair (it is logged by id).
            kept = [c for c in copies if _stored_owner(c) not in (None, unless_owned_by_another)]
            if kept:
                log.warning("kept %d set-aside copies of plan %s: another person owns it", len(kept), case_id)
            copies = [c for c in copies if c not in kept]
        for copy in copies:
            copy.unlink(missing_ok=True)
        if copies:
            fsync_dir(self._quarantine_dir)

    def _rebuild_wake_index(self) -> None:
        """No complete index (an install from before it, or a rebuild cut short): read every case once."""
        self._wake.clear()
        case_ids = self.case_ids()
        for case_id in case_ids:
            case = self.load_case(case_id)  # an unreadable file is set aside here, at start-up
            wake = None if case is None else floor_seconds(next_wake(case))
            if wake is not None:
                # One directory fsync for all of them, in mark_built.
                self._wake.track(case_id, self._wake.create(case_id, wake, sync=False))
        self._wake.mark_built()
        log.info("rebuilt the wake index from %d case files", len(case_ids))

    def _chat_path(self, chat_id: int) -> Path:
        check_chat_id(chat_id)
        # Group chat ids are negative; a leading '-' in a file name trips up shell tools.
        sign = "n" if chat_id < 0 else "p"
        return self._chats_dir / f"{sign}{abs(chat_id)}.json"

    def _read_chat(self, chat_id: int) -> str | None:
        case_id = self._read_hint(self._chat_path(chat_id), CHAT_TABLE, "chat link", _linked_case)
        return case_id if isinstance(case_id, str) else None

    def _user_path(self, user_id: int) -> Path:
        if type(user_id) is not int or user_id <= 0:
            raise StorageError("user id must be a positive int")
        return self._users_dir / f"u{user_id}.json"

    def _read_user(self, user_id: int) -> set[str]:
        ids = self._read_hint(self._user_path(user_id), USER_TABLE, "user index", _user_case_ids)
        return ids or set()

    def _read_hint(self, path: Path, table: str, kind: str, parse: Callable[[Document], T]) -> T | None:
        """Read a chat or user file. These are hints that can be derived again, so a damaged one is
        deleted (and logged by kind only) instead of stopping whoever asked."""
        if not path.exists():
            return None
        try:
            with _open(path) as db:
                doc = db.table(table).get(doc_id=ONLY_DOC)
            return None if doc is None else parse(doc)
        except UNREADABLE as err:
            path.unlink(missing_ok=True)
            fsync_dir(path.parent)
            log.warning("dropped an unreadable %s (%s)", kind, type(err).__name__)
            return None

    def _edit_user(self, user_id: int, change: Callable[[set[str]], set[str]]) -> None:
        if user_id <= 0:
            return  # not a person (a test may use odd ids); people's ids are positive
        before = self._read_user(user_id)
        after = change(before)
        if after == before:
            return
        path = self._user_path(user_id)
        if not after:
            path.unlink(missing_ok=True)
            fsync_dir(self._users_dir)
            return
        with _open(path) as db:
            _put_only_doc(db.table(USER_TABLE), {SCHEMA_KEY: INDEX_SCHEMA, "case_ids": sorted(after)})

    def _remove_chat_file(self, chat_id: int) -> None:
        path = self._chat_path(chat_id)
        if path.exists():
            path.unlink()
            fsync_dir(self._chats_dir)

    def _drop_reverse_link(self, case_id: str, chat_id: int) -> None:
        if is_case_id(case_id) and self._case_path(case_id).exists():
            # "links" may be a superset, so a file that cannot be edited is left to be set aside when the
            # case is next loaded.
            with contextlib.suppress(*UNREADABLE):
                self._edit_links(case_id, lambda links: links.remove(Query().chat_id == chat_id))

    def _edit_links(self, case_id: str, edit: Callable[[Table], object]) -> None:
        with _open(self._case_path(case_id)) as db:
            edit(db.table(LINKS_TABLE))


def _acquire_lock(data_dir: Path) -> int:
    fd = os.open(data_dir / ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise StorageError(
            f"data directory {data_dir} is in use by another bot process; "
            "stop it first (two writers would overwrite each other's changes)"
        ) from None
    except BaseException:
        os.close(fd)
        raise
    return fd


def _open(path: Path) -> TinyDB:
    # Reading a missing file yields an empty database and creates nothing.
    return TinyDB(path, storage=AtomicJSONStorage)


def _read_case(path: Path, case_id: str) -> Case:
    """The case in `path`; raises one of UNREADABLE if the file is not a readable case `case_id`."""
    with _open(path) as db:
        doc = db.table(CASE_TABLE).get(doc_id=ONLY_DOC)
    if doc is None:
        raise StorageError(f"case file {case_id} holds no case")
    data = upgrade(doc)
    del data[SCHEMA_KEY]
    case = case_from_dict(data)
    if case.id != case_id:
        raise StorageError(f"case file {case_id} holds another case")
    return case


def _put_case_doc(path: Path, doc: dict[str, Any]) -> None:
    with _open(path) as db:
        _put_only_doc(db.table(CASE_TABLE), doc)


def _case_refs(path: Path) -> tuple[list[int], set[int]]:
    """The chats linked to a stored case and its members, for delete_case. An unreadable file names
    nothing we can trust: it is deleted all the same, and links to it are forgotten when next met."""
    if not path.exists():
        return [], set()
    try:
        with _open(path) as db:
            chat_ids = [_link_chat_id(d) for d in db.table(LINKS_TABLE).all()]
            stored = db.table(CASE_TABLE).get(doc_id=ONLY_DOC)
        return chat_ids, _member_ids(stored) if isinstance(stored, dict) else set()
    except UNREADABLE:
        return [], set()


def _stored_owner(path: Path) -> int | None:
    """The owner named in a stored (perhaps damaged) case file, or None if it cannot be read."""
    try:
        with _open(path) as db:
            stored = db.table(CASE_TABLE).get(doc_id=ONLY_DOC)
    except (*UNREADABLE, OSError):
        return None
    members = stored.get("members", []) if isinstance(stored, dict) else []
    owners = [
        m["user_id"]
        for m in members
        if isinstance(m, dict) and m.get("role") == "owner" and type(m.get("user_id")) is int
    ]
    return owners[0] if len(owners) == 1 else None


def _earlier(old: Entry | None, new: Entry) -> Entry:
    return new if old is None or new.seconds < old.seconds else old


def _quarantined_id(name: str) -> str | None:
    """The case id of a file in quarantine/ (`<case id>.<time>.json`), or None for anything else."""
    case_id, dot, rest = name.partition(".")
    if not dot or not rest.endswith(".json") or rest == "json":
        return None
    return case_id if is_case_id(case_id) else None


def _put_only_doc(table: Table, doc: dict[str, Any]) -> None:
    """Replace the table's single document in ONE storage write (truncate + insert would be two)."""

    def replace(stored: MutableMapping[str, Any]) -> None:
        stored.clear()
        stored.update(doc)

    if table.contains(doc_id=ONLY_DOC):
        table.update(replace, doc_ids=[ONLY_DOC])
    else:
        table.insert(Document(doc, doc_id=ONLY_DOC))


def _add_link(links: Table, chat_id: int) -> None:
    if not links.contains(Query().chat_id == chat_id):
        links.insert({SCHEMA_KEY: INDEX_SCHEMA, "chat_id": chat_id})


def _member_ids(doc: dict[str, Any]) -> set[int]:
    """User ids in a stored case document, read without decoding the whole case."""
    members = doc.get("members", [])
    return {m["user_id"] for m in members if isinstance(m, dict) and type(m.get("user_id")) is int}


def _link_chat_id(doc: Document) -> int:
    _check_index_schema(doc)
    return check_chat_id(doc["chat_id"])


def _linked_case(doc: Document) -> object:
    _check_index_schema(doc)
    return doc.get("case_id")


def _user_case_ids(doc: Document) -> set[str]:
    _check_index_schema(doc)
    ids = doc.get("case_ids", [])
    if not isinstance(ids, list):
        raise StorageError("user index without a list of cases")
    return {i for i in ids if is_case_id(i)}


def _check_index_schema(doc: Document) -> None:
    if doc.get(SCHEMA_KEY) != INDEX_SCHEMA:
        raise StorageError(f"chat link has unsupported schema (this bot reads {INDEX_SCHEMA})")
