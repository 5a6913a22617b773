"""/settings: the member's time zone, quiet hours and which reminders they want."""

from __future__ import annotations

from handlers.plumbing.callbacks import Action, Button
from handlers.plumbing.turn import Screen, Turn, choices, parse, wanted
from handlers.prompts.asking import ask
from journey import prompts, settings, sharing
from journey.access import require_member
from journey.models import Notify, PromptKind, ReminderKind
from journey.settings import Quiet

SETTINGS = prompts.OWN_SETTINGS  # the zone question about the member alone


def show_settings(turn: Turn, _: Button | None = None) -> Screen:
    mine = require_member(turn.case, turn.user_id).settings
    rows = [[turn.button(turn.label("zone"), Action.ZONES, SETTINGS)]]
    rows += choices(
        turn,
        Notify,
        lambda n: n is mine.notify,
        lambda n: turn.label(f"notify_{n.value}"),
        Action.NOTIFY,
        per_row=3,
    )
    rows += choices(
        turn,
        Quiet,
        lambda q: (q.start, q.end) == (mine.quiet_start, mine.quiet_end),
        lambda q: turn.label("quiet", start=q.start, end=q.end),
        Action.QUIET,
        per_row=2,
    )
    rows += choices(
        turn,
        ReminderKind,
        lambda k: k not in mine.reminders_off,
        lambda k: turn.label(f"reminder_{k.value}"),
        Action.TOGGLE_REMINDER,
        per_row=2,
        toggle=True,
    )
    rows.append([turn.button(turn.label("menu"), Action.MENU)])
    return turn.screen("settings", rows, mine=mine)


def on_zones(turn: Turn, button: Button) -> Screen:
    return ask(turn, PromptKind.ZONE, button.arg(0))


def on_quiet(turn: Turn, button: Button) -> Screen:
    settings.set_quiet(turn.case, turn.user_id, parse(Quiet, button.arg(0)))
    return show_settings(turn)


def on_toggle_reminder(turn: Turn, button: Button) -> Screen:
    settings.toggle_reminder(turn.case, turn.user_id, parse(ReminderKind, button.arg(0)), wanted(button, 1))
    return show_settings(turn)


def on_notify(turn: Turn, button: Button) -> Screen:
    sharing.set_notify(turn.case, turn.user_id, parse(Notify, button.arg(0)))
    return show_settings(turn)
