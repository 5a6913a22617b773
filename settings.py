"""Settings: one typed object built from the environment (and a .env file) at start, checked at once."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import logline

TOKEN_PATTERN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,100}$")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
OPERATOR_MAX = 200
DEFAULT_RETENTION_MONTHS = 12
# At least two months: the two notices (30 and 7 days before) must come after the last change.
MIN_RETENTION, MAX_RETENTION = 2, 120
DATABASE_SCHEMES = ("postgresql", "postgres")
# Telegram's rule for a webhook's secret_token: 1-256 of A-Z, a-z, 0-9, _ and -.
WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
DEFAULT_WEBHOOK_LISTEN, DEFAULT_WEBHOOK_PORT = "127.0.0.1", 8443
# A webhook on this computer may be plain http: a local Bot API server (telegram-bot-api --local) posts there.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# Several workers on one PostgreSQL (service/courier.py): how long a dead worker's claim on a reminder or
# news message waits before another worker settles it, and how often each worker asks for due plans nobody
# is sending for (the courier's CLAIM_TIMEOUT and REFRESH_SECONDS).
DEFAULT_CLAIM_TIMEOUT, MIN_CLAIM_TIMEOUT = 300, 5
DEFAULT_WAKE_REFRESH, MIN_WAKE_REFRESH = 2, 1

HOW_TO_GET_A_TOKEN = """\
TELEGRAM_BOT_TOKEN is not set, so the bot starts in the local sandbox (a simulated Telegram with a
web chat), not on Telegram.

To run on Telegram, get a token:
  1. In Telegram, open a chat with @BotFather.
  2. Send /newbot and follow the two questions (a name, then a username ending in "bot").
  3. BotFather replies with a token like 123456789:AAE...; keep it secret.
  4. Put it in a file named .env in the folder you run the bot from:
         TELEGRAM_BOT_TOKEN=123456789:AAE...
     or export it in your shell, then run `make run` again.
