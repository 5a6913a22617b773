"""Schema upgrades: applied in order, one step at a time; documents from the future are refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from journey import language, outbox, reminders
from journey.models import Notify, Prompt, PromptKind, ReminderKind
from storage import CURRENT_SCHEMA, StorageError, TinyDBCaseRepository, upgrade
from storage.codec import case_from_dict
from storage.migrations import Document, Migration
from tests.unit.storage_helpers import minimal_case


def _recording_chain(calls: list[int]) -> dict[int, Migration]:
    """A fake 1 -> 2 -> 3 -> 4 chain: renames a field, then fills a default, logging each step."""

    def one_to_two(doc: Document) -> Document:
        calls.append(1)
        assert doc["schema"] == 1
        doc["full_name"] = doc.pop("name")
        return doc

    def two_to_three(doc: Document) -> Document:
        calls.append(2)
        assert doc["schema"] == 2 and "full_name" in doc  # runs after 1 -> 2, never before
        doc.setdefault("tags", [])
        return doc

    def three_to_four(doc: Document) -> Document:
        calls.append(3)
        return {**doc, "tags": [*doc["tags"], "v4"]}

    return {1: one_to_two, 2: two_to_three, 3: three_to_four}


def test_chain_runs_in_order_from_the_stored_version() -> None:
    calls: list[int] = []
    original: dict[str, Any] = {"schema": 1, "name": "x"}
    result = upgrade(original, migrations=_recording_chain(calls), target=4)
    assert calls == [1, 2, 3]
    assert result == {"schema": 4, "full_name": "x", "tags": ["v4"]}
    assert original == {"schema": 1, "name": "x"}  # the caller's dict is not touched


def test_chain_starts_where_the_document_is() -> None:
    calls: list[int] = []
    result = upgrade({"schema": 3, "tags": []}, migrations=_recording_chain(calls), target=4)
    assert calls == [3]
    assert result == {"schema": 4, "tags": ["v4"]}


def test_current_document_is_returned_unchanged() -> None:
    calls: list[int] = []
    doc = {"schema": 4, "tags": ["a"]}
    assert upgrade(doc, migrations=_recording_chain(calls), target=4) == doc
    assert calls == []


def test_newer_document_is_refused_with_a_clear_message() -> None:
    with pytest.raises(StorageError, match=r"schema 5.*only reads up to 4.*newer version"):
        upgrade({"schema": 5}, migrations=_recording_chain([]), target=4)


def test_gap_in_the_chain_is_an_error_not_a_skip() -> None:
    chain = _recording_chain([])
    del chain[2]
    with pytest.raises(StorageError, match="no migration from schema 2 to 3"):
        upgrade({"schema": 1, "name": "x"}, migrations=chain, target=4)


@pytest.mark.parametrize("doc", [{}, {"schema": None}], ids=["missing", "null"])
def test_missing_schema_is_refused(doc: dict[str, Any]) -> None:
    with pytest.raises(StorageError, match="no schema version"):
        upgrade(doc)


@pytest.mark.parametrize("version", [0, -1, "1", True, 1.0])
def test_invalid_schema_is_refused(version: object) -> None:
    with pytest.raises(StorageError, match="invalid schema version"):
        upgrade({"schema": version})


def test_repository_sets_aside_a_case_written_by_a_newer_bot(tmp_path: Path) -> None:
    """Never loaded (and re-saved without the fields this bot does not know): set aside untouched."""
    with TinyDBCaseRepository(tmp_path) as repo:
        repo.save_case(minimal_case("case_0001"))
    path = tmp_path / "cases" / "case_0001.json"
    data = json.loads(path.read_text())
    data["case"]["1"]["schema"] = CURRENT_SCHEMA + 1
    path.write_text(json.dumps(data))
    with TinyDBCaseRepository(tmp_path) as repo:
        assert repo.load_case("case_0001") is None
        assert repo.quarantined() == ["case_0001"]
    [kept] = (tmp_path / "quarantine").iterdir()
    assert json.loads(kept.read_text()) == data


def test_repository_stores_the_current_schema(tmp_path: Path) -> None:
    with TinyDBCaseRepository(tmp_path) as repo:
        repo.save_case(minimal_case("case_0001"))
    data = json.loads((tmp_path / "cases" / "case_0001.json").read_text())
    assert data["case"]["1"]["schema"] == CURRENT_SCHEMA


def test_a_real_schema_1_document_loads_with_empty_appointments_and_default_settings(tmp_path: Path) -> None:
    """A case file exactly as the first release wrote it (schema 1) is upgraded on load to the current schema."""
    doc = {
        "schema": 1,
        "id": "case-v1-0001",
        "created_at": "2026-11-20T10:00:00+00:00",
        "updated_at": "2026-11-21T10:00:00+00:00",
        "members": [
            {"user_id": 7, "role": "owner", "prompt": None, "pending_file": None, "recent_updates": [3, 4]}
        ],
        "profile": {
            "patient_name": "Ann",
            "diagnosis": None,
            "reasons": ["rare"],
            "urgency": "soon",
            "onboarded": True,
        },
        "specialist": {"needed": ["medical"], "candidates": []},
        "records": {"items": []},
        "insurance": {"answers": {}, "expected_cost": None, "calls": [], "outcome": None},
        "questions": {"chosen": []},
    }
    upgraded = upgrade(doc)
    assert upgraded["schema"] == CURRENT_SCHEMA == 14
    assert upgraded["members"][0]["aside"] is None
    assert upgraded["outbox"] == []
    case = case_from_dict({k: v for k, v in upgraded.items() if k != "schema"})
    assert case.appointments == [] and case.reminders == []
    settings = case.members[0].settings
    assert (settings.zone, settings.quiet_start, settings.quiet_end, settings.blocked) == (
        None,
        1260,
        480,
        False,
    )
    assert case.profile.patient_name == "Ann" and case.members[0].recent_updates == [3, 4]


def test_a_real_schema_2_document_gains_no_invites_no_groups_and_hears_everything() -> None:
    """A case as issue 4's release wrote it: members get no name yet and keep hearing everything."""
    doc = {
        "schema": 2,
        "id": "case-v2-0001",
        "created_at": "2026-11-20T10:00:00+00:00",
        "updated_at": "2026-11-21T10:00:00+00:00",
        "members": [
            {
                "user_id": 7,
                "role": "owner",
                "prompt": None,
                "pending_file": None,
                "recent_updates": [],
                "settings": {
                    "zone": "Europe/Berlin",
                    "quiet_start": 1260,
                    "quiet_end": 480,
                    "reminders_off": ["week"],
                    "blocked": False,
                },
            }
        ],
        "profile": {
            "patient_name": None,
            "diagnosis": None,
            "reasons": [],
            "urgency": None,
            "onboarded": True,
        },
        "specialist": {"needed": [], "candidates": []},
        "records": {"items": []},
        "insurance": {"answers": {}, "expected_cost": None, "calls": [], "outcome": None},
        "questions": {"chosen": []},
        "appointments": [],
        "reminders": [],
    }
    upgraded = upgrade(doc)
    case = case_from_dict({k: v for k, v in upgraded.items() if k != "schema"})
    assert case.invites == [] and case.groups == [] and case.editors_can_invite is False
    owner = case.members[0]
    assert owner.name is None and owner.settings.notify is Notify.ALL
    assert owner.settings.zone == "Europe/Berlin" and owner.settings.reminders_off == [
        ReminderKind.WEEK_BEFORE
    ]


