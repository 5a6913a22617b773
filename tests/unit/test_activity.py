"""What counts as news for the other members, and who hears it."""

from __future__ import annotations

import copy
from datetime import timedelta

from journey import appointments, records, sharing, specialist
from journey.activity import Change, ChangeKind, audience, changes
from journey.models import CandidateStatus, Case, GroupChat, Member, Notify, RecordKind, RecordStatus, Role
from tests.unit.factories import NOW, OWNER, TODAY, VIEWER, new_case

HELPER = 333
GROUP = -900
K = ChangeKind


def _family() -> Case:
    case = new_case()  # owner + viewer
    case.members.append(Member(HELPER, Role.EDITOR, name="Dana"))
    case.groups.append(GroupChat(GROUP, linked_by=OWNER, linked_at=NOW))
    return case


def test_a_record_arriving_is_news_and_finishing_the_step_too() -> None:
    case = _family()
    for item in case.records.items[1:]:
        item.status = RecordStatus.NOT_NEEDED
    records.set_status(case, RecordKind.PATHOLOGY_REPORT, RecordStatus.SENT, TODAY)
    before = copy.deepcopy(case)
    records.set_status(case, RecordKind.PATHOLOGY_REPORT, RecordStatus.ARRIVED, TODAY)
    assert changes(before, case, HELPER) == [
        Change(K.RECORD, "path_report", "arrived"),
        Change(K.STEP_DONE, "records"),
    ]


def test_bookkeeping_is_not_news() -> None:
    case = _family()
    before = copy.deepcopy(case)
    records.set_status(case, RecordKind.LABS, RecordStatus.NOT_NEEDED, TODAY)
    case.profile.diagnosis = "something"
    assert changes(before, case, OWNER) == []


def test_visits_added_moved_and_cancelled_and_a_booked_doctor() -> None:
    case = _family()
    specialist.add_candidate(case, "c1", "Dr. Lee")
    before = copy.deepcopy(case)
    specialist.set_candidate_status(case, "c1", CandidateStatus.BOOKED)
    appointments.add(case, "a1", NOW + timedelta(days=9), "America/Chicago", NOW)
    found = changes(before, case, OWNER)
    assert Change(K.DOCTOR_BOOKED, "c1") in found and Change(K.VISIT_ADDED, "a1") in found
    assert Change(K.STEP_DONE, "specialist") in found
    before = copy.deepcopy(case)
    appointments.set_detail(case, "a1", "notes", "bring a friend")
    assert changes(before, case, OWNER) == []  # notes are not worth a message
    appointments.reschedule(case, "a1", NOW + timedelta(days=10), "America/Chicago")
    assert changes(before, case, OWNER) == [Change(K.VISIT_CHANGED, "a1")]
    before = copy.deepcopy(case)
    appointments.cancel(case, "a1")
    assert changes(before, case, OWNER) == [Change(K.VISIT_CANCELLED, "a1")]


def test_joining_leaving_and_being_removed() -> None:
    case = _family()
    before = copy.deepcopy(case)
    sharing.remove_member(case, OWNER, VIEWER)
    assert changes(before, case, OWNER) == [Change(K.REMOVED, str(VIEWER))]
    before = copy.deepcopy(case)
    sharing.leave(case, HELPER)
    assert changes(before, case, HELPER) == [Change(K.LEFT, str(HELPER))]


def test_everyone_but_the_actor_hears_by_their_choice_and_groups_hear_all() -> None:
    case = _family()
    case.members[1].settings.notify = Notify.APPOINTMENTS  # the viewer
    found = [Change(K.RECORD, "labs", "arrived"), Change(K.VISIT_ADDED, "a1")]
    out = {d.chat_id: d.changes for d in audience(case, case, found, HELPER, origin_chat=HELPER)}
    assert out == {OWNER: tuple(found), VIEWER: (found[1],), GROUP: tuple(found)}


def test_nobody_hears_in_the_chat_it_happened_in_and_silent_or_blocked_members_hear_nothing() -> None:
    case = _family()
    case.members[0].settings.notify = Notify.NONE
    case.members[1].settings.blocked = True
    found = [Change(K.VISIT_ADDED, "a1")]
    out = audience(case, case, found, HELPER, origin_chat=GROUP)
    assert out == []


def test_a_removed_member_is_told_privately_and_hears_nothing_else() -> None:
    case = _family()
    before = copy.deepcopy(case)
    sharing.remove_member(case, OWNER, HELPER)
    found = changes(before, case, OWNER)
    out = audience(before, case, found, OWNER, origin_chat=OWNER)
    assert [(d.chat_id, d.removed) for d in out] == [(VIEWER, False), (GROUP, False), (HELPER, True)]
    assert out[2].changes == ()


def test_when_the_member_who_linked_a_group_leaves_the_owner_hears_and_the_group_is_told_once() -> None:
    case = _family()
    case.groups.append(GroupChat(-901, linked_by=HELPER, linked_at=NOW))
    case.members[0].settings.notify = Notify.APPOINTMENTS  # the owner hears this whatever they chose
    before = copy.deepcopy(case)
    sharing.leave(case, HELPER)
    found = changes(before, case, HELPER)
    assert found == [Change(K.LEFT, str(HELPER)), Change(K.GROUP_UNLINKED, "-901", str(HELPER))]
    out = audience(before, case, found, HELPER, origin_chat=HELPER)
    by_chat = {d.chat_id: d for d in out}
    assert by_chat[OWNER].changes == (found[1],)
    assert by_chat[VIEWER].changes == tuple(found)  # they chose to hear everything
    assert by_chat[GROUP].changes == (found[0],)  # a group never hears about another group
    assert (by_chat[-901].unlinked, by_chat[-901].changes) == (True, ())
    assert [d.chat_id for d in out].count(-901) == 1


def test_a_group_unlinked_from_inside_it_is_not_told_again_there() -> None:
    case = _family()
    case.members[1].settings.notify = Notify.APPOINTMENTS  # the viewer: visits only
    before = copy.deepcopy(case)
    sharing.unlink_group(case, GROUP)  # /stop sent in the group: it sees the reply there
    found = changes(before, case, HELPER)
    out = audience(before, case, found, HELPER, origin_chat=GROUP)
    assert [(d.chat_id, d.unlinked) for d in out] == [(OWNER, False)]


def test_handing_the_plan_over_is_one_piece_of_news_not_two() -> None:
    """The owner who hands over steps down by that act; "Maria changed what Maria may do" would be noise."""
    before = _family()
    case = copy.deepcopy(before)
    sharing.hand_over(case, OWNER, HELPER)
    assert changes(before, case, OWNER) == [
        Change(ChangeKind.ROLE_CHANGED, subject=str(HELPER), value="owner")
    ]
