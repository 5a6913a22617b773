"""Every inline button lands here: decode, check who may do this, act, save, show the new screen.

Each feature folder declares the taps of its buttons (`handlers/<feature>/taps.py`) and their routes
(`handlers/<feature>/routes.py`, by tap class); `handlers/routes.py` puts them together into the whole button
surface of the bot. A route that changes the case needs an
editor; one that changes only the member's own settings (or takes them out) needs a member, as do those
that only look. Joining needs no membership: the invite's secret is checked instead. Nothing in the callback
data is trusted beyond its shape.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from telegram import CallbackQuery, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from handlers.plumbing.callbacks import InvalidButton, NoopTap, Tap, decode
from handlers.plumbing.reply import edit_screen, send_new
from handlers.plumbing.turn import Screen, Services, Turn, plans, reader_words, services
from journey import cases, prompts
from journey.access import require_editor, require_member
from journey.errors import Gone, JourneyError
from journey.ids import id_from
from service.work import Work

log = logging.getLogger(__name__)

T = TypeVar("T", bound=Tap)


Then = Callable[[ContextTypes.DEFAULT_TYPE, "Press"], Awaitable[Screen | None]]


class Access(enum.Enum):
    READ = "read"  # members; nothing saved (unless a pending question was left)
    EDIT = "edit"  # changes the case: owner and editors; saved
    OWN = "own"  # changes only the member's own place or settings: any member; saved
    SELF = "self"  # checks and saves on its own (joining by invite, deleting the plan)


@dataclass(frozen=True)
class Route(Generic[T]):
    """What a tap of kind T does (`show` gets the tap itself, fields parsed), and who may do it."""

    show: Callable[[Turn, T], Screen]
    access: Access = Access.READ
    keeps_prompt: bool = False  # acts on the pending prompt instead of leaving it
    # Work that spans several plans (erasing a person): run after the screen is shown, outside any one
    # plan's lock, each plan through its own unit of work. What it returns is sent as a new message.
    then: Then | None = None


Routes = dict[type[Tap], Route[Any]]


@dataclass(frozen=True)
class Entry:
    """One line of a routes table (made by `route`, so the tap and its function agree)."""

    kind: type[Tap]
    route: Route[Any]


def route(
    kind: type[T],
    show: Callable[[Turn, T], Screen],
    access: Access = Access.READ,
    keeps_prompt: bool = False,
    then: Then | None = None,
) -> Entry:
    """One entry of a routes table: mypy checks that `show` takes this kind of tap. (The result names no
    T on purpose: a generic result would let the table's type decide T and hide a mismatch.)"""
    return Entry(kind, Route(show, access, keeps_prompt, then))


def table(*entries: Entry) -> Routes:
    """A routes table from `route(...)` entries; a tap routed twice is a bug."""
    routes: Routes = {}
    for entry in entries:
        if entry.kind in routes:
            raise ValueError(f"{entry.kind.__name__} is routed twice")
        routes[entry.kind] = entry.route
    return routes


def _noop(turn: Turn, tap: NoopTap) -> Screen:
    raise Unchanged()


class Unchanged(Exception):
    """A heading or blank cell was tapped: answer the press, change nothing, keep the message."""


EDIT, OWN, SELF = Access.EDIT, Access.OWN, Access.SELF
# Buttons that belong to no feature: a heading or a blank cell of a grid.
PLUMBING: Routes = table(route(NoopTap, _noop, keeps_prompt=True))


Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def buttons(routes: Routes) -> Handler:
    """The handler of every button press, for this table of routes."""

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await press_button(routes, update, context)

    return on_button


async def press_button(routes: Routes, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handle a button press. Bad or forbidden presses get a short alert and change nothing."""
    query = update.callback_query
    if query is None:
        return
    s = services(context)
    press = Press(
        user_id=query.from_user.id,
        user_name=query.from_user.first_name,
        chat_id=query.message.chat.id if query.message is not None else None,
        language_code=query.from_user.language_code,
        query_id=query.id,
        update_id=update.update_id,
    )
    case_id: str | None = None
    try:
        case_id, tap = decode(query.data)
        screen = await plans(context).run(
            case_id,
            partial(_press, s, routes, tap, press),
            actor=press.user_id,
            actor_name=press.user_name,
            actor_language=press.language_code,
            chat_id=press.chat_id,
            update_id=update.update_id,
            message_id=query.message.message_id if query.message is not None else None,
        )
    except Unchanged:
        await _answer(query)
        return
    except InvalidButton:
        log.info("refused a malformed or stale button")
        await _alert(query, s.words_for(query.from_user.language_code).render("errors/stale_button"))
        return
    except JourneyError as refused:
        log.info("refused a button: %s", type(refused).__name__)
        words = await reader_words(context, case_id, press.user_id, query.from_user.language_code)
        await _alert(query, words.render(refused.key, **refused.details))
        return
    await _answer(query)
    if screen is not None:
        await edit_screen(query, screen)
        found = routes.get(type(tap))
        if found is not None and found.then is not None:
            after = await found.then(context, press)
            if after is not None and press.chat_id is not None:
                await send_new(query.get_bot(), press.chat_id, after)


@dataclass(frozen=True)
class Press:
    """The plain facts of a button press, for the unit of work (which runs off the event loop)."""

    user_id: int
    user_name: str | None
    chat_id: int | None
    query_id: str
    update_id: int
    language_code: str | None = None  # Telegram's guess of their language


def _press(s: Services, routes: Routes, tap: Tap, press: Press, work: Work) -> Screen | None:
    """Inside the unit of work: check who may do this, act, and mark the plan saved. None: a repeat."""
    found = routes.get(type(tap))
    if found is None:
        raise InvalidButton()
    case = work.case
    needs = found.access
    if needs is Access.SELF:
        if case is None:
            raise Gone()
    else:
        member = (require_editor if needs is Access.EDIT else require_member)(case, press.user_id)
        if cases.is_repeat(member, press.update_id):
            return None
    assert case is not None  # require_member refuses a missing case
    turn = Turn.of(s, work, case, new_id=id_from("cb", press.query_id))
    left = False if found.keeps_prompt or needs is Access.SELF else prompts.leave(case, turn.user_id)
    screen = found.show(turn, tap)
    if needs in (Access.EDIT, Access.OWN) or left:
        turn.save(press.update_id)
    return screen


async def _alert(query: CallbackQuery, text: str) -> None:
    # Alerts are plain text: strip nothing, the templates for alerts carry no tags.
    await _answer(query, text, show_alert=True)


async def _answer(query: CallbackQuery, text: str | None = None, show_alert: bool = False) -> None:
    """Stop the button's spinner. A press can be handled twice: several workers take updates through the
    inbox, and when one dies with a press in hand another handles it again, after the first may have
    answered it. Telegram then says the query is too old; the press itself is fine, so it goes on (the
    screen is still shown)."""
    try:
        await query.answer(text, show_alert=show_alert)
    except BadRequest as error:
        if "query is too old" not in error.message.lower():
            raise
        log.info("a button press was answered already, or too late")