def test_a_real_schema_3_document_gains_an_empty_outbox(tmp_path: Path) -> None:
    """A case as the caregivers release wrote it (schema 3, no outbox) loads with no news waiting."""
    doc = {
        "schema": 3,
        "id": "case-v3-0001",
        "created_at": "2026-11-20T10:00:00+00:00",
        "updated_at": "2026-11-21T10:00:00+00:00",
        "members": [
            {
                "user_id": 7,
                "role": "owner",
                "prompt": None,
                "pending_file": None,
                "recent_updates": [],
                "settings": {
                    "zone": "Europe/Berlin",
                    "quiet_start": 1260,
                    "quiet_end": 480,
                    "reminders_off": [],
                    "blocked": False,
                    "notify": "appointments",
                },
                "name": "Ann",
                "joined_at": None,
                "invited_by": None,
            }
        ],
        "profile": {
            "patient_name": None,
            "diagnosis": None,
            "reasons": [],
            "urgency": None,
            "onboarded": True,
        },
        "specialist": {"needed": [], "candidates": []},
        "records": {"items": []},
        "insurance": {"answers": {}, "expected_cost": None, "calls": [], "outcome": None},
        "questions": {"chosen": []},
        "appointments": [],
        "reminders": [],
        "invites": [],
        "groups": [{"chat_id": -100123, "linked_by": 7, "linked_at": "2026-11-21T09:00:00+00:00"}],
        "editors_can_invite": True,
    }
    upgraded = upgrade(doc)
    assert upgraded["schema"] == CURRENT_SCHEMA and upgraded["outbox"] == []
    assert "outbox" not in doc  # the stored document is not touched
    case = case_from_dict({k: v for k, v in upgraded.items() if k != "schema"})
    assert case.outbox == []
    assert case.members[0].settings.notify is Notify.APPOINTMENTS and case.editors_can_invite
    # And through the repository: the file as written by that release loads the same way.
    with TinyDBCaseRepository(tmp_path) as repo:
        (tmp_path / "cases" / "case-v3-0001.json").write_text(json.dumps({"case": {"1": doc}}))
        assert repo.load_case("case-v3-0001") == case
        assert repo.wake_index() == []  # nothing waiting in a plan with no reminders and no letters


