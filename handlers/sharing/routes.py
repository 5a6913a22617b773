"""Caregivers: invites, members, leaving, several plans, joining: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.dispatch import OWN, SELF, Routes, route, table
from handlers.sharing import screens as sharing_views
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

ROUTES: Routes = table(
    route(ShareTap, sharing_views.show_share),
    route(NewInviteTap, sharing_views.on_new_invite, access=OWN),
    route(RevokeInviteTap, sharing_views.on_revoke_invite, access=OWN),
    route(EditorsInviteTap, sharing_views.on_editors_invite, access=OWN),
    route(MembersTap, sharing_views.show_members),
    route(MemberTap, sharing_views.show_member),
    route(SetRoleTap, sharing_views.on_set_role, access=OWN),
    route(RemoveMemberTap, sharing_views.on_remove_member, access=OWN),
    route(RemoveMemberYesTap, sharing_views.on_remove_member_yes, access=OWN),
    route(UnlinkGroupTap, sharing_views.on_unlink_group, access=OWN),
    route(GroupLanguageTap, sharing_views.on_group_language, access=OWN),
    route(UnlinkGroupYesTap, sharing_views.on_unlink_group_yes, access=OWN),
    route(HandOverTap, sharing_views.on_hand_over, access=OWN),
    route(HandOverYesTap, sharing_views.on_hand_over_yes, access=OWN),
    route(LeaveTap, sharing_views.show_leave),
    route(LeaveYesTap, sharing_views.on_leave_yes, access=OWN),
    route(DeletePlanTap, sharing_views.show_delete),
    route(DeletePlanYesTap, sharing_views.on_delete_yes, access=SELF),
    route(JoinTap, sharing_views.on_join, access=SELF),
    route(DeclineTap, sharing_views.on_decline, keeps_prompt=True, access=SELF),
    route(CasesTap, sharing_views.show_cases),
    route(CasesPageTap, sharing_views.show_cases),
    route(UseCaseTap, sharing_views.on_use_case),
    route(NewCaseTap, sharing_views.on_new_case, access=SELF),
)
