"""What only the PostgreSQL repository has: several workers on one database (the version check, and the
unit of work's retry that keeps both changes), its schema files, and plans set aside as rows.

The shared repository contract runs against it in test_storage_repository.py, test_storage_quarantine.py
and test_storage_wake.py. These tests skip where PostgreSQL is not installed (never in CI).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from journey.models import Case, Member, Note, Role
from service.work import Plans, Work
from storage import pg_schema
from storage.postgres_repo import PostgresCaseRepository
from storage.repository import Conflict, StorageError
from tests.postgres_cluster import MISSING, require
from tests.unit.factories import NOW, new_case
from tests.unit.storage_helpers import SECRET, minimal_case, spoil

PLAN = "case-0001"


@pytest.fixture
def two(pg_url: str) -> Iterator[tuple[PostgresCaseRepository, PostgresCaseRepository]]:
    """Two workers' repositories on one database."""
    first, second = PostgresCaseRepository(pg_url), PostgresCaseRepository(pg_url)
    yield first, second
    first.close()
    second.close()


def _rows(url: str, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query.encode()).fetchall()


# --- two workers, one plan --------------------------------------------------------------------------


def test_the_second_of_two_saves_from_the_same_load_is_refused_and_writes_nothing(
    two: tuple[PostgresCaseRepository, PostgresCaseRepository],
) -> None:
    first, second = two
    first.save_case(new_case(PLAN))
    mine, theirs = first.load_case(PLAN), second.load_case(PLAN)
    assert mine is not None and theirs is not None
    mine.first_plan = "saved first"
    theirs.profile.diagnosis = "saved second"
    first.save_case(mine)
    with pytest.raises(Conflict, match="saved by someone else"):
        second.save_case(theirs)
    stored = second.load_case(PLAN)
    assert stored is not None
    assert stored.first_plan == "saved first" and stored.profile.diagnosis is None
    # Loaded again, the second worker's change goes in on top of the first's.
    stored.profile.diagnosis = "saved second"
    second.save_case(stored)
    final = first.load_case(PLAN)
    assert final is not None and (final.first_plan, final.profile.diagnosis) == (
        "saved first",
        "saved second",
    )


def test_a_save_of_a_plan_deleted_meanwhile_is_refused_and_does_not_bring_it_back(
    two: tuple[PostgresCaseRepository, PostgresCaseRepository],
) -> None:
    first, second = two
    first.save_case(new_case(PLAN))
    theirs = second.load_case(PLAN)
    assert theirs is not None
    first.delete_case(PLAN)
    theirs.first_plan = "too late"
    with pytest.raises(Conflict, match="deleted"):
        second.save_case(theirs)
    assert first.load_case(PLAN) is None and first.count_cases() == 0


def test_saving_the_same_object_again_needs_no_new_load(pg_url: str) -> None:
    with PostgresCaseRepository(pg_url) as repo:
        case = new_case(PLAN)
        for n in range(3):
            case.first_plan = f"save {n}"
            repo.save_case(case)
        assert _rows(pg_url, "SELECT version FROM plans") == [(3,)]


async def test_two_workers_changing_one_plan_at_once_both_changes_are_kept(
    two: tuple[PostgresCaseRepository, PostgresCaseRepository],
) -> None:
    """Worker A loads the plan; before it saves, worker B (its own process: its own locks) loads, changes
    and saves it. A's save is refused, its unit of work runs again on B's plan, and both changes stay."""
    first, second = two
    first.save_case(new_case(PLAN))
    worker_a, worker_b = Plans(first, lambda: NOW), Plans(second, lambda: NOW)
    loop = asyncio.get_running_loop()
    tries: list[int] = []

    def b_adds_a_note(work: Work) -> None:
        assert work.case is not None
        work.case.notes.append(Note("n-b", "from worker B", NOW))
        work.save()

    def a_records_the_first_plan(work: Work) -> str:
        assert work.case is not None
        tries.append(len(work.case.notes))
        if len(tries) == 1:  # B gets in between A's load and A's save, once
            asyncio.run_coroutine_threadsafe(worker_b.run(PLAN, b_adds_a_note), loop).result(timeout=30)
        work.case.first_plan = "from worker A"
        work.save()
        return "shown"

    assert await worker_a.run(PLAN, a_records_the_first_plan) == "shown"
    assert tries == [0, 1]  # the second try saw B's note
    stored = second.load_case(PLAN)
    assert stored is not None
    assert stored.first_plan == "from worker A" and [n.id for n in stored.notes] == ["n-b"]


