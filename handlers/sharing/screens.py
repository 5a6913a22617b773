"""Caregivers on screen: /share (invites), /members (roles, removing), /leave, /cases and joining."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from handlers.menu import screens as menu
from handlers.menu.taps import MenuTap
from handlers.plumbing.callbacks import Tap
from handlers.plumbing.turn import Screen, Turn, button_for, page_row, paginate
from handlers.prompts.asking import show_prompt
from handlers.sharing.taps import (
    CasesPageTap,
    CasesTap,
    DeclineTap,
    DeletePlanTap,
    DeletePlanYesTap,
    EditorsInviteTap,
    GroupLanguageTap,
    HandOverTap,
    HandOverYesTap,
    JoinTap,
    LeaveTap,
    LeaveYesTap,
    MembersTap,
    MemberTap,
    NewCaseTap,
    NewInviteTap,
    RemoveMemberTap,
    RemoveMemberYesTap,
    RevokeInviteTap,
    SetRoleTap,
    ShareTap,
    UnlinkGroupTap,
    UnlinkGroupYesTap,
    UseCaseTap,
)
from journey import cases, language, limits, prompts, sharing
from journey.access import find_member, require_member
from journey.activity import Change, ChangeKind
from journey.errors import Gone, InviteUnknown
from journey.ids import new_case_id
from journey.language import LANGUAGES, Language
from journey.models import Case, GroupChat, Member, PromptKind, Role
from service.work import News


def plan_name(turn: Turn, case: Case | None = None) -> str:
    """ "Ann's plan": the patient's name if given, else the owner's."""
    case = case or turn.case
    owner = find_member(case, case.owner_id)
    # Plain text (a button label too); templates escape it where it goes into HTML.
    return turn.label("plan_name", case=case, owner=owner.name if owner else None)


def _names(case: Case) -> dict[int, str | None]:
    return {m.user_id: m.name for m in case.members}


# --- /share -------------------------------------------------------------------------------------------


def show_share(turn: Turn, _: ShareTap | None = None) -> Screen:
    require_member(turn.case, turn.user_id)
    if not sharing.may_invite(turn.case, turn.user_id):
        return Screen(turn.render("errors/owner_only"), ((_members_button(turn), _menu(turn)),))
    invites = sharing.open_invites(turn.case, turn.now)
    rows: list[list[InlineKeyboardButton]] = [
        [
            turn.button(turn.label("invite_editor"), NewInviteTap(Role.EDITOR)),
            turn.button(turn.label("invite_viewer"), NewInviteTap(Role.VIEWER)),
        ]
    ]
    rows += [
        [turn.button(turn.label("revoke_invite", n=n), RevokeInviteTap(i.id))]
        for n, i in enumerate(invites, 1)
    ]
    rows.append([_members_button(turn), _menu(turn)])
    return turn.screen("sharing/share", rows, invites=invites, names=_names(turn.case))


def on_new_invite(turn: Turn, tap: NewInviteTap) -> Screen:
    made = sharing.create_invite(turn.case, turn.user_id, tap.role, turn.now, turn.new_id)
    link = f"https://t.me/{turn.services.bot_username()}?start={made.token}"
    rows = [
        [turn.button(turn.label("revoke_this"), RevokeInviteTap(made.invite.id))],
        [turn.button(turn.label("invite_another"), ShareTap()), _menu(turn)],
    ]
    return turn.screen("sharing/invite", rows, invite=made.invite, link=link)


def on_revoke_invite(turn: Turn, tap: RevokeInviteTap) -> Screen:
    sharing.revoke_invite(turn.case, turn.user_id, tap.invite)
    return show_share(turn).with_head(turn.render("invite_revoked_done"))


def on_editors_invite(turn: Turn, _: EditorsInviteTap) -> Screen:
    sharing.toggle_editors_can_invite(turn.case, turn.user_id)
    return show_members(turn)


# --- /members -----------------------------------------------------------------------------------------


def show_members(turn: Turn, _: MembersTap | None = None) -> Screen:
    me = require_member(turn.case, turn.user_id)
    is_owner = me.role is Role.OWNER
    rows: list[list[InlineKeyboardButton]] = []
    if is_owner:
        for m in turn.case.members:
            if m.user_id != turn.user_id:
                role = turn.render(f"sharing/role_{m.role.value}").lower()
                rows.append([turn.button(turn.label("member", name=m.name, role=role), MemberTap(m.user_id))])
        for n, group in enumerate(turn.case.groups, 1):
            now = language.of_chat(turn.case, group.chat_id, turn.user_id)
            after = LANGUAGES[(LANGUAGES.index(now) + 1) % len(LANGUAGES)]
            rows.append(
                [
                    turn.button(turn.label("unlink_group", n=n), UnlinkGroupTap(-group.chat_id)),
                    turn.button(
                        turn.label("group_language", name=turn.label(f"language_{now}")),
                        GroupLanguageTap(-group.chat_id, Language(after)),
                    ),
                ]
            )
        rows.append(
            [turn.button(turn.label("editors_invite", on=turn.case.editors_can_invite), EditorsInviteTap())]
        )
    if sharing.may_invite(turn.case, turn.user_id):
        rows.append([turn.button(turn.label("invite_someone"), ShareTap())])
    rows.append([turn.button(turn.label("leave"), LeaveTap()), _menu(turn)])
    return turn.screen(
        "sharing/members",
        rows,
        plan=plan_name(turn),
        members=turn.case.members,
        me=turn.user_id,
        is_owner=is_owner,
        groups=turn.case.groups,
        names=_names(turn.case),
    )


def _member(turn: Turn, user_id: int) -> Member:
    member = find_member(turn.case, user_id)
    if member is None:
        raise Gone()
    return member


def show_member(turn: Turn, tap: MemberTap) -> Screen:
    return member_screen(turn, tap.user)


def member_screen(turn: Turn, user_id: int) -> Screen:
    member = _member(turn, user_id)
    user_id = member.user_id
    mine = require_member(turn.case, turn.user_id)
    rows: list[list[InlineKeyboardButton]] = []
    if mine.role is Role.OWNER and user_id != turn.user_id:
        other_role = Role.VIEWER if member.role is Role.EDITOR else Role.EDITOR
        rows.append([turn.button(turn.label(f"make_{other_role.value}"), SetRoleTap(user_id, other_role))])
        rows.append([turn.button(turn.label("make_owner"), HandOverTap(user_id))])
        rows.append([turn.button(turn.label("remove_member"), RemoveMemberTap(user_id))])
    rows.append([turn.button(turn.label("back"), MembersTap()), _menu(turn)])
    inviter = find_member(turn.case, member.invited_by) if member.invited_by else None
    return turn.screen("sharing/member", rows, m=member, inviter=inviter.name if inviter else None)


def on_set_role(turn: Turn, tap: SetRoleTap) -> Screen:
    sharing.set_role(turn.case, turn.user_id, tap.user, tap.role)
    return member_screen(turn, tap.user)


def on_remove_member(turn: Turn, tap: RemoveMemberTap) -> Screen:
    member = _member(turn, tap.user)
    rows = [
        [
            turn.button(turn.label("remove_yes"), RemoveMemberYesTap(member.user_id)),
            turn.button(turn.label("remove_no"), MemberTap(member.user_id)),
        ]
    ]
    groups = len(sharing.groups_linked_by(turn.case, member.user_id))
    return turn.screen("sharing/confirm_remove", rows, m=member, groups=groups)


def on_remove_member_yes(turn: Turn, tap: RemoveMemberYesTap) -> Screen:
    groups = sharing.groups_linked_by(turn.case, tap.user)
    member = sharing.remove_member(turn.case, turn.user_id, tap.user)
    screen = show_members(turn)
    # The owner did this, so the news to others skips them: their own screen says what went with it.
    if groups:
        return screen.with_head(turn.render("sharing/groups_went", name=member.name, count=len(groups)))
    return screen


# --- linked group chats (owner) ---------------------------------------------------------------------------


def on_group_language(turn: Turn, tap: GroupLanguageTap) -> Screen:
    """What the group reads from now on: its news, reminders and replies there."""
    language.choose_for_group(turn.case, turn.user_id, tap.chat_id, tap.language)
    return show_members(turn)


def on_unlink_group(turn: Turn, tap: UnlinkGroupTap) -> Screen:
    group = sharing.group_to_unlink(turn.case, turn.user_id, tap.chat_id)
    rows = [
        [
            turn.button(turn.label("unlink_group_yes"), UnlinkGroupYesTap(tap.group)),
            turn.button(turn.label("remove_no"), MembersTap()),
        ]
    ]
    return turn.screen("sharing/confirm_unlink", rows, by=_linker(turn, group), at=group.linked_at)


def on_unlink_group_yes(turn: Turn, tap: UnlinkGroupYesTap) -> Screen:
    """The group hears once that it no longer follows the plan (news.py), and its chat link goes (work.py)."""
    sharing.remove_group(turn.case, turn.user_id, tap.chat_id)
    return show_members(turn).with_head(turn.render("sharing/group_unlinked_done"))


def _linker(turn: Turn, group: GroupChat) -> str | None:
    member = find_member(turn.case, group.linked_by)
    return member.name if member else None


def on_hand_over(turn: Turn, tap: HandOverTap) -> Screen:
    member = _member(turn, tap.user)
    rows = [
        [
            turn.button(turn.label("hand_over_yes"), HandOverYesTap(member.user_id)),
            turn.button(turn.label("back"), MemberTap(member.user_id)),
        ]
    ]
    return turn.screen("sharing/confirm_hand_over", rows, m=member)


def on_hand_over_yes(turn: Turn, tap: HandOverYesTap) -> Screen:
    sharing.hand_over(turn.case, turn.user_id, tap.user)
    return show_members(turn)


# --- /leave and deleting --------------------------------------------------------------------------------


def show_leave(turn: Turn, _: LeaveTap | None = None) -> Screen:
    me = require_member(turn.case, turn.user_id)
    is_owner = me.role is Role.OWNER
    alone = len(turn.case.members) == 1
    if is_owner:
        first = [turn.button(turn.label("members"), MembersTap())] if not alone else []
        rows = [first, [turn.button(turn.label("delete_plan"), DeletePlanTap())], [_menu(turn)]]
    else:
        rows = [
            [turn.button(turn.label("leave_yes"), LeaveYesTap()), turn.button(turn.label("keep"), MenuTap())]
        ]
    return turn.screen(
        "sharing/leave", rows, plan=plan_name(turn), is_owner=is_owner, owner_alone=is_owner and alone
    )


def on_leave_yes(turn: Turn, _: LeaveYesTap) -> Screen:
    plan = plan_name(turn)
    sharing.leave(turn.case, turn.user_id)
    # Their private chat still points here: service.work.locate moves it to another plan on their next message.
    others = [c for c in turn.services.repo.cases_of_user(turn.user_id) if c.id != turn.case.id]
    return Screen(turn.render("left", plan=plan, others=bool(others)))


def show_delete(turn: Turn, _: DeletePlanTap) -> Screen:
    sharing.check_can_delete(turn.case, turn.user_id)
    rows = [
        [
            turn.button(turn.label("delete_plan_yes"), DeletePlanYesTap()),
            turn.button(turn.label("keep"), MenuTap()),
        ]
    ]
    return turn.screen("sharing/delete", rows, plan=plan_name(turn))


def on_delete_yes(turn: Turn, _: DeletePlanYesTap) -> Screen:
    """Delete the case for everyone: files and chat links go, and the others are told once."""
    sharing.check_can_delete(turn.case, turn.user_id)
    news = News(turn.case, turn.case, [Change(ChangeKind.PLAN_DELETED)], turn.user_id, turn.chat_id)
    turn.unit.delete(farewell=news)
    return Screen(turn.render("deleted"))


# --- several plans ----------------------------------------------------------------------------------


def show_cases(turn: Turn, tap: CasesTap | CasesPageTap | None = None) -> Screen:
    """The plans this person is in, a page at a time: someone may help with many plans of others."""
    mine = turn.services.repo.cases_of_user(turn.user_id)
    page = paginate(mine, tap.page if isinstance(tap, CasesPageTap) else 0, limits.PLANS_PER_PAGE)
    plans = []
    rows: list[list[InlineKeyboardButton]] = []
    for case in page.items:
        member = find_member(case, turn.user_id)
        assert member is not None  # cases_of_user checks membership
        name = plan_name(turn, case)
        active = case.id == turn.case.id
        plans.append({"name": name, "role": member.role.value, "active": active})
        rows.append([_button_for(case, turn.label("plan", name=name, active=active), UseCaseTap())])
    rows.append(page_row(turn, page, CasesPageTap))
    rows.append([turn.button(turn.label("new_plan"), NewCaseTap())])
    rows.append([_menu(turn)])
    return turn.screen("sharing/cases", rows, plans=plans, page=page)


def _button_for(case: Case, label: str, tap: Tap) -> InlineKeyboardButton:
    """A button about another of the user's cases (the dispatcher checks membership there too)."""
    return button_for(case.id, label, tap)


