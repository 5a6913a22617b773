"""Which language each reader gets: proposed from Telegram once, chosen in /settings, a group's own."""

from __future__ import annotations

import pytest

from journey import language, sharing
from journey.errors import Gone, JourneyError
from journey.models import Member, Role
from tests.unit.factories import NOW, OWNER, new_case

HELPER, VIEWER, GROUP = 2002, 3003, -100500


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("es", "es"),
        ("es-MX", "es"),
        ("es-419", "es"),
        ("ES_us", "es"),
        ("en-GB", "en"),
        ("pt-br", "en"),  # a language we have no words in reads English
        ("", "en"),
        (None, "en"),
    ],
)
def test_telegram_language_codes_map_to_ours(code: str | None, expected: str) -> None:
    assert language.from_telegram(code) == expected


def test_a_member_gets_telegrams_language_once_and_their_choice_wins_after() -> None:
    case = new_case()
    assert language.of_member(case, OWNER) == "en"  # nothing known yet
    assert language.of_member(case, OWNER, "es") == "es"  # Telegram's guess, before it is kept
    assert language.propose(case, OWNER, "es-MX")
    assert language.of_member(case, OWNER) == "es"
    language.choose(case, OWNER, "en")
    assert not language.propose(case, OWNER, "es")  # the phone's setting never overrides a choice
    assert language.of_member(case, OWNER) == "en"


def test_someone_with_no_language_code_is_not_given_one() -> None:
    case = new_case()
    assert not language.propose(case, OWNER, None)
    assert case.members[0].settings.language is None


def test_a_language_we_do_not_speak_is_refused_and_changes_nothing() -> None:
    case = new_case()
    with pytest.raises(Gone):
        language.choose(case, OWNER, "fr")
    assert case.members[0].settings.language is None


def test_a_group_reads_its_linkers_language_until_someone_changes_it() -> None:
    case = new_case()
    case.members.append(Member(HELPER, Role.EDITOR))
    language.choose(case, OWNER, "es")
    sharing.link_group(case, GROUP, OWNER, NOW)
    language.choose(case, OWNER, "en")  # the owner's later choice is theirs, not the group's
    assert language.of_chat(case, GROUP, HELPER) == "es"  # anyone's message in the group: the group's words
    assert language.of_chat(case, HELPER, HELPER) == "en"  # the helper's private chat: their own
    language.choose_for_group(case, HELPER, GROUP, "en")
    assert language.of_chat(case, GROUP, OWNER) == "en"


def test_only_those_who_may_change_the_plan_change_a_groups_language() -> None:
    case = new_case()
    case.members.append(Member(VIEWER, Role.VIEWER))
    sharing.link_group(case, GROUP, OWNER, NOW)
    with pytest.raises(JourneyError):
        language.choose_for_group(case, VIEWER, GROUP, "es")
    with pytest.raises(Gone):
        language.choose_for_group(case, OWNER, -999, "es")  # not a group of this plan
    assert case.groups[0].language is None


def test_a_groups_copy_of_a_reminder_is_in_the_groups_language() -> None:
    """A reminder drawn for a group is rendered with the group's own id as the reader (no chat given)."""
    case = new_case()
    sharing.link_group(case, GROUP, OWNER, NOW)
    language.choose_for_group(case, OWNER, GROUP, "es")
    assert language.of_chat(case, None, GROUP) == "es"
    assert language.of_chat(case, None, OWNER) == "en"  # the owner's own copy: the owner's language
