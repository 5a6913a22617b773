"""Group chats: the family's progress chat.

/start in a group links it to the active case of whoever sends it (an owner or editor); /stop unlinks it.
Members then use the same commands and buttons there; every one of them is checked against the person,
not the group. With Telegram's privacy mode on, the bot sees only commands and replies to its own
messages, so a question that needs typing comes with a ForceReply (see reply.py), and other chatter in
the group is none of the bot's business: it stays silent.
"""

from __future__ import annotations

import logging

from telegram import ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus
from telegram.ext import ContextTypes

from handlers import menu, messages
from handlers.reply import send_screen
from handlers.sharing_views import plan_name
from handlers.turn import Turn, case_of_chat, services
from journey import reminders, sharing
from journey.access import find_member, require_editor
from journey.errors import JourneyError
from journey.ids import id_from

log = logging.getLogger(__name__)


async def on_group_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    s = services(context)
    linked = s.repo.case_for_chat(message.chat_id)
    if linked is not None:
        if find_member(linked, user.id) is None:
            await message.reply_text(s.renderer.render("group/other_case"))
            return
        turn = Turn(
            s, linked, user.id, s.now(), id_from(message.chat_id, message.message_id), message.chat_id
        )
        await send_screen(message, menu.show_menu(turn))
        return
    case = case_of_chat(s, user.id, user.id)  # their active case, from the private chat
    if case is None:
        await message.reply_text(s.renderer.render("group/start_private", bot=context.bot.username))
        return
    new_id = id_from(message.chat_id, message.message_id)
    turn = Turn(s, case, user.id, s.now(), new_id, message.chat_id, user.first_name)
    try:
        sharing.link_group(case, message.chat_id, user.id, turn.now)
    except JourneyError:
        await message.reply_text(s.renderer.render("group/viewer"))
        return
    turn.save()
    s.repo.link_chat(message.chat_id, case.id)
    log.info("linked a group chat to a case")
    screen = menu.show_menu(turn).with_head(turn.render("sharing/group_linked", plan=plan_name(turn)))
    await send_screen(message, screen)


async def on_group_stop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stop: this group no longer follows the case. An owner or editor of that case may."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    s = services(context)
    case = s.repo.case_for_chat(message.chat_id)
    if case is None:
        await message.reply_text(s.renderer.render("group/not_linked"))
        return
    try:
        require_editor(case, user.id)
    except JourneyError as refused:
        await message.reply_text(s.renderer.render(refused.key, **refused.details))
        return
    turn = Turn(s, case, user.id, s.now(), id_from(message.chat_id, message.message_id), message.chat_id)
    sharing.unlink_group(case, message.chat_id)
    turn.save()
    s.repo.unlink_chat(message.chat_id)
    log.info("unlinked a group chat")
    await message.reply_text(s.renderer.render("group/stopped"))


async def on_group_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Text or a file in the group: an answer from a member we asked, else none of our business."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    s = services(context)
    case = s.repo.case_for_chat(message.chat_id)
    member = find_member(case, user.id) if case is not None else None
    if member is None or member.prompt is None:
        return  # chatter among the family, or a reply to an old message: stay out of it
    if message.text is not None:
        await messages.on_text(update, context)
    elif message.photo or message.document is not None:
        await messages.on_file(update, context)


async def on_private_only(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Invites and switching plans are personal: they happen in the private chat."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            services(context).renderer.render("group/private_only", bot=context.bot.username)
        )


async def on_bot_membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Added to a group: say hello and how to link it. Removed: forget the group at once."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None or change.chat.type == "private":
        return
    s = services(context)
    status = change.new_chat_member.status
    if status in (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR):
        if change.old_chat_member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
            await context.bot.send_message(change.chat.id, s.renderer.render("group/hello"))
        return
    case = s.repo.case_for_chat(change.chat.id)
    if case is not None and sharing.unlink_group(case, change.chat.id):
        reminders.replan(case, s.now())
        s.repo.save_case(case)
        s.on_saved(case)
    s.repo.unlink_chat(change.chat.id)
    log.info("the bot left a group chat; it is unlinked")
