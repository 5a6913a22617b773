"""The PostgreSQL schema: plain SQL files in storage/sql/, applied in order at start.

`storage/sql/NNNN_name.sql` is schema version NNNN (from 0001, no gaps). `schema_version` records each one
applied. `apply` runs every missing file in ONE transaction, holding a transaction-level advisory lock, so
two workers that start together never both migrate: the second waits, then finds nothing left to do. A
database whose schema is newer than the files this bot has is refused, as a newer plan document is
(storage/migrations.py): an older bot must not write to a shape it does not know.

To change the schema: add the next file. Never edit one that has shipped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg

from storage.repository import StorageError

log = logging.getLogger(__name__)

SQL_DIR = Path(__file__).parent / "sql"
FILE_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# pg_advisory_xact_lock's key: any bigint, the same in every worker of this bot ("SOC" + 1).
LOCK_KEY = 0x534F_4301

CREATE_VERSION_TABLE = b"""
CREATE TABLE IF NOT EXISTS schema_version (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


@dataclass(frozen=True)
class Step:
    version: int
    name: str
    sql: bytes


def steps(directory: Path = SQL_DIR) -> list[Step]:
    """The schema files, in order; a stray name or a gap in the numbers is an error, not a skip."""
    found: list[Step] = []
    for path in sorted(directory.iterdir()):
        if path.suffix != ".sql":
            continue
        match = FILE_NAME.fullmatch(path.name)
        if match is None:
            raise StorageError(f"schema file {path.name} is not named NNNN_name.sql")
        found.append(Step(int(match[1]), path.name, path.read_bytes()))
    for expected, step in enumerate(found, start=1):
        if step.version != expected:
            raise StorageError(f"schema files skip from {expected - 1} to {step.version}")
    return found


def apply(conn: psycopg.Connection[tuple[object, ...]], directory: Path = SQL_DIR) -> list[int]:
    """Bring the database up to the newest schema file; the versions applied now (none: it was)."""
    wanted = steps(directory)
    newest = wanted[-1].version if wanted else 0
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        conn.execute(CREATE_VERSION_TABLE)
        applied = {int(str(row[0])) for row in conn.execute("SELECT version FROM schema_version")}
        if applied and max(applied) > newest:
            raise StorageError(
                f"the database has schema {max(applied)}, but this bot knows only up to {newest}: "
                "it was set up by a newer version; upgrade the bot instead"
            )
        done: list[int] = []
        for step in wanted:
            if step.version in applied:
                continue
            conn.execute(step.sql)
            conn.execute(
                "INSERT INTO schema_version (version, name) VALUES (%s, %s)", (step.version, step.name)
            )
            done.append(step.version)
    if done:
        log.info("database schema brought to version %d", newest)
    return done
