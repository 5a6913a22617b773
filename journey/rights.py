"""A person's rights over their data: take a copy of it (export) and erase it.

Plain rules on plans, with no files: the edge reads the plans through the repository and changes them
through the unit of work, one plan at a time under its lock (handlers/rights/, service/work.py).

Export (`export`): everything stored about the person, as plain JSON-ready data, format
"second-opinion-export" version 1 (docs/export.md). Each plan they are in, as their role lets them see it
(the same as the screens show them); their own place in it in full (settings, reminders, what the bot
waits for); of the other members only what /members shows (name, role, when they joined). Never the
secrets of invite links (only their hashes are kept anyway), nor anyone else's settings or questions.

Erasure: a plan they own is deleted whole (service/work.py Work.delete, the others are told). From a plan
they help with, they leave in two steps: `forget_name` first (so the news that they left, and any news
still waiting that names them, says "Someone"), then `forget_member`.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from markupsafe import escape

from journey import sharing
from journey.access import find_member
from journey.models import Case, InviteStatus, LetterStatus, Member, Role

FORMAT = "second-opinion-export"
VERSION = 1


# --- export --------------------------------------------------------------------------------------------


def plain(value: object) -> Any:
    """Dataclasses, enums, dates and lists as JSON-ready data (dates as ISO 8601 text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def export(cases: Iterable[Case], user_id: int, now: datetime) -> dict[str, Any]:
    """Everything stored about this person, in the documented format (docs/export.md)."""
    plans = [_plan(case, me) for case in cases if (me := find_member(case, user_id)) is not None]
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.isoformat(),
        "user_id": user_id,
        "plans": plans,
    }


def _plan(case: Case, me: Member) -> dict[str, Any]:
    return {
        "id": case.id,
        "your_role": me.role.value,
        "created_at": case.created_at.isoformat(),
        "last_change": (case.active_at or case.created_at).isoformat(),
        "patient": plain(case.profile),
        "specialist": plain(case.specialist),
        "records": plain(case.records),
        "insurance": plain(case.insurance),
        "questions": plain(case.questions),
        "visits": plain(case.appointments),
        "first_plan": case.first_plan,
        "summary_to_all": case.summary_to_all,
        "you": _you(me),
        "your_reminders": [plain(r) for r in case.reminders if r.user_id == me.user_id],
        "members": [
            {
                "name": m.name,
                "role": m.role.value,
                "joined_at": plain(m.joined_at),
                "is_you": m.user_id == me.user_id,
            }
            for m in case.members
        ],
        "linked_group_chats": [
            {"linked_at": g.linked_at.isoformat(), "linked_by_you": g.linked_by == me.user_id}
            for g in case.groups
        ],
        "editors_can_invite": case.editors_can_invite,
        "invites": _invites(case, me),
    }


def _you(me: Member) -> dict[str, Any]:
    """Their own place in the plan, in full: it is all theirs."""
    mine: dict[str, Any] = plain(me)
    return mine


def _invites(case: Case, me: Member) -> list[dict[str, Any]]:
    """Invite links as /share shows them (the owner: all; a helper who may invite: the open ones and
    their own), never the hash of a link's secret."""
    if not sharing.may_invite(case, me.user_id):
        return []
    return [
        {
            "id": i.id,
            "role": i.role.value,
            "status": i.status.value,
            "made_by_you": i.created_by == me.user_id,
            "created_at": i.created_at.isoformat(),
            "expires_at": i.expires_at.isoformat(),
            "used_at": plain(i.used_at),
        }
        for i in case.invites
        if me.role is Role.OWNER or i.created_by == me.user_id or i.status is InviteStatus.OPEN
    ]


# --- erasure -------------------------------------------------------------------------------------------


def owns(case: Case, user_id: int) -> bool:
    return find_member(case, user_id) is not None and case.owner_id == user_id


def forget_name(case: Case, user_id: int, instead: str) -> bool:
    """Before a helper leaves for good: their name goes from the plan, and news still waiting to be sent
    that names them says `instead` (plain text, e.g. "Someone"). True if anything changed."""
    member = find_member(case, user_id)
    if member is None or member.name is None:
        return False
    name, replacement = str(escape(member.name)), str(escape(instead))
    for letter in case.outbox:
        if letter.status is LetterStatus.PENDING and name in letter.text:
            letter.text = letter.text.replace(name, replacement)
    member.name = None
    return True


def forget_member(case: Case, user_id: int) -> Member:
    """A helper erases themselves from a plan: they leave it (as /leave does: their linked groups and
    invite links go with them), and what the plan kept about them goes too: their reminders, the news
    waiting for them, the invites they made or used, and who they invited."""
    member = sharing.leave(case, user_id)
    case.reminders = [r for r in case.reminders if r.user_id != user_id]
    case.outbox = [letter for letter in case.outbox if letter.chat_id != user_id]
    case.invites = [i for i in case.invites if user_id not in (i.created_by, i.used_by)]
    for other in case.members:
        if other.invited_by == user_id:
            other.invited_by = None
    return member
