"""What one update works with: the services, the loaded plan, who acts, and the time.

Inside a unit of work (service/work.py), handlers build a `Turn`, call journey functions on `turn.case`,
and return a `Screen` (text and buttons) that the edge sends or edits into the chat once the change is
saved. `turn.save()` only marks the plan changed: the unit of work writes it once, after the decision.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Generic, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application, CallbackContext

from handlers.plumbing.callbacks import Tap, encode
from journey import language
from journey.models import Case
from journey.prompts import Where
from service.sending import OutFile, Outgoing
from service.work import Plans, Work
from storage.repository import CaseRepository
from templates import Renderer, Words

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")


@dataclass(frozen=True)
class Services:
    """Everything handlers need, built once in bot.py and kept in `application.bot_data`."""

    repo: CaseRepository
    words: Words  # every locale's Renderer: pick the reader's (Turn.words, or words_for below)
    clock: Callable[[], datetime]
    zone: tzinfo
    # The bot's @username, for invite links (known once the bot has asked Telegram who it is).
    bot_username: Callable[[], str] = lambda: "SecondOpinionBot"
    # For the privacy notice (/privacy): who runs the bot (shown when set), and how long unused plans stay.
    operator_name: str | None = None
    operator_contact: str | None = None
    retention_months: int = 12

    def now(self) -> datetime:
        return self.clock()

    def words_for(self, language_code: str | None) -> Renderer:
        """Words for someone outside any plan we loaded: Telegram's guess of their language."""
        return self.words.of(language.from_telegram(language_code))


SERVICES_KEY = "services"
PLANS_KEY = "plans"


def services(source: CallbackContext | Application) -> Services:  # type: ignore[type-arg]
    """The Services of the running application, from a handler's context or the application itself."""
    app = source if isinstance(source, Application) else source.application
    found = app.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found


def plans(source: CallbackContext | Application) -> Plans:  # type: ignore[type-arg]
    """The unit of work runner: the one way handlers change a plan."""
    app = source if isinstance(source, Application) else source.application
    found = app.bot_data[PLANS_KEY]
    assert isinstance(found, Plans)
    return found


OutgoingFile = OutFile  # a file the bot sends after the screen (a calendar file)


@dataclass(frozen=True)
class Screen:
    text: str
    rows: tuple[tuple[InlineKeyboardButton, ...], ...] = ()
    files: tuple[OutFile, ...] = ()
    # In a group, a question that needs typing: the ForceReply message that asks for it (privacy mode
    # shows the bot only replies to its own messages).
    asks: str | None = None

    def with_head(self, head: str) -> Screen:
        """The same screen with a line on top (e.g. "Saved.")."""
        return Screen(f"{head}\n\n{self.text}", self.rows, self.files, self.asks)

    def markup(self) -> InlineKeyboardMarkup | None:
        return InlineKeyboardMarkup(self.rows) if self.rows else None

    def outgoing(self, chat_id: int) -> Outgoing:
        """The screen as plain data, for the senders (which know nothing of telegram's types)."""
        rows = tuple(tuple((b.text, str(b.callback_data)) for b in row) for row in self.rows)
        return Outgoing(chat_id, self.text, rows, self.files)


@dataclass
class Turn:
    """One update's view of one plan: who acts, when, and the unit of work that will save it."""

    services: Services
    case: Case
    user_id: int
    now: datetime
    new_id: str  # a stable id for anything this update adds (same update -> same id)
    chat_id: int | None = None  # where the update came from (None: the bot acts on its own)
    user_name: str | None = None  # Telegram's first name, kept on the member so others see who acted
    work: Work | None = field(default=None, repr=False)  # None: only rendering (news, reminders)
    message_id: int | None = None  # the message the update came with (typed, or under the button)
    reply_to: int | None = None  # in a group: the bot's message this typed answer replies to

    @classmethod
    def of(cls, s: Services, work: Work, case: Case, new_id: str, reply_to: int | None = None) -> Turn:
        assert work.actor is not None
        return cls(
            s,
            case,
            work.actor,
            work.now,
            new_id,
            work.chat_id,
            work.actor_name,
            work,
            work.message_id,
            reply_to,
        )

    @property
    def in_group(self) -> bool:
        """A group chat, or a group's copy of a reminder (drawn for the group's own negative id): the
        one test of "not this person's private chat" (private chat ids are the person's own id)."""
        chat = self.chat_id if self.chat_id is not None else self.user_id
        return chat < 0 or chat != self.user_id

    @property
    def where(self) -> Where | None:
        """Where this update happened, for questions: asked here, answered only here."""
        return None if self.chat_id is None else Where(self.chat_id, self.message_id, self.reply_to)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.services.zone).date()

    @property
    def unit(self) -> Work:
        """The unit of work this turn runs in (a turn that only renders has none)."""
        if self.work is None:
            raise RuntimeError("this turn only renders; it cannot change anything")
        return self.work

    def save(self, update_id: int | None = None) -> None:
        """The plan changed: the unit of work saves it once, after the decision, with its news."""
        self.unit.save(update_id)

    @property
    def language(self) -> str:
        """The reader's language: a linked group's in a group, else the member's (Telegram's guess for a
        member who never chose, e.g. a stranger who taps an invite link)."""
        return language.of_chat(self.case, self.chat_id, self.user_id, self._guess)

    @property
    def typist_language(self) -> str:
        """The language the person acting types in: their own, even in a group that reads another (a
        Spanish speaker in an English family group types "mañana a las 10")."""
        return language.of_member(self.case, self.user_id, self._guess)

    @property
    def _guess(self) -> str | None:
        """Telegram's guess of the acting person's language (none when the bot renders on its own)."""
        return language.from_telegram(self.work.actor_language) if self.work is not None else None

    @property
    def words(self) -> Renderer:
        """Everything this turn shows is in the reader's words."""
        return self.services.words.of(self.language)

    def render(self, name: str, /, **context: object) -> str:
        return self.words.render(name, case=self.case, **context)

    def label(self, key: str, /, **context: object) -> str:
        return self.words.label(key, **context)

    def button(self, label: str, tap: Tap) -> InlineKeyboardButton:
        """A button about this turn's plan, with a ready label (use `label()` for one from the strings)."""
        return button_for(self.case.id, label, tap)

    def screen(self, name: str, rows: Sequence[Sequence[InlineKeyboardButton]], **context: object) -> Screen:
        return Screen(self.render(name, **context), tuple(tuple(r) for r in rows if r))


