"""Where cases live: the CaseRepository interface and its file and in-memory implementations (the
PostgreSQL one is storage.postgres_repo, imported only when DATABASE_URL asks for it, so psycopg is not
loaded otherwise)."""

from storage.atomic import AtomicJSONStorage, ensure_private_dir
from storage.codec import case_from_dict, case_to_dict
from storage.memory_repo import InMemoryCaseRepository
from storage.migrations import CURRENT_SCHEMA, MIGRATIONS, upgrade
from storage.repository import CaseRepository, StorageError, check_case_id, check_chat_id
from storage.tinydb_repo import TinyDBCaseRepository

__all__ = [
    "CURRENT_SCHEMA",
    "MIGRATIONS",
    "AtomicJSONStorage",
    "CaseRepository",
    "InMemoryCaseRepository",
    "StorageError",
    "TinyDBCaseRepository",
    "case_from_dict",
    "case_to_dict",
    "check_case_id",
    "check_chat_id",
    "ensure_private_dir",
    "upgrade",
]
