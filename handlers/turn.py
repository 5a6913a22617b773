"""What one update works with: the services, the loaded case, who acts, and the time.

Handlers build a `Turn`, call journey functions on `turn.case`, and return a `Screen` (text and buttons)
that the edge sends or edits into the chat.
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Generic, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application, CallbackContext

from handlers.callbacks import Action, InvalidButton, encode
from journey import activity, cases, reminders, sharing
from journey.access import find_member
from journey.models import Case
from storage.repository import CaseRepository
from templates import Renderer

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")


@dataclass(frozen=True)
class News:
    """What one member just changed, for the others: the case before and after, and who did it."""

    before: Case
    after: Case
    changes: list[activity.Change]
    actor: int
    origin_chat: int | None  # the chat it happened in, which already shows it


@dataclass(frozen=True)
class Services:
    """Everything handlers need, built once in bot.py and kept in `application.bot_data`."""

    repo: CaseRepository
    renderer: Renderer
    clock: Callable[[], datetime]
    zone: tzinfo
    # Called after every save, so the reminder scheduler knows the case's next due time.
    on_saved: Callable[[Case], None] = lambda case: None
    # Called after a save that changed something the other members hear about (handlers/news.py).
    on_news: Callable[[News], None] = lambda news: None
    # The bot's @username, for invite links (known once the bot has asked Telegram who it is).
    bot_username: Callable[[], str] = lambda: "SecondOpinionBot"

    def now(self) -> datetime:
        return self.clock()


SERVICES_KEY = "services"


def services(source: CallbackContext | Application) -> Services:  # type: ignore[type-arg]
    """The Services of the running application, from a handler's context or the application itself."""
    app = source if isinstance(source, Application) else source.application
    found = app.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found


def case_of_chat(s: Services, chat_id: int, user_id: int) -> Case | None:
    """The case this chat works on. In a private chat that is the user's active case; if they are no
    longer in it (taken off, or it was deleted), their latest other case becomes the active one."""
    case = s.repo.case_for_chat(chat_id)
    if chat_id != user_id:
        return case  # a group: its linked case, whoever writes (membership is checked by the caller)
    if case is not None and find_member(case, user_id) is not None:
        return case
    others = s.repo.cases_of_user(user_id)
    if not others:
        if case is not None:
            s.repo.unlink_chat(chat_id)
        return None
    s.repo.link_chat(chat_id, others[-1].id)
    return others[-1]


@dataclass(frozen=True)
class OutgoingFile:
    """A file the bot sends after the screen (a calendar file)."""

    name: str
    data: bytes
    caption: str


@dataclass(frozen=True)
class Screen:
    text: str
    rows: tuple[tuple[InlineKeyboardButton, ...], ...] = ()
    files: tuple[OutgoingFile, ...] = ()
    # In a group, a question that needs typing: the ForceReply message that asks for it (privacy mode
    # shows the bot only replies to its own messages).
    asks: str | None = None

    def with_head(self, head: str) -> Screen:
        """The same screen with a line on top (e.g. "Saved.")."""
        return Screen(f"{head}\n\n{self.text}", self.rows, self.files, self.asks)

    def markup(self) -> InlineKeyboardMarkup | None:
        return InlineKeyboardMarkup(self.rows) if self.rows else None


@dataclass
class Turn:
    services: Services
    case: Case
    user_id: int
    now: datetime
    new_id: str  # a stable id for anything this update adds (same update -> same id)
    chat_id: int | None = None  # where the update came from (None: the bot acts on its own)
    user_name: str | None = None  # Telegram's first name, kept on the member so others see who acted
    # The case as loaded: save() compares against it to tell the others what changed.
    before: Case = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.before = copy.deepcopy(self.case)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.services.zone).date()

    def save(self, update_id: int | None = None) -> None:
        """Re-plan reminders from what changed, remember the update (repeats are skipped), write atomically."""
        member = find_member(self.case, self.user_id)
        if member is not None:
            if update_id is not None:
                cases.remember_update(member, update_id)
            sharing.note_name(member, self.user_name)
        reminders.replan(self.case, self.now)
        self.case.updated_at = self.now
        self.services.repo.save_case(self.case)
        self.services.on_saved(self.case)
        found = activity.changes(self.before, self.case, self.user_id)
        if found:
            self.services.on_news(News(self.before, self.case, found, self.user_id, self.chat_id))
        # A second save in the same update reports only what changed since this one.
        self.before = copy.deepcopy(self.case)

    def render(self, name: str, /, **context: object) -> str:
        return self.services.renderer.render(name, case=self.case, **context)

    def label(self, key: str, /, **context: object) -> str:
        return self.services.renderer.label(key, **context)

    def button(self, label: str, action: Action, *args: str | int) -> InlineKeyboardButton:
        """A button with a ready label (use `label()` for one from the strings)."""
        return InlineKeyboardButton(label, callback_data=encode(action, self.case.id, *args))

    def screen(self, name: str, rows: Sequence[Sequence[InlineKeyboardButton]], **context: object) -> Screen:
        return Screen(self.render(name, **context), tuple(tuple(r) for r in rows if r))


def parse(kind: type[E], value: str) -> E:
    """An enum member from button data; anything else means the button was forged or is stale."""
    try:
        return kind(value)
    except ValueError:
        raise InvalidButton() from None


def rows_of(buttons: Sequence[InlineKeyboardButton], per_row: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


def choices(
    turn: Turn,
    options: Iterable[E],
    is_on: Callable[[E], bool],
    text: Callable[[E], str],
    action: Action,
    *prefix: str,
    per_row: int = 1,
) -> list[list[InlineKeyboardButton]]:
    """A set of "✅ option" buttons, one per option; pressing one sends `action` with prefix + its value."""
    buttons = [
        turn.button(turn.label("toggle", on=is_on(o), text=text(o)), action, *prefix, str(o.value))
        for o in options
    ]
    return rows_of(buttons, per_row)


PAGE_SIZE = 6


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    count: int
    start: int  # index of the first item, for numbering


def paginate(items: Sequence[T], page: int, size: int = PAGE_SIZE) -> Page[T]:
    count = max(1, -(-len(items) // size))
    number = min(max(page, 0), count - 1)
    start = number * size
    return Page(list(items[start : start + size]), number, count, start)


def page_row(turn: Turn, page: Page[T], action: Action, *prefix: str) -> list[InlineKeyboardButton]:
    """Previous and Next buttons, only where there is somewhere to go."""
    row = []
    if page.number > 0:
        row.append(turn.button(turn.label("prev"), action, *prefix, page.number - 1))
    if page.number < page.count - 1:
        row.append(turn.button(turn.label("next"), action, *prefix, page.number + 1))
    return row
