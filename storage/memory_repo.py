"""CaseRepository in memory, for tests. Behaves like the TinyDB one, minus the files.

Cases are kept as encoded JSON text, not as objects: every load builds a fresh Case, so code that changes a
case and forgets to save it fails its test here exactly as it would against files, and a case that could
not be encoded fails at save_case, as on disk.
"""

from __future__ import annotations

import json

from journey.models import Case
from storage.codec import case_from_dict, case_to_dict
from storage.migrations import CURRENT_SCHEMA, SCHEMA_KEY, upgrade
from storage.repository import StorageError, check_case_id, check_chat_id, is_case_id


class InMemoryCaseRepository:
    def __init__(self) -> None:
        self._cases: dict[str, str] = {}
        self._chats: dict[int, str] = {}
        self._closed = False

    def load_case(self, case_id: str) -> Case | None:
        self._check_open()
        if not is_case_id(case_id) or case_id not in self._cases:
            return None
        data = upgrade(json.loads(self._cases[case_id]))
        del data[SCHEMA_KEY]
        return case_from_dict(data)

    def save_case(self, case: Case) -> None:
        self._check_open()
        check_case_id(case.id)
        self._cases[case.id] = json.dumps({SCHEMA_KEY: CURRENT_SCHEMA, **case_to_dict(case)})

    def delete_case(self, case_id: str) -> None:
        self._check_open()
        check_case_id(case_id)
        self._cases.pop(case_id, None)
        for chat_id in [c for c, linked in self._chats.items() if linked == case_id]:
            del self._chats[chat_id]

    def link_chat(self, chat_id: int, case_id: str) -> None:
        self._check_open()
        check_chat_id(chat_id)
        check_case_id(case_id)
        if case_id not in self._cases:
            raise StorageError("cannot link a chat to a case that does not exist")
        self._chats[chat_id] = case_id

    def unlink_chat(self, chat_id: int) -> None:
        self._check_open()
        self._chats.pop(check_chat_id(chat_id), None)

    def case_for_chat(self, chat_id: int) -> Case | None:
        self._check_open()
        case_id = self._chats.get(check_chat_id(chat_id))
        return None if case_id is None else self.load_case(case_id)

    def cases_of_user(self, user_id: int) -> list[Case]:
        self._check_open()
        found = [c for c in map(self.load_case, self._cases) if c is not None]
        mine = [c for c in found if any(m.user_id == user_id for m in c.members)]
        return sorted(mine, key=lambda c: (c.created_at, c.id))

    def count_cases(self) -> int:
        self._check_open()
        return len(self._cases)

    def case_ids(self) -> list[str]:
        self._check_open()
        return sorted(self._cases)

    def close(self) -> None:
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise StorageError("repository is closed")
