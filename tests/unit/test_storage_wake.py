"""The wake index: each plan's next wake time, kept on every save and delete, read at start-up without
reading a plan. The shared tests compare times to the second (the file store floors them)."""

from __future__ import annotations

import logging
import os
import shutil
import stat
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import storage.tinydb_repo
from journey.models import Case, Letter, ReminderStatus
from journey.wake import next_wake
from storage import AtomicJSONStorage, CaseRepository, TinyDBCaseRepository
from storage.atomic import fsync_dir
from tests.unit.factories import NOW, new_case
from tests.unit.storage_helpers import REPO_KINDS, make_repo, pending, spoil

DAY = timedelta(days=1)
Index = list[tuple[str, datetime]]


@pytest.fixture(params=REPO_KINDS)
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CaseRepository]:
    repository = make_repo(request.param, tmp_path / "data", request)
    yield repository
    repository.close()


def _to_second(index: Index) -> Index:
    return [(case_id, when.replace(microsecond=0)) for case_id, when in index]


def _waiting(case_id: str, *due: datetime) -> Case:
    case = new_case(case_id)
    case.reminders = [pending(at, reminder_id=f"r-{n}") for n, at in enumerate(due)]
    return case


def _entries(data_dir: Path) -> list[str]:
    return sorted(p.name for p in (data_dir / "wake").iterdir())


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _secs(when: datetime) -> int:
    return int(when.timestamp() // 1)


# --- both repositories --------------------------------------------------------------------------------


def test_a_case_with_nothing_waiting_is_not_in_the_index(repo: CaseRepository) -> None:
    repo.save_case(new_case())
    assert repo.wake_index() == []


def test_save_indexes_the_earliest_pending_reminder(repo: CaseRepository) -> None:
    case = _waiting("case-0001", NOW + 2 * DAY, NOW + DAY, NOW - DAY)
    case.reminders[2].status = ReminderStatus.SENT  # done: never wakes anyone again
    repo.save_case(case)
    assert _to_second(repo.wake_index()) == [("case-0001", NOW + DAY)]


def test_a_letter_waiting_in_the_outbox_counts_too(repo: CaseRepository) -> None:
    case = _waiting("case-0001", NOW + DAY)
    case.outbox.append(Letter("l1", chat_id=222, text="news", created_at=NOW))
    repo.save_case(case)
    assert _to_second(repo.wake_index()) == [("case-0001", NOW)]


def test_a_change_of_reminders_moves_the_entry(repo: CaseRepository) -> None:
    case = _waiting("case-0001", NOW + DAY)
    repo.save_case(case)
    case.reminders.append(pending(NOW + timedelta(hours=1), reminder_id="r-soon"))
    repo.save_case(case)
    assert _to_second(repo.wake_index()) == [("case-0001", NOW + timedelta(hours=1))]
    case.reminders = [pending(NOW + 3 * DAY)]
    repo.save_case(case)
    assert _to_second(repo.wake_index()) == [("case-0001", NOW + 3 * DAY)]
    case.reminders[0].status = ReminderStatus.SENT
    repo.save_case(case)
    assert repo.wake_index() == []


def test_delete_removes_the_entry(repo: CaseRepository) -> None:
    repo.save_case(_waiting("case-0001", NOW))
    repo.save_case(_waiting("case-0002", NOW + DAY))
    repo.delete_case("case-0001")
    assert _to_second(repo.wake_index()) == [("case-0002", NOW + DAY)]
    repo.delete_case("case-0002")
    assert repo.wake_index() == []


def test_the_index_is_sorted_by_time_then_id(repo: CaseRepository) -> None:
    for case_id, due in [("case-bbbb", NOW + DAY), ("case-aaaa", NOW + DAY), ("case-cccc", NOW)]:
        repo.save_case(_waiting(case_id, due))
    assert _to_second(repo.wake_index()) == [
        ("case-cccc", NOW),
        ("case-aaaa", NOW + DAY),
        ("case-bbbb", NOW + DAY),
    ]


@pytest.mark.parametrize(
    "fraction", [timedelta(0), timedelta(microseconds=1), timedelta(microseconds=999_999)]
)
def test_an_entry_is_never_later_than_the_true_time(repo: CaseRepository, fraction: timedelta) -> None:
    due = NOW + fraction
    repo.save_case(_waiting("case-0001", due))
    [(_, when)] = repo.wake_index()
    assert when.tzinfo is not None
    assert due - timedelta(seconds=1) < when <= due


def test_a_case_set_aside_at_load_leaves_the_index(repo: CaseRepository, tmp_path: Path) -> None:
    repo.save_case(_waiting("case-0001", NOW))
    spoil(repo, tmp_path / "data", "case-0001")
    assert repo.load_case("case-0001") is None
    assert repo.wake_index() == []


# --- the folder of the file store ---------------------------------------------------------------------


@pytest.fixture
def restore_umask() -> Iterator[None]:
    old = os.umask(0)
    os.umask(old)
    yield
    os.umask(old)


def test_layout_one_empty_private_file_per_waiting_case(tmp_path: Path, restore_umask: None) -> None:
    os.umask(0o277)  # whatever the umask, entries are 0600 and the folder 0700
    due = NOW + timedelta(seconds=30, microseconds=900_000)
    with TinyDBCaseRepository(tmp_path) as repo:
        repo.save_case(_waiting("case-0001", due))
        repo.save_case(new_case("case-0002"))
    assert _entries(tmp_path) == [".built", f"{_secs(NOW) + 30}-case-0001"]
    assert _mode(tmp_path / "wake") == 0o700
    entry = tmp_path / "wake" / f"{_secs(NOW) + 30}-case-0001"
    assert entry.stat().st_size == 0 and _mode(entry) == 0o600


def test_the_index_survives_reopening(tmp_path: Path) -> None:
    with TinyDBCaseRepository(tmp_path) as repo:
        repo.save_case(_waiting("case-0001", NOW + DAY))
        repo.save_case(_waiting("case-0002", NOW))
        repo.save_case(new_case("case-0003"))
        before = repo.wake_index()
    with TinyDBCaseRepository(tmp_path) as repo:
        assert repo.wake_index() == before == [("case-0002", NOW), ("case-0001", NOW + DAY)]


def test_a_later_open_reads_no_case_file(tmp_path: Path) -> None:
    with TinyDBCaseRepository(tmp_path) as repo:
        repo.save_case(_waiting("case-0001", NOW))
    (tmp_path / "cases" / "case-0001.json").write_text("not json at all")
    with TinyDBCaseRepository(tmp_path) as repo:
        # Had the open read the case, it would have set it aside.
        assert repo.quarantined() == []
        assert repo.wake_index() == [("case-0001", NOW)]
        assert repo.load_case("case-0001") is None  # the courier's look at it sets it aside
        assert repo.wake_index() == []


def test_the_index_is_rebuilt_once_when_the_folder_is_missing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with TinyDBCaseRepository(tmp_path) as repo:
        repo.save_case(_waiting("case-0001", NOW + DAY))
        repo.save_case(_waiting("case-0002", NOW))
        repo.save_case(new_case("case-0003"))
        repo.save_case(_waiting("case-0004", NOW))
    shutil.rmtree(tmp_path / "wake")  # as an install from before the index left it
    (tmp_path / "cases" / "case-0004.json").write_text("{")
    with caplog.at_level(logging.INFO), TinyDBCaseRepository(tmp_path) as repo:
        assert repo.wake_index() == [("case-0002", NOW), ("case-0001", NOW + DAY)]
        assert repo.quarantined() == ["case-0004"]  # met while rebuilding, set aside at start-up
    assert _mode(tmp_path / "wake") == 0o700
    assert ".built" in _entries(tmp_path)
    rebuilt = [r.getMessage() for r in caplog.records if "rebuilt" in r.getMessage()]
    assert rebuilt == ["rebuilt the wake index from 4 case files"]
    caplog.clear()
    with caplog.at_level(logging.INFO), TinyDBCaseRepository(tmp_path) as repo:
        assert repo.wake_index() == [("case-0002", NOW), ("case-0001", NOW + DAY)]
    assert not any("rebuilt" in r.getMessage() for r in caplog.records)


def test_the_index_is_rebuilt_when_the_marker_is_missing(tmp_path: Path) -> None:
    with TinyDBCaseRepository(tmp_path) as repo:
        repo.save_case(_waiting("case-0001", NOW + DAY))
    # A rebuild cut short: some entries, possibly wrong ones, and no marker.
    (tmp_path / "wake" / ".built").unlink()
    (tmp_path / "wake" / f"{_secs(NOW) - 5}-case-0001").touch()
    (tmp_path / "wake" / f"{_secs(NOW)}-case-0009").touch()
    with TinyDBCaseRepository(tmp_path) as repo:
        assert repo.wake_index() == [("case-0001", NOW + DAY)]
    assert _entries(tmp_path) == [".built", f"{_secs(NOW + DAY)}-case-0001"]


def test_a_save_that_keeps_the_wake_time_touches_no_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wake_dir = tmp_path / "wake"
    with TinyDBCaseRepository(tmp_path) as repo:
        case = _waiting("case-0001", NOW + timedelta(microseconds=200))
        repo.save_case(case)
        before = (_entries(tmp_path), wake_dir.stat().st_mtime_ns)
        synced: list[Path] = []

        def counting_fsync(directory: Path) -> None:
            synced.append(directory)
            fsync_dir(directory)

        monkeypatch.setattr("storage.wake_files.fsync_dir", counting_fsync)
        case.profile.diagnosis = "an ordinary change"
        repo.save_case(case)
        case.reminders[0].due_at = NOW + timedelta(microseconds=900_000)  # the same second
        repo.save_case(case)
        assert (_entries(tmp_path), wake_dir.stat().st_mtime_ns) == before
        assert synced == []  # no extra fsync for the index


def test_a_new_entry_exists_before_the_case_is_written_and_the_old_goes_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = f"{_secs(NOW + DAY)}-case-0001", f"{_secs(NOW)}-case-0001"
    seen: list[list[str]] = []
    real_put = storage.tinydb_repo._put_case_doc

    def put(path: Path, doc: dict[str, object]) -> None:
        seen.append(_entries(tmp_path))
        real_put(path, doc)

    with TinyDBCaseRepository(tmp_path) as repo:
        case = _waiting("case-0001", NOW + DAY)
        repo.save_case(case)
        monkeypatch.setattr(storage.tinydb_repo, "_put_case_doc", put)
        case.reminders = [pending(NOW)]
        repo.save_case(case)
        case.reminders = []
        repo.save_case(case)
    assert seen == [[".built", new, old], [".built", new]]
    assert _entries(tmp_path) == [".built"]


@pytest.mark.parametrize("shift", [timedelta(hours=1), -timedelta(hours=1)], ids=["later", "earlier"])
def test_a_failed_write_leaves_an_entry_no_later_than_the_stored_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shift: timedelta
) -> None:
    def full_disk(self: AtomicJSONStorage, data: object) -> None:
        raise OSError("disk full")

    with TinyDBCaseRepository(tmp_path) as repo:
        case = _waiting("case-0001", NOW)
        repo.save_case(case)
        monkeypatch.setattr(AtomicJSONStorage, "write", full_disk)
        case.reminders = [pending(NOW + shift)]
        with pytest.raises(OSError, match="disk full"):
            repo.save_case(case)
        monkeypatch.undo()
        stored = repo.load_case("case-0001")
        assert stored is not None
        truth = next_wake(stored)
        assert truth is not None
        [(_, when)] = repo.wake_index()
        assert when <= truth
    with TinyDBCaseRepository(tmp_path) as repo:
        [(_, when)] = repo.wake_index()
        assert when <= truth


