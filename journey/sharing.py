"""Caregivers: invites, roles, leaving, and the group chats that follow a case.

Invite links carry a 128-bit secret from `secrets`; the case keeps only its sha256, so a copy of the data
directory cannot be turned into working links. A link is single-use and expires. Every function here
checks who is acting: the edge passes what Telegram says about the user, never what a button claims.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from journey import outbox, reminders, text
from journey.access import find_member, require_editor, require_member
from journey.errors import (
    AlreadyMember,
    Gone,
    InviteExpired,
    InviteMakerCannot,
    InviteRevoked,
    InviteUnknown,
    InviteUsed,
    NotYourself,
    OwnerMustStay,
    OwnerOnly,
    TooManyItems,
    TooManyMembers,
)
from journey.models import Case, GroupChat, Invite, InviteStatus, Member, Notify, Role

INVITE_LIFETIME = timedelta(days=7)
MAX_MEMBERS = 12  # a family and a friend or two; more would be a crowd in one plan
MAX_OPEN_INVITES = 10
SECRET_BYTES = 16  # 128 bits
SECRET_LENGTH = 22  # token_urlsafe(16) is 22 characters
# A deep-link start parameter: case id followed by the secret (Telegram allows A-Z a-z 0-9 _ -, 64 at most).
_TOKEN = re.compile(rf"^([A-Za-z0-9_-]{{6,32}})([A-Za-z0-9_-]{{{SECRET_LENGTH}}})$")
INVITE_ROLES = (Role.EDITOR, Role.VIEWER)
_RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.OWNER: 2}


@dataclass(frozen=True)
class NewInvite:
    invite: Invite
    token: str  # shown once, in the link; never stored


@dataclass(frozen=True)
class Offer:
    """An invite as it stands now: what joining by it gives (never more than its maker has today)."""

    invite: Invite
    role: Role


@dataclass(frozen=True)
class InviteToken:
    case_id: str
    secret: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def may_invite(case: Case, user_id: int) -> bool:
    member = find_member(case, user_id)
    if member is None:
        return False
    return member.role is Role.OWNER or (member.role is Role.EDITOR and case.editors_can_invite)


def create_invite(case: Case, by: int, role: Role, now: datetime, invite_id: str) -> NewInvite:
    require_member(case, by)
    if not may_invite(case, by):
        raise OwnerOnly()
    if role not in INVITE_ROLES:
        raise Gone()
    if len(open_invites(case, now)) >= MAX_OPEN_INVITES:
        raise TooManyItems(limit=MAX_OPEN_INVITES)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    invite = Invite(
        id=invite_id,
        secret_hash=_hash(secret),
        role=role,
        created_by=by,
        created_at=now,
        expires_at=now + INVITE_LIFETIME,
    )
    case.invites.append(invite)
    return NewInvite(invite, case.id + secret)


def parse_token(token: str) -> InviteToken:
    match = _TOKEN.fullmatch(token.strip())
    if match is None:
        raise InviteUnknown()
    return InviteToken(match.group(1), match.group(2))


def find_invite(case: Case, secret: str, now: datetime) -> Invite:
    """The open invite this secret unlocks; else why not (used, its maker may no longer invite, revoked,
    expired, unknown)."""
    wanted = _hash(secret)
    # Compare every hash in constant time, so timing says nothing about near misses.
    found = [i for i in case.invites if hmac.compare_digest(i.secret_hash, wanted)]
    if not found:
        raise InviteUnknown()
    invite = found[0]
    if invite.status is InviteStatus.USED:
        raise InviteUsed()
    if not _maker_may_invite(case, invite):
        raise InviteMakerCannot()  # before "revoked": asking its maker again would not help
    if invite.status is InviteStatus.REVOKED:
        raise InviteRevoked()
    if now >= invite.expires_at:
        raise InviteExpired()
    return invite


def _maker_may_invite(case: Case, invite: Invite) -> bool:
    """An invite lets people in on its maker's word: only while the maker is in the plan and may invite."""
    return may_invite(case, invite.created_by)


