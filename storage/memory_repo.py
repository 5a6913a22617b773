"""CaseRepository in memory, for tests. Behaves like the TinyDB one, minus the files.

Cases are kept as encoded JSON text, not as objects: every load builds a fresh Case, so code that changes a
case and forgets to save it fails its test here exactly as it would against files, and a case that could
not be encoded fails at save_case, as on disk.

Every public method holds one re-entrant lock, as the TinyDB repository does, so worker threads may share
an instance. The wake index keeps exact times (the file store floors them to the second).
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime

from journey.models import Case
from journey.wake import next_wake
from storage.codec import case_from_dict, case_to_dict
from storage.migrations import CURRENT_SCHEMA, SCHEMA_KEY, upgrade
from storage.repository import StorageError, check_case_id, check_chat_id, is_case_id

log = logging.getLogger(__name__)


class InMemoryCaseRepository:
    shared = False  # one process (tests may set it to play several workers on one store)

    def __init__(self) -> None:
        self._cases: dict[str, str] = {}
        self._chats: dict[int, str] = {}
        self._wake: dict[str, datetime] = {}
        self._corrupt: set[str] = set()
        self._quarantined: set[str] = set()
        self._mutex = threading.RLock()
        self._closed = False

    def load_case(self, case_id: str) -> Case | None:
        with self._mutex:
            self._check_open()
            if not is_case_id(case_id) or case_id not in self._cases:
                return None
            if case_id in self._corrupt:
                self._set_aside(case_id)
                return None
            data = upgrade(json.loads(self._cases[case_id]))
            del data[SCHEMA_KEY]
            return case_from_dict(data)

    def save_case(self, case: Case) -> None:
        with self._mutex:
            self._check_open()
            check_case_id(case.id)
            encoded = json.dumps({SCHEMA_KEY: CURRENT_SCHEMA, **case_to_dict(case)})
            if case.id in self._corrupt:
                self._set_aside(case.id)  # as on disk: an unreadable case is set aside, not written over
            self._cases[case.id] = encoded
            wake = next_wake(case)
            if wake is None:
                self._wake.pop(case.id, None)
            else:
                self._wake[case.id] = wake

    def delete_case(self, case_id: str) -> None:
        with self._mutex:
            self._check_open()
            check_case_id(case_id)
            self._cases.pop(case_id, None)
            self._wake.pop(case_id, None)
            self._corrupt.discard(case_id)
            self._quarantined.discard(case_id)  # delete means deleted, copies set aside included
            for chat_id in [c for c, linked in self._chats.items() if linked == case_id]:
                del self._chats[chat_id]

    def link_chat(self, chat_id: int, case_id: str) -> None:
        with self._mutex:
            self._check_open()
            check_chat_id(chat_id)
            check_case_id(case_id)
            if case_id in self._corrupt:
                self._set_aside(case_id)  # the file store finds out here, when it edits the case's links
            if case_id not in self._cases:
                raise StorageError("cannot link a chat to a case that does not exist")
            self._chats[chat_id] = case_id

    def unlink_chat(self, chat_id: int) -> None:
        with self._mutex:
            self._check_open()
            self._chats.pop(check_chat_id(chat_id), None)

    def case_for_chat(self, chat_id: int) -> Case | None:
        with self._mutex:
            self._check_open()
            case_id = self._chats.get(check_chat_id(chat_id))
            if case_id is None:
                return None
            case = self.load_case(case_id)
            if case is None:
                del self._chats[chat_id]  # dangling, as the file store forgets it
            return case

    def linked_case_id(self, chat_id: int) -> str | None:
        with self._mutex:
            self._check_open()
            return self._chats.get(check_chat_id(chat_id))

    def cases_of_user(self, user_id: int) -> list[Case]:
        with self._mutex:
            self._check_open()
            # A copy of the ids: loading may set a case aside, which removes it from the dict.
            found = [c for c in map(self.load_case, list(self._cases)) if c is not None]
            mine = [c for c in found if any(m.user_id == user_id for m in c.members)]
            return sorted(mine, key=lambda c: (c.created_at, c.id))

    def forget_user(self, user_id: int) -> None:
        """No index to forget here (cases_of_user scans), and copies set aside keep no content: only the
        private chat's link."""
        with self._mutex:
            self._check_open()
            self._chats.pop(check_chat_id(user_id), None)

    def count_cases(self) -> int:
        with self._mutex:
            self._check_open()
            return len(self._cases)

    def case_ids(self) -> list[str]:
        with self._mutex:
            self._check_open()
            return sorted(self._cases)

    def wake_index(self) -> list[tuple[str, datetime]]:
        with self._mutex:
            self._check_open()
            return sorted(self._wake.items(), key=lambda item: (item[1], item[0]))

    def quarantined(self) -> list[str]:
        with self._mutex:
            self._check_open()
            return sorted(self._quarantined)

    def corrupt(self, case_id: str) -> None:
        """Test helper: the stored case becomes unreadable, as a damaged file would be. Like the file
        store, the repository sets it aside the next time it meets it (a load, a save, a link)."""
        with self._mutex:
            self._check_open()
            if check_case_id(case_id) not in self._cases:
                raise StorageError("cannot corrupt a case that does not exist")
            self._corrupt.add(case_id)

    def close(self) -> None:
        with self._mutex:
            self._closed = True

    def _set_aside(self, case_id: str) -> None:
        self._cases.pop(case_id, None)
        self._wake.pop(case_id, None)
        self._corrupt.discard(case_id)
        self._quarantined.add(case_id)
        # The same record as the file store's, so shared tests can check the log.
        log.warning("set aside unreadable case file %s (%s)", case_id, StorageError.__name__)

    def _check_open(self) -> None:
        if self._closed:
            raise StorageError("repository is closed")