def test_a_schema_4_question_loads_as_asked_in_no_particular_chat() -> None:
    """A question saved before questions knew their chat can still be answered (in any chat), as before."""
    member = {
        "user_id": 7,
        "role": "owner",
        "prompt": {"kind": "cand_name", "target": None},
        "pending_file": None,
        "recent_updates": [],
        "settings": {
            "zone": None,
            "quiet_start": 1260,
            "quiet_end": 480,
            "reminders_off": [],
            "blocked": False,
            "notify": "all",
        },
        "name": None,
        "joined_at": None,
        "invited_by": None,
        "last_answer": None,
    }
    doc = {
        "schema": 4,
        "id": "c1",
        "created_at": "2026-01-01T00:00:00+00:00",
        "updated_at": "2026-01-01T00:00:00+00:00",
        "members": [member],
    }
    upgraded = upgrade(doc)
    assert upgraded["members"][0]["prompt"] == {
        "kind": "cand_name",
        "target": None,
        "chat_id": None,
        "after": None,
        "held": None,
    }
    case = case_from_dict({k: v for k, v in upgraded.items() if k != "schema"})
    prompt = case.members[0].prompt
    assert prompt is not None and prompt.chat_id is None


def test_a_real_schema_4_document_loads_with_nothing_set_aside() -> None:
    """A case as the outbox release wrote it (schema 4, members without `aside`) loads with no offer open."""
    doc: dict[str, Any] = {
        "schema": 4,
        "id": "case-v4-0001",
        "created_at": "2026-11-20T10:00:00+00:00",
        "updated_at": "2026-11-21T10:00:00+00:00",
        "members": [
            {
                "user_id": 7,
                "role": "owner",
                "prompt": {"kind": "appt_detail", "target": "a1.video_link"},
                "pending_file": None,
                "recent_updates": [3],
                "settings": {
                    "zone": "Europe/Berlin",
                    "quiet_start": 1260,
                    "quiet_end": 480,
                    "reminders_off": [],
                    "blocked": False,
                    "notify": "all",
                },
                "name": "Ann",
                "joined_at": None,
                "invited_by": None,
                "last_answer": None,
            }
        ],
        "profile": {
            "patient_name": None,
            "diagnosis": None,
            "reasons": [],
            "urgency": None,
            "onboarded": True,
        },
        "specialist": {"needed": [], "candidates": []},
        "records": {"items": []},
        "insurance": {"answers": {}, "expected_cost": None, "calls": [], "outcome": None},
        "questions": {"chosen": []},
        "appointments": [],
        "reminders": [],
        "invites": [],
        "groups": [],
        "editors_can_invite": False,
        "outbox": [],
    }
    upgraded = upgrade(doc)
    assert upgraded["schema"] == CURRENT_SCHEMA and upgraded["members"][0]["aside"] is None
    assert "aside" not in doc["members"][0]  # the stored document is not touched
    case = case_from_dict({k: v for k, v in upgraded.items() if k != "schema"})
    assert case.members[0].aside is None and case.members[0].prompt is not None


def test_a_real_schema_5_question_loads_holding_nothing(tmp_path: Path) -> None:
    """A question saved by the release before (schema 5, no `held`) loads as one that holds no typed words,
    and the zone question it was still leads on to the visit's time."""
    doc: dict[str, Any] = {
        "schema": 5,
        "id": "case-v5-0001",
        "created_at": "2026-11-20T10:00:00+00:00",
        "updated_at": "2026-11-21T10:00:00+00:00",
        "members": [
            {
                "user_id": 7,
                "role": "owner",
                "prompt": {"kind": "zone", "target": "new", "chat_id": 7, "after": 12},
                "pending_file": None,
                "recent_updates": [3],
                "settings": {
                    "zone": None,
                    "quiet_start": 1260,
                    "quiet_end": 480,
                    "reminders_off": [],
                    "blocked": False,
                    "notify": "all",
                },
                "name": "Ann",
                "joined_at": None,
                "invited_by": None,
                "last_answer": None,
                "aside": None,
            }
        ],
        "profile": {
            "patient_name": None,
            "diagnosis": None,
            "reasons": [],
            "urgency": None,
            "onboarded": True,
        },
        "specialist": {"needed": [], "candidates": []},
        "records": {"items": []},
        "insurance": {"answers": {}, "expected_cost": None, "calls": [], "outcome": None},
        "questions": {"chosen": []},
        "appointments": [],
        "reminders": [],
        "invites": [],
        "groups": [],
        "editors_can_invite": False,
        "outbox": [],
    }
    upgraded = upgrade(doc)
    assert upgraded["schema"] == CURRENT_SCHEMA
    assert upgraded["members"][0]["prompt"]["held"] is None
    assert "held" not in doc["members"][0]["prompt"]  # the stored document is not touched
    case = case_from_dict({k: v for k, v in upgraded.items() if k != "schema"})
    assert case.members[0].prompt == Prompt(PromptKind.ZONE, "new", 7, 12)
    with TinyDBCaseRepository(tmp_path) as repo:
        (tmp_path / "cases" / "case-v5-0001.json").write_text(json.dumps({"case": {"1": doc}}))
        assert repo.load_case("case-v5-0001") == case