def granted_role(case: Case, invite: Invite) -> Role:
    """The role joining by this invite gives now: the invite's, but never above its maker's role today."""
    maker = find_member(case, invite.created_by)
    if maker is None or not may_invite(case, maker.user_id):
        raise InviteMakerCannot()
    return invite.role if _RANK[invite.role] <= _RANK[maker.role] else maker.role


def preview_invite(case: Case, secret: str, user_id: int, now: datetime) -> Offer:
    """The invite as its opener sees it before joining; refused if it cannot be accepted by them."""
    invite = find_invite(case, secret, now)
    if find_member(case, user_id) is not None:
        raise AlreadyMember()
    return Offer(invite, granted_role(case, invite))


def accept_invite(case: Case, secret: str, user_id: int, name: str | None, now: datetime) -> Member:
    """Join the case with the invite's role, checked against its maker's rights at this moment (an
    invite never gives more than its maker has now). The invite is used up, whoever opens it first."""
    offer = preview_invite(case, secret, user_id, now)
    invite = offer.invite
    if len(case.members) >= MAX_MEMBERS:
        raise TooManyMembers(limit=MAX_MEMBERS)
    invite.status = InviteStatus.USED
    invite.used_by = user_id
    invite.used_at = now
    member = Member(
        user_id=user_id,
        role=offer.role,
        name=clean_name(name),
        joined_at=now,
        invited_by=invite.created_by,
    )
    case.members.append(member)
    return member


def open_invites(case: Case, now: datetime) -> list[Invite]:
    return [i for i in case.invites if i.status is InviteStatus.OPEN and now < i.expires_at]


def revoke_invite(case: Case, by: int, invite_id: str) -> Invite:
    """Cancel an open invite: its link stops working. The owner or whoever made it may."""
    member = require_member(case, by)
    invite = next((i for i in case.invites if i.id == invite_id), None)
    if invite is None or invite.status is not InviteStatus.OPEN:
        raise Gone()
    if member.role is not Role.OWNER and invite.created_by != by:
        raise OwnerOnly()
    invite.status = InviteStatus.REVOKED
    return invite


def withdraw_unbacked_invites(case: Case) -> list[Invite]:
    """Open invites their makers could not make today (taken off, made "Can look", helpers may no longer
    invite, or offering more than the maker now has) stop working. The owner's own are always backed."""
    withdrawn = []
    for invite in case.invites:
        if invite.status is not InviteStatus.OPEN:
            continue
        maker = find_member(case, invite.created_by)
        if maker is None or not may_invite(case, maker.user_id) or _RANK[invite.role] > _RANK[maker.role]:
            invite.status = InviteStatus.REVOKED
            withdrawn.append(invite)
    return withdrawn


def _require_owner(case: Case, by: int) -> Member:
    member = require_member(case, by)
    if member.role is not Role.OWNER:
        raise OwnerOnly()
    return member


def _other_member(case: Case, by: int, user_id: int) -> Member:
    _require_owner(case, by)
    if user_id == by:
        raise NotYourself()
    target = find_member(case, user_id)
    if target is None:
        raise Gone()
    return target


def set_role(case: Case, by: int, user_id: int, role: Role) -> Member:
    if role not in INVITE_ROLES:
        raise Gone()
    target = _other_member(case, by, user_id)
    target.role = role
    target.prompt = None  # a question asked while they could edit must not be answered as a viewer
    withdraw_unbacked_invites(case)  # links they handed out as a helper give no more than they have now
    return target


def hand_over(case: Case, by: int, user_id: int) -> Member:
    """Make another member the owner; the old owner stays on as an editor."""
    target = _other_member(case, by, user_id)
    owner = require_member(case, by)
    target.role = Role.OWNER
    owner.role = Role.EDITOR
    withdraw_unbacked_invites(case)  # the old owner's links now stand on a helper's rights
    return target


def remove_member(case: Case, by: int, user_id: int) -> Member:
    """Take someone off the case. Their reminders go with them at the next re-plan (the same save), and
    so do the group chats they linked (see `_drop`)."""
    target = _other_member(case, by, user_id)
    _drop(case, target)
    return target


