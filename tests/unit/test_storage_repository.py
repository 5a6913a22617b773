"""What every CaseRepository must do. Each test runs against the TinyDB, the in-memory and the PostgreSQL
one (where PostgreSQL is installed)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from journey.models import Candidate, Case, Member, Role
from storage import (
    CaseRepository,
    InMemoryCaseRepository,
    StorageError,
    TinyDBCaseRepository,
)
from tests.unit.storage_helpers import REPO_KINDS, full_case, make_repo, minimal_case


@pytest.fixture(params=REPO_KINDS)
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CaseRepository]:
    repository = make_repo(request.param, tmp_path / "data", request)
    yield repository
    repository.close()


def _files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_save_then_load_gives_an_equal_case(repo: CaseRepository) -> None:
    case = full_case()
    repo.save_case(case)
    assert repo.load_case(case.id) == case


def test_saving_again_replaces_the_case(repo: CaseRepository) -> None:
    case = full_case()
    repo.save_case(case)
    case.profile.diagnosis = None
    case.specialist.candidates = [Candidate("c9", "Dr. Z")]
    repo.save_case(case)
    loaded = repo.load_case(case.id)
    assert loaded is not None
    assert loaded.profile.diagnosis is None
    assert [c.id for c in loaded.specialist.candidates] == ["c9"]
    assert repo.count_cases() == 1


def test_loaded_case_is_a_copy_so_unsaved_changes_are_lost(repo: CaseRepository) -> None:
    case = minimal_case()
    repo.save_case(case)
    case.profile.diagnosis = "changed after save"
    first = repo.load_case(case.id)
    assert first is not None and first.profile.diagnosis is None
    first.profile.diagnosis = "changed but never saved"
    second = repo.load_case(case.id)
    assert second is not None and second.profile.diagnosis is None
    assert first is not second


def test_unknown_id_gives_none(repo: CaseRepository) -> None:
    assert repo.load_case("nosuchcase") is None


@pytest.mark.parametrize(
    "bad_id", ["../../etc/passwd", "../data_x", "a/b/c/d/e", "short", "x" * 33, "", "ok_id\n", "ü_case"]
)
def test_malformed_id_is_refused_and_touches_no_file(
    repo: CaseRepository, tmp_path: Path, bad_id: str
) -> None:
    before = _files_under(tmp_path)
    assert repo.load_case(bad_id) is None
    with pytest.raises(StorageError, match="malformed case id"):
        repo.save_case(minimal_case(bad_id))
    with pytest.raises(StorageError, match="malformed case id"):
        repo.delete_case(bad_id)
    with pytest.raises(StorageError, match="malformed case id"):
        repo.link_chat(5, bad_id)
    assert _files_under(tmp_path) == before


def test_count_cases_and_case_ids(repo: CaseRepository) -> None:
    assert repo.count_cases() == 0 and repo.case_ids() == []
    for n in (2, 0, 1):
        repo.save_case(minimal_case(f"case_000{n}"))
    assert repo.count_cases() == 3
    assert repo.case_ids() == ["case_0000", "case_0001", "case_0002"]
    repo.delete_case("case_0001")
    assert repo.case_ids() == ["case_0000", "case_0002"]


@pytest.mark.parametrize("chat_id", [1001, -1001234567890, 0])
def test_link_and_case_for_chat(repo: CaseRepository, chat_id: int) -> None:
    case = full_case()
    repo.save_case(case)
    assert repo.case_for_chat(chat_id) is None
    assert repo.linked_case_id(chat_id) is None
    repo.link_chat(chat_id, case.id)
    assert repo.case_for_chat(chat_id) == case
    assert repo.linked_case_id(chat_id) == case.id  # the link alone, without loading the case
    assert repo.case_for_chat(-chat_id if chat_id else 1) is None


def test_relinking_a_chat_moves_it(repo: CaseRepository) -> None:
    repo.save_case(minimal_case("case_aaaa"))
    repo.save_case(minimal_case("case_bbbb"))
    repo.link_chat(7, "case_aaaa")
    repo.link_chat(7, "case_bbbb")
    found = repo.case_for_chat(7)
    assert found is not None and found.id == "case_bbbb"
    # The old case no longer claims the chat: deleting it leaves the new link alone.
    repo.delete_case("case_aaaa")
    found = repo.case_for_chat(7)
    assert found is not None and found.id == "case_bbbb"


def test_unlink_chat(repo: CaseRepository) -> None:
    repo.save_case(minimal_case())
    repo.link_chat(1, "case_0001")
    repo.link_chat(2, "case_0001")
    repo.unlink_chat(1)
    repo.unlink_chat(1)  # twice is fine
    repo.unlink_chat(999)  # never linked is fine
    assert repo.case_for_chat(1) is None
    found = repo.case_for_chat(2)
    assert found is not None and found.id == "case_0001"


def test_link_to_a_missing_case_is_refused(repo: CaseRepository) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        repo.link_chat(1, "nosuchcase")
    assert repo.case_for_chat(1) is None


def test_bool_chat_id_is_refused(repo: CaseRepository) -> None:
    repo.save_case(minimal_case())
    with pytest.raises(StorageError, match="chat id"):
        repo.link_chat(True, "case_0001")


def test_delete_removes_the_case_and_every_link(repo: CaseRepository) -> None:
    repo.save_case(minimal_case("case_gone"))
    repo.save_case(minimal_case("case_kept"))
    for chat in (1, -2, 3):
        repo.link_chat(chat, "case_gone")
    repo.link_chat(4, "case_kept")
    repo.delete_case("case_gone")
    assert repo.load_case("case_gone") is None
    assert [repo.case_for_chat(c) for c in (1, -2, 3)] == [None, None, None]
    kept = repo.case_for_chat(4)
    assert kept is not None and kept.id == "case_kept"
    assert repo.count_cases() == 1
    repo.delete_case("case_gone")  # deleting again is a no-op


def test_closed_repository_refuses_work(repo: CaseRepository) -> None:
    repo.close()
    with pytest.raises(StorageError, match="closed"):
        repo.load_case("case_0001")
    with pytest.raises(StorageError, match="closed"):
        repo.save_case(minimal_case())


def test_case_that_cannot_be_encoded_leaves_the_stored_one(repo: CaseRepository) -> None:
    case = minimal_case()
    repo.save_case(case)
    broken: Case = minimal_case()
    broken.profile.diagnosis = "new"
    broken.updated_at = broken.updated_at.replace(tzinfo=None)
    with pytest.raises(StorageError, match="time zone"):
        repo.save_case(broken)
    assert repo.load_case(case.id) == case


def _ids(cases: list[Case]) -> list[str]:
    return [c.id for c in cases]


def test_cases_of_user_follows_membership(repo: CaseRepository) -> None:
    """A helper in two families' plans sees both; taken off one, or that one deleted, they see one."""
    mum = minimal_case("case_mum", owner=1)
    dad = minimal_case("case_dad", owner=2)
    for case in (mum, dad):
        case.members.append(Member(7, Role.EDITOR))
        repo.save_case(case)
    assert _ids(repo.cases_of_user(7)) == ["case_dad", "case_mum"]  # same created_at: by id
    assert _ids(repo.cases_of_user(1)) == ["case_mum"]
    mum.members = [m for m in mum.members if m.user_id != 7]
    repo.save_case(mum)
    assert _ids(repo.cases_of_user(7)) == ["case_dad"]
    repo.delete_case("case_dad")
    assert repo.cases_of_user(7) == [] and repo.cases_of_user(2) == []
    assert _ids(repo.cases_of_user(1)) == ["case_mum"]


