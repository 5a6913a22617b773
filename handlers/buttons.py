"""Every inline button lands here: decode, check who may do this, act, save, show the new screen.

The routes table is the whole button surface of the bot. A route that changes the case needs an editor;
one that changes only the member's own settings (or takes them out) needs a member, as do those that only
look. Joining needs no membership: the invite's secret is checked instead. Nothing in the callback data is
trusted beyond its shape.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from telegram import CallbackQuery, Update
from telegram.ext import ContextTypes

from handlers import (
    appointment,
    insurance,
    menu,
    onboarding,
    picker,
    prompting,
    questions,
    records,
    reminder_views,
    settings_screen,
    sharing_views,
    specialist,
)
from handlers.callbacks import Action, Button, InvalidButton, decode
from handlers.reply import edit_screen
from handlers.turn import Screen, Services, Turn, plans, services
from journey import cases, prompts
from journey.access import require_editor, require_member
from journey.errors import Gone, JourneyError
from journey.ids import id_from
from service.work import Work

log = logging.getLogger(__name__)

A = Action


class Access(enum.Enum):
    READ = "read"  # members; nothing saved (unless a pending question was left)
    EDIT = "edit"  # changes the case: owner and editors; saved
    OWN = "own"  # changes only the member's own place or settings: any member; saved
    SELF = "self"  # checks and saves on its own (joining by invite, deleting the plan)


@dataclass(frozen=True)
class Route:
    show: Callable[[Turn, Button], Screen]
    access: Access = Access.READ
    keeps_prompt: bool = False  # acts on the pending prompt instead of leaving it


def _noop(turn: Turn, button: Button) -> Screen:
    raise Unchanged()


class Unchanged(Exception):
    """A heading or blank cell was tapped: answer the press, change nothing, keep the message."""


EDIT, OWN, SELF = Access.EDIT, Access.OWN, Access.SELF

ROUTES: dict[Action, Route] = {
    A.MENU: Route(menu.show_menu),
    A.PROGRESS: Route(menu.show_progress),
    A.HELP: Route(menu.show_help),
    A.SKIP: Route(prompting.on_skip, access=EDIT, keeps_prompt=True),
    A.CANCEL: Route(prompting.on_cancel),
    A.REASON: Route(onboarding.on_reason, access=EDIT),
    A.REASONS_DONE: Route(onboarding.show_urgency),
    A.URGENCY: Route(onboarding.on_urgency, access=EDIT),
    A.SPECIALIST: Route(specialist.show_specialist),
    A.KINDS: Route(specialist.show_kinds),
    A.TOGGLE_KIND: Route(specialist.on_toggle_kind, access=EDIT),
    A.WHERE: Route(specialist.show_where),
    A.ADD_CANDIDATE: Route(specialist.on_add_candidate, access=EDIT),
    A.CANDIDATE: Route(specialist.show_candidate),
    A.CANDIDATE_STATUS: Route(specialist.on_candidate_status, access=EDIT),
    A.REMOVE_CANDIDATE: Route(specialist.on_remove, access=EDIT),
    A.REMOVE_CANDIDATE_YES: Route(specialist.on_remove_yes, access=EDIT),
    A.RECORDS: Route(records.show_records),
    A.RECORD: Route(records.show_record),
    A.RECORD_STATUS: Route(records.on_record_status, access=EDIT),
    A.RECORD_FILE: Route(records.on_record_file, access=EDIT),
    A.ATTACH_PENDING: Route(records.on_attach_pending, access=EDIT, keeps_prompt=True),
    A.INSURANCE: Route(insurance.show_insurance),
    A.INSURANCE_QUESTION: Route(insurance.show_question),
    A.INSURANCE_ANSWER: Route(insurance.on_answer, access=EDIT),
    A.EXPECTED_COST: Route(insurance.on_expected_cost, access=EDIT),
    A.LOG_CALL: Route(insurance.on_log_call, access=EDIT),
    A.CALLS: Route(insurance.show_calls),
    A.OUTCOME: Route(insurance.show_outcome),
    A.SET_OUTCOME: Route(insurance.on_set_outcome, access=EDIT),
    A.QUESTIONS: Route(questions.show_questions),
    A.THEME: Route(questions.show_theme),
    A.TOGGLE_BANK: Route(questions.on_toggle_bank, access=EDIT),
    A.MY_LIST: Route(questions.show_list),
    A.OWN_QUESTION: Route(questions.on_own_question, access=EDIT),
    A.TOGGLE_TOP: Route(questions.on_toggle_top, access=EDIT),
    A.REMOVE_QUESTION: Route(questions.on_remove, access=EDIT),
    A.APPOINTMENT: Route(appointment.show_appointment),
    A.NEW_APPOINTMENT: Route(appointment.on_new, access=EDIT),
    A.FROM_CANDIDATE: Route(appointment.on_from_candidate, access=EDIT),
    A.CHANGE_TIME: Route(appointment.on_change_time, access=EDIT),
    A.PROPOSE_TIME: Route(appointment.on_propose, keeps_prompt=True),
    A.CONFIRM_TIME: Route(appointment.on_confirm, access=EDIT, keeps_prompt=True),
    A.PICK_MONTH: Route(picker.on_pick_month, keeps_prompt=True),
    A.PICK_DAY: Route(picker.on_pick_day, keeps_prompt=True),
    A.PICK_HOUR: Route(picker.on_pick_hour, keeps_prompt=True),
    A.DETAIL: Route(appointment.on_detail, access=EDIT),
    A.KINDS_OF_VISIT: Route(appointment.show_kinds),
    A.SET_VISIT_KIND: Route(appointment.on_set_kind, access=EDIT),
    A.CALENDAR_FILE: Route(appointment.on_calendar_file),
    A.CANCEL_VISIT: Route(appointment.on_cancel_visit, access=EDIT),
    A.CANCEL_VISIT_YES: Route(appointment.on_cancel_visit_yes, access=EDIT),
    A.VISIT_NOTE: Route(appointment.on_visit_note, access=EDIT),
    A.SETTINGS: Route(settings_screen.show_settings),
    A.ZONES: Route(settings_screen.on_zones, access=OWN),
    A.SET_ZONE: Route(prompting.on_set_zone, keeps_prompt=True, access=OWN),
    A.QUIET: Route(settings_screen.on_quiet, access=OWN),
    A.TOGGLE_REMINDER: Route(settings_screen.on_toggle_reminder, access=OWN),
    A.NOTIFY: Route(settings_screen.on_notify, access=OWN),
    A.REMINDER_OK: Route(reminder_views.on_ok, keeps_prompt=True),
    A.SNOOZE: Route(reminder_views.on_snooze, keeps_prompt=True, access=OWN),
    A.NOOP: Route(_noop, keeps_prompt=True),
    # caregivers (journey/sharing.py checks the owner-only ones itself)
    A.SHARE: Route(sharing_views.show_share),
    A.NEW_INVITE: Route(sharing_views.on_new_invite, access=OWN),
    A.REVOKE_INVITE: Route(sharing_views.on_revoke_invite, access=OWN),
    A.EDITORS_INVITE: Route(sharing_views.on_editors_invite, access=OWN),
    A.MEMBERS: Route(sharing_views.show_members),
    A.MEMBER: Route(sharing_views.show_member),
    A.SET_ROLE: Route(sharing_views.on_set_role, access=OWN),
    A.REMOVE_MEMBER: Route(sharing_views.on_remove_member, access=OWN),
    A.REMOVE_MEMBER_YES: Route(sharing_views.on_remove_member_yes, access=OWN),
    A.HAND_OVER: Route(sharing_views.on_hand_over, access=OWN),
    A.HAND_OVER_YES: Route(sharing_views.on_hand_over_yes, access=OWN),
    A.LEAVE: Route(sharing_views.show_leave),
    A.LEAVE_YES: Route(sharing_views.on_leave_yes, access=OWN),
    A.DELETE_PLAN: Route(sharing_views.show_delete),
    A.DELETE_PLAN_YES: Route(sharing_views.on_delete_yes, access=SELF),
    A.JOIN: Route(sharing_views.on_join, access=SELF),
    A.DECLINE: Route(sharing_views.on_decline, keeps_prompt=True, access=SELF),
    A.CASES: Route(sharing_views.show_cases),
    A.USE_CASE: Route(sharing_views.on_use_case),
    A.NEW_CASE: Route(sharing_views.on_new_case, access=SELF),
}


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handle a button press. Bad or forbidden presses get a short alert and change nothing."""
    query = update.callback_query
    if query is None:
        return
    s = services(context)
    press = Press(
        user_id=query.from_user.id,
        user_name=query.from_user.first_name,
        chat_id=query.message.chat.id if query.message is not None else None,
        query_id=query.id,
        update_id=update.update_id,
    )
    try:
        button = decode(query.data)
        screen = await plans(context).run(
            button.case_id,
            partial(_press, s, button, press),
            actor=press.user_id,
            actor_name=press.user_name,
            chat_id=press.chat_id,
            update_id=update.update_id,
        )
    except Unchanged:
        await query.answer()
        return
    except InvalidButton:
        log.info("refused a malformed or stale button")
        await _alert(query, s.renderer.render("errors/stale_button"))
        return
    except JourneyError as refused:
        log.info("refused a button: %s", type(refused).__name__)
        await _alert(query, s.renderer.render(refused.key, **refused.details))
        return
    await query.answer()
    if screen is not None:
        await edit_screen(query, screen)


@dataclass(frozen=True)
class Press:
    """The plain facts of a button press, for the unit of work (which runs off the event loop)."""

    user_id: int
    user_name: str | None
    chat_id: int | None
    query_id: str
    update_id: int


def _press(s: Services, button: Button, press: Press, work: Work) -> Screen | None:
    """Inside the unit of work: check who may do this, act, and mark the plan saved. None: a repeat."""
    route = ROUTES[button.action]
    case = work.case
    needs = route.access
    if needs is Access.SELF:
        if case is None:
            raise Gone()
    else:
        member = (require_editor if needs is Access.EDIT else require_member)(case, press.user_id)
        if cases.is_repeat(member, press.update_id):
            return None
    assert case is not None  # require_member refuses a missing case
    turn = Turn.of(s, work, case, new_id=id_from("cb", press.query_id))
    left = False if route.keeps_prompt or needs is Access.SELF else prompts.leave(case, turn.user_id)
    screen = route.show(turn, button)
    if needs in (Access.EDIT, Access.OWN) or left:
        turn.save(press.update_id)
    return screen


async def _alert(query: CallbackQuery, text: str) -> None:
    # Alerts are plain text: strip nothing, the templates for alerts carry no tags.
    await query.answer(text, show_alert=True)
