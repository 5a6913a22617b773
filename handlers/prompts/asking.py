"""Showing a typed-answer question with its Skip and Cancel buttons."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from markupsafe import Markup
from telegram import InlineKeyboardButton

from handlers.menu.taps import ClearDecideByTap
from handlers.plumbing.turn import Screen, Turn, rows_of
from handlers.prompts.taps import CancelTap, SetZoneTap, SkipTap
from handlers.visit.taps import PickMonthTap
from journey import prompts, text
from journey.models import Prompt, PromptKind
from journey.zones import COMMON_ZONES, city_name


def show_prompt(turn: Turn, prompt: Prompt) -> Screen:
    """The question, with its shortcuts (zone buttons, a calendar), Skip when optional, and Cancel."""
    rows = _shortcuts(turn, prompt)
    row = []
    if prompt.kind not in prompts.REQUIRED:
        row.append(turn.button(turn.label("skip"), SkipTap(prompt.kind)))
    row.append(turn.button(turn.label("cancel"), CancelTap()))
    zone = prompts.appointment_zone(turn.case, turn.user_id, prompt.target)
    screen = turn.screen(f"prompts/{prompt.kind.value}", [*rows, row], prompt=prompt, zone=zone)
    if not turn.in_group:
        return screen
    # Telegram's name as the others see it in the plan: no bidi controls or invisible characters.
    who = text.name(turn.user_name) or turn.render("you")
    mention = Markup('<a href="tg://user?id={}">{}</a>').format(turn.user_id, who)
    return replace(screen, asks=turn.render("group/reply_here", who=mention))


def _shortcuts(turn: Turn, prompt: Prompt) -> list[list[InlineKeyboardButton]]:
    target = prompt.target or ""
    if prompt.kind is PromptKind.ZONE:
        zones = [turn.button(city_name(z), SetZoneTap(n, target)) for n, z in enumerate(COMMON_ZONES)]
        return rows_of(zones, 2)
    if prompt.kind is PromptKind.APPOINTMENT_TIME:
        zone = ZoneInfo(prompts.appointment_zone(turn.case, turn.user_id, target))
        today = turn.now.astimezone(zone)
        month = today.year * 100 + today.month  # yyyymm
        return [[turn.button(turn.label("pick_on_calendar"), PickMonthTap(month, target))]]
    if prompt.kind is PromptKind.DECIDE_BY and turn.case.profile.decide_by is not None:
        return [[turn.button(turn.label("decide_by_clear"), ClearDecideByTap())]]
    return []


def ask(turn: Turn, kind: PromptKind, target: str | None = None, held: str | None = None) -> Screen:
    return show_prompt(turn, prompts.ask(turn.case, turn.user_id, kind, target, turn.where, held))
