"""Run `python bot.py` as a separate process against the sandbox, to stop it hard or read its logs."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from sandbox import SandboxServer

ROOT = Path(__file__).resolve().parents[2]


def bot_env(sandbox: SandboxServer | None, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATA_DIR", "LOG_LEVEL"))}
    env.update(DATA_DIR=str(data_dir), LOG_LEVEL="INFO", PYTHONUNBUFFERED="1")
    if sandbox is not None:
        env.update(TELEGRAM_BOT_TOKEN=sandbox.token, TELEGRAM_API_URL=sandbox.url)
    env.update(extra)
    return env


async def start_bot_process(sandbox: SandboxServer, data_dir: Path, log: Path) -> asyncio.subprocess.Process:
    """Start the bot and return once it is polling the sandbox for updates.

    It runs in the test's temporary folder, so a developer's own .env file is not read.
    """
    polls_before = _polls(sandbox)
    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "bot.py"),
            cwd=data_dir.parent,
            env=bot_env(sandbox, data_dir),
            stdout=out,
            stderr=out,
        )
    deadline = time.monotonic() + 20
    while _polls(sandbox) <= polls_before:
        if process.returncode is not None or time.monotonic() > deadline:
            raise AssertionError(f"the bot did not start polling; its log is in {log}")
        await asyncio.sleep(0.02)
    return process


def _polls(sandbox: SandboxServer) -> int:
    return sandbox.calls_started.get("getupdates", 0)
