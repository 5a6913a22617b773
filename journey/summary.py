"""A visit's summary, once it is over: what was asked (with the answers), what they said, the outcome and
the next steps. It goes to the person who made it and, by their choice, to everyone in the plan: the
members who hear visit news (their choice in /settings) and the linked group chats.

Sending it to the others is a change to the plan (the visit's `shared_at`), so it is news like any other:
the unit of work writes one letter per reader in the same save, and the courier sends them. The plan
remembers the last choice (`Case.summary_to_all`) so the next visit's summary asks with it first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from journey import activity
from journey.access import require_editor
from journey.appointments import find_appointment
from journey.errors import JourneyError
from journey.models import Appointment, Case, Member
from journey.outcome import is_over
from journey.visit_mode import Line, lines


class NotOverYet(JourneyError):
    """A summary of a visit that is not over (moved later or cancelled meanwhile): nothing to sum up."""

    key = "outcome/not_yet"


@dataclass(frozen=True)
class Readers:
    """Who else gets the summary when it is sent to everyone."""

    people: tuple[Member, ...]
    groups: int  # linked group chats (other than the one it is sent from)

    @property
    def anyone(self) -> bool:
        return bool(self.people) or self.groups > 0


def asked(case: Case, visit: Appointment) -> list[Line]:
    """The questions marked asked at this visit, top ones first, each with what was kept for it."""
    return [line for line in lines(case, visit) if line.asked]


def others(case: Case, actor: int, origin_chat: int | None) -> bool:
    """Is there anyone at all to send it to: another member, or a group chat other than this one?"""
    return any(m.user_id != actor for m in case.members) or any(g.chat_id != origin_chat for g in case.groups)


def readers(case: Case, actor: int, origin_chat: int | None) -> Readers:
    """The members who would get it (not the actor, not the chat it is sent from, not those who hear no
    news or blocked the bot), and the group chats: the same rule the news follows (journey/activity.py)."""
    change = activity.Change(activity.ChangeKind.SUMMARY)
    people = tuple(
        m
        for m in case.members
        if m.user_id not in (actor, origin_chat)
        and not m.settings.blocked
        and activity.hears(m.settings.notify, change)
    )
    groups = sum(1 for g in case.groups if g.chat_id != origin_chat)
    return Readers(people, groups)


def over(case: Case, visit_id: str, now: datetime) -> Appointment:
    """The visit to sum up: in the plan and over. Raises Gone or NotOverYet."""
    visit = find_appointment(case, visit_id)
    if not is_over(visit, now):
        raise NotOverYet()
    return visit


def send_to_all(case: Case, actor: int, visit_id: str, now: datetime) -> Appointment:
    """Send this visit's summary to everyone in the plan (the save writes the letters), and remember it.
    Only someone who may change the plan may send it to others (ReadOnly otherwise)."""
    require_editor(case, actor)
    visit = over(case, visit_id, now)
    visit.shared_at = now
    case.summary_to_all = True
    return visit


def keep_to_self(case: Case, actor: int, visit_id: str, now: datetime) -> Appointment:
    """Only the person who made it gets it; the plan remembers that choice for the next visit."""
    require_editor(case, actor)
    visit = over(case, visit_id, now)
    case.summary_to_all = False
    return visit
