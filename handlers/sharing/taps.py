"""The buttons of caregivers: invites, members, leaving, several plans, joining."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.plumbing.callbacks import Tap, tap
from journey.language import Language
from journey.models import Role


@tap("sh")
@dataclass(frozen=True)
class ShareTap(Tap):
    """/share: invites."""


@tap("shn")
@dataclass(frozen=True)
class NewInviteTap(Tap):
    """A new invite link for this role."""

    role: Role


@tap("shr")
@dataclass(frozen=True)
class RevokeInviteTap(Tap):
    """Revoke an open invite."""

    invite: str  # its id


@tap("she")
@dataclass(frozen=True)
class EditorsInviteTap(Tap):
    """May editors invite others? (flips)"""


@tap("mb")
@dataclass(frozen=True)
class MembersTap(Tap):
    """/members."""


@tap("mbi")
@dataclass(frozen=True)
class MemberTap(Tap):
    """One member."""

    user: int  # Telegram user id


@tap("mbr")
@dataclass(frozen=True)
class SetRoleTap(Tap):
    """Change a member's role."""

    user: int
    role: Role


@tap("mbx")
@dataclass(frozen=True)
class RemoveMemberTap(Tap):
    """Remove a member: asks first."""

    user: int


@tap("mbX")
@dataclass(frozen=True)
class RemoveMemberYesTap(Tap):
    """Yes, remove them."""

    user: int


@tap("mbo")
@dataclass(frozen=True)
class HandOverTap(Tap):
    """Make a member the owner: asks first."""

    user: int


@tap("mbO")
@dataclass(frozen=True)
class HandOverYesTap(Tap):
    """Yes, hand the plan over."""

    user: int


@tap("mbg")
@dataclass(frozen=True)
class UnlinkGroupTap(Tap):
    """Stop a group chat following the plan (owner): asks first."""

    group: int  # the group's chat id without its minus sign (a tap's numbers are never negative)

    @property
    def chat_id(self) -> int:
        return -self.group


@tap("mbG")
@dataclass(frozen=True)
class UnlinkGroupYesTap(Tap):
    """Yes, unlink that group chat."""

    group: int

    @property
    def chat_id(self) -> int:
        return -self.group


@tap("lv")
@dataclass(frozen=True)
class LeaveTap(Tap):
    """/leave: asks first."""


@tap("lvY")
@dataclass(frozen=True)
class LeaveYesTap(Tap):
    """Yes, leave the plan."""


@tap("dl")
@dataclass(frozen=True)
class DeletePlanTap(Tap):
    """Delete the plan (owner): asks first."""


@tap("dlY")
@dataclass(frozen=True)
class DeletePlanYesTap(Tap):
    """Yes, delete the plan for everyone."""


@tap("jn")
@dataclass(frozen=True)
class JoinTap(Tap):
    """Join a plan by invite."""

    secret: str  # the invite's secret: it, not the button, is what lets someone in


@tap("jx")
@dataclass(frozen=True)
class DeclineTap(Tap):
    """Not now."""


@tap("cs")
@dataclass(frozen=True)
class CasesTap(Tap):
    """The plans this person is in."""


@tap("csp")
@dataclass(frozen=True)
class CasesPageTap(Tap):
    """A page of the plans this person is in (someone may help with many)."""

    page: int


@tap("csu")
@dataclass(frozen=True)
class UseCaseTap(Tap):
    """Make the plan in the data the active one."""


@tap("csn")
@dataclass(frozen=True)
class NewCaseTap(Tap):
    """Start a plan of one's own."""


@tap("mbl")
@dataclass(frozen=True)
class GroupLanguageTap(Tap):
    """The language a linked group reads (the owner's /members): each tap moves to the next one."""

    group: int  # the group's chat id without its minus sign
    language: Language

    @property
    def chat_id(self) -> int:
        return -self.group