def test_a_real_schema_5_document_loads_with_no_notes_and_nothing_offered() -> None:
    """A case as the security release wrote it (schema 5: no notes, members without `offer`) loads with an
    empty list of notes and no typed text waiting for a place."""
    doc: dict[str, Any] = {
        "schema": 5,
        "id": "case-v5-0001",
        "created_at": "2026-11-20T10:00:00+00:00",
        "updated_at": "2026-11-21T10:00:00+00:00",
        "members": [
            {
                "user_id": 7,
                "role": "owner",
                "prompt": {"kind": "own_question", "target": None, "chat_id": 7, "after": 12},
                "pending_file": None,
                "recent_updates": [3],
                "settings": {
                    "zone": "America/Chicago",
                    "quiet_start": 1260,
                    "quiet_end": 480,
                    "reminders_off": [],
                    "blocked": False,
                    "notify": "all",
                },
                "name": "Ann",
                "joined_at": None,
                "invited_by": None,
                "last_answer": None,
                "aside": {"visit_id": "a1", "text": "Passcode: 1234"},
            }
        ],
        "profile": {
            "patient_name": None,
            "diagnosis": None,
            "reasons": [],
            "urgency": None,
            "onboarded": True,
        },
        "specialist": {"needed": [], "candidates": []},
        "records": {"items": []},
        "insurance": {"answers": {}, "expected_cost": None, "calls": [], "outcome": None},
        "questions": {"chosen": [{"id": "q1", "bank_id": None, "text": "Why?", "top": False}]},
        "appointments": [],
        "reminders": [],
        "invites": [],
        "groups": [],
        "editors_can_invite": False,
        "outbox": [],
    }
    upgraded = upgrade(doc)
    assert upgraded["schema"] == CURRENT_SCHEMA == 14
    assert upgraded["notes"] == [] and upgraded["members"][0]["offer"] is None
    assert "notes" not in doc and "offer" not in doc["members"][0]  # the stored document is not touched
    case = case_from_dict({k: v for k, v in upgraded.items() if k != "schema"})
    assert case.notes == [] and case.members[0].offer is None
    aside = case.members[0].aside
    assert aside is not None and aside.text == "Passcode: 1234"  # what schema 5 had is kept
    assert case.questions.chosen[0].text == "Why?"


def test_a_real_schema_5_plan_counts_its_unused_time_from_its_last_save() -> None:
    """A plan as the security release wrote it (schema 5, no `active_at`): retention counts from its last
    save, never earlier than the last change a person made, so no plan is deleted sooner than it should."""
    doc: dict[str, Any] = {
        "schema": 5,
        "id": "case-v5-0001",
        "created_at": "2026-01-20T10:00:00+00:00",
        "updated_at": "2026-03-21T10:00:00+00:00",
        "members": [
            {
                "user_id": 7,
                "role": "owner",
                "prompt": None,
                "pending_file": None,
                "recent_updates": [3],
                "settings": {
                    "zone": "Europe/Berlin",
                    "quiet_start": 1260,
                    "quiet_end": 480,
                    "reminders_off": [],
                    "blocked": False,
                    "notify": "all",
                },
                "name": "Ann",
                "joined_at": None,
                "invited_by": None,
                "last_answer": None,
                "aside": None,
            }
        ],
        "profile": {
            "patient_name": "Zoe",
            "diagnosis": None,
            "reasons": [],
            "urgency": None,
            "onboarded": True,
        },
        "specialist": {"needed": [], "candidates": []},
        "records": {"items": []},
        "insurance": {"answers": {}, "expected_cost": None, "calls": [], "outcome": None},
        "questions": {"chosen": []},
        "appointments": [],
        "reminders": [],
        "invites": [],
        "groups": [],
        "editors_can_invite": False,
        "outbox": [],
    }
    upgraded = upgrade(doc)
    assert upgraded["schema"] == CURRENT_SCHEMA == 14 and upgraded["active_at"] == "2026-03-21T10:00:00+00:00"
    case = case_from_dict({k: v for k, v in upgraded.items() if k != "schema"})
    assert case.active_at == case.updated_at
    assert case.profile.patient_name == "Zoe"


