"""A stored case that cannot be read is set aside, not fatal: the bot starts, and everyone else is served.

The shared tests run against both repositories (the in-memory one damages a case with `corrupt`); the
rest put real damaged files in DATA_DIR.
"""

from __future__ import annotations

import json
import logging
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from journey.models import Case
from storage import CURRENT_SCHEMA, CaseRepository, InMemoryCaseRepository, StorageError, TinyDBCaseRepository
from tests.unit.factories import NOW, OWNER, new_case
from tests.unit.storage_helpers import REPO_KINDS, SECRET, make_repo, pending, spoil

BAD = "case-0001"
GOOD = "case-0002"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture(params=REPO_KINDS)
def repo(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[CaseRepository]:
    repository = make_repo(request.param, data_dir, request)
    yield repository
    repository.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _save_two(repo: CaseRepository) -> tuple[Case, Case]:
    bad, good = new_case(BAD), new_case(GOOD)
    for case in (bad, good):
        repo.save_case(case)
    return bad, good


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def _no_secret_logged(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert record.exc_info is None  # a traceback would carry the error's message


# --- both repositories --------------------------------------------------------------------------------


def test_an_unreadable_case_is_set_aside_and_the_others_still_load(
    repo: CaseRepository, data_dir: Path
) -> None:
    _, good = _save_two(repo)
    spoil(repo, data_dir, BAD)
    assert repo.load_case(BAD) is None
    assert repo.quarantined() == [BAD]
    assert repo.case_ids() == [GOOD] and repo.count_cases() == 1
    assert repo.load_case(GOOD) == good
    assert repo.load_case(BAD) is None  # and stays gone, set aside once
    assert repo.quarantined() == [BAD]


def test_the_log_names_the_case_and_the_error_type_only(
    repo: CaseRepository, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _save_two(repo)
    spoil(repo, data_dir, BAD)
    with caplog.at_level(logging.DEBUG):
        repo.load_case(BAD)
    [message] = _warnings(caplog)
    assert BAD in message and "(StorageError)" in message
    _no_secret_logged(caplog)


def test_case_for_chat_skips_a_case_set_aside_and_forgets_the_link(
    repo: CaseRepository, data_dir: Path
) -> None:
    _, good = _save_two(repo)
    repo.link_chat(5, BAD)
    repo.link_chat(6, GOOD)
    spoil(repo, data_dir, BAD)
    assert repo.case_for_chat(5) is None
    assert repo.case_for_chat(6) == good
    assert repo.quarantined() == [BAD]
    repo.link_chat(5, GOOD)  # the chat can move on to another plan
    assert repo.case_for_chat(5) == good


def test_cases_of_user_skips_a_case_set_aside(repo: CaseRepository, data_dir: Path) -> None:
    _, good = _save_two(repo)
    spoil(repo, data_dir, BAD)
    assert repo.cases_of_user(OWNER) == [good]
    assert repo.quarantined() == [BAD]


def test_delete_removes_the_copy_set_aside(repo: CaseRepository, data_dir: Path) -> None:
    _save_two(repo)
    spoil(repo, data_dir, BAD)
    assert repo.load_case(BAD) is None
    repo.delete_case(BAD)
    assert repo.quarantined() == []
    assert repo.case_ids() == [GOOD]


def test_a_case_set_aside_leaves_the_wake_index(repo: CaseRepository, data_dir: Path) -> None:
    bad, good = new_case(BAD), new_case(GOOD)
    for case in (bad, good):
        case.reminders.append(pending(NOW))
        repo.save_case(case)
    spoil(repo, data_dir, BAD)
    repo.load_case(BAD)
    assert [case_id for case_id, _ in repo.wake_index()] == [GOOD]


def test_saving_over_an_unreadable_case_keeps_the_old_copy_aside(
    repo: CaseRepository, data_dir: Path
) -> None:
    bad, _ = _save_two(repo)
    spoil(repo, data_dir, BAD)
    bad.profile.diagnosis = "written again"
    repo.save_case(bad)  # never loaded in between: the damaged copy must not be written over
    assert repo.load_case(BAD) == bad
    assert repo.quarantined() == [BAD]
    assert repo.case_ids() == [BAD, GOOD]


def test_linking_a_chat_to_an_unreadable_case_is_refused(repo: CaseRepository, data_dir: Path) -> None:
    _save_two(repo)
    spoil(repo, data_dir, BAD)
    with pytest.raises(StorageError, match="does not exist"):
        repo.link_chat(5, BAD)
    assert repo.quarantined() == [BAD]
    assert repo.case_for_chat(5) is None


def test_memory_repository_corrupts_only_a_stored_case() -> None:
    repo = InMemoryCaseRepository()
    with pytest.raises(StorageError, match="does not exist"):
        repo.corrupt("case-none")


# --- real files ---------------------------------------------------------------------------------------

Doc = dict[str, Any]


def _case_doc(data: Doc) -> Doc:
    doc: Doc = data["case"]["1"]
    return doc


def _edit(change: Callable[[Doc], object]) -> Callable[[str], bytes]:
    def damage(text: str) -> bytes:
        data = json.loads(text)
        change(data)
        return json.dumps(data).encode()

    return damage


BAD_FILES: dict[str, tuple[Callable[[str], bytes], str]] = {
    "truncated": (lambda text: text[: text.index(SECRET) + len(SECRET)].encode(), "StorageError"),
    "garbage": (lambda text: b"\xff\x00" + SECRET.encode() + b"\x80", "StorageError"),
    "not a database": (lambda text: json.dumps([SECRET]).encode(), "StorageError"),
    "no case": (lambda text: json.dumps({"notes": {"1": {"text": SECRET}}}).encode(), "StorageError"),
    "odd shape": (lambda text: json.dumps({"case": [SECRET]}).encode(), "AttributeError"),
    "too deep": (lambda text: ("[" * 100_000 + SECRET).encode(), "RecursionError"),
    "another case": (_edit(lambda d: _case_doc(d).update(id=GOOD)), "StorageError"),
    "newer schema": (_edit(lambda d: _case_doc(d).update(schema=CURRENT_SCHEMA + 1)), "StorageError"),
    "no schema": (_edit(lambda d: _case_doc(d).pop("schema")), "StorageError"),
    "bad schema": (_edit(lambda d: _case_doc(d).update(schema="4")), "StorageError"),
    "not the model": (_edit(lambda d: _case_doc(d)["profile"].update(urgency=SECRET)), "StorageError"),
    "unknown field": (_edit(lambda d: _case_doc(d).update(extra=SECRET)), "StorageError"),
}


@pytest.mark.parametrize("how", list(BAD_FILES))
def test_a_damaged_case_file_is_moved_to_quarantine_as_it_is(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, how: str
) -> None:
    damage, error_type = BAD_FILES[how]
    path = tmp_path / "cases" / f"{BAD}.json"
    with TinyDBCaseRepository(tmp_path) as repo:
        bad, good = _save_two(repo)
        bad.profile.diagnosis = SECRET
        repo.save_case(bad)
        content = damage(path.read_text())
        path.write_bytes(content)
        with caplog.at_level(logging.DEBUG):
            assert repo.load_case(BAD) is None
        assert not path.exists()
        [kept] = (tmp_path / "quarantine").iterdir()
        assert re.fullmatch(rf"{BAD}\.\d{{8}}T\d{{6}}Z\.json", kept.name)
        assert kept.read_bytes() == content and _mode(kept) == 0o600
        assert _mode(tmp_path / "quarantine") == 0o700
        assert repo.quarantined() == [BAD] and repo.case_ids() == [GOOD]
        assert repo.load_case(GOOD) == good
    [message] = _warnings(caplog)
    assert message == f"set aside unreadable case file {BAD} ({error_type})"
    _no_secret_logged(caplog)
    with TinyDBCaseRepository(tmp_path) as again:
        assert again.quarantined() == [BAD] and again.case_ids() == [GOOD]


def test_a_case_set_aside_twice_keeps_both_copies_and_delete_removes_them(tmp_path: Path) -> None:
    with TinyDBCaseRepository(tmp_path) as repo:
        case, _ = _save_two(repo)
        for _ in range(2):
            repo.save_case(case)
            spoil(repo, tmp_path, BAD)
            assert repo.load_case(BAD) is None
        assert len(list((tmp_path / "quarantine").iterdir())) == 2
        assert repo.quarantined() == [BAD]
        repo.delete_case(BAD)
        assert list((tmp_path / "quarantine").iterdir()) == []
        assert repo.quarantined() == []


def test_deleting_an_unreadable_case_deletes_it_and_its_links_fade(tmp_path: Path) -> None:
    with TinyDBCaseRepository(tmp_path) as repo:
        _save_two(repo)
        repo.link_chat(5, BAD)
        spoil(repo, tmp_path, BAD)
        repo.delete_case(BAD)  # never loaded: its links cannot be read, but it goes all the same
        assert not (tmp_path / "cases" / f"{BAD}.json").exists()
        assert repo.quarantined() == []
        assert repo.case_for_chat(5) is None
        assert not (tmp_path / "chats" / "p5.json").exists()


@pytest.mark.parametrize(
    "content",
    [
        '{"chat": {"1": {"schema": 1, "case_id": "' + SECRET,
        json.dumps({"chat": {"1": {"schema": 99, "case_id": SECRET}}}),
        json.dumps({"chat": [SECRET]}),
    ],
    ids=["truncated", "unknown schema", "odd shape"],
)
def test_an_unreadable_chat_link_is_dropped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: str
) -> None:
    chat_file = tmp_path / "chats" / "p5.json"
    with TinyDBCaseRepository(tmp_path) as repo:
        _, good = _save_two(repo)
        repo.link_chat(5, GOOD)
        chat_file.write_text(content)
        with caplog.at_level(logging.DEBUG):
            assert repo.case_for_chat(5) is None
        assert not chat_file.exists()
        repo.link_chat(5, GOOD)
        assert repo.case_for_chat(5) == good
        chat_file.write_text(content)
        repo.unlink_chat(5)  # unlinking a damaged link works too
        assert not chat_file.exists()
    messages = _warnings(caplog)
    assert len(messages) == 2  # once per damaged file met
    assert all(
        re.fullmatch(r"dropped an unreadable chat link \((StorageError|AttributeError)\)", m)
        for m in messages
    )
    _no_secret_logged(caplog)


@pytest.mark.parametrize(
    "content",
    [
        '{"user": {"1": {"schema": 1, "case_ids": ["' + SECRET,
        json.dumps({"user": {"1": {"schema": 1, "case_ids": SECRET}}}),
    ],
    ids=["truncated", "not a list"],
)
def test_an_unreadable_user_index_is_dropped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: str
) -> None:
    index = tmp_path / "users" / f"u{OWNER}.json"
    with TinyDBCaseRepository(tmp_path) as repo:
        _save_two(repo)
        index.write_text(content)
        with caplog.at_level(logging.DEBUG):
            assert repo.cases_of_user(OWNER) == []  # the hint is lost, nothing breaks
        assert not index.exists()
        repo.save_case(new_case("case-0003"))  # the next save names the user's case again
        assert [c.id for c in repo.cases_of_user(OWNER)] == ["case-0003"]
    assert _warnings(caplog) == ["dropped an unreadable user index (StorageError)"]
    _no_secret_logged(caplog)
