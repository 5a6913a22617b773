"""The bot as an operator runs it: `python bot.py`, configured by the environment."""

from __future__ import annotations

import asyncio
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from sandbox import SandboxServer, SandboxUser
from storage import TinyDBCaseRepository
from tests.e2e.process import ROOT, bot_env, start_bot_process


def run_bot_sync(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py")],
        cwd=Path(env["DATA_DIR"]).parent,  # away from any developer .env file
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


async def test_without_a_token_it_runs_the_local_sandbox_with_a_web_chat(tmp_path: Path) -> None:
    """`make run` with no token: a warning that this is not Telegram, a working page, data in a temp dir."""
    env = bot_env(None, tmp_path / "unused")
    del env["DATA_DIR"]  # unset: the sandbox keeps its data in a temporary folder, removed at exit
    env["TMPDIR"] = str(tmp_path)
    started = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "--port=0",  # 8080 in `make run`; any free port here
        "--no-browser",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        url = await asyncio.wait_for(_ready_url(process), 20)
        ready_after = time.monotonic() - started
        async with aiohttp.ClientSession() as http:
            async with http.get(url) as response:
                assert response.status == 200
                assert "<title>Second Opinion Companion" in await response.text()
            async with http.get(f"{url}/api/setup") as response:
                setup = await response.json()
        assert [user["name"] for user in setup["users"]][:2] == ["Maria (patient)", "Dana (daughter)"]
        assert [group["title"] for group in setup["groups"]] == ["Family"]
        assert _sandbox_folders(tmp_path)  # the data lives there while the bot runs
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(process.wait(), 20) == 0
    assert process.stderr is not None
    log = (await process.stderr.read()).decode()
    assert "LOCAL SANDBOX: this is NOT Telegram" in log and "temporary folder" in log
    assert not _sandbox_folders(tmp_path), "the temporary data folder was left behind"
    print(f"web chat ready {ready_after:.2f} s after start")


def _sandbox_folders(parent: Path) -> list[str]:
    return [path.name for path in parent.glob("second-opinion-sandbox-*")]


async def _ready_url(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    while line := (await process.stdout.readline()).decode():
        if line.startswith("Web chat ready: "):
            return line.removeprefix("Web chat ready: ").strip()
    raise AssertionError("the bot exited before the web chat was ready")


def test_malformed_settings_are_all_reported_at_once(tmp_path: Path) -> None:
    env = bot_env(None, tmp_path / "data", TELEGRAM_BOT_TOKEN="nope", LOG_LEVEL="LOUD", TIMEZONE="Mars/Base")
    env["TELEGRAM_API_URL"] = "ftp://example"
    result = run_bot_sync(env)
    assert result.returncode == 2
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL", "LOG_LEVEL", "TIMEZONE"):
        assert name in result.stderr
    assert "nope" not in result.stderr  # a wrong token is not echoed back


async def test_typed_words_never_reach_the_log_and_files_are_owner_only(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    data_dir, log = tmp_path / "data", tmp_path / "bot.log"
    process = await start_bot_process(sandbox, data_dir, log)
    try:
        alex = sandbox.user(111, "Zelda")
        await alex.send("/start")
        await alex.send("Quillon Marchbanks")
        await alex.send("Xylophage carcinoma")
        await alex.send("/specialist")
        await alex.tap("Add a doctor")
        await alex.send("Dr. Vantablack")
        await alex.send("x" * 300)  # refused, and the refusal is logged without the text
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 20) == 0
    text = log.read_text()
    assert "started a case" in text  # INFO logging is on, so this test can fail
    for secret in ("Quillon", "Marchbanks", "Xylophage", "Vantablack", "Zelda", "xxxxxxxxxx", sandbox.token):
        assert secret not in text
    for path in [data_dir, *data_dir.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path} has mode {oct(mode)}"


async def test_sigkill_in_the_middle_of_writes_loses_no_confirmed_change(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """Kill the bot hard, again and again, while the user taps; every answered tap must survive."""
    data_dir, log = tmp_path / "data", tmp_path / "bot.log"
    rng = random.Random(20261123)
    alex = sandbox.user(111, "Alex")
    confirmed: set[str] = set()  # "theme:number" of questions the bot showed as chosen
    themes = ["Diagnosis and stage", "Treatment options", "Benefits and risks", "Timing"]
    todo = [(theme, n) for theme in themes for n in range(1, 7)]

    process = await start_bot_process(sandbox, data_dir, log)
    await alex.send("/start")
    await alex.tap("Cancel")
    kills = unconfirmed_saves = 0
    while todo and kills < 6:
        killer = asyncio.create_task(_kill_after(process, rng.uniform(0.2, 1.2)))
        try:
            while todo and process.returncode is None:
                theme = todo[0][0]
                await alex.send("/questions", within=1.0)
                await alex.tap(theme, within=1.0)
                for _, n in [item for item in todo if item[0] == theme]:
                    reply = await alex.tap(f"▫️ {n}", within=1.0)  # one write per tap
                    assert f"✅ {n}" in reply.buttons
                    confirmed.add(f"{theme}:{n}")
                    todo.remove((theme, n))
        except AssertionError:
            pass  # the bot died under the tap: that tap was never confirmed
        await killer
        kills += 1
        process = await start_bot_process(sandbox, data_dir, log)
        chosen = await _chosen(alex, themes)
        assert confirmed <= chosen, f"lost after kill {kills}: {sorted(confirmed - chosen)}"
        # At most the one tap in flight was saved without its reply reaching the user.
        assert len(chosen - confirmed) <= 1
        unconfirmed_saves += len(chosen - confirmed)
        confirmed = chosen
        todo = [(t, n) for t, n in todo if f"{t}:{n}" not in chosen]
    process.send_signal(signal.SIGTERM)
    await asyncio.wait_for(process.wait(), 20)
    print(f"kills={kills} confirmed={len(confirmed)} saved_unconfirmed={unconfirmed_saves}")
    assert kills >= 3 and len(confirmed) >= 5
    with TinyDBCaseRepository(data_dir) as repo:
        case = repo.case_for_chat(111)
        assert case is not None and len(case.questions.chosen) == len(confirmed)


async def _kill_after(process: asyncio.subprocess.Process, delay: float) -> None:
    await asyncio.sleep(delay)
    if process.returncode is None:
        process.kill()
    await process.wait()


async def _chosen(alex: SandboxUser, themes: list[str]) -> set[str]:
    found = set()
    for theme in themes:
        await alex.send("/questions")
        reply = await alex.tap(theme)
        found |= {f"{theme}:{label[2:]}" for label in reply.buttons if label.startswith("✅ ")}
    return found
