"""/settings: the member's language, time zone, quiet hours and which reminders they want."""

from __future__ import annotations

from handlers.menu.taps import MenuTap
from handlers.plumbing.turn import Screen, Turn, choices, toggles
from handlers.prompts.asking import ask
from handlers.settings.taps import (
    LanguageTap,
    NotifyTap,
    QuietTap,
    SettingsTap,
    ToggleReminderTap,
    ZonesTap,
)
from journey import language, prompts, settings, sharing
from journey.access import require_member
from journey.language import Language
from journey.models import Notify, PromptKind
from journey.settings import Quiet

SETTINGS = prompts.OWN_SETTINGS  # the zone question about the member alone


def show_settings(turn: Turn, _: SettingsTap | None = None) -> Screen:
    mine = require_member(turn.case, turn.user_id).settings
    # Each language by its own name, so someone who landed in the wrong one can still find theirs.
    rows = choices(
        turn,
        Language,
        lambda lang: lang.value == turn.language,
        lambda lang: turn.label(f"language_{lang.value}"),
        LanguageTap,
        per_row=2,
    )
    rows.append([turn.button(turn.label("zone"), ZonesTap(SETTINGS))])
    rows += choices(
        turn,
        Notify,
        lambda n: n is mine.notify,
        lambda n: turn.label(f"notify_{n.value}"),
        NotifyTap,
        per_row=3,
    )
    rows += choices(
        turn,
        Quiet,
        lambda q: (q.start, q.end) == (mine.quiet_start, mine.quiet_end),
        lambda q: turn.label("quiet", start=q.start, end=q.end),
        QuietTap,
        per_row=2,
    )
    rows += toggles(
        turn,
        settings.CHOOSABLE,
        lambda k: k not in mine.reminders_off,
        lambda k: turn.label(f"reminder_{k.value}"),
        ToggleReminderTap,
        per_row=2,
    )
    rows.append([turn.button(turn.label("menu"), MenuTap())])
    return turn.screen("settings", rows, mine=mine)


def on_zones(turn: Turn, tap: ZonesTap) -> Screen:
    return ask(turn, PromptKind.ZONE, tap.target)


def on_quiet(turn: Turn, tap: QuietTap) -> Screen:
    settings.set_quiet(turn.case, turn.user_id, tap.quiet)
    return show_settings(turn)


def on_toggle_reminder(turn: Turn, tap: ToggleReminderTap) -> Screen:
    settings.toggle_reminder(turn.case, turn.user_id, tap.kind, tap.on)
    return show_settings(turn)


def on_notify(turn: Turn, tap: NotifyTap) -> Screen:
    sharing.set_notify(turn.case, turn.user_id, tap.notify)
    return show_settings(turn)


def on_language(turn: Turn, tap: LanguageTap) -> Screen:
    """From now on everything this member reads (here, news, reminders, calendar files) is in it."""
    language.choose(turn.case, turn.user_id, tap.language)
    return show_settings(turn)
