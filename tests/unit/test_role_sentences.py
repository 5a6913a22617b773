"""A role's label ("Can help", "Can look") is a label: every sentence about a role is that role's own
sentence, never the label dropped into another one ("They will can help.")."""

from __future__ import annotations

import copy
import re

import pytest

from journey import activity, sharing
from journey.activity import Change, ChangeKind
from journey.models import Member, RecordKind, RecordStatus, Role
from templates import Words
from tests.unit.factories import NOW, OWNER, new_case

WORDS = Words()
RENDERER = WORDS.default
LABELS = ("owner", "can help", "can look")
INVITE_ROLES = (Role.EDITOR, Role.VIEWER)


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n", plain(text)) if s.strip()]


def assert_no_label_inside_a_sentence(text: str) -> None:
    """A label may stand alone (a list item, "Dana · Can help"), not inside words around it."""
    for sentence in sentences(text):
        lowered = sentence.lower()
        for label in LABELS[1:]:
            assert f"will {label}" not in lowered and f"({label})" not in lowered, sentence
            assert not lowered.endswith(f": {label}."), sentence


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.EDITOR, "They will be able to make changes, like marking records as arrived."),
        (Role.VIEWER, "They will be able to see the plan and the visit, but not change anything."),
    ],
)
def test_the_invite_says_what_they_will_be_able_to_do(role: Role, expected: str) -> None:
    made = sharing.create_invite(new_case(), OWNER, role, NOW, "i1")
    text = RENDERER.render("sharing/invite", invite=made.invite, link="https://t.me/bot?start=x")
    assert expected in plain(text)
    assert_no_label_inside_a_sentence(text)


def test_every_role_a_person_can_be_invited_as_has_its_sentence() -> None:
    assert set(sharing.INVITE_ROLES) == set(INVITE_ROLES)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.OWNER, "Dana joined the plan as its owner."),
        (Role.EDITOR, "Dana joined the plan. They can make changes."),
        (Role.VIEWER, "Dana joined the plan. They can look, but not change anything."),
    ],
)
def test_news_of_someone_joining_says_what_they_can_do(role: Role, expected: str) -> None:
    change = Change(ChangeKind.JOINED, subject="7", value=role.value)
    text = RENDERER.render("news/joined", c=change, names={"7": "Dana"})
    assert plain(text) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.OWNER, "Maria made Dana the owner of the plan."),
        (Role.EDITOR, "Maria changed what Dana may do. Now they can make changes."),
        (Role.VIEWER, "Maria changed what Dana may do. Now they can look, but not change anything."),
    ],
)
def test_news_of_a_new_role_says_what_they_can_do_now(role: Role, expected: str) -> None:
    change = Change(ChangeKind.ROLE_CHANGED, subject="7", value=role.value)
    text = RENDERER.render("news/role", c=change, who="Maria", names={"7": "Dana"})
    assert plain(text) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.OWNER, "They own this plan and decide who is in it."),
        (Role.EDITOR, "They can make changes, like marking records as arrived."),
        (Role.VIEWER, "They can see the plan and the visit, but not change anything."),
    ],
)
def test_a_member_screen_names_the_role_and_says_it_in_a_sentence(role: Role, expected: str) -> None:
    member = Member(7, role, name="Dana")
    text = plain(RENDERER.render("sharing/member", m=member, inviter=None))
    label = RENDERER.render(f"sharing/role_{role.value}")
    assert text.splitlines()[:2] == [f"Dana · {label}", expected]
    assert_no_label_inside_a_sentence(text)


def test_news_of_a_record_in_hand_says_how_it_came() -> None:
    """A list the person writes (the medication list) is news that they wrote it; another record, that
    they have it now."""
    before = new_case()
    after = copy.deepcopy(before)
    for item in after.records.items:
        if item.kind in (RecordKind.MEDICATIONS, RecordKind.LABS):
            item.status = RecordStatus.RECEIVED
    found = [c for c in activity.changes(before, after, OWNER) if c.kind is ChangeKind.RECORD]
    said = sorted(plain(RENDERER.render("news/record", c=c, who="Dana")) for c in found)
    assert said == ["Dana has the lab work (blood tests) now.", "Dana wrote the medication list."]