def test_a_real_schema_7_plan_gains_empty_visit_mode_answers() -> None:
    """A plan as the data-rights release wrote it (schema 7, visits without answers): each visit gets an
    empty list of questions asked there, and everything else it had is kept."""
    doc: dict[str, Any] = {
        "schema": 7,
        "id": "case-v7-0001",
        "created_at": "2026-01-20T10:00:00+00:00",
        "updated_at": "2026-03-21T10:00:00+00:00",
        "active_at": "2026-03-20T10:00:00+00:00",
        "members": [
            {
                "user_id": 7,
                "role": "owner",
                "prompt": None,
                "pending_file": None,
                "recent_updates": [3],
                "settings": {
                    "zone": "Europe/Berlin",
                    "quiet_start": 1260,
                    "quiet_end": 480,
                    "reminders_off": [],
                    "blocked": False,
                    "notify": "all",
                },
                "name": "Ann",
                "joined_at": None,
                "invited_by": None,
                "last_answer": None,
                "aside": None,
                "offer": None,
            }
        ],
        "profile": {
            "patient_name": "Zoe",
            "diagnosis": None,
            "reasons": [],
            "urgency": None,
            "onboarded": True,
        },
        "specialist": {"needed": [], "candidates": []},
        "records": {"items": []},
        "insurance": {"answers": {}, "expected_cost": None, "calls": [], "outcome": None},
        "questions": {"chosen": [{"id": "q1", "bank_id": None, "text": "Why?", "top": True}]},
        "appointments": [
            {
                "id": "appt-1",
                "starts_at": "2026-04-02T14:00:00+00:00",
                "zone": "Europe/Berlin",
                "duration_minutes": 60,
                "kind": "second",
                "doctor": "Dr. A",
                "institution": None,
                "address": None,
                "video_link": None,
                "phone": None,
                "notes": None,
                "status": "active",
                "sequence": 1,
                "created_at": "2026-03-20T10:00:00+00:00",
                "outcome_note": "went well",
            }
        ],
        "reminders": [],
        "invites": [],
        "groups": [],
        "editors_can_invite": False,
        "outbox": [],
        "notes": [],
    }
    upgraded = upgrade(doc)
    assert upgraded["schema"] == CURRENT_SCHEMA == 14
    assert upgraded["appointments"][0]["answers"] == []
    assert "answers" not in doc["appointments"][0]  # the stored document is not touched
    case = case_from_dict({k: v for k, v in upgraded.items() if k != "schema"})
    (visit,) = case.appointments
    assert visit.answers == [] and visit.outcome_note == "went well" and visit.doctor == "Dr. A"


def test_a_real_schema_7_plan_loads_with_no_decide_by_date() -> None:
    """A plan as the data-rights release wrote it (schema 7): no date to start treatment was ever typed."""
    doc: dict[str, Any] = {
        "schema": 7,
        "id": "case-v7-0001",
        "created_at": "2026-01-20T10:00:00+00:00",
        "updated_at": "2026-03-21T10:00:00+00:00",
        "active_at": "2026-03-20T09:00:00+00:00",
        "members": [
            {
                "user_id": 7,
                "role": "owner",
                "prompt": {"kind": "own_question", "target": None, "chat_id": 7, "after": 12, "held": None},
                "pending_file": None,
                "recent_updates": [3],
                "settings": {
                    "zone": "Europe/Berlin",
                    "quiet_start": 1260,
                    "quiet_end": 480,
                    "reminders_off": [],
                    "blocked": False,
                    "notify": "all",
                },
                "name": "Ann",
                "joined_at": None,
                "invited_by": None,
                "last_answer": None,
                "aside": None,
                "offer": None,
            }
        ],
        "profile": {
            "patient_name": "Zoe",
            "diagnosis": None,
            "reasons": ["rare"],
            "urgency": "unsure",
            "onboarded": True,
        },
        "specialist": {"needed": [], "candidates": []},
        "records": {
            "items": [
                {
                    "kind": "labs",
                    "status": "requested",
                    "requested_from": "City Lab",
                    "requested_on": "2026-03-01",
                    "attachments": [],
                }
            ]
        },
        "insurance": {"answers": {}, "expected_cost": None, "calls": [], "outcome": None},
        "questions": {"chosen": []},
        "appointments": [],
        "reminders": [],
        "invites": [],
        "groups": [],
        "editors_can_invite": False,
        "outbox": [],
        "notes": [],
    }
    upgraded = upgrade(doc)
    assert upgraded["schema"] == CURRENT_SCHEMA and upgraded["profile"]["decide_by"] is None
    case = case_from_dict({k: v for k, v in upgraded.items() if k != "schema"})
    assert case.profile.decide_by is None
    assert case.profile.time_sensitive  # "not sure" is cared for as "soon"
    assert case.records.items[0].requested_on is not None


