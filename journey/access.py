"""Who may see and change a plan. Every change goes through here, whatever path it came by.

`require(case, user_id, right)` is the one answer to "may this person do this to this plan?": buttons,
typed answers, commands, shared locations, reminder buttons and group replies all ask it before acting.
`check_change` asks it once more when the unit of work saves, from what actually changed, so a side door
that forgot to ask (a button that reaches a rule by another way) still cannot write.
"""

from __future__ import annotations

import enum
from typing import Any

from journey.errors import NotAMember, OwnerOnly, ReadOnly
from journey.models import Case, Member, Role

EDIT_ROLES = frozenset({Role.OWNER, Role.EDITOR})


class Right(enum.Enum):
    LOOK = "look"  # see the plan: any member
    OWN = "own"  # change only their own settings, place or "Later": any member
    EDIT = "edit"  # change the plan itself (doctors, records, visits...): the owner and helpers who can edit
    OWNER = "owner"  # people and the plan as a whole: roles, removal, hand-over, deleting


def find_member(case: Case, user_id: int) -> Member | None:
    return next((m for m in case.members if m.user_id == user_id), None)


def may(case: Case | None, user_id: int, right: Right) -> bool:
    member = find_member(case, user_id) if case is not None else None
    if member is None:
        return False
    if right is Right.EDIT:
        return member.role in EDIT_ROLES
    if right is Right.OWNER:
        return member.role is Role.OWNER
    return True


def require(case: Case | None, user_id: int, right: Right) -> Member:
    """The member, if they have `right` on this plan. Raises NotAMember, ReadOnly or OwnerOnly (each has
    its own kind reply) and changes nothing."""
    member = find_member(case, user_id) if case is not None else None
    if member is None:
        raise NotAMember()
    if not may(case, user_id, right):
        raise OwnerOnly() if right is Right.OWNER else ReadOnly()
    return member


def require_member(case: Case | None, user_id: int) -> Member:
    """The member, for looking or changing only their own things. Raises NotAMember."""
    return require(case, user_id, Right.LOOK)


def require_editor(case: Case | None, user_id: int) -> Member:
    """The member, for changing the plan. Raises NotAMember or ReadOnly."""
    return require(case, user_id, Right.EDIT)


# --- at save time: the right a change needs, from the plan before and after it ------------------------


def check_change(before: Case, after: Case, actor: int, deleted: bool = False) -> None:
    """Raise unless `actor` had the right to turn `before` into `after` (or to delete it).

    The plan's content needs EDIT; other people's roles and places, and the plan's sharing switch, need
    OWNER. What a member may change of their own (settings, the question they were asked, leaving) and
    what the bot keeps by itself (reminders, news, the people's rules in journey/sharing.py, which check
    their own finer rights: joining by invite, revoking one's own invite, linking a group) are not judged
    here."""
    if deleted:
        require(before, actor, Right.OWNER)
        return
    if _content(before) != _content(after):
        require(before, actor, Right.EDIT)
    if _people(before, actor) != _people(after, actor):
        require(before, actor, Right.OWNER)


def _content(case: Case) -> tuple[Any, ...]:
    return (
        case.profile,
        case.specialist,
        case.records,
        case.insurance,
        case.questions,
        case.appointments,
        case.notes,
        case.first_plan,
        case.summary_to_all,
    )


def _people(case: Case, actor: int) -> tuple[Any, ...]:
    """Everyone else's place in the plan (the actor's own entry may change: joining, leaving, settings)."""
    others = sorted((m.user_id, m.role.value) for m in case.members if m.user_id != actor)
    return (case.editors_can_invite, others)
