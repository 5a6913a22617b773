"""CLAIM_TIMEOUT_SECONDS and WAKE_REFRESH_SECONDS: how long a dead worker's claim waits before another worker
settles it, and how often each worker asks for due plans nobody is sending for; both reach the courier."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.courier import CLAIM_TIMEOUT, REFRESH_SECONDS, Courier
from settings import SettingsError, load_settings
from storage.memory_repo import InMemoryCaseRepository
from wiring import COURIER_KEY, build_application

TOKEN = "123456:" + "A" * 30


def courier_of(env: dict[str, str]) -> Courier:
    """The courier the bot is built with, on a store shared by several workers (as PostgreSQL is)."""
    repo = InMemoryCaseRepository()
    repo.shared = True
    app = build_application(load_settings({"TELEGRAM_BOT_TOKEN": TOKEN} | env), repo)
    courier: Courier = app.bot_data[COURIER_KEY]
    return courier


def test_the_defaults_are_the_couriers_own() -> None:
    settings = load_settings({})
    assert (settings.claim_timeout_seconds, settings.wake_refresh_seconds) == (300, 2)
    courier = courier_of({})
    assert courier.claim_timeout == CLAIM_TIMEOUT == timedelta(minutes=5)
    assert courier.refresh_seconds == REFRESH_SECONDS == 2


def test_an_operator_can_shorten_both_and_the_courier_uses_them() -> None:
    env = {"CLAIM_TIMEOUT_SECONDS": "5", "WAKE_REFRESH_SECONDS": "1"}
    courier = courier_of(env)
    assert courier.claim_timeout == timedelta(seconds=5)
    assert courier.refresh_seconds == 1


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
