"""The file-backed CaseRepository: one small TinyDB database per case, one per linked chat.

Layout under DATA_DIR (dirs 0700, files 0600):
    .lock                   flock'ed while a bot process uses the directory
    cases/<case_id>.json    table "case": the case (doc 1); table "links": chats that point at it
    chats/<p|n><id>.json    table "chat": {"case_id": ...} (n = negative id, for groups)
    users/u<id>.json        table "user": {"case_ids": [...]}: the cases a user is a member of

One file per case keeps a save at the same cost with 10 or 10,000 cases, and a crash can only ever touch
the one file being replaced (see atomic.py). The chat file is the source of truth for "which case does this
chat work on"; the case's "links" table is a reverse index kept as a superset of it (written before a chat
file is created, trimmed after one is removed) so delete_case finds every link without a scan.
The user files follow the same rule the other way round: the case's member list is the truth, a user
file is a superset of it (an id is added before the case naming them is written, dropped after), and
cases_of_user checks membership in each case it loads.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Document, Table

from journey.models import Case
from storage.atomic import (
    AtomicJSONStorage,
    ensure_private_dir,
    fsync_dir,
    remove_temp_files,
)
from storage.codec import case_from_dict, case_to_dict
from storage.migrations import CURRENT_SCHEMA, SCHEMA_KEY, upgrade
from storage.repository import StorageError, check_case_id, check_chat_id, is_case_id

CASE_TABLE = "case"
LINKS_TABLE = "links"
CHAT_TABLE = "chat"
USER_TABLE = "user"
# The only document in the "case" and "chat" tables.
ONLY_DOC = 1
# Chat and link documents are versioned apart from case documents: they change for other reasons.
INDEX_SCHEMA = 1


class TinyDBCaseRepository:
    """CaseRepository on files. Holds an exclusive lock on `data_dir` until close()."""

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = Path(data_dir)
        self._cases_dir = self._data_dir / "cases"
        self._chats_dir = self._data_dir / "chats"
        self._users_dir = self._data_dir / "users"
        self._mutex = threading.RLock()
        ensure_private_dir(self._data_dir)
        self._lock_fd: int | None = _acquire_lock(self._data_dir)
        try:
            for directory in (self._cases_dir, self._chats_dir, self._users_dir):
                ensure_private_dir(directory)
                # Safe only now: with the lock held, no other writer can own a temp file here.
                remove_temp_files(directory)
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
                return None
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

    def save_case(self, case: Case) -> None:
        with self._mutex:
            self._check_open()
            path = self._case_path(case.id)
            # Encode before touching the disk: a case that cannot be stored leaves the old file as it was.
            doc = {SCHEMA_KEY: CURRENT_SCHEMA, **case_to_dict(case)}
            members = {m.user_id for m in case.members}
            with _open(path) as db:
                table = db.table(CASE_TABLE)
                stored = table.get(doc_id=ONLY_DOC)
                was = _member_ids(stored) if isinstance(stored, dict) else set()
                # Superset order: name the case in a new member's file before the case names them.
                for user_id in members - was:
                    self._edit_user(user_id, lambda ids: ids | {case.id})
                _put_only_doc(table, doc)
            for user_id in was - members:
                self._edit_user(user_id, lambda ids: ids - {case.id})

    def delete_case(self, case_id: str) -> None:
        with self._mutex:
            self._check_open()
            path = self._case_path(case_id)
            members: set[int] = set()
            if path.exists():
                with _open(path) as db:
                    chat_ids = [_link_chat_id(d) for d in db.table(LINKS_TABLE).all()]
                    stored = db.table(CASE_TABLE).get(doc_id=ONLY_DOC)
                members = _member_ids(stored) if isinstance(stored, dict) else set()
                # Links first: a crash half-way leaves a case without links, never links without a case.
                for chat_id in chat_ids:
                    if self._read_chat(chat_id) == case_id:
                        self._chat_path(chat_id).unlink(missing_ok=True)
                fsync_dir(self._chats_dir)
            path.unlink(missing_ok=True)
            # A temp file from a write that crashed is a copy of the case too. The id is validated, so
            # it holds no glob characters.
            for leftover in self._cases_dir.glob(f".{path.name}.*.tmp"):
                leftover.unlink(missing_ok=True)
            fsync_dir(self._cases_dir)
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
            self._edit_links(case_id, lambda links: _add_link(links, chat_id))
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

    def cases_of_user(self, user_id: int) -> list[Case]:
        with self._mutex:
            self._check_open()
            found = [self.load_case(case_id) for case_id in sorted(self._read_user(user_id))]
            mine = [c for c in found if c is not None and any(m.user_id == user_id for m in c.members)]
            return sorted(mine, key=lambda c: (c.created_at, c.id))

    def count_cases(self) -> int:
        return len(self.case_ids())

    def case_ids(self) -> list[str]:
        with self._mutex:
            self._check_open()
            with os.scandir(self._cases_dir) as entries:
                names = [e.name.removesuffix(".json") for e in entries if e.name.endswith(".json")]
            return sorted(name for name in names if is_case_id(name))

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

    def _chat_path(self, chat_id: int) -> Path:
        check_chat_id(chat_id)
        # Group chat ids are negative; a leading '-' in a file name trips up shell tools.
        sign = "n" if chat_id < 0 else "p"
        return self._chats_dir / f"{sign}{abs(chat_id)}.json"

    def _read_chat(self, chat_id: int) -> str | None:
        path = self._chat_path(chat_id)
        if not path.exists():
            return None
        with _open(path) as db:
            doc = db.table(CHAT_TABLE).get(doc_id=ONLY_DOC)
        if doc is None:
            return None
        _check_index_schema(doc)
        case_id = doc.get("case_id")
        return case_id if isinstance(case_id, str) else None

    def _user_path(self, user_id: int) -> Path:
        if type(user_id) is not int or user_id <= 0:
            raise StorageError("user id must be a positive int")
        return self._users_dir / f"u{user_id}.json"

    def _read_user(self, user_id: int) -> set[str]:
        path = self._user_path(user_id)
        if not path.exists():
            return set()
        with _open(path) as db:
            doc = db.table(USER_TABLE).get(doc_id=ONLY_DOC)
        if doc is None:
            return set()
        _check_index_schema(doc)
        return {i for i in doc.get("case_ids", []) if is_case_id(i)}

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


def _check_index_schema(doc: Document) -> None:
    if doc.get(SCHEMA_KEY) != INDEX_SCHEMA:
        raise StorageError(f"chat link has unsupported schema (this bot reads {INDEX_SCHEMA})")
