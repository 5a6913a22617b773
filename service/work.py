"""The unit of work: the one way a plan is changed.

    load the plan -> the journey decides -> re-plan reminders -> write the news -> save once -> wake senders

`Plans.run` holds the plan's lock (one change at a time per plan, any number of plans at once), does the
file work in a worker thread so no disk wait holds up other families, and commits what the decision
asked for in one order that keeps every index safe after a crash:
    new plans first, then chat links that point at them, then the plan itself (with its reminders and
    its news letters in the same write), then the links that go away.
Links are hints that readers check against the plans (`locate`), so a crash between two writes leaves
nothing that a later read cannot put right.

With several processes on one database (PostgreSQL), the in-process lock does not cover the others: a
save whose plan another worker changed since it was loaded raises `Conflict` and writes nothing, and the
whole unit (load, decide, commit) runs again on the fresh plan, up to ATTEMPTS times, so neither change is
lost. The decision must therefore only change the Work it is given (it does: it builds a screen).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TypeVar

from journey import access, activity, cases, language, outbox, reminders, retention, sharing
from journey.access import find_member
from journey.errors import JourneyError
from journey.models import Case, Letter
from journey.retention import Retention
from journey.wake import next_wake
from service.locks import KeyedLocks
from storage.repository import CaseRepository, Conflict

log = logging.getLogger(__name__)
T = TypeVar("T")
COMMITS_REMEMBERED = 4096
# Load-decide-save runs at most this many times when another worker saved the plan in between.
ATTEMPTS = 4


@dataclass(frozen=True)
class News:
    """What one member just changed, for the others: the plan before and after, and who did it."""

    before: Case
    after: Case
    changes: list[activity.Change]
    actor: int
    origin_chat: int | None  # the chat it happened in, which already shows it


@dataclass
class Work:
    """One change to one plan: the plan as loaded, and what the decision asks the commit to write."""

    case: Case | None
    now: datetime
    actor: int | None = None  # who acts (None: the bot itself, e.g. recording a reminder's outcome)
    actor_name: str | None = None  # Telegram's first name, kept so others read "Dana marked ..."
    actor_language: str | None = None  # Telegram's language_code: proposed once as the member's language
    chat_id: int | None = None  # where it happened, which already shows the change
    message_id: int | None = None  # the message it came with (a typed one, or the one under a button)
    changed: bool = False
    update_id: int | None = None
    created: list[Case] = field(default_factory=list)
    links: dict[int, str] = field(default_factory=dict)  # chat id -> plan id it now works on
    unlinks: set[int] = field(default_factory=set)
    deleted: bool = False
    farewells: list[News] = field(default_factory=list)  # news about a plan that is gone

    @property
    def person(self) -> int:
        """Who acts, for a change that a person makes."""
        if self.actor is None:
            raise RuntimeError("this change has no person acting")
        return self.actor

    def save(self, update_id: int | None = None) -> None:
        """The plan changed: the commit writes it (and remembers the update, so a repeat is skipped)."""
        self.changed = True
        if update_id is not None:
            self.update_id = update_id

    def create(self, case: Case) -> None:
        self.created.append(case)

    def link(self, chat_id: int, case_id: str) -> None:
        self.unlinks.discard(chat_id)
        self.links[chat_id] = case_id

    def unlink(self, chat_id: int) -> None:
        self.links.pop(chat_id, None)
        self.unlinks.add(chat_id)

    def delete(self, farewell: News | None = None) -> None:
        self.deleted = True
        if farewell is not None:
            self.farewells.append(farewell)


Compose = Callable[[News], list[Letter]]  # renders news into letters, one per chat that hears it
Decide = Callable[[Work], T]


class Plans:
    """Runs units of work. Every write of a plan goes through `run`."""

    def __init__(
        self,
        repo: CaseRepository,
        clock: Callable[[], datetime],
        compose: Compose = lambda news: [],
        on_commit: Callable[[str, datetime | None], None] = lambda case_id, wake: None,
        on_farewell: Callable[[list[Letter]], None] = lambda letters: None,
        retention: Retention | None = None,
    ) -> None:
        self.repo = repo
        self.clock = clock
        self.compose = compose
        self.on_commit = on_commit  # the courier: this plan's next wake time
        self.on_farewell = on_farewell  # letters about a deleted plan: nowhere to store them
        self.retention = retention  # how long an unused plan is kept (None: for ever, in some tests)
        self._locks = KeyedLocks()
        self._committed: deque[int] = deque(maxlen=COMMITS_REMEMBERED)

    async def run(
        self,
        case_id: str | None,
        decide: Decide[T],
        *,
        actor: int | None = None,
        actor_name: str | None = None,
        chat_id: int | None = None,
        update_id: int | None = None,
        message_id: int | None = None,
        actor_language: str | None = None,
    ) -> T:
        """Load plan `case_id` (None or unknown: `work.case` is None), decide, commit what changed."""
        async with self._locks.hold(case_id):
            who = (actor, actor_name, actor_language)
            work, result = await asyncio.to_thread(
                self._attempts, case_id, decide, who, chat_id, update_id, message_id
            )
        self._after(work)
        return result

    async def run_in_chat(
        self,
        chat_id: int,
        user_id: int,
        decide: Decide[T],
        *,
        actor_name: str | None = None,
        update_id: int,
        message_id: int | None = None,
        actor_language: str | None = None,
    ) -> T:
        """The same, for the plan this chat works on (see `locate`).

        The chat's link is tried first, checked on the plan loaded under its lock (one load); only when it
        no longer holds does `locate` look further (the person left that plan, the group was unlinked)."""
        run = partial(
            self.run,
            actor=user_id,
            actor_name=actor_name,
            chat_id=chat_id,
            update_id=update_id,
            message_id=message_id,
            actor_language=actor_language,
        )
        linked = await asyncio.to_thread(self.repo.linked_case_id, chat_id)
        if linked is not None:
            held, result = await run(linked, partial(_if_it_holds, chat_id, user_id, decide))
            if held:
                return result  # type: ignore[return-value]
        case_id = await asyncio.to_thread(locate, self.repo, chat_id, user_id)
        return await run(case_id, decide)

    def committed(self, update_id: int) -> bool:
        """True if handling this update saved a change (the error handler must not say "nothing changed")."""
        return update_id in self._committed

    async def read(self, read: Callable[[CaseRepository], T]) -> T:
        """A read with no change (a listing), off the event loop."""
        return await asyncio.to_thread(read, self.repo)

    # --- in the worker thread -------------------------------------------------------------------------

    def _attempts(
        self,
        case_id: str | None,
        decide: Decide[T],
        who: tuple[int | None, str | None, str | None],
        chat_id: int | None,
        update_id: int | None,
        message_id: int | None,
    ) -> tuple[Work, T]:
        """The unit, again on a fresh load while another worker's save keeps getting in first."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return self._unit(case_id, decide, who, chat_id, update_id, message_id)
            except Conflict:
                if attempt == ATTEMPTS:
                    raise
                log.info("plan %s was changed elsewhere meanwhile; running the change again", case_id)
        raise AssertionError("unreachable")

    def _unit(
        self,
        case_id: str | None,
        decide: Decide[T],
        who: tuple[int | None, str | None, str | None],
        chat_id: int | None,
        update_id: int | None,
        message_id: int | None,
    ) -> tuple[Work, T]:
        """`who`: the person acting, their first name and Telegram's language code (all None: the bot)."""
        actor, actor_name, actor_language = who
        case = self.repo.load_case(case_id) if case_id is not None else None
        work = Work(case, self.clock(), actor, actor_name, actor_language, chat_id, message_id)
        result = decide(work)
        self._commit(work)
        if update_id is not None and (work.changed or work.created or work.deleted or work.links):
            self._committed.append(update_id)
        return work, result

    def _commit(self, work: Work) -> None:
        for new in work.created:
            self._prepare(new, work, None)
            self.repo.save_case(new)
        case = work.case
        before = self._checked(case, work)
        for chat_id, linked in work.links.items():
            if case is None or linked != case.id or not work.deleted:
                self.repo.link_chat(chat_id, linked)
        if case is not None and work.deleted:
            self.repo.delete_case(case.id)
        elif case is not None and work.changed:
            self._prepare(case, work, before)
            self.repo.save_case(case)
            if before is not None:
                self._unlink_gone_groups(before, case)
        for chat_id in work.unlinks:
            self.repo.unlink_chat(chat_id)

    def _checked(self, case: Case | None, work: Work) -> Case | None:
        """The plan as stored, when a person changed it: to check once more that they had the right to
        (journey/access.py, whatever path the change came by) and to tell the others what changed. Read
        again only when something changed (most updates only look), and safe to, as nothing else writes it
        while we hold its lock. Raises (nothing is written) when the change was not theirs to make."""
        if case is None or work.actor is None or not (work.changed or work.deleted):
            return None
        before = self.repo.load_case(case.id)
        if before is not None:
            try:
                access.check_change(before, case, work.actor, deleted=work.deleted)
            except JourneyError as refused:
                # A rule's own check should have said no before this: a path forgot to ask.
                log.warning("refused a change at save time: %s", type(refused).__name__)
                raise
        return before

    def _unlink_gone_groups(self, before: Case, after: Case) -> None:
        """A group the plan no longer lists (unlinked, or its linker left) loses its chat link too, however
        the decision dropped it; a link that already names another plan is not ours to remove."""
        still = {g.chat_id for g in after.groups}
        for group in before.groups:
            if group.chat_id not in still and self.repo.linked_case_id(group.chat_id) == after.id:
                self.repo.unlink_chat(group.chat_id)

    def _prepare(self, case: Case, work: Work, before: Case | None) -> None:
        """What every save does: remember the update, re-plan reminders, write the news as letters."""
        member = find_member(case, work.actor) if work.actor is not None else None
        if member is not None:
            if work.update_id is not None:
                cases.remember_update(member, work.update_id)
            sharing.note_name(member, work.actor_name)
            language.propose(case, member.user_id, work.actor_language)
        reminders.replan(case, work.now)
        if work.actor is not None:
            retention.touch(case, work.now)  # a person's change; the bot's own saves do not count
        if self.retention is not None:
            retention.replan(case, self.retention, work.now)
        case.updated_at = work.now
        if before is not None and work.actor is not None:
            found = activity.changes(before, case, work.actor)
            if found:
                outbox.post(case, self.compose(News(before, case, found, work.actor, work.chat_id)))

    # --- back on the event loop -----------------------------------------------------------------------

    def _after(self, work: Work) -> None:
        for new in work.created:
            self.on_commit(new.id, next_wake(new))
        if work.case is not None and (work.changed or work.deleted):
            self.on_commit(work.case.id, None if work.deleted else next_wake(work.case))
        for news in work.farewells:
            self.on_farewell(self.compose(news))