def words_of(s: Services, work: Work) -> Renderer:
    """Words for a unit of work's reply before (or without) a Turn: the chat's reader, as Turn.words."""
    guess = language.from_telegram(work.actor_language)
    if work.case is None or work.actor is None:
        return s.words.of(guess)
    return s.words.of(language.of_chat(work.case, work.chat_id, work.actor, guess))


async def reader_words(
    source: CallbackContext | Application,  # type: ignore[type-arg]
    case_id: str | None,
    user_id: int,
    language_code: str | None,
) -> Renderer:
    """Words for a refusal raised out of a unit of work (nothing to render from): the person's chosen
    language in that plan, read again, else Telegram's guess. Refusals are rare; the read is cheap."""
    s = services(source)
    guess = language.from_telegram(language_code)
    if case_id is None:
        return s.words.of(guess)
    case = await plans(source).read(lambda repo: repo.load_case(case_id))
    return s.words.of(guess if case is None else language.of_member(case, user_id, guess))


async def chat_words(
    source: CallbackContext | Application,  # type: ignore[type-arg]
    chat_id: int,
    user_id: int,
    language_code: str | None,
) -> Renderer:
    """Words for a reply outside any unit of work (/privacy, /export): the language of the plan this
    chat works on (a group's own, or the person's choice), else Telegram's guess."""
    s = services(source)
    guess = language.from_telegram(language_code)
    case = await plans(source).read(lambda repo: repo.case_for_chat(chat_id))
    if case is None:
        return s.words.of(guess)
    return s.words.of(language.of_chat(case, chat_id, user_id, guess))


def button_for(case_id: str, label: str, tap: Tap) -> InlineKeyboardButton:
    """A button about any plan (the dispatcher checks membership of the plan it names)."""
    return InlineKeyboardButton(label, callback_data=encode(case_id, tap))


def rows_of(buttons: Sequence[InlineKeyboardButton], per_row: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


def choices(
    turn: Turn,
    options: Iterable[E],
    is_on: Callable[[E], bool],
    text: Callable[[E], str],
    tap: Callable[[E], Tap],
    per_row: int = 1,
) -> list[list[InlineKeyboardButton]]:
    """A set of "✅ option" buttons, one per option; pressing one sends `tap(option)`."""
    buttons = [turn.button(turn.label("toggle", on=is_on(o), text=text(o)), tap(o)) for o in options]
    return rows_of(buttons, per_row)


def toggles(
    turn: Turn,
    options: Iterable[E],
    is_on: Callable[[E], bool],
    text: Callable[[E], str],
    tap: Callable[[E, bool], Tap],
    per_row: int = 1,
) -> list[list[InlineKeyboardButton]]:
    """Choices that switch on and off. Each carries the state it asks for (`tap(option, on)`): a tap sets,
    never flips, so a second tap on a screen whose edit was lost asks for the same state and changes
    nothing."""
    return choices(turn, options, is_on, text, lambda o: tap(o, not is_on(o)), per_row)


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


def page_row(turn: Turn, page: Page[T], to: Callable[[int], Tap]) -> list[InlineKeyboardButton]:
    """Previous and Next buttons (`to(page number)`), only where there is somewhere to go."""
    row = []
    if page.number > 0:
        row.append(turn.button(turn.label("prev"), to(page.number - 1)))
    if page.number < page.count - 1:
        row.append(turn.button(turn.label("next"), to(page.number + 1)))
    return row