def test_stray_files_and_duplicates_are_tidied_at_open(tmp_path: Path) -> None:
    with TinyDBCaseRepository(tmp_path) as repo:
        repo.save_case(_waiting("case-0001", NOW))
    wake = tmp_path / "wake"
    strays = ["garbage", ".x.0123456789abcdef.tmp", "12x-case-0001", "99-bad", "9999999999999-case-0001"]
    for name in strays:
        (wake / name).touch()
    (wake / f"{_secs(NOW) + 60}-case-0001").touch()  # a crash between creating one entry and removing one
    (wake / "keep-me").mkdir()  # not ours to remove
    with TinyDBCaseRepository(tmp_path) as repo:
        assert repo.wake_index() == [("case-0001", NOW)]  # the earlier one, never late
    assert _entries(tmp_path) == [".built", f"{_secs(NOW)}-case-0001", "keep-me"]


def test_an_entry_for_a_case_never_written_goes_when_it_is_looked_up(tmp_path: Path) -> None:
    with TinyDBCaseRepository(tmp_path):
        pass
    (tmp_path / "wake" / f"{_secs(NOW)}-case-gone1").touch()  # a crash before the first write
    with TinyDBCaseRepository(tmp_path) as repo:
        assert repo.wake_index() == [("case-gone1", NOW)]  # harmless: whoever looks finds nothing
        assert repo.load_case("case-gone1") is None
        assert repo.wake_index() == []
    assert _entries(tmp_path) == [".built"]