def test_many_threads_on_two_repositories_lose_no_change(
    two: tuple[PostgresCaseRepository, PostgresCaseRepository],
) -> None:
    """Load-change-save retried on Conflict, from 6 threads over two pools: every note arrives."""
    first, second = two
    first.save_case(new_case(PLAN))
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def work(worker: int) -> None:
        repo = (first, second)[worker % 2]
        try:
            start.wait()
            for n in range(10):
                while True:
                    case = repo.load_case(PLAN)
                    assert case is not None
                    case.notes.append(Note(f"n-{worker}-{n}", "x", NOW))
                    try:
                        repo.save_case(case)
                        break
                    except Conflict:
                        continue
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stored = first.load_case(PLAN)
    assert stored is not None and len(stored.notes) == 60


def test_a_plan_with_a_nul_character_is_refused_clearly_and_the_stored_one_stays(pg_url: str) -> None:
    """JSONB cannot hold U+0000 (the file store can; typed text never has one): a clear StorageError,
    nothing written, and the message does not quote the plan."""
    with PostgresCaseRepository(pg_url) as repo:
        case = new_case(PLAN)
        repo.save_case(case)
        case.first_plan = f"{SECRET}\x00"
        with pytest.raises(StorageError, match="NUL") as raised:
            repo.save_case(case)
        assert SECRET not in str(raised.value) and raised.value.__suppress_context__
        stored = repo.load_case(PLAN)
        assert stored is not None and stored.first_plan is None
        stored.first_plan = "fine"
        repo.save_case(stored)  # the version was not moved by the refused save


# --- the schema ---------------------------------------------------------------------------------------


def test_the_schema_is_applied_once_and_again_changes_nothing(pg_url: str) -> None:
    newest = pg_schema.steps()[-1].version
    with psycopg.connect(pg_url) as conn:
        assert pg_schema.apply(conn) == list(range(1, newest + 1))
        assert pg_schema.apply(conn) == []
    assert _rows(pg_url, "SELECT version FROM schema_version ORDER BY version") == [
        (v,) for v in range(1, newest + 1)
    ]
    with PostgresCaseRepository(pg_url) as repo:  # opening applies nothing new, and works
        repo.save_case(new_case(PLAN))
        assert repo.case_ids() == [PLAN]


