"""A visit's summary, once it is over: shown to the person who made it and, by their choice, sent to
everyone in the plan (as news: handlers/sharing/news.py renders each reader's copy in the same save)."""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton

from handlers.menu.taps import MenuTap
from handlers.outcome.taps import KeepSummaryTap, OutcomeTap, SendSummaryTap, SummaryTap
from handlers.plumbing.turn import Screen, Turn
from handlers.questions.screens import question_text
from journey import outcome, summary
from journey.access import Right, may
from journey.models import Appointment

# Telegram takes 4096 characters once the HTML is parsed; keep room for a line on top.
ROOM = 3800
_TAG = re.compile(r"<[^>]+>")


# The entities Jinja's escaping writes, each one character once Telegram parses it.
_ENTITIES = ("&amp;", "&lt;", "&gt;", "&#34;", "&#39;", "&quot;")


def shown_length(text: str) -> int:
    """The length Telegram counts, in UTF-16 units: the text without its tags, each entity one character.
    (An entity not listed counts in full: never less than Telegram counts, so what fits here fits there.)"""
    bare = _TAG.sub("", text)
    for entity in _ENTITIES:
        bare = bare.replace(entity, "&")
    return len(bare.encode("utf-16-le")) // 2


def summary_text(turn: Turn, visit: Appointment, room: int = ROOM) -> str:
    """The summary in this reader's words: what was asked and the answers, what they said, the outcome and
    the next steps. A long list of asked questions is cut from the end, and says how many more there are."""
    asked = summary.asked(turn.case, visit)
    view = outcome.side_by_side(turn.case, turn.now)
    texts = [question_text(turn, line.question) for line in asked]

    def render(shown: int) -> str:
        return turn.render(
            "outcome/summary",
            a=visit,
            lines=asked[:shown],
            texts=texts[:shown],
            more=len(asked) - shown,
            view=view,
            differs=outcome.differs,
        )

    text = render(len(asked))
    if shown_length(text) <= room:
        return text
    # Too long: the most questions that fit (fewer questions, a shorter text), found by halving.
    low, high = 0, len(asked) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if shown_length(render(middle)) <= room:
            low = middle
        else:
            high = middle - 1
    return render(low)


def _summary_screen(turn: Turn, visit: Appointment, head: str | None) -> Screen:
    rows = [
        [
            turn.button(turn.label("back"), OutcomeTap(visit.id)),
            turn.button(turn.label("menu"), MenuTap()),
        ]
    ]
    if not head:
        return Screen(summary_text(turn, visit), tuple(tuple(r) for r in rows))
    body = summary_text(turn, visit, ROOM - shown_length(head))
    return Screen(f"{head}\n\n{body}", tuple(tuple(r) for r in rows))


def on_summary(turn: Turn, tap: SummaryTap) -> Screen:
    """Who may change the plan, with others to send it to, is asked who gets it; anyone else reads it."""
    visit = summary.over(turn.case, tap.visit, turn.now)
    if not may(turn.case, turn.user_id, Right.EDIT):
        return _summary_screen(turn, visit, None)
    if not summary.others(turn.case, turn.user_id, turn.chat_id):
        return _summary_screen(turn, visit, turn.render("outcome/summary_alone"))
    return _ask(turn, visit)


def _ask(turn: Turn, visit: Appointment) -> Screen:
    """ "Send the summary to your family?", the summary itself above it (what they would get), and the
    choice remembered from last time first."""
    readers = summary.readers(turn.case, turn.user_id, turn.chat_id)
    chosen = turn.case.summary_to_all
    everyone = turn.button(turn.label("summary_everyone"), SendSummaryTap(visit.id))
    only_me = turn.button(turn.label("summary_only_me"), KeepSummaryTap(visit.id))
    rows: list[list[InlineKeyboardButton]] = (
        [[only_me], [everyone]] if chosen is False else [[everyone], [only_me]]
    )
    rows.append(
        [
            turn.button(turn.label("back"), OutcomeTap(visit.id)),
            turn.button(turn.label("menu"), MenuTap()),
        ]
    )
    question = turn.render(
        "outcome/summary_ask",
        names=[m.name or turn.render("someone") for m in readers.people],
        groups=readers.groups,
        chosen=chosen,
        sent=visit.shared_at,
    )
    body = summary_text(turn, visit, ROOM - shown_length(question))
    return Screen(f"{body}\n\n{question}", tuple(tuple(r) for r in rows))


def on_keep(turn: Turn, tap: KeepSummaryTap) -> Screen:
    """Only me: the summary is shown here and sent to nobody; the plan remembers the choice."""
    visit = summary.keep_to_self(turn.case, turn.user_id, tap.visit, turn.now)
    return _summary_screen(turn, visit, turn.render("outcome/summary_mine"))


def on_send(turn: Turn, tap: SendSummaryTap) -> Screen:
    """Everyone: the save writes a copy for each reader (the news, handlers/sharing/news.py); the plan
    remembers the choice."""
    readers = summary.readers(turn.case, turn.user_id, turn.chat_id)
    visit = summary.send_to_all(turn.case, turn.user_id, tap.visit, turn.now)
    head = turn.render(
        "outcome/summary_sent",
        names=[m.name or turn.render("someone") for m in readers.people],
        groups=readers.groups,
    )
    return _summary_screen(turn, visit, head)