def leave(case: Case, user_id: int) -> Member:
    """Leave the case. The owner may not while others are in it (nobody could manage it)."""
    member = require_member(case, user_id)
    if member.role is Role.OWNER:
        raise OwnerMustStay(alone=len(case.members) == 1)
    _drop(case, member)
    return member


def _drop(case: Case, member: Member) -> None:
    case.members = [m for m in case.members if m.user_id != member.user_id]
    # Links they handed out would still let people in on their word: stop them.
    withdraw_unbacked_invites(case)
    # A group they linked is their family's chat, not the plan's: it stops hearing the plan's news.
    case.groups = [g for g in case.groups if g.linked_by != member.user_id]


def check_can_delete(case: Case, by: int) -> None:
    """Deleting the plan removes it for everyone: only the owner may."""
    _require_owner(case, by)


def toggle_editors_can_invite(case: Case, by: int) -> bool:
    _require_owner(case, by)
    case.editors_can_invite = not case.editors_can_invite
    withdraw_unbacked_invites(case)  # turned off: the links helpers made stop working
    return case.editors_can_invite


def set_notify(case: Case, user_id: int, level: Notify) -> None:
    require_member(case, user_id).settings.notify = level


def note_name(member: Member, name: str | None) -> bool:
    """Keep the member's first name current (Telegram's, so others see who did what). True if changed."""
    cleaned = clean_name(name)
    if cleaned is None or cleaned == member.name:
        return False
    member.name = cleaned
    return True


def clean_name(name: str | None) -> str | None:
    # Telegram's name, not the user's typing: squeeze and cut rather than refuse (journey/text.py).
    return text.name(name)


def link_group(case: Case, chat_id: int, by: int, now: datetime) -> GroupChat:
    """Make a group chat the case's progress chat. Only an owner or editor may."""
    require_editor(case, by)
    existing = next((g for g in case.groups if g.chat_id == chat_id), None)
    if existing is not None:
        return existing
    # The group reads what its linker reads, until someone changes it (journey/language.py).
    linker = find_member(case, by)
    group = GroupChat(chat_id, by, now, linker.settings.language if linker is not None else None)
    case.groups.append(group)
    return group


def unlink_group(case: Case, chat_id: int) -> bool:
    """Forget a group (someone unlinked it, or the bot was removed from it). True if it was linked."""
    before = len(case.groups)
    case.groups = [g for g in case.groups if g.chat_id != chat_id]
    return len(case.groups) != before


def find_group(case: Case, chat_id: int) -> GroupChat:
    group = next((g for g in case.groups if g.chat_id == chat_id), None)
    if group is None:
        raise Gone()
    return group


def group_to_unlink(case: Case, by: int, chat_id: int) -> GroupChat:
    """The linked group the owner asks to unlink (only the owner may, whoever linked it)."""
    _require_owner(case, by)
    return find_group(case, chat_id)


def remove_group(case: Case, by: int, chat_id: int) -> GroupChat:
    """The owner unlinks a group chat: it gets no more news or reminders (and is told once)."""
    group = group_to_unlink(case, by, chat_id)
    unlink_group(case, chat_id)
    return group


def groups_linked_by(case: Case, user_id: int) -> list[GroupChat]:
    return [g for g in case.groups if g.linked_by == user_id]


def move_group(case: Case, old_id: int, new_id: int) -> bool:
    """Telegram made the group a supergroup, with a new chat id: the link, the group's reminders and the
    news waiting for it move to the new id. True if this plan followed the group (a repeat is harmless)."""
    group = next((g for g in case.groups if g.chat_id == old_id), None)
    if group is None:
        return False
    if any(g.chat_id == new_id for g in case.groups):
        unlink_group(case, old_id)
    else:
        group.chat_id = new_id
    reminders.move_chat(case, old_id, new_id)
    outbox.move_chat(case, old_id, new_id)
    return True


def chat_works_on(case: Case, chat_id: int, user_id: int) -> bool:
    """Whether this chat works on this plan: a group while the plan lists it, a private chat while the
    person is a member. A chat's stored link is only a hint; this is the rule."""
    if chat_id != user_id:
        return any(g.chat_id == chat_id for g in case.groups)
    return find_member(case, user_id) is not None