def test_cases_of_user_never_lists_a_case_they_are_not_in(tmp_path: Path) -> None:
    """The user file is only an index: a stale entry (e.g. a crash after the case was saved) is ignored."""
    with TinyDBCaseRepository(tmp_path) as repo:
        repo.save_case(minimal_case("case_one", owner=5))
        index = tmp_path / "users" / "u5.json"
        repo.save_case(minimal_case("case_two", owner=6))
        # As if the process died between writing the index and writing case_two without user 5.
        index.write_text(index.read_text().replace('"case_one"', '"case_one", "case_two"'))
        assert _ids(repo.cases_of_user(5)) == ["case_one"]


def test_memory_repository_can_be_shared_by_threads() -> None:
    """The bot calls repositories from worker threads: concurrent saves, loads and listings stay whole."""
    repo = InMemoryCaseRepository()
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def work(worker: int) -> None:
        try:
            start.wait()
            for n in range(60):
                case = minimal_case(f"case_{worker}_{n:04d}", owner=7)
                repo.save_case(case)
                assert repo.load_case(case.id) == case
                if n % 2:
                    repo.delete_case(case.id)
                if n % 10 == 0:
                    assert all(c.id.startswith("case_") for c in repo.cases_of_user(7))
                    repo.wake_index()
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert repo.count_cases() == 6 * 30 == len(repo.case_ids())