def test_workers_starting_together_migrate_once(pg_url: str) -> None:
    done: list[list[int]] = []
    start = threading.Barrier(4)

    def migrate() -> None:
        with psycopg.connect(pg_url) as conn:
            start.wait()
            done.append(pg_schema.apply(conn))

    threads = [threading.Thread(target=migrate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    newest = pg_schema.steps()[-1].version
    assert sorted(done) == [[], [], [], list(range(1, newest + 1))]


def test_a_database_with_a_newer_schema_is_refused(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        pg_schema.apply(conn)
        conn.execute("INSERT INTO schema_version (version, name) VALUES (9999, '9999_future.sql')")
    with pytest.raises(StorageError, match="newer version"):
        PostgresCaseRepository(pg_url)


@pytest.mark.parametrize(
    ("names", "problem"),
    [(["0001_a.sql", "0003_c.sql"], "skip from 1 to 3"), (["0001_a.sql", "2_b.sql"], "NNNN_name")],
)
def test_schema_files_with_a_gap_or_a_stray_name_are_refused(
    tmp_path: Path, names: list[str], problem: str
) -> None:
    for name in names:
        (tmp_path / name).write_text("SELECT 1;")
    with pytest.raises(StorageError, match=problem):
        pg_schema.steps(tmp_path)


def test_an_unreachable_database_is_a_clear_error_without_the_address(tmp_path: Path) -> None:
    url = f"postgresql://someone:hunter2@/nowhere?host={tmp_path}&port=1&connect_timeout=1"
    with pytest.raises(StorageError, match="cannot reach the database") as raised:
        PostgresCaseRepository(url)
    assert "hunter2" not in str(raised.value) and str(tmp_path) not in str(raised.value)


# --- plans set aside ----------------------------------------------------------------------------------


def test_an_unreadable_body_is_moved_as_it_is_with_its_links(
    pg_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with PostgresCaseRepository(pg_url) as repo:
        repo.save_case(new_case(PLAN))
        repo.link_chat(5, PLAN)
        spoil(repo, tmp_path, PLAN)
        with caplog.at_level(logging.DEBUG):
            assert repo.load_case(PLAN) is None
        assert repo.quarantined() == [PLAN] and repo.case_ids() == []
        assert repo.linked_case_id(5) is None  # the link went with the row
    assert _rows(pg_url, "SELECT plan_id, body->'case'->'1'->>'diagnosis' FROM quarantine") == [
        (PLAN, SECRET)
    ]
    assert all(SECRET not in r.getMessage() for r in caplog.records)


def test_forgetting_a_person_deletes_the_copies_set_aside_that_named_them_and_no_owner(
    pg_url: str, tmp_path: Path
) -> None:
    mine, theirs = minimal_case("case_mine", owner=5), minimal_case("case_them", owner=6)
    theirs.members.append(Member(5, Role.EDITOR))
    with PostgresCaseRepository(pg_url) as repo:
        for case in (mine, theirs):
            repo.save_case(case)
            spoil(repo, tmp_path, case.id)
            repo.load_case(case.id)
        assert repo.quarantined() == ["case_mine", "case_them"]
        repo.forget_user(6)  # named only in the damaged copy of case_them, which 5 was in too: it goes
        assert repo.quarantined() == ["case_mine"]
        repo.forget_user(5)  # as in the file store: a copy whose owner cannot be read goes with any member
        assert repo.quarantined() == []


def test_forgetting_a_person_keeps_a_copy_aside_that_another_person_owns(pg_url: str) -> None:
    theirs: Case = minimal_case("case_them", owner=6)
    theirs.members.append(Member(5, Role.EDITOR))
    with PostgresCaseRepository(pg_url) as repo:
        repo.save_case(theirs)
        with psycopg.connect(pg_url) as conn:  # readable JSON, a known owner, but not a plan
            conn.execute("UPDATE plans SET body = body || '{\"extra\": 1}'::jsonb")
        assert repo.load_case("case_them") is None
        repo.forget_user(5)
        assert repo.quarantined() == ["case_them"]
        repo.forget_user(6)
        assert repo.quarantined() == []


# --- where PostgreSQL is missing ----------------------------------------------------------------------


def test_without_postgresql_the_tests_skip_and_say_how_to_install_it() -> None:
    with pytest.raises(pytest.skip.Exception, match="apt-get install postgresql"):
        require(None, {})
    assert "apt-get install postgresql" in MISSING


@pytest.mark.parametrize("ci", ["true", "1"])
def test_without_postgresql_in_ci_the_tests_fail(ci: str) -> None:
    with pytest.raises(pytest.fail.Exception, match="in CI they must run"):
        require(None, {"CI": ci})
    assert require(Path("/usr/lib/postgresql/15/bin"), {"CI": ci}) == Path("/usr/lib/postgresql/15/bin")
