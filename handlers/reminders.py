"""Sending reminders: storage is the truth, this only finds what is due and records what happened.

`ReminderDesk` keeps one number per case in memory, the earliest pending due time, rebuilt from storage
at start-up and refreshed after every save. A repeating job (`tick`) sends what is due. Each reminder is
saved as SENDING before the Telegram call and as SENT (or retry, or failed) after it, reloading the case
in between: a handler may have changed it while we waited on the network.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ContextTypes

from handlers.reminder_views import reminder_screen
from handlers.turn import Services, Turn, services
from journey import reminders
from journey.models import Case, Reminder
from journey.reminders import Decision
from storage.repository import CaseRepository

log = logging.getLogger(__name__)


class ReminderDesk:
    def __init__(self, repo: CaseRepository, clock: Callable[[], datetime]) -> None:
        self._repo = repo
        self._clock = clock
        self._next: dict[str, datetime] = {}
        self._round: asyncio.Task[None] | None = None

    def rebuild(self) -> int:
        """Read every case once at start-up: settle interrupted sends, re-plan, index the next due time."""
        now = self._clock()
        for case_id in self._repo.case_ids():
            case = self._repo.load_case(case_id)
            if case is None:
                continue
            before = [(r.id, r.status, r.due_at) for r in case.reminders]
            interrupted = reminders.recover_interrupted(case)
            reminders.replan(case, now)
            if interrupted or before != [(r.id, r.status, r.due_at) for r in case.reminders]:
                self._repo.save_case(case)
            self.note(case)
        return len(self._next)

    def note(self, case: Case) -> None:
        """Called after every save of `case`."""
        due_at = reminders.next_due(case)
        if due_at is None:
            self._next.pop(case.id, None)
        else:
            self._next[case.id] = due_at

    def due_cases(self, now: datetime) -> list[str]:
        return sorted(
            (case_id for case_id, due_at in self._next.items() if due_at <= now), key=self._next.__getitem__
        )

    async def tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The repeating job: start sending what is due, unless a round is still going.

        The round runs as a task, so the job itself returns at once: a burst that takes minutes (10,000
        reminders at 30 a second) neither blocks the scheduler nor makes it warn about skipped runs.
        """
        if self._round is not None and not self._round.done():
            return
        self._round = context.application.create_task(self._send_due(context.bot, services(context)))

    async def _send_due(self, bot: Bot, s: Services) -> None:
        for case_id in self.due_cases(self._clock()):
            await self.deliver(bot, s, case_id)

    async def deliver(self, bot: Bot, s: Services, case_id: str) -> None:
        """Send (or skip) every due reminder of one case, one at a time."""
        while (found := self._next_due(case_id)) is not None:
            case, reminder = found
            now = self._clock()
            if reminders.decide(case, reminder, now) is Decision.SKIP:
                reminders.mark_skipped(reminder)
                self._save(case)
                log.info("skipped a %s reminder that no longer applies", reminder.kind.value)
                continue
            reminders.mark_sending(reminder)
            self._save(case)
            screen = reminder_screen(Turn(s, case, reminder.user_id, now, new_id=reminder.id), reminder)
            outcome = await self._send(bot, reminder.user_id, screen.text, screen.markup())
            self._record(case_id, reminder.id, reminder.user_id, outcome, now)

    def _next_due(self, case_id: str) -> tuple[Case, Reminder] | None:
        case = self._repo.load_case(case_id)
        if case is None:
            self._next.pop(case_id, None)
            return None
        due = reminders.due(case, self._clock())
        if not due:
            self.note(case)
            return None
        return case, due[0]

    async def _send(self, bot: Bot, chat_id: int, text: str, markup: object) -> str:
        try:
            await bot.send_message(chat_id, text, reply_markup=markup)  # type: ignore[arg-type]
        except Forbidden:
            return "blocked"
        except (RetryAfter, TimedOut, NetworkError):
            return "retry"  # the rate limiter already waited out its retries; try again later
        except BadRequest as error:
            log.warning("a reminder was refused by Telegram (%s); it is marked failed", type(error).__name__)
            return "failed"
        except TelegramError as error:
            log.warning("a reminder failed: %s", type(error).__name__)
            return "retry"
        return "sent"

    def _record(self, case_id: str, reminder_id: str, user_id: int, outcome: str, now: datetime) -> None:
        """Write down how the send ended, on a fresh copy of the case. `now` is when the send began,
        so a retry's pause counts from the attempt."""
        case = self._repo.load_case(case_id)
        if case is None:
            return
        reminder = next((r for r in case.reminders if r.id == reminder_id), None)
        if reminder is None:
            return
        if outcome == "sent":
            reminders.mark_sent(reminder, now)
        elif outcome == "blocked":
            reminders.mark_failed(reminder)
            reminders.block(case, user_id)
            if user_id < 0:
                self._repo.unlink_chat(user_id)  # the bot is out of that group: forget the link too
            log.info("a chat refused the bot; its reminders stop")
        elif outcome == "retry":
            reminders.retry_later(reminder, now)
        else:
            reminders.mark_failed(reminder)
        self._save(case)

    def _save(self, case: Case) -> None:
        self._repo.save_case(case)
        self.note(case)
