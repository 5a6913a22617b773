"""CaseRepository on PostgreSQL (psycopg 3), chosen by DATABASE_URL; the schema is in storage/sql/.

A plan is a row of `plans`: its body is the file store's JSON document as JSONB (storage/codec.py, upgraded
on load by storage/migrations.py exactly as tinydb_repo.py does), beside a `version` that counts saves,
the members' ids (for cases_of_user) and the next wake time (the wake index, an indexed column). Chat links
are rows of `chat_links` that go with their plan (ON DELETE CASCADE). A body that cannot be read is moved
to `quarantine`, logged by id, and is from then on not there, as a damaged file is.

Two workers changing one plan never lose a change: save_case writes with
`UPDATE ... WHERE id = %s AND version = %s`, the version the plan object was loaded at. If someone else
saved (or deleted) the plan in between, nothing is written and `Conflict` is raised; the unit of work
(service/work.py) then loads the plan again and redoes the change. A Case object this repository never
loaded (a plan just created) has no version: saving it writes over whatever is stored, as the file
store does; new plans get fresh random ids, so two workers never create the same one.

Why a synchronous pool (psycopg_pool.ConnectionPool) and not the async one: the CaseRepository protocol is
synchronous, and the unit of work already calls it in worker threads (asyncio.to_thread) while holding the
plan's in-process lock, so the event loop never waits on the database either way. Each call borrows one
connection for one transaction; the pool is bounded (POOL_SIZE), so a burst of units of work queues for a
connection instead of opening hundreds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool, PoolTimeout

from journey.models import Case
from journey.wake import next_wake
from storage import pg_schema
from storage.pg_rows import UNREADABLE, Versions, decode, encode, stored_owner
from storage.repository import Conflict, StorageError, check_case_id, check_chat_id, is_case_id

log = logging.getLogger(__name__)

Connection = psycopg.Connection[tuple[object, ...]]
POOL_SIZE = 8
CONNECT_TIMEOUT = 30.0


class PostgresCaseRepository:
    """CaseRepository on PostgreSQL. Brings the schema up to date when opened; close() at shutdown."""

    shared = True  # several workers may write the same plans

    def __init__(self, url: str, *, pool_size: int = POOL_SIZE) -> None:
        self._url = url
        self._versions = Versions()
        self._closed = False
        try:
            # One plain connection first: a wrong URL or a database that is down fails here at once
            # (the pool would keep retrying), and the schema is brought up to date before any use.
            with psycopg.connect(url) as conn:
                pg_schema.apply(conn)
        except psycopg.OperationalError as err:
            # The type only: libpq's message may name the host and the user.
            raise StorageError(f"cannot reach the database in DATABASE_URL ({type(err).__name__})") from None
        self._pool: ConnectionPool[Connection] = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            open=False,
            check=ConnectionPool.check_connection,
            name="plans",
        )
        try:
            self._pool.open(wait=True, timeout=CONNECT_TIMEOUT)
        except PoolTimeout:
            self._pool.close()
            raise StorageError("cannot reach the database in DATABASE_URL (PoolTimeout)") from None

    @property
    def url(self) -> str:
        """The connection string it was opened with (for tools and tests; never logged)."""
        return self._url

    # --- CaseRepository -----------------------------------------------------------------------------

    def load_case(self, case_id: str) -> Case | None:
        with self._connection() as conn:
            if not is_case_id(case_id):
                return None
            row = conn.execute("SELECT version, body FROM plans WHERE id = %s", (case_id,)).fetchone()
            return None if row is None else self._decoded(conn, case_id, _int(row[0]), row[1])

    def save_case(self, case: Case) -> None:
        self._check_open()
        check_case_id(case.id)
        # Encode before touching the database: a case that cannot be stored leaves the old row as it was.
        body = Jsonb(encode(case))
        wake = next_wake(case)
        members = sorted({m.user_id for m in case.members})
        known = self._versions.of(case)
        try:
            version = self._write(case, body, members, wake, known)
        except psycopg.errors.UntranslatableCharacter:
            # JSONB cannot hold U+0000 (typed text never has it: journey/text.py drops control characters).
            # `from None`: the database's message quotes the body.
            raise StorageError("this plan holds a NUL character, which PostgreSQL cannot store") from None
        self._versions.remember(case, version)

    def _write(
        self, case: Case, body: Jsonb, members: list[int], wake: datetime | None, known: int | None
    ) -> int:
        """Insert or update the row in one transaction, checking the version; the version written."""
        with self._connection() as conn:
            row = conn.execute("SELECT version, body FROM plans WHERE id = %s", (case.id,)).fetchone()
            if row is not None and known is not None and _int(row[0]) != known:
                raise Conflict(f"plan {case.id} was saved by someone else since it was loaded")
            if row is None and known is not None:
                raise Conflict(f"plan {case.id} was deleted by someone else since it was loaded")
            if row is not None:
                stored = _int(row[0])
                try:
                    decode(row[1], case.id)
                except UNREADABLE as err:
                    self._set_aside(conn, case.id, stored, err)  # as on disk: set aside, not written over
                    row = None
            if row is None:
                version = 1 if known is None else known + 1
                inserted = conn.execute(
                    "INSERT INTO plans (id, version, body, member_ids, wake_at) VALUES (%s, %s, %s, %s, %s)"
                    " ON CONFLICT (id) DO NOTHING",
                    (case.id, version, body, members, wake),
                ).rowcount
                if inserted != 1:
                    raise Conflict(f"plan {case.id} was created by someone else at the same time")
            else:
                version = stored + 1
                updated = conn.execute(
                    "UPDATE plans SET version = %s, body = %s, member_ids = %s, wake_at = %s, saved_at = now()"
                    " WHERE id = %s AND version = %s",
                    (version, body, members, wake, case.id, stored),
                ).rowcount
                if updated != 1:
                    raise Conflict(f"plan {case.id} was saved by someone else since it was loaded")
        return version

    def delete_case(self, case_id: str) -> None:
        check_case_id(case_id)
        with self._connection() as conn:
            # Delete means deleted: copies set aside go too; chat links go with the row (ON DELETE CASCADE).
            conn.execute("DELETE FROM quarantine WHERE plan_id = %s", (case_id,))
            conn.execute("DELETE FROM plans WHERE id = %s", (case_id,))

    def link_chat(self, chat_id: int, case_id: str) -> None:
        check_chat_id(chat_id)
        check_case_id(case_id)
        # Loaded (not just looked up), so an unreadable plan is set aside here, as the file store does;
        # in a transaction of its own, so the set-aside stays when this refuses.
        if self.load_case(case_id) is None:
            raise StorageError("cannot link a chat to a case that does not exist")
        try:
            with self._connection() as conn:
                conn.execute(
                    "INSERT INTO chat_links (chat_id, plan_id) VALUES (%s, %s)"
                    " ON CONFLICT (chat_id) DO UPDATE SET plan_id = EXCLUDED.plan_id",
                    (chat_id, case_id),
                )
        except psycopg.errors.ForeignKeyViolation:
            raise StorageError("cannot link a chat to a case that does not exist") from None

    def unlink_chat(self, chat_id: int) -> None:
        check_chat_id(chat_id)
        with self._connection() as conn:
            conn.execute("DELETE FROM chat_links WHERE chat_id = %s", (chat_id,))

    def case_for_chat(self, chat_id: int) -> Case | None:
        check_chat_id(chat_id)
        with self._connection() as conn:
            row = conn.execute(
                "SELECT p.id, p.version, p.body FROM chat_links l JOIN plans p ON p.id = l.plan_id"
                " WHERE l.chat_id = %s",
                (chat_id,),
            ).fetchone()
            # A plan set aside takes its links with it, so a link never dangles here.
            return None if row is None else self._decoded(conn, str(row[0]), _int(row[1]), row[2])

    def linked_case_id(self, chat_id: int) -> str | None:
        check_chat_id(chat_id)
        with self._connection() as conn:
            row = conn.execute("SELECT plan_id FROM chat_links WHERE chat_id = %s", (chat_id,)).fetchone()
            return None if row is None else str(row[0])

    def cases_of_user(self, user_id: int) -> list[Case]:
        check_chat_id(user_id)
        with self._connection() as conn:
            rows = conn.execute(
                "SELECT id, version, body FROM plans WHERE member_ids @> ARRAY[%s]::bigint[]", (user_id,)
            ).fetchall()
            found = [self._decoded(conn, str(r[0]), _int(r[1]), r[2]) for r in rows]
        # The column is a copy of the body's members: membership is checked in the plan itself.
        mine = [c for c in found if c is not None and any(m.user_id == user_id for m in c.members)]
        return sorted(mine, key=lambda c: (c.created_at, c.id))

    def forget_user(self, user_id: int) -> None:
        check_chat_id(user_id)
        with self._connection() as conn:
            # Copies set aside of plans that are gone and named them: theirs, or with no owner we can read.
            # Another family's plan set aside stays for the operator to repair (logged by id).
            rows = conn.execute(
                "SELECT n, plan_id, body FROM quarantine q WHERE %s = ANY (q.member_ids)"
                " AND NOT EXISTS (SELECT 1 FROM plans p WHERE p.id = q.plan_id)",
                (user_id,),
            ).fetchall()
            kept = [r for r in rows if stored_owner(r[2]) not in (None, user_id)]
            for case_id in sorted({str(r[1]) for r in kept}):
                count = sum(1 for r in kept if r[1] == case_id)
                log.warning("kept %d set-aside copies of plan %s: another person owns it", count, case_id)
            gone = [_int(r[0]) for r in rows if r not in kept]
            conn.execute("DELETE FROM quarantine WHERE n = ANY (%s)", (gone,))
            conn.execute("DELETE FROM chat_links WHERE chat_id = %s", (user_id,))

    def count_cases(self) -> int:
        with self._connection() as conn:
            row = conn.execute("SELECT count(*) FROM plans").fetchone()
            return 0 if row is None else _int(row[0])

    def case_ids(self) -> list[str]:
        with self._connection() as conn:
            # Sorted here, not by the database's collation: the same order as the other stores.
            return sorted(str(row[0]) for row in conn.execute("SELECT id FROM plans"))

    def wake_index(self) -> list[tuple[str, datetime]]:
        with self._connection() as conn:
            rows = conn.execute("SELECT id, wake_at FROM plans WHERE wake_at IS NOT NULL").fetchall()
        index = [(str(r[0]), _utc(r[1])) for r in rows]
        return sorted(index, key=lambda item: (item[1], item[0]))

    # --- couriers of several workers (service/courier.py) -------------------------------------------

    def take_due(self, courier: str, now: datetime, until: datetime, limit: int) -> list[str]:
        """Plans due at `now` that no other courier is sending for, the longest due first, leased to
        `courier` until `until`. SKIP LOCKED: two workers asking at once get different plans, and neither
        waits. (The workers' clock, not the database's: reminders are timed by it too.)"""
        with self._connection() as conn:
            rows = conn.execute(
                "UPDATE plans SET courier = %(me)s, courier_until = %(until)s WHERE id IN ("
                " SELECT id FROM plans WHERE wake_at <= %(now)s"
                " AND (courier_until IS NULL OR courier_until < %(now)s OR courier = %(me)s)"
                " ORDER BY wake_at LIMIT %(limit)s FOR UPDATE SKIP LOCKED) RETURNING id, wake_at",
                {"me": courier, "now": now, "until": until, "limit": limit},
            ).fetchall()
        return [str(r[0]) for r in sorted(rows, key=lambda r: (_utc(r[1]), str(r[0])))]

    def lease(self, case_id: str, courier: str, now: datetime, until: datetime) -> bool:
        """Take or renew the plan's lease for `courier`; False while another courier's lease runs."""
        with self._connection() as conn:
            return (
                conn.execute(
                    "UPDATE plans SET courier = %s, courier_until = %s WHERE id = %s"
                    " AND (courier_until IS NULL OR courier_until < %s OR courier = %s)",
                    (courier, until, case_id, now, courier),
                ).rowcount
                == 1
            )

    def release(self, case_id: str, courier: str) -> None:
        with self._connection() as conn:
            conn.execute(
                "UPDATE plans SET courier = NULL, courier_until = NULL WHERE id = %s AND courier = %s",
                (case_id, courier),
            )

    def quarantined(self) -> list[str]:
        with self._connection() as conn:
            return sorted(str(row[0]) for row in conn.execute("SELECT DISTINCT plan_id FROM quarantine"))

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._pool.close()

    def __enter__(self) -> PostgresCaseRepository:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- helpers ------------------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise StorageError("repository is closed")

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        """One connection from the pool, one transaction: committed when the block ends, else rolled back."""
        self._check_open()
        with self._pool.connection() as conn:
            yield conn

    def _decoded(self, conn: Connection, case_id: str, version: int, body: object) -> Case | None:
        try:
            case = decode(body, case_id)
        except UNREADABLE as err:
            self._set_aside(conn, case_id, version, err)
            return None
        self._versions.remember(case, version)
        return case

    def _set_aside(self, conn: Connection, case_id: str, version: int, err: BaseException) -> None:
        """Move an unreadable plan to quarantine as it is (only the version read: a fresh save wins)."""
        conn.execute(
            "WITH gone AS (DELETE FROM plans WHERE id = %s AND version = %s RETURNING id, body, member_ids)"
            " INSERT INTO quarantine (plan_id, body, member_ids) SELECT id, body, member_ids FROM gone",
            (case_id, version),
        )
        # The id and the error's type only: its message, like the body, may carry health data.
        log.warning("set aside unreadable case %s (%s)", case_id, type(err).__name__)


def _int(value: object) -> int:
    if type(value) is not int:
        raise StorageError("the database returned a non-integer where an integer belongs")
    return value


def _utc(value: object) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise StorageError("the database returned a wake time without a time zone")
    return value.astimezone(UTC)
