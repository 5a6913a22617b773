"""The bot by webhook on PostgreSQL, through the inbox (several workers' path): every update is stored before
Telegram is answered, handled once, and its text does not stay in the database.

These run where PostgreSQL is installed (always in CI; see tests/postgres_cluster.py)."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from sandbox import SandboxServer
from storage.pg_inbox import PostgresInbox
from storage.postgres_repo import PostgresCaseRepository
from tests.e2e.harness import running_bot_webhook
from tests.e2e.test_webhook import ALEX, bot_messages, post, start_update, until


def inbox_rows(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT update_id, body IS NULL, handled_at IS NOT NULL FROM inbox").fetchall()


async def test_a_journey_through_the_inbox(sandbox: SandboxServer, data_dir: Path, pg_url: str) -> None:
    repo = PostgresCaseRepository(pg_url)
    async with running_bot_webhook(sandbox, data_dir, repo=repo, inbox_url=pg_url):
        alex = sandbox.user(ALEX, "Alex")
        assert "Welcome to Second Opinion Companion" in (await alex.send("/start")).text
        assert "What is the diagnosis" in (await alex.send("Maria")).text
        assert "Why do you want a second opinion?" in (await alex.tap("Skip")).text
        rows = inbox_rows(pg_url)
        # Three updates, each stored and handled; what Alex typed is gone, only the ids stay (for repeats).
        assert len(rows) == 3 and all(gone and handled for _, gone, handled in rows)


async def test_an_update_telegram_delivers_twice_is_answered_once(
    sandbox: SandboxServer, data_dir: Path, pg_url: str
) -> None:
    repo = PostgresCaseRepository(pg_url)
    body = json.dumps(start_update(sandbox)).encode()  # before the webhook is set: the sandbox keeps out
    async with running_bot_webhook(sandbox, data_dir, repo=repo, inbox_url=pg_url) as server:
        assert await post(server.url, body) == 200
        await until(lambda: len(bot_messages(sandbox)) == 1)
        # Telegram did not hear our answer and tries again (perhaps on another worker): no second welcome.
        assert await post(server.url, body) == 200
        await alex_says_hello_after(sandbox)
        welcomes = [m for m in bot_messages(sandbox) if "Welcome" in m.get("text", "")]
        assert len(welcomes) == 1


async def alex_says_hello_after(sandbox: SandboxServer) -> None:
    """A later update of the same chat, answered: anything the repeat caused would have come before it."""
    reply = await sandbox.user(ALEX, "Alex").send("Maria")
    assert "What is the diagnosis" in reply.text


async def test_an_update_the_database_cannot_take_is_refused_so_telegram_tries_again(
    sandbox: SandboxServer, data_dir: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = PostgresCaseRepository(pg_url)
    body = json.dumps(start_update(sandbox)).encode()
    async with running_bot_webhook(sandbox, data_dir, repo=repo, inbox_url=pg_url) as server:

        async def database_away(*args: object) -> bool:
            raise psycopg.OperationalError("connection lost")

        with monkeypatch.context() as patch:
            patch.setattr(PostgresInbox, "put", database_away)
            assert await post(server.url, body) == 503  # not stored, so not answered: delivered again
        assert inbox_rows(pg_url) == []
        assert await post(server.url, body) == 200  # the next delivery, with the database back
        await until(lambda: len(bot_messages(sandbox)) == 1)
        assert "Welcome to Second Opinion Companion" in bot_messages(sandbox)[0]["text"]
