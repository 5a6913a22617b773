"""Caregivers: invites, members, leaving, several plans, joining: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.callbacks import Action as A
from handlers.plumbing.dispatch import OWN, SELF, Route
from handlers.sharing import screens as sharing_views

ROUTES: dict[A, Route] = {
    A.SHARE: Route(sharing_views.show_share),
    A.NEW_INVITE: Route(sharing_views.on_new_invite, access=OWN),
    A.REVOKE_INVITE: Route(sharing_views.on_revoke_invite, access=OWN),
    A.EDITORS_INVITE: Route(sharing_views.on_editors_invite, access=OWN),
    A.MEMBERS: Route(sharing_views.show_members),
    A.MEMBER: Route(sharing_views.show_member),
    A.SET_ROLE: Route(sharing_views.on_set_role, access=OWN),
    A.REMOVE_MEMBER: Route(sharing_views.on_remove_member, access=OWN),
    A.REMOVE_MEMBER_YES: Route(sharing_views.on_remove_member_yes, access=OWN),
    A.HAND_OVER: Route(sharing_views.on_hand_over, access=OWN),
    A.HAND_OVER_YES: Route(sharing_views.on_hand_over_yes, access=OWN),
    A.LEAVE: Route(sharing_views.show_leave),
    A.LEAVE_YES: Route(sharing_views.on_leave_yes, access=OWN),
    A.DELETE_PLAN: Route(sharing_views.show_delete),
    A.DELETE_PLAN_YES: Route(sharing_views.on_delete_yes, access=SELF),
    A.JOIN: Route(sharing_views.on_join, access=SELF),
    A.DECLINE: Route(sharing_views.on_decline, keeps_prompt=True, access=SELF),
    A.CASES: Route(sharing_views.show_cases),
    A.USE_CASE: Route(sharing_views.on_use_case),
    A.NEW_CASE: Route(sharing_views.on_new_case, access=SELF),
}
