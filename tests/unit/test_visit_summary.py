"""A visit's summary: who may send it, who gets it (by their news choice), what it holds and that it fits one
message; the news of the decide-by date; a note typed in visit mode goes back to visit mode."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.outcome import summary as summary_screens
from handlers.plumbing.turn import Services, Turn
from handlers.sharing import news
from journey import access, appointments, deadline, outcome, prompts, questions, summary, visit_mode
from journey.activity import Change, ChangeKind, audience, changes, hears
from journey.errors import Gone, ReadOnly
from journey.models import Case, GroupChat, Member, Notify, OpinionSays, PromptKind, Role
from journey.text import LONG
from paper.sheet import prep_sheet
from sandbox.html_check import parse_html, utf16_len
from service.work import News
from storage import InMemoryCaseRepository
from templates import Renderer, Words
from tests.unit.factories import NOW, OWNER, VIEWER, new_case
from tests.unit.test_paper import read

HELPER = 333
QUIET = 444  # hears no news
GROUP = -900
WIDE = "Ω<&>" * 200


def _family() -> Case:
    """Owner, a viewer, a helper (Dana), a helper who hears nothing, a family group; a visit a week ago
    where one of two questions was asked and answered, a note, and what the opinion said."""
    case = new_case()
    case.members.append(Member(HELPER, Role.EDITOR, name="Dana"))
    quiet = Member(QUIET, Role.EDITOR, name="Sam")
    quiet.settings.notify = Notify.NONE
    case.members.append(quiet)
    case.groups.append(GroupChat(GROUP, linked_by=OWNER, linked_at=NOW))
    appointments.add(case, "v1", NOW - timedelta(days=7), "America/Chicago", NOW - timedelta(days=30))
    questions.add_own_question(case, "q1", "Can I keep working?")
    questions.add_own_question(case, "q2", "Is it safe to wait?")
    visit_mode.set_answer(case, "v1", "q1", "Yes, with rest days.")
    appointments.set_visit_note(case, "v1", "Come back in a month.")
    outcome.set_says(case, "v1", OpinionSays.CHANGES)
    outcome.set_advice(case, "v1", "Radiation first")
    return case


def _services() -> Services:
    return Services(InMemoryCaseRepository(), Words(), lambda: NOW, ZoneInfo("America/Chicago"))


# --- the journey rules -------------------------------------------------------------------------------


def test_only_questions_marked_asked_are_in_the_summary() -> None:
    case = _family()
    visit_mode.set_voice(case, "v1", "q2", "AwACvoice")
    visit_mode.set_asked(case, "v1", "q2", False)  # a voice note kept, but marked not asked after all
    assert [line.question.id for line in summary.asked(case, case.appointments[0])] == ["q1"]
    visit_mode.set_asked(case, "v1", "q2", True)
    assert [line.question.id for line in summary.asked(case, case.appointments[0])] == ["q1", "q2"]


def test_sending_to_everyone_is_news_for_who_hears_visit_news_and_the_group() -> None:
    case = _family()
    before = copy.deepcopy(case)
    summary.send_to_all(case, OWNER, "v1", NOW)
    assert case.summary_to_all is True and case.appointments[0].shared_at == NOW
    found = changes(before, case, OWNER)
    assert found == [Change(ChangeKind.SUMMARY, "v1", "second")]
    told = {d.chat_id for d in audience(before, case, found, OWNER, OWNER)}
    assert told == {VIEWER, HELPER, GROUP}  # not the sender, not Sam who hears nothing
    readers = summary.readers(case, OWNER, OWNER)
    assert {m.user_id for m in readers.people} == {VIEWER, HELPER} and readers.groups == 1
    # Sent again later: news again (each send is a choice to tell them).
    again = copy.deepcopy(case)
    summary.send_to_all(case, OWNER, "v1", NOW + timedelta(hours=1))
    assert changes(again, case, OWNER) == [Change(ChangeKind.SUMMARY, "v1", "second")]


def test_a_member_who_hears_only_about_the_visit_gets_the_summary() -> None:
    change = Change(ChangeKind.SUMMARY, "v1", "second")
    assert hears(Notify.APPOINTMENTS, change) and hears(Notify.ALL, change)
    assert not hears(Notify.NONE, change)


def test_sent_from_the_group_the_group_is_not_sent_it_again() -> None:
    case = _family()
    before = copy.deepcopy(case)
    summary.send_to_all(case, HELPER, "v1", NOW)
    found = changes(before, case, HELPER)
    assert GROUP not in {d.chat_id for d in audience(before, case, found, HELPER, GROUP)}
    assert summary.readers(case, HELPER, GROUP).groups == 0


def test_only_me_is_remembered_and_is_no_news() -> None:
    case = _family()
    before = copy.deepcopy(case)
    summary.keep_to_self(case, OWNER, "v1", NOW)
    assert case.summary_to_all is False and case.appointments[0].shared_at is None
    assert changes(before, case, OWNER) == []


def test_someone_who_can_only_look_cannot_send_it_or_change_the_choice() -> None:
    case = _family()
    before = copy.deepcopy(case)
    with pytest.raises(ReadOnly):
        summary.send_to_all(case, VIEWER, "v1", NOW)
    with pytest.raises(ReadOnly):
        summary.keep_to_self(case, VIEWER, "v1", NOW)
    assert case == before
    # And at save time, however the change came: the remembered choice and the visit are the plan's content.
    forged = copy.deepcopy(case)
    forged.summary_to_all = True
    with pytest.raises(ReadOnly):
        access.check_change(before, forged, VIEWER)
    forged = copy.deepcopy(case)
    forged.appointments[0].shared_at = NOW
    with pytest.raises(ReadOnly):
        access.check_change(before, forged, VIEWER)


def test_a_visit_not_over_or_gone_has_no_summary() -> None:
    case = _family()
    appointments.add(case, "later", NOW + timedelta(days=3), "America/Chicago", NOW)
    with pytest.raises(summary.NotOverYet):
        summary.send_to_all(case, OWNER, "later", NOW)
    with pytest.raises(Gone):
        summary.send_to_all(case, OWNER, "nope", NOW)
    assert all(v.shared_at is None for v in case.appointments) and case.summary_to_all is None


def test_nobody_else_to_send_it_to() -> None:
    case = new_case()
    case.members = [m for m in case.members if m.user_id == OWNER]
    assert not summary.others(case, OWNER, OWNER)
    case.groups.append(GroupChat(GROUP, linked_by=OWNER, linked_at=NOW))
    assert summary.others(case, OWNER, OWNER) and not summary.others(case, OWNER, GROUP)


# --- the decide-by date is news -------------------------------------------------------------------------


def test_setting_changing_and_removing_the_decide_by_date_is_news_to_the_others() -> None:
    case = _family()
    before = copy.deepcopy(case)
    deadline.set_decide_by(case, date(2027, 1, 12))
    found = changes(before, case, HELPER)
    assert found == [Change(ChangeKind.DECIDE_BY, day=date(2027, 1, 12))]
    letters = news.compose(_services(), News(before, case, found, HELPER, HELPER))
    to = {letter.chat_id: letter.text for letter in letters}
    assert set(to) == {OWNER, VIEWER, GROUP}  # Sam hears nothing; Dana did it
    assert "Dana set the date to start treatment by: Tue 12 Jan 2027." in to[OWNER]

    same = copy.deepcopy(case)
    deadline.set_decide_by(case, date(2027, 1, 12))
    assert changes(same, case, HELPER) == []

    moved = copy.deepcopy(case)
    deadline.set_decide_by(case, None)
    found = changes(moved, case, HELPER)
    letters = news.compose(_services(), News(moved, case, found, HELPER, HELPER))
    assert "Dana removed the date to start treatment." in letters[0].text


def test_visit_news_only_members_do_not_hear_the_date() -> None:
    assert not hears(Notify.APPOINTMENTS, Change(ChangeKind.DECIDE_BY))
    assert hears(Notify.ALL, Change(ChangeKind.DECIDE_BY))


# --- the letters and the screen ---------------------------------------------------------------------


def test_each_reader_gets_the_summary_with_what_was_asked_said_and_the_next_steps() -> None:
    case = _family()
    before = copy.deepcopy(case)
    summary.send_to_all(case, HELPER, "v1", NOW)
    letters = news.compose(_services(), News(before, case, changes(before, case, HELPER), HELPER, HELPER))
    to = {letter.chat_id: letter for letter in letters}
    assert set(to) == {OWNER, VIEWER, GROUP}
    text = to[OWNER].text
    assert text.startswith("📨 <b>Dana sent you a summary of the visit.</b>")
    assert "• Can I keep working?\n  💬 Yes, with rest days." in text
    assert "Is it safe to wait?" not in text  # not marked asked
    assert "Come back in a month." in text and "They suggest changes." in text
    assert "Their main advice: Radiation first" in text
    assert "Take the new opinion back to your first doctor." in text
    assert [[b.label for b in row] for row in to[OWNER].buttons] == [["🏠 Open the plan"]]
    assert not to[OWNER].files


def test_a_voice_answer_is_named_as_a_voice_note() -> None:
    case = _family()
    visit_mode.set_voice(case, "v1", "q2", "AwACvoice")
    turn = Turn(_services(), case, OWNER, NOW, "t")
    text = summary_screens.summary_text(turn, case.appointments[0])
    assert "• Is it safe to wait?\n  🎤 Voice note" in text and "AwACvoice" not in text


def test_the_longest_summary_fits_one_message_and_says_how_many_more() -> None:
    case = _family()
    case.questions.chosen.clear()
    for n in range(questions.MAX_QUESTIONS):
        questions.add_own_question(case, f"q{n}", f"{n}{WIDE}"[:LONG])
        visit_mode.set_answer(case, "v1", f"q{n}", WIDE[:LONG])
    appointments.set_visit_note(case, "v1", WIDE[:LONG])
    outcome.set_advice(case, "v1", WIDE[:LONG])
    case.appointments[0].doctor = WIDE[:120]
    before = copy.deepcopy(case)
    summary.send_to_all(case, OWNER, "v1", NOW)
    letters = news.compose(_services(), News(before, case, changes(before, case, OWNER), OWNER, OWNER))
    turn = Turn(_services(), case, OWNER, NOW, "t")
    for text in [letter.text for letter in letters] + [
        summary_screens.summary_text(turn, case.appointments[0])
    ]:
        assert 0 < utf16_len(parse_html(text).text) <= 4096
        assert "more. Open the plan to see them all." in text
        assert "&lt;&amp;&gt;" in text and "<&>" not in text  # typed words are escaped


# --- "What they said" from visit mode ----------------------------------------------------------------


def test_a_note_target_says_whether_it_was_asked_in_visit_mode() -> None:
    assert visit_mode.NoteTarget.read("v1") == visit_mode.NoteTarget("v1", in_mode=False)
    assert visit_mode.NoteTarget.read("v1.mode") == visit_mode.NoteTarget("v1", in_mode=True)
    assert visit_mode.NoteTarget.read(visit_mode.NoteTarget("v1", True).text()) == visit_mode.NoteTarget(
        "v1", True
    )
    for bad in (None, ""):
        with pytest.raises(Gone):
            visit_mode.NoteTarget.read(bad)


def test_the_note_typed_in_visit_mode_is_the_visits_note_and_leads_back_there() -> None:
    case = _family()
    target = visit_mode.NoteTarget("v1", in_mode=True).text()
    prompts.ask(case, OWNER, PromptKind.VISIT_NOTE, target)
    step = prompts.answer(case, OWNER, "They want new scans.", "n1", NOW, NOW.date())
    assert case.appointments[0].outcome_note == "They want new scans."
    assert step.next is None and visit_mode.NoteTarget.read(step.answered.target).in_mode
    # Asked from visit mode, then the visit is removed by someone else: the question has nothing left.
    prompts.ask(case, OWNER, PromptKind.VISIT_NOTE, target)
    pending = prompts.pending(case, OWNER)
    assert pending is not None and prompts.still_asks(case, pending)
    case.appointments.clear()
    assert not prompts.still_asks(case, pending)


def test_the_prep_sheet_shows_the_date_to_start_treatment_when_there_is_one() -> None:
    case = _family()
    _, text = read(prep_sheet(case, Renderer(), NOW))
    assert "Start treatment by" not in text
    deadline.set_decide_by(case, date(2027, 1, 12))
    _, text = read(prep_sheet(case, Renderer(), NOW))
    assert "Start treatment by: Tue 12 Jan 2027 (the date from your care team)" in text


@pytest.mark.parametrize(
    "html_text",
    ["<b>Dana</b> &lt;&amp;&gt; 📨 ok", "&#34;quoted&#39; 🩺🩺", "plain", "<i>Ω</i>&amp;amp;", "&quot;"],
)
def test_the_length_the_summary_is_fitted_by_is_never_less_than_telegrams(html_text: str) -> None:
    assert summary_screens.shown_length(html_text) >= utf16_len(parse_html(html_text).text)
