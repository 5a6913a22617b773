"""Telling the others: after a save, each change goes to the members who want to hear it and to the
linked group chats ("Dana marked the pathology report as arrived."), with the calendar file when the
visit changed.

Messages are rendered at once (the case may change right after) and sent in a background task through
the rate limiter, so the person acting gets their own screen without waiting. News is best effort: a
crash between the save and the send loses it, which the next screen anyone opens makes up for.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from markupsafe import Markup
from telegram import InlineKeyboardMarkup, InputFile
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from handlers.appointment import calendar_file
from handlers.callbacks import Action
from handlers.sharing_views import plan_name
from handlers.turn import News, OutgoingFile, Turn, services
from journey import activity
from journey.access import find_member
from journey.models import Case

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    chat_id: int
    text: str
    markup: InlineKeyboardMarkup | None
    files: tuple[OutgoingFile, ...]


class Newsroom:
    def __init__(self, app: Application) -> None:  # type: ignore[type-arg]
        self._app = app

    def publish(self, news: News) -> None:
        """Render the news for everyone who hears it now; send it in the background."""
        deliveries = activity.audience(news.before, news.after, news.changes, news.actor, news.origin_chat)
        if not deliveries:
            return
        outgoing = [self._render(news, d) for d in deliveries]
        self._app.create_task(self._send(outgoing), name="news")

    def _render(self, news: News, delivery: activity.Delivery) -> Outgoing:
        s = services(self._app)
        turn = Turn(s, news.after, delivery.chat_id, s.now(), new_id="news")
        actor = find_member(news.after, news.actor) or find_member(news.before, news.actor)
        who = (actor.name if actor else None) or turn.render("someone")
        plan = plan_name(turn, news.before)
        if delivery.removed:
            return Outgoing(delivery.chat_id, turn.render("removed_you", who=who, plan=plan), None, ())
        if any(c.kind is activity.ChangeKind.PLAN_DELETED for c in delivery.changes):
            return Outgoing(delivery.chat_id, turn.render("plan_deleted", who=who, plan=plan), None, ())
        names = {str(m.user_id): m.name for m in [*news.before.members, *news.after.members]}
        text = turn.render(
            "sharing/news",
            plan=plan,
            changes=delivery.changes,
            who=who,
            names=names,
            doctor=lambda cid: _doctor(news.after, cid),
            visit=lambda aid: _visit(turn, aid),
        )
        button = turn.button(turn.label("open_plan"), Action.USE_CASE)
        return Outgoing(
            delivery.chat_id, text, InlineKeyboardMarkup([[button]]), _calendar_files(turn, delivery)
        )

    async def _send(self, outgoing: list[Outgoing]) -> None:
        bot = self._app.bot
        failed = 0
        for item in outgoing:
            try:
                await bot.send_message(item.chat_id, item.text, reply_markup=item.markup)
                for file in item.files:
                    data = InputFile(file.data, filename=file.name)
                    await bot.send_document(item.chat_id, data, caption=file.caption)
            except Forbidden:
                failed += 1  # they blocked the bot, or it left the group; reminders learn it on their own
            except TelegramError as error:
                failed += 1
                log.warning("news could not be sent: %s", type(error).__name__)
        log.info("sent news to %d chats (%d failed)", len(outgoing) - failed, failed)


def _calendar_files(turn: Turn, delivery: activity.Delivery) -> tuple[OutgoingFile, ...]:
    """The updated calendar file for each visit that changed, with this reader's reminder times."""
    files = []
    for change in delivery.changes:
        if change.kind in activity.VISIT_CHANGES:
            visit = next((a for a in turn.case.appointments if a.id == change.subject), None)
            if visit is not None:
                files.append(calendar_file(turn, visit))
    return tuple(files)


def _doctor(case: Case, candidate_id: str) -> str:
    found = next((c for c in case.specialist.candidates if c.id == candidate_id), None)
    return found.name if found else "the doctor"


def _visit(turn: Turn, appointment_id: str) -> Markup:
    visit = next((a for a in turn.case.appointments if a.id == appointment_id), None)
    if visit is None:
        return Markup("")
    return Markup(turn.services.renderer.render("news_when", a=visit))  # already escaped HTML
