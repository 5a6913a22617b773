"""Telling the others: each change goes to the members who want to hear it and to the linked group
chats ("Dana marked the pathology report as arrived."), with the calendar file when the visit changed.

The unit of work calls `compose` while it saves the change: the news is rendered then (the plan may
change right after) and written into the plan's outbox in the same save. The courier sends it from there,
so a crash between the save and the send loses nothing (service/courier.py).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import replace

from markupsafe import Markup

from handlers.outcome.summary import ROOM, shown_length, summary_text
from handlers.plumbing.turn import OutgoingFile, Screen, Services, Turn
from handlers.sharing.screens import plan_name
from handlers.sharing.taps import UseCaseTap
from handlers.visit.screens import calendar_file
from journey import activity
from journey.access import find_member
from journey.appointments import find_appointment
from journey.ids import id_from
from journey.models import Case, Letter, LetterButton, LetterFile
from service.sending import Outgoing
from service.work import News

log = logging.getLogger(__name__)


def compose(s: Services, news: News) -> list[Letter]:
    """The news as letters, one per chat that hears it, in that reader's words and reminder times.

    Called by the unit of work while it saves the change, so the letters are written with it.
    """
    deliveries = activity.audience(news.before, news.after, news.changes, news.actor, news.origin_chat)
    messages = [message for delivery in deliveries for message in _render(s, news, delivery)]
    return [
        Letter(
            id=id_from(news.after.id, news.actor, s.now().isoformat(), n, secrets.token_hex(4)),
            chat_id=message.chat_id,
            text=message.text,
            created_at=s.now(),
            buttons=[[LetterButton(label, data) for label, data in row] for row in message.buttons],
            files=[LetterFile(f.name, f.data.decode(), f.caption) for f in message.files],
        )
        for n, message in enumerate(messages)
    ]


def _render(s: Services, news: News, delivery: activity.Delivery) -> list[Outgoing]:
    """This reader's messages: the news lines, then each visit summary sent to them, in their own words."""
    summaries = [c for c in delivery.changes if c.kind is activity.ChangeKind.SUMMARY]
    lines = [c for c in delivery.changes if c.kind is not activity.ChangeKind.SUMMARY]
    told = delivery if not summaries else replace(delivery, changes=tuple(lines))
    messages = [] if summaries and not lines else [_render_news(s, news, told)]
    return messages + [_render_summary(s, news, delivery.chat_id, c) for c in summaries]


def _render_summary(s: Services, news: News, chat_id: int, change: activity.Change) -> Outgoing:
    """A visit's summary as this reader sees it (their language), under who sent it."""
    turn = Turn(s, news.after, chat_id, s.now(), new_id="news")
    visit = find_appointment(news.after, change.subject or "")
    head = turn.render("outcome/summary_news", who=_who(turn, news), plan=plan_name(turn, news.after))
    body = summary_text(turn, visit, ROOM - shown_length(head))
    button = turn.button(turn.label("open_plan"), UseCaseTap())
    return Screen(f"{head}\n\n{body}", ((button,),)).outgoing(chat_id)


def _who(turn: Turn, news: News) -> str:
    actor = find_member(news.after, news.actor) or find_member(news.before, news.actor)
    return (actor.name if actor else None) or turn.render("someone")


def _render_news(s: Services, news: News, delivery: activity.Delivery) -> Outgoing:
    turn = Turn(s, news.after, delivery.chat_id, s.now(), new_id="news")
    who = _who(turn, news)
    plan = plan_name(turn, news.before)
    if delivery.removed:
        return Outgoing(delivery.chat_id, turn.render("removed_you", who=who, plan=plan))
    if delivery.unlinked:
        return Outgoing(delivery.chat_id, turn.render("group_unlinked", plan=plan))
    if any(c.kind is activity.ChangeKind.PLAN_EXPIRED for c in delivery.changes):
        return Outgoing(delivery.chat_id, turn.render("rights/plan_expired", plan=plan))
    if any(c.kind is activity.ChangeKind.PLAN_DELETED for c in delivery.changes):
        return Outgoing(delivery.chat_id, turn.render("plan_deleted", who=who, plan=plan))
    names = {str(m.user_id): m.name for m in [*news.before.members, *news.after.members]}
    text = turn.render(
        "sharing/news",
        plan=plan,
        changes=delivery.changes,
        who=who,
        names=names,
        doctor=lambda cid: _doctor(turn, news.after, cid),
        visit=lambda aid: _visit(turn, aid),
    )
    button = turn.button(turn.label("open_plan"), UseCaseTap())
    return Screen(text, ((button,),), _calendar_files(turn, delivery)).outgoing(delivery.chat_id)


def _calendar_files(turn: Turn, delivery: activity.Delivery) -> tuple[OutgoingFile, ...]:
    """The updated calendar file for each visit that changed, with this reader's reminder times."""
    files = []
    for change in delivery.changes:
        if change.kind in activity.VISIT_CHANGES:
            visit = next((a for a in turn.case.appointments if a.id == change.subject), None)
            if visit is not None:
                files.append(calendar_file(turn, visit))
    return tuple(files)


def _doctor(turn: Turn, case: Case, candidate_id: str) -> str:
    found = next((c for c in case.specialist.candidates if c.id == candidate_id), None)
    return found.name if found else turn.render("news/a_doctor")


def _visit(turn: Turn, appointment_id: str) -> Markup:
    visit = next((a for a in turn.case.appointments if a.id == appointment_id), None)
    if visit is None:
        return Markup("")
    return Markup(turn.words.render("news_when", a=visit))  # already escaped HTML
