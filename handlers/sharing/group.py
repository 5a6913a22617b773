"""Group chats: the family's progress chat.

/start in a group links it to the active case of whoever sends it (an owner or editor); /stop unlinks it.
Members then use the same commands and buttons there; every one of them is checked against the person,
not the group. With Telegram's privacy mode on, the bot sees only commands and replies to its own
messages, so a question that needs typing comes with a ForceReply (see reply.py), and other chatter in
the group is none of the bot's business: it stays silent.
"""

from __future__ import annotations

import logging
from functools import partial

from telegram import ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus
from telegram.ext import ContextTypes

from handlers.menu import screens as menu
from handlers.plumbing.reply import send_screen
from handlers.plumbing.turn import Screen, Services, Turn, plans, services, words_of
from handlers.prompts import typed as messages
from handlers.sharing.screens import plan_name
from journey import sharing
from journey.access import find_member, require_editor
from journey.errors import JourneyError
from journey.ids import id_from
from service.work import Work, follow_group, locate
from storage.repository import CaseRepository

log = logging.getLogger(__name__)


async def on_group_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    s, runner = services(context), plans(context)
    chat_id = message.chat_id
    linked = await runner.read(lambda repo: locate(repo, chat_id, user.id))
    # A group already linked shows its menu; else it is linked to the sender's active plan.
    case_id = linked or await runner.read(lambda repo: locate(repo, user.id, user.id))
    if case_id is None:
        words = s.words_for(user.language_code)
        await message.reply_text(words.render("group/start_private", bot=context.bot.username))
        return
    new_id = id_from(chat_id, message.message_id)
    decide = partial(_show_menu if linked else _link, s, new_id)
    screen = await runner.run(
        case_id,
        decide,
        actor=user.id,
        actor_name=user.first_name,
        actor_language=user.language_code,
        chat_id=chat_id,
        update_id=update.update_id,
    )
    await send_screen(message, screen)


def _show_menu(s: Services, new_id: str, work: Work) -> Screen:
    if work.case is None or find_member(work.case, work.person) is None:
        return Screen(words_of(s, work).render("group/other_case"))
    return menu.show_menu(Turn.of(s, work, work.case, new_id))


def _link(s: Services, new_id: str, work: Work) -> Screen:
    assert work.chat_id is not None and work.actor is not None
    if work.case is None:
        return Screen(words_of(s, work).render("group/start_private", bot=s.bot_username()))
    turn = Turn.of(s, work, work.case, new_id)
    try:
        sharing.link_group(work.case, work.chat_id, work.actor, turn.now)
    except JourneyError:
        return Screen(turn.render("group/viewer"))
    turn.save()
    work.link(work.chat_id, work.case.id)
    log.info("linked a group chat to a case")
    return menu.show_menu(turn).with_head(turn.render("sharing/group_linked", plan=plan_name(turn)))


async def on_group_stop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stop: this group no longer follows the case. An owner or editor of that case may."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    s, runner = services(context), plans(context)
    chat_id = message.chat_id
    case_id = await runner.read(lambda repo: locate(repo, chat_id, user.id))
    text = await runner.run(
        case_id, partial(_stop, s), actor=user.id, chat_id=chat_id, actor_language=user.language_code
    )
    await message.reply_text(text)


def _stop(s: Services, work: Work) -> str:
    assert work.chat_id is not None
    words = words_of(s, work)  # the group's language, read before it is unlinked
    if work.case is None:
        return words.render("group/not_linked")
    try:
        require_editor(work.case, work.person)
    except JourneyError as refused:
        return words.render(refused.key, **refused.details)
    sharing.unlink_group(work.case, work.chat_id)
    work.save()
    work.unlink(work.chat_id)
    log.info("unlinked a group chat")
    return words.render("group/stopped")


async def on_group_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Text or a file in the group: an answer from a member we asked, else none of our business
    (messages.in_chat stays silent for anyone the bot did not ask)."""
    message = update.effective_message
    if message is None:
        return
    if message.text is not None:
        await messages.on_text(update, context)
    elif message.photo or message.document is not None:
        await messages.on_file(update, context)
    elif message.voice is not None:
        await messages.on_voice(update, context)


async def on_private_only(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Invites and switching plans are personal: they happen in the private chat."""
    if update.effective_message is not None:
        code = update.effective_user.language_code if update.effective_user is not None else None
        words = services(context).words_for(code)
        await update.effective_message.reply_text(
            words.render("group/private_only", bot=context.bot.username)
        )


async def on_bot_membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Added to a group: say hello and how to link it. Removed: forget the group at once."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None or change.chat.type == "private":
        return
    s, runner = services(context), plans(context)
    status = change.new_chat_member.status
    if status in (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR):
        if change.old_chat_member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
            words = s.words_for(change.from_user.language_code)  # who added the bot
            await context.bot.send_message(change.chat.id, words.render("group/hello"))
        return
    chat_id = change.chat.id
    case_id = await runner.read(lambda repo: _linked_id(repo, chat_id))
    await runner.run(case_id, partial(_removed, chat_id))
    log.info("the bot left a group chat; it is unlinked")


def _linked_id(repo: CaseRepository, chat_id: int) -> str | None:
    case = repo.case_for_chat(chat_id)
    return case.id if case is not None else None


def _removed(chat_id: int, work: Work) -> None:
    if work.case is not None and sharing.unlink_group(work.case, chat_id):
        work.save()
    work.unlink(chat_id)


async def on_migrate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Telegram made the group a supergroup, with a new chat id. It says so twice: in the old group
    (`migrate_to_chat_id`) and in the new one (`migrate_from_chat_id`); the first moves the plan's link,
    reminders and waiting news to the new id, the second finds nothing left to move."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id is not None:
        old_id, new_id = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:
        old_id, new_id = message.migrate_from_chat_id, message.chat_id
    else:
        return
    runner = plans(context)
    case_id = await runner.read(lambda repo: _linked_id(repo, old_id))
    if case_id is None:
        return
    if await runner.run(case_id, partial(follow_group, old_id=old_id, new_id=new_id)):
        log.info("a group chat became a supergroup; its plan follows it to the new id")
