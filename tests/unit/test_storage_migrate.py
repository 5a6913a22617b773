"""`python -m storage.migrate`: an install in DATA_DIR copied to PostgreSQL, then checked."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from journey.models import Member, Role
from storage import migrate
from storage.postgres_repo import PostgresCaseRepository
from storage.tinydb_repo import TinyDBCaseRepository
from tests.unit.factories import NOW
from tests.unit.storage_helpers import full_case, minimal_case, pending

PLANS = ["case_0001", "case_0002", "case_full_01"]


def _install(data_dir: Path) -> None:
    """An install as the bot leaves it: plans (one with everything set, one waiting), chat links."""
    with TinyDBCaseRepository(data_dir) as repo:
        repo.save_case(full_case())
        one = minimal_case("case_0001", owner=1001)
        one.members.append(Member(1002, Role.EDITOR))
        one.reminders.append(pending(NOW + timedelta(days=2, microseconds=5)))
        repo.save_case(one)
        repo.save_case(minimal_case("case_0002", owner=1003))
        for chat, plan in [
            (1001, "case_0001"),
            (1002, "case_0001"),
            (-100123, "case_full_01"),
            (1003, "case_0002"),
        ]:
            repo.link_chat(chat, plan)


def _run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = migrate.main(list(args), out)
    return code, out.getvalue()


def test_an_install_is_copied_and_checked(tmp_path: Path, pg_url: str) -> None:
    _install(tmp_path)
    code, report = _run("--from", str(tmp_path), "--to", pg_url)
    assert code == 0, report
    assert "plans:      3" in report and "chat links: 4" in report and "waiting to wake: 2" in report
    assert report.rstrip().endswith("OK: the database holds the same plans and links")
    with TinyDBCaseRepository(tmp_path) as files, PostgresCaseRepository(pg_url) as rows:
        assert rows.case_ids() == PLANS
        for plan in PLANS:
            assert rows.load_case(plan) == files.load_case(plan)
        assert [c.id for c in rows.cases_of_user(1002)] == ["case_0001"]
        assert rows.linked_case_id(-100123) == "case_full_01"
        # The same plans waiting; the database keeps the exact time, the files whole seconds.
        assert [i for i, _ in rows.wake_index()] == [i for i, _ in files.wake_index()]
        assert ("case_0001", NOW + timedelta(days=2, microseconds=5)) in rows.wake_index()


def test_a_plan_changed_in_the_database_after_the_copy_fails_the_check(tmp_path: Path, pg_url: str) -> None:
    _install(tmp_path)
    assert _run("--from", str(tmp_path), "--to", pg_url)[0] == 0
    with psycopg.connect(pg_url) as conn:
        conn.execute(
            "UPDATE plans SET body = jsonb_set(body, '{first_plan}', '\"edited\"') WHERE id = 'case_0002'"
        )
        conn.execute("DELETE FROM chat_links WHERE chat_id = 1003")
    code, report = _run("--from", str(tmp_path), "--to", pg_url, "--check")
    assert code == 1
    assert "MISMATCH plans that differ (1): case_0002" in report
    assert "MISMATCH chat links that differ (1): 1003" in report
    assert report.rstrip().endswith("FAILED")


def test_a_database_that_already_holds_plans_is_refused(tmp_path: Path, pg_url: str) -> None:
    _install(tmp_path)
    with PostgresCaseRepository(pg_url) as rows:
        rows.save_case(minimal_case("case_9999"))
    code, report = _run("--from", str(tmp_path), "--to", pg_url)
    assert code == 2 and "already holds 1 plans" in report
    with PostgresCaseRepository(pg_url) as rows:
        assert rows.case_ids() == ["case_9999"]


def test_an_unreadable_plan_file_is_set_aside_and_named_not_copied(tmp_path: Path, pg_url: str) -> None:
    _install(tmp_path)
    (tmp_path / "cases" / "case_0002.json").write_text("{not json")
    code, report = _run("--from", str(tmp_path), "--to", pg_url)
    assert code == 0, report
    assert "set aside in DATA_DIR, not copied: case_0002" in report and "plans:      2" in report


def test_a_running_bot_s_folder_is_refused(tmp_path: Path, pg_url: str) -> None:
    _install(tmp_path)
    with TinyDBCaseRepository(tmp_path):  # the bot holds DATA_DIR
        code, report = _run("--from", str(tmp_path), "--to", pg_url)
    assert code == 2 and "in use by another bot process" in report


def test_a_folder_that_is_no_install_is_refused(tmp_path: Path) -> None:
    code, report = _run("--from", str(tmp_path / "nothing"), "--to", "postgresql:///x")
    assert code == 2 and "is it the bot's DATA_DIR?" in report


@pytest.mark.timeout(120)
def test_it_runs_as_a_module(tmp_path: Path, pg_url: str) -> None:
    _install(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "storage.migrate", "--from", str(tmp_path), "--to", pg_url],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: the database holds the same plans and links" in done.stdout