def test_a_real_schema_7_plan_has_nothing_recorded_after_its_visits() -> None:
    """A plan as the data-rights release wrote it (schema 7): its visits gain what the opinion said and its
    advice, the plan its first doctor's plan, all empty; the note written after the visit is kept."""
    doc: dict[str, Any] = {
        "schema": 7,
        "id": "case-v7-0001",
        "created_at": "2026-10-01T09:00:00+00:00",
        "updated_at": "2026-11-21T10:00:00+00:00",
        "members": [
            {
                "user_id": 7,
                "role": "owner",
                "prompt": None,
                "pending_file": None,
                "recent_updates": [12],
                "settings": {
                    "zone": "America/New_York",
                    "quiet_start": 1260,
                    "quiet_end": 480,
                    "reminders_off": [],
                    "blocked": False,
                    "notify": "all",
                },
                "name": "Dana",
                "joined_at": None,
                "invited_by": None,
                "last_answer": None,
                "aside": None,
                "offer": None,
            }
        ],
        "profile": {
            "patient_name": "Zoe",
            "diagnosis": None,
            "reasons": [],
            "urgency": None,
            "onboarded": True,
        },
        "specialist": {"needed": [], "candidates": []},
        "records": {"items": []},
        "insurance": {"answers": {}, "expected_cost": None, "calls": [], "outcome": None},
        "questions": {"chosen": []},
        "appointments": [
            {
                "id": "appt-1",
                "starts_at": "2026-11-20T15:00:00+00:00",
                "zone": "America/New_York",
                "duration_minutes": 60,
                "kind": "second",
                "doctor": "Dr. Lee",
                "institution": None,
                "address": None,
                "video_link": None,
                "phone": None,
                "notes": None,
                "status": "active",
                "sequence": 0,
                "created_at": "2026-11-01T09:00:00+00:00",
                "outcome_note": "They were kind",
            }
        ],
        "reminders": [],
        "invites": [],
        "groups": [],
        "editors_can_invite": False,
        "outbox": [],
        "notes": [],
        "active_at": "2026-11-21T10:00:00+00:00",
    }
    upgraded = upgrade(doc)
    assert upgraded["schema"] == CURRENT_SCHEMA == 14
    assert (
        "first_plan" not in doc and "says" not in doc["appointments"][0]
    )  # the stored document is untouched
    case = case_from_dict({k: v for k, v in upgraded.items() if k != "schema"})
    assert case.first_plan is None
    visit = case.appointments[0]
    assert visit.says is None and visit.advice is None
    assert visit.outcome_note == "They were kind" and visit.doctor == "Dr. Lee"


def test_a_real_schema_10_plan_reads_as_it_did_until_a_language_is_chosen() -> None:
    """A plan as the after-the-visit release wrote it (schema 10), with a linked family group: nobody has
    chosen a language, so each member gets Telegram's the next time they act, and the group its linker's."""
    doc: dict[str, Any] = {
        "schema": 10,
        "id": "case-v10-0001",
        "created_at": "2026-11-01T09:00:00+00:00",
        "updated_at": "2026-12-01T10:00:00+00:00",
        "active_at": "2026-12-01T10:00:00+00:00",
        "members": [
            {
                "user_id": 7,
                "role": "owner",
                "prompt": None,
                "pending_file": None,
                "recent_updates": [41],
                "settings": {
                    "zone": "America/Chicago",
                    "quiet_start": 1260,
                    "quiet_end": 480,
                    "reminders_off": [],
                    "blocked": False,
                    "notify": "all",
                },
                "name": "Dana",
                "joined_at": None,
                "invited_by": None,
                "last_answer": None,
                "aside": None,
                "offer": None,
            }
        ],
        "profile": {
            "patient_name": "Zoe",
            "diagnosis": None,
            "reasons": [],
            "urgency": None,
            "onboarded": True,
            "decide_by": None,
        },
        "specialist": {"needed": [], "candidates": []},
        "records": {"items": []},
        "insurance": {"answers": {}, "expected_cost": None, "calls": [], "outcome": None},
        "questions": {"chosen": []},
        "appointments": [],
        "reminders": [],
        "invites": [],
        "groups": [{"chat_id": -1001, "linked_by": 7, "linked_at": "2026-11-02T09:00:00+00:00"}],
        "editors_can_invite": False,
        "outbox": [],
        "notes": [],
        "first_plan": None,
    }
    upgraded = upgrade(doc)
    assert upgraded["schema"] == CURRENT_SCHEMA
    assert "language" not in doc["members"][0]["settings"]  # the stored document is untouched
    case = case_from_dict({k: v for k, v in upgraded.items() if k != "schema"})
    assert case.members[0].settings.language is None and case.groups[0].language is None
    assert language.of_chat(case, -1001, 7) == "en"  # what every plan read before
    assert language.propose(case, 7, "es-MX") and language.of_chat(case, -1001, 7) == "es"
    assert not language.propose(case, 7, "en")  # proposed once: a later phone setting does not override


