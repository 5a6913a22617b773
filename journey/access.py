"""Who may see and change a case. Every action goes through here, whatever a button claims."""

from __future__ import annotations

from journey.errors import NotAMember, ReadOnly
from journey.models import Case, Member, Role

EDIT_ROLES = frozenset({Role.OWNER, Role.EDITOR})


def find_member(case: Case, user_id: int) -> Member | None:
    return next((m for m in case.members if m.user_id == user_id), None)


def require_member(case: Case | None, user_id: int) -> Member:
    """The member, for reading. Raises NotAMember for a missing case or a stranger."""
    member = find_member(case, user_id) if case is not None else None
    if member is None:
        raise NotAMember()
    return member


def require_editor(case: Case | None, user_id: int) -> Member:
    """The member, for changing the case. Raises NotAMember or ReadOnly."""
    member = require_member(case, user_id)
    if member.role not in EDIT_ROLES:
        raise ReadOnly()
    return member
