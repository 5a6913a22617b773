"""WEBHOOK_URL and WEBHOOK_SECRET: both (webhook mode) or neither (long polling); the secret is never echoed."""

from __future__ import annotations

import pytest

from settings import SettingsError, load_settings

URL = "https://bot.example.org/telegram"
SECRET = "s3cret_Value-42"


def test_neither_keeps_long_polling_with_the_default_local_server() -> None:
    settings = load_settings({})
    assert (settings.webhook_url, settings.webhook_secret) == (None, None)
    assert (settings.webhook_listen, settings.webhook_port) == ("127.0.0.1", 8443)


def test_both_switch_to_webhooks_and_the_local_server_can_be_moved() -> None:
    settings = load_settings(
        {"WEBHOOK_URL": URL, "WEBHOOK_SECRET": SECRET, "WEBHOOK_LISTEN": "0.0.0.0", "WEBHOOK_PORT": "9000"}
    )
    assert (settings.webhook_url, settings.webhook_secret) == (URL, SECRET)
    assert (settings.webhook_listen, settings.webhook_port) == ("0.0.0.0", 9000)


def test_the_longest_secret_telegram_allows_is_accepted() -> None:
    assert load_settings({"WEBHOOK_URL": URL, "WEBHOOK_SECRET": "a" * 256}).webhook_secret == "a" * 256


@pytest.mark.parametrize(
    "env",
    [{"WEBHOOK_URL": URL}, {"WEBHOOK_SECRET": SECRET}, {"WEBHOOK_URL": "  ", "WEBHOOK_SECRET": SECRET}],
)
def test_one_without_the_other_is_refused_without_repeating_the_secret(env: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match="WEBHOOK_URL and WEBHOOK_SECRET go together") as raised:
        load_settings(env)
    assert SECRET not in str(raised.value)


@pytest.mark.parametrize("secret", ["has space", "semi;colon", "é" * 3, "a" * 257, "pass/word"])
def test_a_secret_telegram_would_refuse_is_refused_without_repeating_it(secret: str) -> None:
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET must be 1 to 256 of") as raised:
        load_settings({"WEBHOOK_URL": URL, "WEBHOOK_SECRET": secret})
    assert secret not in str(raised.value)


@pytest.mark.parametrize(
    "url", ["http://bot.example.org/telegram", "bot.example.org/telegram", "https://", f"{URL}?a=1"]
)
def test_the_url_must_be_public_https(url: str) -> None:
    with pytest.raises(SettingsError, match="WEBHOOK_URL must be the public https address"):
        load_settings({"WEBHOOK_URL": url, "WEBHOOK_SECRET": SECRET})


@pytest.mark.parametrize("port", ["0", "65536", "http", "-1"])
def test_a_port_out_of_range_is_refused(port: str) -> None:
    with pytest.raises(SettingsError, match="WEBHOOK_PORT must be a port number from 1 to 65535"):
        load_settings({"WEBHOOK_PORT": port})


def test_every_webhook_problem_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({"WEBHOOK_URL": "ftp://x", "WEBHOOK_SECRET": "no good", "WEBHOOK_LISTEN": "a b"})
    message = str(raised.value)
    assert "WEBHOOK_URL must be" in message
    assert "WEBHOOK_SECRET must be" in message
    assert "WEBHOOK_LISTEN must be" in message
    assert "no good" not in message
