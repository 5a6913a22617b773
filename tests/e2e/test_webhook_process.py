"""`python bot.py` in webhook mode, as an operator runs it: settings from the environment, stopped by SIGTERM."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sys
import time
from pathlib import Path

from sandbox import SandboxServer
from tests.e2e.process import ROOT, bot_env
from tests.e2e.test_webhook import bot_messages, post, start_update, status, until

SECRET = "process_webhook-Secret9"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_bot_py_serves_the_webhook_and_leaves_it_set_when_stopped(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    data_dir, log = tmp_path / "data", tmp_path / "bot.log"
    port = free_port()
    # Telegram needs https; nginx would end TLS in front of the bot's plain local server.
    public = f"https://127.0.0.1:{port}/telegram"
    body = json.dumps(start_update(sandbox)).encode()
    env = bot_env(sandbox, data_dir, WEBHOOK_URL=public, WEBHOOK_SECRET=SECRET, WEBHOOK_PORT=str(port))
    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "bot.py"), cwd=tmp_path, env=env, stdout=out, stderr=out
        )
    try:
        deadline = time.monotonic() + 20
        while sandbox.state.updates.webhook is None:
            assert process.returncode is None and time.monotonic() < deadline, log.read_text()
            await asyncio.sleep(0.05)
        assert sandbox.state.updates.webhook.url == public
        local = f"http://127.0.0.1:{port}"
        assert (await status(f"{local}/healthz"), await status(f"{local}/readyz")) == (200, 200)
        assert await post(f"{local}/telegram", body, secret="wrong") == 403
        assert await post(f"{local}/telegram", body, secret=SECRET) == 200
        await until(lambda: bool(bot_messages(sandbox)), within=10)
        assert "Welcome to Second Opinion Companion" in bot_messages(sandbox)[0]["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 20) == 0
    assert sandbox.state.updates.webhook is not None  # left set for the next worker
    assert "getupdates" not in sandbox.calls_started
    text = log.read_text()
    assert "starting (webhook)" in text and "refused a request with a wrong secret" in text
    assert SECRET not in text and sandbox.token not in text