"""


class SettingsError(Exception):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    token: str | None
    api_url: str
    data_dir: Path
    log_level: str
    timezone: ZoneInfo
    # Who runs this bot, for the privacy notice (/privacy); shown only when set.
    operator_name: str | None = None
    operator_contact: str | None = None
    # A plan nobody has changed for this many months is deleted (its owner is told twice before).
    retention_months: int = 12
    # Plans in PostgreSQL instead of files in DATA_DIR (storage/postgres_repo.py); None: files.
    database_url: str | None = None
    # Webhook mode (webhook.py): the public https URL Telegram posts to and the secret it sends with
    # every update; both or neither. None: long polling. The local server nginx proxies to listens on
    # webhook_listen:webhook_port.
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = DEFAULT_WEBHOOK_LISTEN
    webhook_port: int = DEFAULT_WEBHOOK_PORT
    # Seconds; they matter only when several workers share one database.
    claim_timeout_seconds: int = DEFAULT_CLAIM_TIMEOUT
    wake_refresh_seconds: int = DEFAULT_WAKE_REFRESH

    @property
    def bot_url(self) -> str:
        return f"{self.api_url}/bot"

    @property
    def file_url(self) -> str:
        return f"{self.api_url}/file/bot"


def load_settings(env: Mapping[str, str]) -> Settings:
    """Read and check every setting; all problems are reported together."""
    problems: list[str] = []
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip() or None
    if token is not None and not TOKEN_PATTERN.fullmatch(token):
        problems.append("TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then letters).")

    api_url = env.get("TELEGRAM_API_URL", "https://api.telegram.org").strip().rstrip("/")
    parts = urlsplit(api_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        problems.append(
            f"TELEGRAM_API_URL must be a root URL such as https://api.telegram.org, not {api_url!r}."
        )

    log_level = env.get("LOG_LEVEL", "INFO").strip().upper()
    if log_level not in LOG_LEVELS:
        problems.append(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}.")

    zone_name = env.get("TIMEZONE", "UTC").strip()
    zone = ZoneInfo("UTC")
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(
            f"TIMEZONE must be an IANA time zone name such as America/Chicago, not {zone_name!r}."
        )

    data_dir = Path(env.get("DATA_DIR", "./data").strip() or "./data").expanduser()
    if data_dir.exists() and not data_dir.is_dir():
        problems.append(f"DATA_DIR {str(data_dir)!r} exists but is not a folder.")

    operator_name = _one_line(env.get("OPERATOR_NAME", ""))
    operator_contact = _one_line(env.get("OPERATOR_CONTACT", ""))
    for name, value in (("OPERATOR_NAME", operator_name), ("OPERATOR_CONTACT", operator_contact)):
        if value is not None and len(value) > OPERATOR_MAX:
            problems.append(f"{name} must be at most {OPERATOR_MAX} characters.")

    retention_text = env.get("RETENTION_MONTHS", str(DEFAULT_RETENTION_MONTHS)).strip()
    retention_months = DEFAULT_RETENTION_MONTHS
    if not retention_text.isdigit() or not MIN_RETENTION <= int(retention_text) <= MAX_RETENTION:
        problems.append(
            f"RETENTION_MONTHS must be a whole number from {MIN_RETENTION} to {MAX_RETENTION}, "
            f"not {retention_text!r}."
        )
    else:
        retention_months = int(retention_text)

    database_url = env.get("DATABASE_URL", "").strip() or None
    if database_url is not None and urlsplit(database_url).scheme not in DATABASE_SCHEMES:
        # Never repeat the value: it may hold a password.
        problems.append(
            "DATABASE_URL must start with postgresql:// (or be empty, to keep plans in DATA_DIR)."
        )

    webhook = _webhook(env, problems)
    claim_timeout = _seconds(
        "CLAIM_TIMEOUT_SECONDS",
        env.get("CLAIM_TIMEOUT_SECONDS"),
        DEFAULT_CLAIM_TIMEOUT,
        MIN_CLAIM_TIMEOUT,
        problems,
    )
    wake_refresh = _seconds(
        "WAKE_REFRESH_SECONDS",
        env.get("WAKE_REFRESH_SECONDS"),
        DEFAULT_WAKE_REFRESH,
        MIN_WAKE_REFRESH,
        problems,
    )

    if problems:
        raise SettingsError("Please fix these settings:\n" + "\n".join(f"  - {p}" for p in problems))
    return Settings(
        token,
        api_url,
        data_dir,
        log_level,
        zone,
        operator_name,
        operator_contact,
        retention_months,
        database_url,
        *webhook,
        claim_timeout_seconds=claim_timeout,
        wake_refresh_seconds=wake_refresh,
    )


def _seconds(name: str, value: str | None, default: int, least: int, problems: list[str]) -> int:
    """A whole number of seconds, at least `least` (`value` as set, None: the default)."""
    text = str(default) if value is None else value.strip()
    if not text.isdigit() or int(text) < least:
        problems.append(f"{name} must be a whole number of seconds, at least {least}, not {text!r}.")
        return default
    return int(text)


def _webhook(env: Mapping[str, str], problems: list[str]) -> tuple[str | None, str | None, str, int]:
    """WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_LISTEN and WEBHOOK_PORT, checked. The secret is never repeated."""
    url = env.get("WEBHOOK_URL", "").strip() or None
    secret = env.get("WEBHOOK_SECRET", "").strip() or None
    if (url is None) != (secret is None):
        problems.append("WEBHOOK_URL and WEBHOOK_SECRET go together: set both (webhook mode) or neither.")
    if url is not None:
        parts = urlsplit(url)
        local = parts.scheme == "http" and (parts.hostname or "").lower() in LOOPBACK_HOSTS
        if (parts.scheme != "https" and not local) or not parts.hostname or parts.query or parts.fragment:
            problems.append(
                "WEBHOOK_URL must be the public https address Telegram posts to, such as "
                "https://bot.example.org/telegram."
            )
    if secret is not None and not WEBHOOK_SECRET_PATTERN.fullmatch(secret):
        problems.append("WEBHOOK_SECRET must be 1 to 256 of the characters A-Z, a-z, 0-9, _ and -.")
    listen = env.get("WEBHOOK_LISTEN", DEFAULT_WEBHOOK_LISTEN).strip() or DEFAULT_WEBHOOK_LISTEN
    if any(c.isspace() or c in "/?#" for c in listen):
        problems.append(f"WEBHOOK_LISTEN must be an address to listen on, such as 127.0.0.1, not {listen!r}.")
    port_text = env.get("WEBHOOK_PORT", str(DEFAULT_WEBHOOK_PORT)).strip()
    port = DEFAULT_WEBHOOK_PORT
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        problems.append(f"WEBHOOK_PORT must be a port number from 1 to 65535, not {port_text!r}.")
    else:
        port = int(port_text)
    return url, secret, listen, port


def _one_line(value: str) -> str | None:
    """A setting shown to people: one line, squeezed; None when empty."""
    squeezed = " ".join(value.split())
    return squeezed or None


def configure_logging(level: str) -> None:
    logline.install(level)
    # httpx logs every request URL at INFO, and a Bot API URL contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
