"""What only the file-backed repository must do: private modes, atomic writes, cleanup, one process."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import AtomicJSONStorage, StorageError, TinyDBCaseRepository, ensure_private_dir
from tests.unit.storage_helpers import full_case, minimal_case

REPO_ROOT = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def restore_umask() -> Iterator[None]:
    old = os.umask(0)
    os.umask(old)
    yield
    os.umask(old)


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o277])
def test_files_are_0600_and_dirs_0700_whatever_the_umask(
    tmp_path: Path, restore_umask: None, mask: int
) -> None:
    os.umask(mask)
    data = tmp_path / "data"
    with TinyDBCaseRepository(data) as repo:
        repo.save_case(minimal_case())
        repo.link_chat(-100, "case_0001")
        repo.save_case(minimal_case())  # a rewrite goes through a new temp file
    for directory in (data, data / "cases", data / "chats", data / "users"):
        assert _mode(directory) == 0o700, directory
    files = [
        data / ".lock",
        data / "cases" / "case_0001.json",
        data / "chats" / "n100.json",
        data / "users" / "u1001.json",
    ]
    for file in files:
        assert _mode(file) == 0o600, file


def test_existing_open_data_dir_is_tightened_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    with caplog.at_level(logging.WARNING), TinyDBCaseRepository(data):
        pass
    assert _mode(data) == 0o700
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "0700" in caplog.records[0].getMessage()


def test_private_dir_gives_no_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        ensure_private_dir(tmp_path / "a" / "b")
        ensure_private_dir(tmp_path / "a" / "b")
    assert caplog.records == []
    assert _mode(tmp_path / "a" / "b") == 0o700


def test_leftover_temp_files_are_removed_on_start(tmp_path: Path) -> None:
    with TinyDBCaseRepository(tmp_path) as repo:
        repo.save_case(minimal_case())
    leftovers = [
        tmp_path / "cases" / ".case_0001.json.0123456789abcdef.tmp",
        tmp_path / "chats" / ".p5.json.fedcba9876543210.tmp",
    ]
    for path in leftovers:
        path.write_text('{"half": ')
    unrelated = tmp_path / "cases" / "notes.tmp"
    unrelated.write_text("not ours")
    with TinyDBCaseRepository(tmp_path) as repo:
        assert [p.exists() for p in leftovers] == [False, False]
        assert unrelated.exists()
        assert repo.load_case("case_0001") == minimal_case()


def test_second_repository_on_the_same_dir_is_refused(tmp_path: Path) -> None:
    first = TinyDBCaseRepository(tmp_path)
    with pytest.raises(StorageError, match="in use by another bot process"):
        TinyDBCaseRepository(tmp_path)
    first.close()
    with TinyDBCaseRepository(tmp_path) as again:
        assert again.count_cases() == 0


def test_another_process_is_refused_while_we_hold_the_lock(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom pathlib import Path\nfrom storage import TinyDBCaseRepository\n"
        "try:\n    TinyDBCaseRepository(Path(sys.argv[1]))\n"
        "except Exception as err:\n    print(type(err).__name__)\n"
    )
    with TinyDBCaseRepository(tmp_path):
        result = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path)],
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            timeout=30,
            check=True,
        )
    assert result.stdout.strip() == "StorageError"


def test_delete_leaves_nothing_of_the_case_on_disk(tmp_path: Path) -> None:
    case = full_case("case_secret")
    with TinyDBCaseRepository(tmp_path) as repo:
        repo.save_case(case)
        repo.save_case(minimal_case("case_other"))
        repo.link_chat(11, case.id)
        repo.link_chat(-12, case.id)
        repo.link_chat(13, "case_other")
        crashed_write = tmp_path / "cases" / f".{case.id}.json.0123456789abcdef.tmp"
        crashed_write.write_text(json.dumps({"id": case.id}))
        repo.delete_case(case.id)
        names = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
        assert names == [
            ".lock",
            "cases",
            "cases/case_other.json",
            "chats",
            "chats/p13.json",
            "quarantine",
            "users",
            "users/u1001.json",  # case_other's owner; the deleted case's members have no file left
            "wake",  # case_secret had a letter waiting: its entry went with it
            "wake/.built",
        ]
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert case.id.encode() not in path.read_bytes()


def test_dangling_link_gives_none_and_is_removed(tmp_path: Path) -> None:
    with TinyDBCaseRepository(tmp_path) as repo:
        repo.save_case(minimal_case())
        repo.link_chat(5, "case_0001")
        (tmp_path / "cases" / "case_0001.json").unlink()  # e.g. removed by hand
        assert repo.case_for_chat(5) is None
        assert not (tmp_path / "chats" / "p5.json").exists()


def test_saving_one_case_writes_only_its_file(tmp_path: Path) -> None:
    with TinyDBCaseRepository(tmp_path) as repo:
        repo.save_case(minimal_case("case_aaaa"))
        repo.save_case(minimal_case("case_bbbb"))
        other = tmp_path / "cases" / "case_bbbb.json"
        before = other.stat()
        repo.save_case(minimal_case("case_aaaa"))
        after = other.stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


# --- AtomicJSONStorage on its own ----------------------------------------------------------------


@pytest.mark.parametrize("content", [None, b"", b"  \n"], ids=["missing", "empty", "blank"])
def test_storage_reads_none_for_missing_or_empty_file(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "db.json"
    if content is not None:
        path.write_bytes(content)
    assert AtomicJSONStorage(path).read() is None
    assert path.exists() == (content is not None)  # reading creates nothing


def test_storage_write_then_read(tmp_path: Path) -> None:
    storage = AtomicJSONStorage(tmp_path / "db.json")
    storage.write({"t": {"1": {"name": "Zoë"}}})
    assert storage.read() == {"t": {"1": {"name": "Zoë"}}}
    assert [p.name for p in tmp_path.iterdir()] == ["db.json"]


def test_storage_failed_write_keeps_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = AtomicJSONStorage(tmp_path / "db.json")
    storage.write({"t": {"1": {"v": "old"}}})

    def failing_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        storage.write({"t": {"1": {"v": "new"}}})
    monkeypatch.undo()
    assert storage.read() == {"t": {"1": {"v": "old"}}}
    assert [p.name for p in tmp_path.iterdir()] == ["db.json"]


def test_storage_refuses_a_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "case_0001.json"
    path.write_text('{"case": {"1": {"id": "case_0')
    with pytest.raises(StorageError, match=r"unreadable database file case_0001\.json"):
        AtomicJSONStorage(path).read()