def test_a_real_schema_10_plan_gets_its_medication_list_back_to_write(tmp_path: Path) -> None:
    """A plan file as the "after the visit" release wrote it (schema 10), with the medication list marked
    "asked for" at a place: on load it is "to write", with no place or day asked (so no answer-by date and no
    request letter), and the question "where did you ask?" still waiting for it is dropped. Every other record,
    asked for at the same place, is untouched."""
    records: list[dict[str, Any]] = [
        {
            "kind": kind,
            "status": "to_request",
            "requested_from": None,
            "requested_on": None,
            "attachments": [],
        }
        for kind in ("path_report", "path_slides", "img_reports", "img_files", "biopsy", "op_notes")
    ]
    records += [
        {
            "kind": "labs",
            "status": "requested",
            "requested_from": "Mercy Hospital records",
            "requested_on": "2026-11-20",
            "attachments": [],
        },
        {
            "kind": "medications",
            "status": "requested",
            "requested_from": "Mercy Hospital records",
            "requested_on": "2026-11-20",
            "attachments": [],
        },
    ]
    records += [
        {
            "kind": kind,
            "status": "to_request",
            "requested_from": None,
            "requested_on": None,
            "attachments": [],
        }
        for kind in ("treatment", "staging", "biomarkers", "referral")
    ]
    doc: dict[str, Any] = {
        "schema": 10,
        "id": "case-v10-0001",
        "created_at": "2026-11-01T09:00:00+00:00",
        "updated_at": "2026-11-21T10:00:00+00:00",
        "members": [
            {
                "user_id": 7,
                "role": "owner",
                "prompt": {
                    "kind": "rec_from",
                    "target": "medications",
                    "chat_id": 7,
                    "after": None,
                    "held": None,
                },
                "pending_file": None,
                "recent_updates": [12],
                "settings": {
                    "zone": "America/New_York",
                    "quiet_start": 1260,
                    "quiet_end": 480,
                    "reminders_off": [],
                    "blocked": False,
                    "notify": "all",
                },
                "name": "Dana",
                "joined_at": None,
                "invited_by": None,
                "last_answer": None,
                "aside": None,
                "offer": None,
            }
        ],
        "profile": {
            "patient_name": "Zoe",
            "diagnosis": None,
            "reasons": [],
            "urgency": None,
            "onboarded": True,
            "decide_by": None,
        },
        "specialist": {"needed": [], "candidates": []},
        "records": {"items": records},
        "insurance": {"answers": {}, "expected_cost": None, "calls": [], "outcome": None},
        "questions": {"chosen": []},
        "appointments": [],
        "reminders": [],
        "invites": [],
        "groups": [],
        "editors_can_invite": False,
        "outbox": [],
        "notes": [],
        "active_at": "2026-11-21T10:00:00+00:00",
        "first_plan": None,
    }
    path = tmp_path / "cases" / "case-v10-0001.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"case": {"1": doc}}))
    with TinyDBCaseRepository(tmp_path) as repo:
        case = repo.load_case("case-v10-0001")
    assert case is not None
    by_kind = {item.kind.value: item for item in case.records.items}
    meds, labs = by_kind["medications"], by_kind["labs"]
    assert (meds.status.value, meds.requested_from, meds.requested_on) == ("to_request", None, None)
    assert (labs.status.value, labs.requested_from, str(labs.requested_on)) == (
        "requested",
        "Mercy Hospital records",
        "2026-11-20",
    )
    assert case.members[0].prompt is None
    assert doc["records"]["items"][7]["status"] == "requested"  # what was read is not changed in place
    assert upgrade(doc)["schema"] == CURRENT_SCHEMA == 14


