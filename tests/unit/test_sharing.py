"""Caregiver rules: invites (unguessable, hashed, single-use, expiring, revocable), roles, leaving, groups."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest

from journey import appointments, prompts, sharing
from journey.access import find_member, require_editor
from journey.errors import (
    AlreadyMember,
    Gone,
    InviteExpired,
    InviteRevoked,
    InviteUnknown,
    InviteUsed,
    NotAMember,
    NotYourself,
    OwnerMustStay,
    OwnerOnly,
    ReadOnly,
    TooManyMembers,
)
from journey.models import Case, InviteStatus, Member, Prompt, PromptKind, Role
from journey.reminders import plan_reminders
from storage.codec import case_to_dict
from tests.unit.factories import NOW, OWNER, STRANGER, VIEWER, new_case

HELPER = 333


def _role(case: Case, user_id: int) -> Role | None:
    member = find_member(case, user_id)
    return member.role if member else None


def _invite(case: Case, role: Role = Role.EDITOR, by: int = OWNER, invite_id: str = "inv1") -> str:
    return sharing.create_invite(case, by, role, NOW, invite_id).token


def test_token_has_128_random_bits_and_only_its_hash_is_stored() -> None:
    case = new_case()
    token = _invite(case)
    parsed = sharing.parse_token(token)
    assert parsed.case_id == case.id and len(parsed.secret) == 22  # 22 base64url chars = 132 bits >= 128
    stored = json.dumps(case_to_dict(case))
    assert parsed.secret not in stored and token not in stored
    assert len(token) <= 64  # Telegram's limit for a deep-link start parameter
    assert {_invite(case, invite_id=f"i{n}") for n in range(8)}.isdisjoint({token})
    assert len({_invite(new_case(), invite_id="x") for _ in range(50)}) == 50


def test_accepting_adds_the_member_with_the_invites_role_once() -> None:
    case = new_case()
    token = _invite(case, Role.EDITOR)
    secret = sharing.parse_token(token).secret
    member = sharing.accept_invite(case, secret, HELPER, "Dana", NOW)
    assert (member.role, member.name, member.invited_by, member.joined_at) == (
        Role.EDITOR,
        "Dana",
        OWNER,
        NOW,
    )
    assert case.invites[0].status is InviteStatus.USED and case.invites[0].used_by == HELPER
    with pytest.raises(InviteUsed):
        sharing.accept_invite(case, secret, STRANGER, "Eve", NOW)
    assert all(m.user_id != STRANGER for m in case.members)


@pytest.mark.parametrize(
    ("spoil", "error"),
    [
        (lambda case, secret: sharing.revoke_invite(case, OWNER, "inv1"), InviteRevoked),
        (lambda case, secret: None, InviteExpired),
    ],
    ids=["revoked", "expired"],
)
def test_revoked_and_expired_invites_let_nobody_in(spoil: object, error: type[Exception]) -> None:
    case = new_case()
    secret = sharing.parse_token(_invite(case)).secret
    spoil(case, secret)  # type: ignore[operator]
    later = NOW + (sharing.INVITE_LIFETIME if error is InviteExpired else timedelta(0))
    before = [dataclasses.replace(m) for m in case.members]
    with pytest.raises(error):
        sharing.accept_invite(case, secret, HELPER, "Dana", later)
    assert case.members == before


def test_an_invite_is_still_good_one_minute_before_it_expires() -> None:
    case = new_case()
    secret = sharing.parse_token(_invite(case)).secret
    sharing.accept_invite(case, secret, HELPER, None, NOW + sharing.INVITE_LIFETIME - timedelta(minutes=1))
    assert _role(case, HELPER) is Role.EDITOR


@pytest.mark.parametrize(
    "token",
    ["", "short", "A" * 27, "case-0001" + "A" * 22 + "!", "../../etc/passwd" + "A" * 22, "c" * 33 + "A" * 22],
)
def test_malformed_tokens_are_unknown(token: str) -> None:
    with pytest.raises(InviteUnknown):
        sharing.parse_token(token)


def test_a_guessed_secret_for_a_real_case_is_unknown() -> None:
    case = new_case()
    _invite(case)
    with pytest.raises(InviteUnknown):
        sharing.accept_invite(case, "A" * 22, STRANGER, None, NOW)


def test_a_member_cannot_join_twice_and_the_invite_stays_open() -> None:
    case = new_case()
    secret = sharing.parse_token(_invite(case)).secret
    with pytest.raises(AlreadyMember):
        sharing.accept_invite(case, secret, VIEWER, None, NOW)
    assert case.invites[0].status is InviteStatus.OPEN


def test_members_are_capped() -> None:
    case = new_case()
    case.members += [Member(1000 + n, Role.VIEWER) for n in range(sharing.MAX_MEMBERS - len(case.members))]
    secret = sharing.parse_token(_invite(case)).secret
    with pytest.raises(TooManyMembers):
        sharing.accept_invite(case, secret, HELPER, None, NOW)


def test_only_the_owner_invites_unless_helpers_may() -> None:
    case = new_case()
    case.members.append(Member(HELPER, Role.EDITOR))
    for who, error in ((HELPER, OwnerOnly), (VIEWER, OwnerOnly), (STRANGER, NotAMember)):
        with pytest.raises(error):
            _invite(case, by=who)
    assert sharing.toggle_editors_can_invite(case, OWNER) is True
    _invite(case, by=HELPER)
    with pytest.raises(OwnerOnly):
        _invite(case, by=VIEWER, invite_id="v")
    with pytest.raises(OwnerOnly):
        sharing.toggle_editors_can_invite(case, HELPER)


def test_the_owner_role_cannot_be_handed_out_by_invite() -> None:
    case = new_case()
    with pytest.raises(Gone):
        _invite(case, Role.OWNER)
    assert case.invites == []


def test_revoking_someone_elses_invite_needs_the_owner() -> None:
    case = new_case()
    case.editors_can_invite = True
    case.members += [Member(HELPER, Role.EDITOR), Member(444, Role.EDITOR)]
    _invite(case, by=HELPER, invite_id="h1")
    with pytest.raises(OwnerOnly):
        sharing.revoke_invite(case, 444, "h1")
    sharing.revoke_invite(case, OWNER, "h1")
    assert case.invites[0].status is InviteStatus.REVOKED


def test_owner_changes_roles_removes_and_hands_over_but_nobody_else_does() -> None:
    case = new_case()
    case.members.append(Member(HELPER, Role.EDITOR))
    with pytest.raises(OwnerOnly):
        sharing.set_role(case, HELPER, VIEWER, Role.EDITOR)
    with pytest.raises(OwnerOnly):
        sharing.remove_member(case, HELPER, VIEWER)
    with pytest.raises(NotYourself):
        sharing.set_role(case, OWNER, OWNER, Role.VIEWER)
    sharing.set_role(case, OWNER, HELPER, Role.VIEWER)
    with pytest.raises(ReadOnly):
        require_editor(case, HELPER)
    sharing.hand_over(case, OWNER, VIEWER)
    assert case.owner_id == VIEWER and _role(case, OWNER) is Role.EDITOR
    sharing.remove_member(case, VIEWER, OWNER)
    with pytest.raises(NotAMember):
        require_editor(case, OWNER)


def test_removing_a_member_revokes_their_invites_and_stops_their_reminders() -> None:
    case = new_case()
    case.editors_can_invite = True
    case.members.append(Member(HELPER, Role.EDITOR))
    _invite(case, by=HELPER, invite_id="h1")
    appointments.add(case, "a1", NOW + timedelta(days=10), "America/Chicago", NOW)
    assert any(r.user_id == HELPER for r in plan_reminders(case, NOW))
    sharing.remove_member(case, OWNER, HELPER)
    assert case.invites[0].status is InviteStatus.REVOKED
    assert all(r.user_id != HELPER for r in plan_reminders(case, NOW))


def test_the_owner_must_hand_over_before_leaving() -> None:
    case = new_case()
    with pytest.raises(OwnerMustStay) as refused:
        sharing.leave(case, OWNER)
    assert refused.value.details == {"alone": False}
    sharing.leave(case, VIEWER)
    assert [m.user_id for m in case.members] == [OWNER]
    with pytest.raises(OwnerMustStay) as refused:
        sharing.leave(case, OWNER)
    assert refused.value.details == {"alone": True}


def test_groups_are_linked_by_editors_only() -> None:
    case = new_case()
    with pytest.raises(ReadOnly):
        sharing.link_group(case, -100, VIEWER, NOW)
    with pytest.raises(NotAMember):
        sharing.link_group(case, -100, STRANGER, NOW)
    sharing.link_group(case, -100, OWNER, NOW)
    sharing.link_group(case, -100, OWNER, NOW)
    assert [g.chat_id for g in case.groups] == [-100]
    assert sharing.unlink_group(case, -100) is True and case.groups == []


def test_names_are_cleaned_and_kept_short() -> None:
    member = Member(HELPER, Role.EDITOR)
    assert sharing.note_name(member, "  Dana\n ") is True and member.name == "Dana"
    assert sharing.note_name(member, "Dana") is False
    assert sharing.note_name(member, "") is False and member.name == "Dana"
    sharing.note_name(member, "x" * 500)
    assert member.name is not None and len(member.name) <= 120


def test_a_viewer_answers_only_their_own_time_zone_question() -> None:
    case = new_case()
    prompts.ask(case, VIEWER, PromptKind.ZONE, prompts.OWN_SETTINGS)
    prompts.answer(case, VIEWER, "Chicago", "n1", NOW, NOW.date())
    assert find_member(case, VIEWER) is not None and case.members[1].settings.zone == "America/Chicago"
    with pytest.raises(ReadOnly):
        prompts.ask(case, VIEWER, PromptKind.CANDIDATE_NAME)


def test_a_question_pending_when_someone_is_made_a_viewer_is_dropped_and_cannot_be_answered() -> None:
    case = new_case()
    case.members.append(Member(HELPER, Role.EDITOR))
    prompts.ask(case, HELPER, PromptKind.CANDIDATE_NAME)
    sharing.set_role(case, OWNER, HELPER, Role.VIEWER)
    with pytest.raises(prompts.NothingPending):
        prompts.answer(case, HELPER, "Dr. Lee", "n1", NOW, NOW.date())
    find_member(case, HELPER).prompt = Prompt(PromptKind.CANDIDATE_NAME)  # type: ignore[union-attr]
    with pytest.raises(ReadOnly):
        prompts.answer(case, HELPER, "Dr. Lee", "n2", NOW, NOW.date())
    assert case.specialist.candidates == []


def test_a_chat_works_on_a_plan_only_while_the_plan_says_so() -> None:
    from journey.models import GroupChat

    case = new_case()
    assert sharing.chat_works_on(case, OWNER, OWNER)  # a member's private chat
    assert not sharing.chat_works_on(case, STRANGER, STRANGER)
    assert not sharing.chat_works_on(case, -500, OWNER)  # a group the plan does not list
    case.groups.append(GroupChat(-500, OWNER, NOW))
    assert sharing.chat_works_on(case, -500, STRANGER)  # the group, whoever writes in it
