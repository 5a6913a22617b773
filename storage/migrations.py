"""Schema versions of stored case documents, and the upgrades between them.

Every case document carries `"schema": N`. On load, `upgrade` applies MIGRATIONS[N], MIGRATIONS[N+1], ...
until the document is at CURRENT_SCHEMA; each function turns a schema-n document into a schema-(n+1) one.

Decisions:
- A document *without* "schema" is refused, not read as schema 0: every document this bot has ever
  written carries one (schema 1 is the first), so a missing field means a foreign or damaged file, and
  guessing its shape would risk silently dropping data.
- A document *newer* than CURRENT_SCHEMA is refused: an older bot must not load and re-save it, which
  would throw away the fields it does not know.

To change the model: bump CURRENT_SCHEMA, add MIGRATIONS[old] that rewrites old documents, and add a
test with a real old document.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from storage.repository import StorageError

Document = dict[str, Any]
Migration = Callable[[Document], Document]

SCHEMA_KEY = "schema"
CURRENT_SCHEMA = 14


def _v1_to_v2(doc: Document) -> Document:
    """Schema 2 adds appointments, stored reminders and per-member settings (time zone, quiet hours)."""
    doc.setdefault("appointments", [])
    doc.setdefault("reminders", [])
    for member in doc.get("members", []):
        member.setdefault(
            "settings",
            {
                "zone": None,
                "quiet_start": 21 * 60,
                "quiet_end": 8 * 60,
                "reminders_off": [],
                "blocked": False,
            },
        )
    return doc


def _v2_to_v3(doc: Document) -> Document:
    """Schema 3 adds caregivers: invites, linked group chats, member names and notification choices."""
    doc.setdefault("invites", [])
    doc.setdefault("groups", [])
    doc.setdefault("editors_can_invite", False)
    for member in doc.get("members", []):
        member.setdefault("name", None)
        member.setdefault("joined_at", None)
        member.setdefault("invited_by", None)
        member.get("settings", {}).setdefault("notify", "all")
    return doc


def _v3_to_v4(doc: Document) -> Document:
    """Schema 4 adds the outbox (news to other members, written in the same save as the change) and each
    member's last typed answer (a digest), so a retyped copy does not answer the next question."""
    doc.setdefault("outbox", [])
    for member in doc.get("members", []):
        member.setdefault("last_answer", None)
    return doc


def _v4_to_v5(doc: Document) -> Document:
    """Schema 5 records where each question was asked (its chat, and the message before it), so only an
    answer there counts; a question asked before this knew no chat: any chat may answer it, as before.
    It also adds what a member has set aside for one tap: the rest of a meeting invitation pasted as a
    video link, until it is added to the visit's notes. Older plans have nothing set aside."""
    for member in doc.get("members", []):
        member.setdefault("aside", None)
        prompt = member.get("prompt")
        if isinstance(prompt, dict):
            prompt.setdefault("chat_id", None)
            prompt.setdefault("after", None)
    return doc


def _v5_to_v6(doc: Document) -> Document:
    """Schema 6 lets a question hold the words typed with its command (a visit's time typed with
    /appointment, kept while the time zone is asked first; a question asked before held nothing), and adds
    the plan's notes (typed text a member chose to keep) and each member's open offer: typed text that
    answered no question, kept until they say where it goes. Older plans have no notes and nothing offered."""
    doc.setdefault("notes", [])
    for member in doc.get("members", []):
        member.setdefault("offer", None)
        prompt = member.get("prompt")
        if isinstance(prompt, dict):
            prompt.setdefault("held", None)
    return doc


def _v6_to_v7(doc: Document) -> Document:
    """Schema 7 records when a person last changed the plan (`active_at`): an unused plan is deleted
    after the retention time (journey/retention.py). Older plans count from their last save, the best
    that is known: a person's change or a reminder sent, so never earlier than the truth (no plan
    goes sooner than it should)."""
    doc.setdefault("active_at", doc.get("updated_at"))
    return doc


def _v7_to_v8(doc: Document) -> Document:
    """Schema 8 adds visit mode: per visit, the questions asked there and their answers (typed, or a voice
    note's file_id). Older visits have none kept."""
    for visit in doc.get("appointments", []):
        if isinstance(visit, dict):
            visit.setdefault("answers", [])
    return doc


def _v8_to_v9(doc: Document) -> Document:
    """Schema 9 keeps the decide-by date: the day the care team says treatment should start, typed by the
    user (journey/deadline.py). Older plans have none."""
    profile = doc.get("profile")
    if isinstance(profile, dict):
        profile.setdefault("decide_by", None)
    return doc