def test_a_real_schema_10_plan_has_no_summary_sent_and_no_choice_made() -> None:
    """A plan as the after-the-visit release wrote it (schema 10): an outcome recorded, no summary sent. It
    gains the plan's remembered choice (none yet) and each visit's time its summary was sent (never)."""
    doc: dict[str, Any] = {
        "schema": 10,
        "id": "case-v10-0001",
        "created_at": "2026-10-01T09:00:00+00:00",
        "updated_at": "2026-12-04T16:00:00+00:00",
        "members": [
            {
                "user_id": 7,
                "role": "owner",
                "prompt": None,
                "pending_file": None,
                "recent_updates": [40],
                "settings": {
                    "zone": "America/Chicago",
                    "quiet_start": 1260,
                    "quiet_end": 480,
                    "reminders_off": [],
                    "blocked": False,
                    "notify": "all",
                },
                "name": "Dana",
                "joined_at": None,
                "invited_by": None,
                "last_answer": None,
                "aside": None,
                "offer": None,
            }
        ],
        "profile": {
            "patient_name": "Zoe",
            "diagnosis": None,
            "reasons": [],
            "urgency": "soon",
            "onboarded": True,
            "decide_by": "2027-01-12",
        },
        "specialist": {"needed": [], "candidates": []},
        "records": {"items": []},
        "insurance": {"answers": {}, "expected_cost": None, "calls": [], "outcome": None},
        "questions": {"chosen": [{"id": "q1", "bank_id": None, "text": "Is surgery needed?", "top": True}]},
        "appointments": [
            {
                "id": "appt-1",
                "starts_at": "2026-12-03T20:30:00+00:00",
                "zone": "America/Chicago",
                "duration_minutes": 60,
                "kind": "second",
                "doctor": "Dr. Lee",
                "institution": None,
                "address": None,
                "video_link": None,
                "phone": None,
                "notes": None,
                "status": "active",
                "sequence": 0,
                "created_at": "2026-11-23T15:30:00+00:00",
                "outcome_note": "Come back in a month",
                "answers": [{"question_id": "q1", "asked": True, "text": "Not yet", "voice": None}],
                "says": "changes",
                "advice": "Radiation first",
            }
        ],
        "reminders": [],
        "invites": [],
        "groups": [],
        "editors_can_invite": False,
        "outbox": [],
        "notes": [],
        "active_at": "2026-12-04T16:00:00+00:00",
        "first_plan": "Surgery",
    }
    upgraded = upgrade(doc)
    assert upgraded["schema"] == CURRENT_SCHEMA == 14
    assert "summary_to_all" not in doc and "shared_at" not in doc["appointments"][0]  # the input is untouched
    case = case_from_dict({k: v for k, v in upgraded.items() if k != "schema"})
    assert case.summary_to_all is None
    (visit,) = case.appointments
    assert visit.shared_at is None
    assert (
        visit.advice == "Radiation first"
        and visit.answers[0].text == "Not yet"
        and case.first_plan == "Surgery"
    )


def test_a_real_schema_13_plan_has_no_claim_times_and_its_claims_are_settled_as_before() -> None:
    """A plan as the multilingual release wrote it (schema 13), stopped while a reminder and a letter were
    being sent: their claims have no time, so the courier settles them as one found at start-up."""
    doc: dict[str, Any] = {
        "schema": 13,
        "id": "case-v13-0001",
        "created_at": "2026-11-01T09:00:00+00:00",
        "updated_at": "2026-12-01T10:00:00+00:00",
        "active_at": "2026-12-01T10:00:00+00:00",
        "members": [
            {
                "user_id": 7,
                "role": "owner",
                "prompt": None,
                "pending_file": None,
                "recent_updates": [41],
                "settings": {
                    "zone": "America/Chicago",
                    "quiet_start": 1260,
                    "quiet_end": 480,
                    "reminders_off": [],
                    "blocked": False,
                    "notify": "all",
                    "language": "es",
                },
                "name": "Lucía",
                "joined_at": None,
                "invited_by": None,
                "last_answer": None,
                "aside": None,
                "offer": None,
            }
        ],
        "profile": {
            "patient_name": "Ana",
            "diagnosis": None,
            "reasons": [],
            "urgency": None,
            "onboarded": True,
            "decide_by": None,
        },
        "specialist": {"needed": [], "candidates": []},
        "records": {"items": []},
        "insurance": {"answers": {}, "expected_cost": None, "calls": [], "outcome": None},
        "questions": {"chosen": []},
        "appointments": [],
        "reminders": [
            {
                "id": "r1",
                "kind": "insurance",
                "due_at": "2026-11-23T16:00:00+00:00",
                "user_id": 7,
                "appointment_id": None,
                "target": None,
                "status": "sending",
                "attempts": 1,
                "sent_at": None,
            }
        ],
        "invites": [],
        "groups": [],
        "editors_can_invite": False,
        "outbox": [
            {
                "id": "l1",
                "chat_id": 7,
                "text": "news",
                "created_at": "2026-12-01T10:00:00+00:00",
                "buttons": [],
                "files": [],
                "status": "sending",
                "attempts": 1,
                "due_at": None,
            }
        ],
        "notes": [],
        "first_plan": None,
        "summary_to_all": None,
    }
    upgraded = upgrade(doc)
    assert upgraded["schema"] == CURRENT_SCHEMA == 14
    assert "sending_at" not in doc["reminders"][0]  # the stored document is untouched
    case = case_from_dict({k: v for k, v in upgraded.items() if k != "schema"})
    assert case.reminders[0].sending_at is None and case.outbox[0].sending_at is None
    later = datetime(2026, 12, 1, 10, 0, 5, tzinfo=UTC)
    assert reminders.recover_interrupted(case, claimed_before=later)  # an untimed claim is settled
    assert outbox.recover_interrupted(case, claimed_before=later) == 1