def on_use_case(turn: Turn, _: UseCaseTap) -> Screen:
    """Work on this case from now on. Only a private chat switches; a group stays on its own case."""
    if not turn.in_group:
        turn.unit.link(turn.user_id, turn.case.id)
    return menu.show_menu(turn)


def on_new_case(turn: Turn, _: NewCaseTap) -> Screen:
    """Start a plan of one's own, next to the ones helped with; it becomes the active one."""
    if turn.in_group:
        raise Gone()
    theirs = turn.services.repo.cases_of_user(turn.user_id)
    case = cases.start_case(new_case_id(), turn.user_id, turn.now, theirs)
    own = Turn.of(turn.services, turn.unit, case, turn.new_id)
    prompt = prompts.ask(case, turn.user_id, PromptKind.PATIENT_NAME, where=turn.where)
    turn.unit.create(case)
    turn.unit.link(turn.user_id, case.id)
    return show_prompt(own, prompt).with_head(own.render("start/welcome"))


# --- joining by invite --------------------------------------------------------------------------------


def join_screen(turn: Turn, secret: str) -> Screen:
    """What the invited person sees before joining: who invites them, to what, and what they may do."""
    offer = sharing.preview_invite(turn.case, secret, turn.user_id, turn.now)
    inviter = find_member(turn.case, offer.invite.created_by)
    rows = [
        [turn.button(turn.label("join"), JoinTap(secret)), turn.button(turn.label("decline"), DeclineTap())]
    ]
    return turn.screen(
        "sharing/join",
        rows,
        inviter=inviter.name if inviter else None,
        plan=plan_name(turn),
        role=offer.role.value,
    )


def on_join(turn: Turn, tap: JoinTap) -> Screen:
    if turn.in_group:
        raise InviteUnknown()  # invites are accepted in a private chat only
    member = sharing.accept_invite(turn.case, tap.secret, turn.user_id, turn.user_name, turn.now)
    turn.save()
    turn.unit.link(turn.user_id, turn.case.id)
    head = turn.render("sharing/joined", name=member.name, plan=plan_name(turn))
    return menu.show_menu(turn).with_head(head)


def on_decline(turn: Turn, _: DeclineTap) -> Screen:
    return Screen(turn.render("declined"))


def _menu(turn: Turn) -> InlineKeyboardButton:
    return turn.button(turn.label("menu"), MenuTap())


def _members_button(turn: Turn) -> InlineKeyboardButton:
    return turn.button(turn.label("members"), MembersTap())
