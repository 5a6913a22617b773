"""DATABASE_URL: empty keeps plans in DATA_DIR (TinyDB, as before); set, plans go to PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings import SettingsError, load_settings
from storage.postgres_repo import PostgresCaseRepository
from storage.tinydb_repo import TinyDBCaseRepository
from tests.unit.factories import new_case
from wiring import open_repository


@pytest.mark.parametrize("value", ["", "   "])
def test_no_database_url_keeps_plans_in_files(tmp_path: Path, value: str) -> None:
    settings = load_settings({"DATA_DIR": str(tmp_path), "DATABASE_URL": value})
    assert settings.database_url is None
    repo = open_repository(settings)
    try:
        assert isinstance(repo, TinyDBCaseRepository)
        repo.save_case(new_case())
        assert (tmp_path / "cases" / "case-0001.json").exists()
    finally:
        repo.close()


@pytest.mark.parametrize("value", ["mysql://u:secret-pw@db/plans", "secret-pw", "sqlite:///x.db"])
def test_a_database_url_that_is_not_postgresql_is_refused_without_repeating_it(value: str) -> None:
    with pytest.raises(SettingsError, match="DATABASE_URL must start with postgresql://") as raised:
        load_settings({"DATABASE_URL": value})
    assert "secret-pw" not in str(raised.value)


def test_a_database_url_puts_plans_in_postgresql(tmp_path: Path, pg_url: str) -> None:
    settings = load_settings({"DATA_DIR": str(tmp_path / "unused"), "DATABASE_URL": pg_url})
    assert settings.database_url == pg_url
    repo = open_repository(settings)
    try:
        assert isinstance(repo, PostgresCaseRepository)
        repo.save_case(new_case())
        assert repo.case_ids() == ["case-0001"]
        assert not (tmp_path / "unused").exists()
    finally:
        repo.close()