def follow_group(work: Work, old_id: int, new_id: int) -> bool:
    """A group chat became a supergroup, with a new id: the plan (its group, the group's reminders and
    waiting news) and the chat link move there. False if this plan does not follow that group."""
    if work.case is None or old_id == new_id or not sharing.move_group(work.case, old_id, new_id):
        return False
    work.save()
    work.link(new_id, work.case.id)
    work.unlink(old_id)
    return True


def _if_it_holds(chat_id: int, user_id: int, decide: Decide[T], work: Work) -> tuple[bool, T | None]:
    """Decide only if the chat's link still leads to this plan (`locate`'s rules, on the loaded plan)."""
    if work.case is None or not sharing.chat_works_on(work.case, chat_id, user_id):
        return False, None
    return True, decide(work)


def locate(repo: CaseRepository, chat_id: int, user_id: int) -> str | None:
    """The plan this chat works on.

    A group: the plan it is linked to, if that plan still lists the group (a link is only a hint).
    A private chat: the person's active plan; if they are no longer in it (taken off, or it was deleted),
    their latest other plan becomes the active one.
    """
    case = repo.case_for_chat(chat_id)
    if case is not None and sharing.chat_works_on(case, chat_id, user_id):
        return case.id
    if chat_id != user_id:
        return None
    others = repo.cases_of_user(user_id)
    if not others:
        if case is not None:
            repo.unlink_chat(chat_id)
        return None
    repo.link_chat(chat_id, others[-1].id)
    return others[-1].id