def _v9_to_v10(doc: Document) -> Document:
    """Schema 10 records what happened after a visit (journey/outcome.py): what each opinion said about the
    first plan and its main advice, and the first doctor's plan, in the user's words. Nothing was
    recorded before, so all start empty."""
    doc.setdefault("first_plan", None)
    for visit in doc.get("appointments", []):
        if isinstance(visit, dict):
            visit.setdefault("says", None)
            visit.setdefault("advice", None)
    return doc


def _v10_to_v11(doc: Document) -> Document:
    """Schema 11 keeps the language each member reads, and each linked group's (journey/language.py).
    None: not chosen yet, so a member gets Telegram's language the next time they act, and a group
    reads its linker's. Every plan before this one was English."""
    for member in doc.get("members", []):
        if isinstance(member, dict) and isinstance(member.get("settings"), dict):
            member["settings"].setdefault("language", None)
    for group in doc.get("groups", []):
        if isinstance(group, dict):
            group.setdefault("language", None)
    return doc


def _v11_to_v12(doc: Document) -> Document:
    """Schema 12: the medication list is one the person writes (journey/records.py::WRITTEN), never asked for.
    A list marked "asked for" goes back to "to write", and the place and day it was asked go with it, so it
    gets no answer-by date and no request letter. Any other state (written, sent, arrived, files) is kept.
    A question still waiting for where the list was asked is dropped: there is nothing to answer now."""
    records = doc.get("records")
    items = records.get("items", []) if isinstance(records, dict) else []
    for item in items:
        if isinstance(item, dict) and item.get("kind") == "medications":
            if item.get("status") == "requested":
                item["status"] = "to_request"
            item["requested_on"] = None
            item["requested_from"] = None
    for member in doc.get("members", []):
        prompt = member.get("prompt") if isinstance(member, dict) else None
        if isinstance(prompt, dict) and (prompt.get("kind"), prompt.get("target")) == (
            "rec_from",
            "medications",
        ):
            member["prompt"] = None
    return doc


def _v12_to_v13(doc: Document) -> Document:
    """Schema 13 keeps who hears a visit's summary (journey/summary.py): the plan remembers the last choice,
    and each visit when its summary was last sent to the others. No summary was sent before, and nobody
    had chosen, so all start empty."""
    doc.setdefault("summary_to_all", None)
    for visit in doc.get("appointments", []):
        if isinstance(visit, dict):
            visit.setdefault("shared_at", None)
    return doc


def _v13_to_v14(doc: Document) -> Document:
    """Schema 14 keeps when a sender claimed a reminder or a letter (SENDING), so another worker can take
    over a claim whose worker died (service/courier.py). A claim stored before has no time: it is settled
    like one found at start-up (maybe sent, never repeated)."""
    for reminder in doc.get("reminders", []):
        if isinstance(reminder, dict):
            reminder.setdefault("sending_at", None)
    for letter in doc.get("outbox", []):
        if isinstance(letter, dict):
            letter.setdefault("sending_at", None)
    return doc


# n -> function that upgrades a schema-n document to schema n+1.
MIGRATIONS: Mapping[int, Migration] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
    6: _v6_to_v7,
    7: _v7_to_v8,
    8: _v8_to_v9,
    9: _v9_to_v10,
    10: _v10_to_v11,
    11: _v11_to_v12,
    12: _v12_to_v13,
    13: _v13_to_v14,
}


def schema_of(doc: Mapping[str, Any]) -> int:
    version = doc.get(SCHEMA_KEY)
    if version is None:
        raise StorageError("stored document has no schema version")
    if type(version) is not int or version < 1:
        raise StorageError("stored document has an invalid schema version")
    return version


def upgrade(
    doc: Mapping[str, Any],
    migrations: Mapping[int, Migration] = MIGRATIONS,
    target: int = CURRENT_SCHEMA,
) -> Document:
    """A copy of `doc` brought up to schema `target`; the input is left untouched."""
    version = schema_of(doc)
    if version > target:
        raise StorageError(
            f"stored document has schema {version}, but this bot only reads up to {target}: "
            "it was written by a newer version; upgrade the bot instead of downgrading the data"
        )
    if version == target:
        return dict(doc)  # nothing to rewrite: a shallow copy keeps the input untouched (deep is 10x dearer)
    current = copy.deepcopy(dict(doc))
    while version < target:
        step = migrations.get(version)
        if step is None:
            raise StorageError(f"no migration from schema {version} to {version + 1}")
        current = step(current)
        version += 1
        # The chain owns the version number, so a migration cannot forget or skip it.
        current[SCHEMA_KEY] = version
    return current
