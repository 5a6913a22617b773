"""CLAIM_TIMEOUT_SECONDS and WAKE_REFRESH_SECONDS: how long a dead worker's claim waits before another worker
settles it, and how often each worker reads the shared wake index; both reach the courier."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.courier import Courier
from settings import SettingsError, load_settings
from storage.memory_repo import InMemoryCaseRepository
from storage.repository import CaseRepository
from wiring import COURIER_KEY, build_application

TOKEN = "123456:" + "A" * 30


class SharedMemory(InMemoryCaseRepository):
    """Plans in memory that say other workers write them too, as PostgreSQL does."""

    shared = True


def courier_of(
    env: dict[str, str], repo: CaseRepository, reminder_tick: float = 30.0
) -> tuple[Courier, float]:
    """The courier the bot is built with, and how often its tick job runs."""
    app = build_application(
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN} | env), repo, reminder_tick=reminder_tick
    )
    assert app.job_queue is not None
    (job,) = app.job_queue.get_jobs_by_name("reminders")
    interval = job.trigger.interval.total_seconds()  # type: ignore[attr-defined]
    return app.bot_data[COURIER_KEY], interval


def test_the_defaults_wait_five_minutes_for_a_claim_and_read_the_index_every_15_seconds() -> None:
    settings = load_settings({})
    assert (settings.claim_timeout_seconds, settings.wake_refresh_seconds) == (300, 15)
    courier, _ = courier_of({}, InMemoryCaseRepository())
    assert courier.claim_timeout == timedelta(minutes=5)
    assert courier.refresh_seconds == 15


def test_an_operator_can_shorten_both_and_the_courier_uses_them() -> None:
    env = {"CLAIM_TIMEOUT_SECONDS": "5", "WAKE_REFRESH_SECONDS": "1"}
    courier, tick = courier_of(env, SharedMemory())
    assert courier.claim_timeout == timedelta(seconds=5)
    assert courier.refresh_seconds == 1
    assert tick == 1.0  # the tick reads the shared index, so it comes that often too


def test_on_one_machine_the_tick_keeps_its_pace() -> None:
    _, tick = courier_of({"WAKE_REFRESH_SECONDS": "1"}, InMemoryCaseRepository())
    assert tick == 30.0  # nothing else writes the plans: there is no shared index to read


@pytest.mark.parametrize(
    ("name", "value", "least"),
    [
        ("CLAIM_TIMEOUT_SECONDS", "4", 5),
        ("CLAIM_TIMEOUT_SECONDS", "five", 5),
        ("CLAIM_TIMEOUT_SECONDS", "-300", 5),
        ("WAKE_REFRESH_SECONDS", "0", 1),
        ("WAKE_REFRESH_SECONDS", "1.5", 1),
    ],
)
def test_too_short_or_not_a_number_is_refused(name: str, value: str, least: int) -> None:
    with pytest.raises(SettingsError, match=f"{name} must be a whole number of seconds, at least {least}"):
        load_settings({name: value})


def test_both_problems_are_reported_at_once() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({"CLAIM_TIMEOUT_SECONDS": "1", "WAKE_REFRESH_SECONDS": "x"})
    assert "CLAIM_TIMEOUT_SECONDS" in str(raised.value) and "WAKE_REFRESH_SECONDS" in str(raised.value)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_webhook_on_this_computer_may_be_plain_http(host: str) -> None:
    # A local Bot API server (or the sandbox) posts to a proxy on the same machine without TLS.
    url = f"http://{host}:8080/telegram"
    assert load_settings({"WEBHOOK_URL": url, "WEBHOOK_SECRET": "s"}).webhook_url == url
