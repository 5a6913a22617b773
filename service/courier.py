"""Sending what storage says is due: news letters first, then reminders.

Storage is the truth; the courier keeps only each plan's next wake time in memory (from the wake index
at start-up, then from every commit) and is woken by a repeating job and by commits that wrote letters.
Each due plan gets its own task, so different chats are sent to at the same time (the rate limiter
keeps the bot within Telegram's overall limit); within one plan, one thing at a time, in order.

Every send is framed by two units of work: mark SENDING and render (saved), send (no lock held), then
record the outcome on a fresh load. Both kinds are sent at most once: SENDING found at start-up, or a
send whose outcome is unknown (a timeout after the request left), is never repeated.

Several workers on one shared store (PostgreSQL): every `refresh_seconds` (WAKE_REFRESH_SECONDS, 2 s)
each worker takes the due plans no other worker is sending for (`take_due`, SELECT ... FOR UPDATE SKIP
LOCKED), leased to it for LEASE and renewed before each item; a plan it wakes for itself (a commit, an
alarm) it leases first. So the due plans are shared out, and a plan whose worker died is taken by another
once the lease runs out. The lease only shares the work: marking SENDING is a unit of work, and the store's
version check lets only one worker's mark be saved, so each item has one sender (its claim) even when a
lease ran out mid-send. A claim whose worker died is settled by any worker after `claim_timeout`
(CLAIM_TIMEOUT_SECONDS, 5 min), by the same rule (maybe sent: never repeated), and the plan goes on. A
plan's letters go one at a time, in order, whichever worker sends them. On one machine (TinyDB) nothing
else writes the plans, so none of this is needed.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from journey import outbox, reminders, retention
from journey.activity import Change, ChangeKind
from journey.models import Case, Letter, LetterStatus, Reminder, ReminderKind, ReminderStatus
from journey.reminders import Decision
from service.sending import Moved, Outcome, OutFile, Outgoing, Result, Sender
from service.work import News, Plans, Work, follow_group
from storage.repository import CourierLeases

log = logging.getLogger(__name__)
CONCURRENT_PLANS = 32  # plans being sent to at once; the rate limiter spaces the sends themselves
# A send takes seconds (the rate limiter may wait out a 429 for longer); a claim this old lost its worker.
CLAIM_TIMEOUT = timedelta(minutes=5)
REFRESH_SECONDS = 2.0  # how often a worker on a shared store asks for due plans nobody is sending for
LEASE = timedelta(seconds=10)  # a plan stays with one worker's courier this long unless renewed
TAKE_AT_ONCE = CONCURRENT_PLANS  # due plans taken per ask

RenderReminder = Callable[[Case, Reminder, datetime], Outgoing]


@dataclass(frozen=True)
class _Job:
    kind: str  # "letter" or "reminder"
    item_id: str
    chat_id: int
    message: Outgoing
    started: datetime


class Courier:
    def __init__(
        self,
        plans: Plans,
        render_reminder: RenderReminder,
        claim_timeout: timedelta = CLAIM_TIMEOUT,
        refresh_seconds: float = REFRESH_SECONDS,
    ) -> None:
        self._plans = plans
        self._render_reminder = render_reminder
        self._sender: Sender | None = None
        self._next: dict[str, datetime] = {}
        self._recover: set[str] = set()  # due at start-up: may hold a send the last run left SENDING
        self._busy: set[str] = set()
        self._poked: set[str] = set()  # became due again while busy
        self._tasks: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(CONCURRENT_PLANS)
        # An alarm for the earliest wake ahead, so a retry due in 5 s does not wait for the next tick.
        self._alarm: asyncio.TimerHandle | None = None
        self._alarm_at: datetime | None = None
        # Other workers write the same plans: read their wake times too (and never settle a fresh claim).
        self.shared = bool(getattr(plans.repo, "shared", False))
        repo = plans.repo
        self._leases = repo if self.shared and isinstance(repo, CourierLeases) else None
        self.name = secrets.token_hex(8)  # this worker's courier, in the leases it holds
        self._leased: set[str] = set()
        self.refresh_seconds = refresh_seconds  # WAKE_REFRESH_SECONDS
        self.claim_timeout = claim_timeout  # CLAIM_TIMEOUT_SECONDS
        self._refreshed = 0.0  # time.monotonic() of the last ask for due plans
        self._poller: asyncio.Task[None] | None = None

    def attach(self, sender: Sender) -> None:
        """The sender exists once the bot does (after the application is built)."""
        self._sender = sender

    def rebuild(self) -> int:
        """At start-up: read the wake index (not the plans). Returns how many plans have work waiting."""
        now = self._plans.clock()
        self._next.clear()
        for case_id, wake in self._plans.repo.wake_index():
            self._next[case_id] = wake
            if wake <= now:
                self._recover.add(case_id)
        return len(self._next)

    def start(self) -> None:
        """On a shared store: ask for due plans every `refresh_seconds` (the tick job may be slower)."""
        if self._leases is not None and self._poller is None:
            self._poller = asyncio.get_running_loop().create_task(self._poll())

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.refresh_seconds)
            await self.tick()

    async def refresh(self) -> None:
        """On a shared store: take the due plans no other worker is sending for, and send."""
        self._refreshed = time.monotonic()
        leases = self._leases
        if leases is None:
            return
        now = self._plans.clock()
        until = now + LEASE
        taken = await self._plans.read(lambda _: leases.take_due(self.name, now, until, TAKE_AT_ONCE))
        for case_id in taken:
            self._leased.add(case_id)
            self._next[case_id] = min(self._next.get(case_id, now), now)
        self.kick()

    def note(self, case_id: str, wake: datetime | None) -> None:
        """After every commit: this plan's next wake time. Sends at once what is already due (news)."""
        if wake is None:
            self._next.pop(case_id, None)
            return
        self._next[case_id] = wake
        if self._sender is None:
            return
        if wake <= self._plans.clock():
            self._start(case_id)  # this plan only: a scan of every plan per commit would not scale
        else:
            self._set_alarm(wake)

    def due_cases(self, now: datetime) -> list[str]:
        return sorted((c for c, at in self._next.items() if at <= now), key=self._next.__getitem__)

    def pending(self) -> int:
        """Plans with something waiting (for tests and benchmarks)."""
        return len(self._next)

    async def tick(self, _: object = None) -> None:
        """The repeating job (the scheduler only wakes the courier)."""
        if self.shared and time.monotonic() - self._refreshed >= self.refresh_seconds:
            try:
                await self.refresh()
            except Exception as error:  # the store is away for a moment: the next tick asks again
                log.warning("could not ask for due plans: %s", type(error).__name__)
        self.kick()

    def kick(self) -> None:
        """Start sending to every plan that is due and not already being sent to; set the alarm for the
        earliest wake still ahead."""
        now = self._plans.clock()
        for case_id in self.due_cases(now):
            self._start(case_id)
        ahead = [wake for wake in self._next.values() if wake > now]
        if ahead:
            self._set_alarm(min(ahead))

    def _set_alarm(self, at: datetime) -> None:
        if self._alarm_at is not None and self._alarm_at <= at and self._alarm is not None:
            return  # an earlier alarm is set; it will set the next one when it rings
        if self._alarm is not None:
            self._alarm.cancel()
        delay = max(0.0, (at - self._plans.clock()).total_seconds())
        self._alarm_at = at
        self._alarm = asyncio.get_running_loop().call_later(delay + 0.01, self._ring)

    def _ring(self) -> None:
        self._alarm = self._alarm_at = None
        self.kick()

    def _start(self, case_id: str) -> None:
        if self._sender is None:
            return  # not started yet, or stopped
        if case_id in self._busy:
            self._poked.add(case_id)
            return
        self._busy.add(case_id)
        task = asyncio.get_running_loop().create_task(self._deliver_guarded(case_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def send_now(self, letters: list[Letter]) -> None:
        """Letters about a plan that was just deleted: there is no plan left to keep them in, so they
        are sent at once, best effort."""
        if letters and self._sender is not None:
            task = asyncio.get_running_loop().create_task(self._send_all(letters))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _send_all(self, letters: list[Letter]) -> None:
        assert self._sender is not None
        outcomes = []
        for letter in letters:
            outcome = await self._sender.send(_letter_message(letter))
            if isinstance(outcome, Moved):  # no plan left to move the link in: just the new id, once
                outcome = await self._sender.send(_letter_message(letter, outcome.chat_id))
            outcomes.append(outcome)
        log.info("sent %d of %d farewell messages", outcomes.count(Outcome.SENT), len(outcomes))

    async def stop(self) -> None:
        """Cancel what is being sent (a send cut short stays SENDING: settled, not repeated, at start-up)."""
        self._sender = None  # nothing new starts
        if self._poller is not None:
            self._poller.cancel()
        if self._alarm is not None:
            self._alarm.cancel()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def idle(self) -> None:
        """Wait until nothing is being sent (tests and benchmarks)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _deliver_guarded(self, case_id: str) -> None:
        failed = False
        try:
            async with self._slots:
                if await self._hold(case_id):
                    try:
                        await self.deliver(case_id)
                    finally:
                        await self._let_go(case_id)
        except Exception as error:  # one plan's fault must not stop the others
            log.error("sending for a plan failed: %s", type(error).__name__)
            failed = True
        finally:
            self._busy.discard(case_id)
        # A letter was written while this plan was being sent to: go again at once. After a failure, the
        # next tick tries again instead (going again at once would spin on a fault that stays).
        if case_id in self._poked:
            self._poked.discard(case_id)
            if not failed:
                self._start(case_id)

    async def _ready_for_next(self, case_id: str) -> None:
        """Wait until the next item's chat has room in the rate limit, before the item is claimed: a send
        claimed and then kept waiting in the limiter would be lost ("maybe sent") if this worker died."""
        sender = self._sender
        case = await self._plans.read(lambda repo: repo.load_case(case_id))
        chat = None if case is None else _next_chat(case, self._plans.clock())
        if chat is not None and sender is not None:
            await sender.ready(chat)

    async def _hold(self, case_id: str) -> bool:
        """On a shared store: this worker's lease on the plan (False: another worker is sending for it)."""
        if self._leases is None or case_id in self._leased:
            return True
        if await self._renew(case_id):
            self._leased.add(case_id)
            return True
        return False

    async def _renew(self, case_id: str) -> bool:
        leases = self._leases
        assert leases is not None
        now = self._plans.clock()
        return await self._plans.read(lambda _: leases.lease(case_id, self.name, now, now + LEASE))

    async def _let_go(self, case_id: str) -> None:
        if self._leases is not None and case_id in self._leased:
            self._leased.discard(case_id)
            leases = self._leases
            await self._plans.read(lambda _: leases.release(case_id, self.name))

    async def deliver(self, case_id: str) -> None:
        """Send (or skip) everything of one plan that is due, one at a time."""
        assert self._sender is not None, "attach a sender first"
        recover = case_id in self._recover
        self._recover.discard(case_id)
        wake = self._next.get(case_id)
        while True:
            if case_id in self._leased and not await self._renew(case_id):
                log.info("a plan's lease ran out mid-send; another worker goes on with it")
                break
            await self._ready_for_next(case_id)
            job, wake = await self._plans.run(case_id, partial(self._pick, recover=recover))
            if job is None:
                break
            recover = False
            outcome = await self._sender.send(job.message)
            await self._plans.run(case_id, partial(self._record, job=job, outcome=outcome))
        # The index keeps whole seconds, so the plan may have woken us a little early: its true time.
        if wake is None:
            self._next.pop(case_id, None)
        else:
            self._next[case_id] = wake
            if wake > self._plans.clock():
                self._set_alarm(wake)

    # --- units of work (in the worker thread, under the plan's lock) ------------------------------------

    def _pick(self, work: Work, recover: bool) -> tuple[_Job | None, datetime | None]:
        """The next thing to send, marked SENDING; or nothing, with the plan's next wake time."""
        case, now = work.case, work.now
        if case is None:
            return None, None
        # At start-up on one machine every SENDING was cut short by the stop. With other workers, only a
        # claim older than CLAIM_TIMEOUT lost its worker; a younger one is being sent right now.
        lost = None if recover and not self.shared else now - self.claim_timeout
        settled_reminders = reminders.recover_interrupted(case, lost)
        settled_news = outbox.recover_interrupted(case, lost)
        if settled_reminders or settled_news:
            # By id, so an operator (or a test) can tell which plans' sends were left "maybe sent".
            log.info(
                "plan %s: settled sends interrupted by a stop (news: %d, reminders: %s); not repeated",
                case.id,
                settled_news,
                "yes" if settled_reminders else "no",
            )
            work.save()
        letter = outbox.next_letter(case, now)
        if letter is not None:
            outbox.mark_sending(letter, now)
            work.save()
            return _Job("letter", letter.id, letter.chat_id, _letter_message(letter), now), None
        for reminder in reminders.due(case, now):
            work.save()
            if reminder.kind is ReminderKind.RETENTION_END:
                if self._ends(work, case, reminder, now):
                    # The owner hears it last; the others as the plan goes (best effort, no plan left).
                    message = self._render_reminder(case, reminder, now)
                    return _Job("reminder", reminder.id, reminder.user_id, message, now), None
                return self._pick(work, recover=False)  # re-timed: look again
            if reminders.decide(case, reminder, now) is Decision.SKIP:
                reminders.mark_skipped(reminder)
                log.info("skipped a %s reminder that no longer applies", reminder.kind.value)
                continue
            reminders.mark_sending(reminder, now)
            message = self._render_reminder(case, reminder, now)
            return _Job("reminder", reminder.id, reminder.user_id, message, now), None
        later = [r.due_at for r in case.reminders if r.status is ReminderStatus.PENDING]
        claims = partial(_claimed_until, now=now, timeout=self.claim_timeout)
        later += [claims(r.sending_at) for r in case.reminders if r.status is ReminderStatus.SENDING]
        later += [
            claims(letter.sending_at)
            if letter.status is LetterStatus.SENDING
            else letter.due_at or letter.created_at
            for letter in case.outbox
        ]
        return None, min(later, default=None)

    def _ends(self, work: Work, case: Case, reminder: Reminder, now: datetime) -> bool:
        """A plan unused for the retention time is deleted for everyone, through this unit of work. A
        deletion that no longer stands (a change since, or a notice still to send) is re-timed instead."""
        policy = self._plans.retention
        if policy is None:
            reminders.mark_skipped(reminder)  # planned under a setting this bot no longer has
            return False
        if not retention.ending(case, policy, reminder, now):
            retention.replan(case, policy, now)
            return False
        gone = [Change(ChangeKind.PLAN_EXPIRED)]
        work.delete(farewell=News(case, case, gone, case.owner_id, None))
        log.info("deleted a plan unused for %d months", policy.months)
        return True

    def _record(self, work: Work, job: _Job, outcome: Result) -> None:
        case = work.case
        if case is None:
            return
        work.save()
        if isinstance(outcome, Moved):
            # The group became a supergroup. Certainly not delivered, so after its link (and everything
            # waiting for it) moves to the new id, the same item is due again at once and goes there.
            if follow_group(work, job.chat_id, outcome.chat_id) and _send_again(case, job, outcome):
                log.info("a group chat moved to a new id; its link moved and the message goes there")
                return
            outcome = Outcome.BLOCKED  # the plan no longer follows that group: nowhere to send it
        if outcome is Outcome.BLOCKED:
            reminders.block(case, job.chat_id)
            outbox.drop_for_chat(case, job.chat_id)
            if job.chat_id < 0:
                work.unlink(job.chat_id)  # the bot is out of that group: forget the link too
            log.info("a chat refused the bot; nothing more is sent there")
        if job.kind == "letter":
            _record_letter(case, job, outcome)
        else:
            _record_reminder(case, job, outcome)


def _next_chat(case: Case, now: datetime) -> int | None:
    """The chat the plan's next item goes to (as `_pick` would choose it), or None."""
    letter = outbox.next_letter(case, now)
    if letter is not None:
        return letter.chat_id
    return next((r.user_id for r in reminders.due(case, now)), None)


def _claimed_until(claimed_at: datetime | None, now: datetime, timeout: timedelta) -> datetime:
    """When a claim (SENDING) another worker holds may be settled, if its worker never comes back."""
    return (claimed_at or now) + timeout


def _send_again(case: Case, job: _Job, moved: Moved) -> bool:
    """The item, already moved to the chat's new id, is due again (unless its attempts are used up)."""
    if job.kind == "letter":
        letter = outbox.find(case, job.item_id)
        if letter is None or letter.attempts >= outbox.MAX_ATTEMPTS:
            return False
        outbox.send_again(letter)
        return True
    item_id = reminders.moved_id(job.item_id, job.chat_id, moved.chat_id)
    reminder = next((r for r in case.reminders if r.id == item_id), None)
    return reminder is not None and reminders.send_again(reminder)


def _record_letter(case: Case, job: _Job, outcome: Outcome) -> None:
    letter = outbox.find(case, job.item_id)
    if letter is None:
        return
    if outcome is Outcome.RETRY and outbox.retry_later(case, letter, job.started):
        return
    if outcome is Outcome.UNKNOWN:
        log.warning("a news message may not have arrived (no answer); it is not sent twice")
    outbox.done(case, letter.id)


def _record_reminder(case: Case, job: _Job, outcome: Outcome) -> None:
    reminder = next((r for r in case.reminders if r.id == job.item_id), None)
    if reminder is None:
        return
    if outcome is Outcome.SENT:
        reminders.mark_sent(reminder, job.started)
    elif outcome is Outcome.RETRY:
        reminders.retry_later(reminder, job.started)  # the pause counts from the attempt
    elif outcome is Outcome.UNKNOWN:
        reminders.mark_interrupted(reminder)
        log.warning("a reminder may not have arrived (no answer); it is not sent twice")
    else:  # BLOCKED or FAILED: this one will never go out
        reminders.mark_failed(reminder)


def _letter_message(letter: Letter, chat_id: int | None = None) -> Outgoing:
    buttons = tuple(tuple((b.label, b.data) for b in row) for row in letter.buttons)
    files = tuple(OutFile(f.name, f.text.encode(), f.caption) for f in letter.files)
    return Outgoing(letter.chat_id if chat_id is None else chat_id, letter.text, buttons, files)
