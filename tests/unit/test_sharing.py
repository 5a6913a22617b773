"""Caregiver rules: invites (unguessable, hashed, single-use, expiring, revocable), roles, leaving, groups."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journey import appointments, prompts, reminders, sharing
from journey.access import find_member, require_editor
from journey.errors import (
    AlreadyMember,
    Gone,
    InviteExpired,
    InviteMakerCannot,
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
from journey.models import Case, GroupChat, InviteStatus, Letter, Member, Prompt, PromptKind, Role
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


# --- invites follow their maker ---------------------------------------------------------------------------


def _helper_case(helpers_may_invite: bool = True) -> Case:
    case = new_case()
    case.editors_can_invite = helpers_may_invite
    case.members.append(Member(HELPER, Role.EDITOR, name="Dana"))
    return case


def _status(case: Case, invite_id: str) -> InviteStatus:
    return next(i.status for i in case.invites if i.id == invite_id)


@pytest.mark.parametrize(
    "demote",
    [
        lambda case: sharing.set_role(case, OWNER, HELPER, Role.VIEWER),
        lambda case: sharing.toggle_editors_can_invite(case, OWNER),
        lambda case: sharing.remove_member(case, OWNER, HELPER),
        lambda case: sharing.leave(case, HELPER),
    ],
    ids=["made-can-look", "helpers-may-not-invite", "removed", "left"],
)
def test_a_helpers_invite_stops_when_they_may_no_longer_invite_but_the_owners_keeps_working(
    demote: object,
) -> None:
    case = _helper_case()
    helper_secret = sharing.parse_token(_invite(case, Role.EDITOR, by=HELPER, invite_id="h1")).secret
    owner_secret = sharing.parse_token(_invite(case, Role.EDITOR, by=OWNER, invite_id="o1")).secret
    demote(case)  # type: ignore[operator]
    assert _status(case, "h1") is InviteStatus.REVOKED
    assert _status(case, "o1") is InviteStatus.OPEN
    with pytest.raises(InviteMakerCannot):
        sharing.accept_invite(case, helper_secret, STRANGER, "Eve", NOW)
    assert find_member(case, STRANGER) is None
    assert sharing.accept_invite(case, owner_secret, 444, "Sam", NOW).role is Role.EDITOR


def test_joining_rechecks_the_maker_even_if_the_invite_was_left_open() -> None:
    # A plan saved before invites were withdrawn: the helper is a viewer now, their link still OPEN.
    case = _helper_case()
    secret = sharing.parse_token(_invite(case, Role.EDITOR, by=HELPER)).secret
    find_member(case, HELPER).role = Role.VIEWER  # type: ignore[union-attr]
    assert case.invites[0].status is InviteStatus.OPEN
    with pytest.raises(InviteMakerCannot) as refused:
        sharing.preview_invite(case, secret, STRANGER, NOW)
    assert refused.value.key == "errors/invite_maker_cannot"
    with pytest.raises(InviteMakerCannot):
        sharing.accept_invite(case, secret, STRANGER, "Eve", NOW)
    assert find_member(case, STRANGER) is None and case.invites[0].status is InviteStatus.OPEN
    # Made a helper again, with helpers allowed to invite: the link works again, as "Can help".
    find_member(case, HELPER).role = Role.EDITOR  # type: ignore[union-attr]
    assert sharing.accept_invite(case, secret, STRANGER, "Eve", NOW).role is Role.EDITOR


def test_an_old_owners_links_follow_the_helper_rights_they_have_after_handing_over() -> None:
    case = _helper_case(helpers_may_invite=False)
    _invite(case, Role.EDITOR, by=OWNER, invite_id="o1")
    sharing.hand_over(case, OWNER, HELPER)
    assert _status(case, "o1") is InviteStatus.REVOKED  # a helper who may not invite


_OPS = st.lists(
    st.sampled_from(["make_viewer", "make_editor", "toggle", "remove", "invite"]), min_size=0, max_size=8
)


@given(ops=_OPS, role=st.sampled_from(sharing.INVITE_ROLES))
def test_whatever_the_owner_changes_an_invite_never_gives_more_than_its_maker_has_at_that_moment(
    ops: list[str], role: Role
) -> None:
    case = _helper_case()
    secret = sharing.parse_token(_invite(case, role, by=HELPER)).secret
    for n, op in enumerate(ops):
        if op == "toggle":
            sharing.toggle_editors_can_invite(case, OWNER)
        elif op == "remove" and find_member(case, HELPER) is not None:
            sharing.remove_member(case, OWNER, HELPER)
        elif op.startswith("make_") and find_member(case, HELPER) is not None:
            sharing.set_role(case, OWNER, HELPER, Role.VIEWER if op == "make_viewer" else Role.EDITOR)
        elif op == "invite" and sharing.may_invite(case, HELPER):
            _invite(case, Role.VIEWER, by=HELPER, invite_id=f"x{n}")
    maker = find_member(case, HELPER)
    try:
        joined = sharing.accept_invite(case, secret, STRANGER, "Eve", NOW)
    except (InviteMakerCannot, InviteRevoked):
        # Refused (a link withdrawn once stays withdrawn, even if the maker may invite again): nobody joined.
        assert find_member(case, STRANGER) is None
        return
    assert maker is not None and sharing.may_invite(case, HELPER)
    ranks = {Role.VIEWER: 0, Role.EDITOR: 1, Role.OWNER: 2}
    assert ranks[joined.role] <= ranks[maker.role] and ranks[joined.role] <= ranks[role]


# --- groups follow the owner ------------------------------------------------------------------------------

GROUP = -4001
OTHER_GROUP = -4002


def _with_groups() -> Case:
    case = _helper_case()
    case.groups += [GroupChat(GROUP, HELPER, NOW), GroupChat(OTHER_GROUP, OWNER, NOW)]
    return case


def test_only_the_owner_unlinks_a_group_whoever_linked_it() -> None:
    case = _with_groups()
    for who, error in ((HELPER, OwnerOnly), (VIEWER, OwnerOnly), (STRANGER, NotAMember)):
        with pytest.raises(error):
            sharing.remove_group(case, who, GROUP)
    with pytest.raises(Gone):
        sharing.remove_group(case, OWNER, -1)
    assert sharing.remove_group(case, OWNER, GROUP).linked_by == HELPER
    assert [g.chat_id for g in case.groups] == [OTHER_GROUP]


@pytest.mark.parametrize(
    "drop",
    [lambda case: sharing.remove_member(case, OWNER, HELPER), lambda case: sharing.leave(case, HELPER)],
    ids=["removed", "left"],
)
def test_the_groups_a_member_linked_go_with_them(drop: object) -> None:
    case = _with_groups()
    assert sharing.groups_linked_by(case, HELPER) == [case.groups[0]]
    drop(case)  # type: ignore[operator]
    assert [g.chat_id for g in case.groups] == [OTHER_GROUP]
    assert not sharing.chat_works_on(case, GROUP, HELPER)


def test_a_member_made_can_look_keeps_the_group_they_linked() -> None:
    case = _with_groups()
    sharing.set_role(case, OWNER, HELPER, Role.VIEWER)
    assert [g.chat_id for g in case.groups] == [GROUP, OTHER_GROUP]


def test_a_group_that_becomes_a_supergroup_keeps_its_link_reminders_and_waiting_news() -> None:
    case = _with_groups()
    appointments.add(case, "a1", NOW + timedelta(days=10), "America/Chicago", NOW)
    reminders.replan(case, NOW)
    planned = sorted(r.kind for r in case.reminders if r.user_id == GROUP)
    assert planned  # the family chat hears the visit coming
    first = min(r.due_at for r in case.reminders if r.user_id == GROUP)
    later = first + timedelta(minutes=1)  # that one is due but not yet sent when the group moves
    case.outbox.append(Letter("l1", GROUP, "news", NOW))
    case.outbox.append(Letter("l2", OWNER, "news", NOW))
    new_id = -1001234567890

    assert sharing.move_group(case, GROUP, new_id) is True
    assert [g.chat_id for g in case.groups] == [new_id, OTHER_GROUP]
    assert case.groups[0].linked_by == HELPER
    assert [letter.chat_id for letter in case.outbox] == [new_id, OWNER]
    assert not [r for r in case.reminders if r.user_id == GROUP]
    reminders.replan(case, later)  # every save re-plans: the moved reminders are the planned ones
    assert sorted(r.kind for r in case.reminders if r.user_id == new_id) == planned
    assert [r.due_at for r in reminders.due(case, later) if r.user_id == new_id] == [first]
    assert sharing.chat_works_on(case, new_id, STRANGER) and not sharing.chat_works_on(case, GROUP, STRANGER)
    # Telegram says it twice (in the old group and in the new one): the second finds nothing to move.
    assert sharing.move_group(case, GROUP, new_id) is False
    assert [g.chat_id for g in case.groups] == [new_id, OTHER_GROUP]
