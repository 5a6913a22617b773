"""Updates a second, CPU per update and reply latency of the real bot with 10 to 100,000 stored plans.

The real application (wiring.build_application, TinyDB storage in a temp dir) polls the sandbox over
loopback with a relaxed limiter: ChatAwareRateLimiter(private_burst=1000, private_period=1.0) with its
overall limit switched off (as AIORateLimiter(overall_max_rate=0) does), so Telegram's pace does not hide
the bot's own cost. The sandbox has no limits.

K people (10) onboard through the bot once (/start, a name, a diagnosis, a reason, Done, not urgent);
their DATA_DIR is kept. For each size N, a fresh DATA_DIR holds N plans: N - K copies of one plan file for
other owners (bench/startup.py's build: a visit 20 days ahead, 6 pending reminders each, written as
copies without fsync) and the K active plans copied in. A fresh bot starts on it, on the same sandbox, and
each active person runs a closed loop with no thinking time, each step sent as soon as the last one was
answered: /menu; tap "Gather records"; tap a record; tap "Back"; /progress; /questions; tap "Add my own";
type a question; tap its 🗑 (so plans do not grow from window to window). After a warm-up, a window of
fixed length counts the steps answered (updates a second), the process CPU time (time.process_time(),
all threads) per step, and each step's latency: from the person's message or tap to the bot's reply (the
sandbox's event time).

The sandbox and the drivers run in the same process, so the same loop, with the same drivers and sandbox,
runs against a baseline in the same run: a minimal python-telegram-bot echo bot (concurrent updates, the
same relaxed limiter; it replies to any text with the text and an inline button, and answers a tap and
edits that message). Texts are sent and the button pressed in the same order as the bot's loop. The
targets: CPU per update at most 2x the echo bot's; p50 latency with the most plans at most 1.2x that with
10 plans. Before each window a full garbage collection runs and what survives is frozen (gc.freeze()).

    .venv/bin/python bench/throughput.py [--quick] [--seconds S] [--dir PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import platform
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from startup import build as build_plans  # type: ignore[import-not-found]  # bench/startup.py
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from handlers.plumbing.ratelimit import ChatAwareRateLimiter
from sandbox import SandboxServer, SandboxUser
from sandbox.client import Reply
from sandbox.events import RESPONSE_KINDS
from settings import Settings
from storage import TinyDBCaseRepository
from wiring import build_application, polling

ACTIVE = 10  # people in the loop, each owning one of the stored plans (so 10 plans: all of them active)
FIRST_USER = 31_000_000
FIRST_ECHO_USER = 32_000_000
SIZES = (10, 1_000, 10_000, 100_000)
QUICK_SIZES = (10, 10_000)
TARGET_CPU = 2.0  # CPU per update: the bot / the echo bot, at most
TARGET_P50 = 1.2  # p50 latency: most plans / 10 plans, at most
WITHIN = 30.0  # a step not answered by then counts as not answered
ZONE = "America/Chicago"
QUESTION = "Can I wait {} weeks before I start treatment?"
ECHO_BUTTON = "Again"


class Missing(Exception):
    """A step the bot did not answer in time, or a screen without the button the step wanted."""


# --- the limiter and the two bots ----------------------------------------------------------------------


class RelaxedLimiter(ChatAwareRateLimiter):
    """The bot's limiter with a 1,000-message burst per private chat and no overall limit."""

    def __init__(self) -> None:
        super().__init__(private_burst=1000, private_period=1.0)
        self._base_limiter = None  # as AIORateLimiter(overall_max_rate=0): no overall limit


def settings(server: SandboxServer, data_dir: Path) -> Settings:
    return Settings(server.token, server.url, data_dir, "WARNING", ZoneInfo(ZONE))


@asynccontextmanager
async def real_bot(server: SandboxServer, data_dir: Path) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    repo = TinyDBCaseRepository(data_dir)
    try:
        async with polling(
            build_application(settings(server, data_dir), repo, limiter=RelaxedLimiter())
        ) as app:
            yield app
    finally:
        repo.close()


ECHO_KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton(ECHO_BUTTON, callback_data="again")]])


async def echo_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text, reply_markup=ECHO_KEYBOARD)


async def echo_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    assert context.chat_data is not None
    taps = context.chat_data["taps"] = context.chat_data.get("taps", 0) + 1
    await query.edit_message_text(f"tapped {taps} times", reply_markup=ECHO_KEYBOARD)


def echo_bot(server: SandboxServer) -> Application:  # type: ignore[type-arg]
    limiter: AIORateLimiter = RelaxedLimiter()
    app = (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.bot_url)
        .base_file_url(server.file_url)
        .rate_limiter(limiter)
        .concurrent_updates(True)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo_text))
    app.add_handler(CallbackQueryHandler(echo_tap))
    return app


# --- what people do ------------------------------------------------------------------------------------

Act = Callable[[SandboxUser, int], Awaitable[Reply]]


async def _send(user: SandboxUser, text: str) -> Reply:
    return await user.send(text, within=WITHIN)


async def _tap(user: SandboxUser, label: str) -> Reply:
    if not any(label in b for b in user.buttons()):
        raise Missing(f"no {label!r} button")
    return await user.tap(label, within=WITHIN)


async def _tap_record(user: SandboxUser, turn: int) -> Reply:
    records = [b for b in user.buttons() if not b.startswith(("🏠", "\u2039"))]
    if not records:
        raise Missing("no record buttons")
    return await user.tap(records[turn % len(records)], within=WITHIN)


# One turn of the loop: the bot's steps, and the echo bot's (the same texts, a tap for each tap).
BOT_LOOP: tuple[tuple[str, Act], ...] = (
    ("/menu", lambda u, t: _send(u, "/menu")),
    ("tap", lambda u, t: _tap(u, "Gather records")),
    ("tap", _tap_record),
    ("tap", lambda u, t: _tap(u, "Back")),
    ("/progress", lambda u, t: _send(u, "/progress")),
    ("/questions", lambda u, t: _send(u, "/questions")),
    ("tap", lambda u, t: _tap(u, "Add my own")),
    ("typed", lambda u, t: _send(u, QUESTION.format(2 + t % 11))),
    ("tap", lambda u, t: _tap(u, "🗑 1")),
)
ECHO_LOOP: tuple[tuple[str, Act], ...] = tuple(
    (kind, act if kind != "tap" else lambda u, t: _tap(u, ECHO_BUTTON)) for kind, act in BOT_LOOP
)


async def onboard(user: SandboxUser, name: str) -> None:
    """As tests/e2e/test_journey.py::onboard: /start, a name, a diagnosis, a reason, Done, not urgent."""
    await user.send("/start", within=WITHIN)
    await user.send(name, within=WITHIN)
    await user.send("Stage 2 breast cancer", within=WITHIN)
    await user.tap("Rare or unclear diagnosis", within=WITHIN)
    await user.tap("Done", within=WITHIN)
    await user.tap("No", within=WITHIN)


# --- measuring -----------------------------------------------------------------------------------------


@dataclass
class Window:
    name: str
    began: float = 0.0  # time.monotonic() at the window's start
    ended: float = 0.0
    cpu: float = 0.0  # process CPU seconds in the window, all threads
    answered: int = 0  # steps answered within the window
    latencies: list[float] = field(default_factory=list)  # of steps started within the window
    missing: Counter[str] = field(default_factory=Counter)
    full_gcs: int = 0
    logged: Counter[str] = field(default_factory=Counter)

    @property
    def seconds(self) -> float:
        return self.ended - self.began

    @property
    def rate(self) -> float:
        return self.answered / self.seconds

    @property
    def cpu_per_update(self) -> float:
        return self.cpu / self.answered if self.answered else float("nan")


async def person(
    user: SandboxUser, loop: tuple[tuple[str, Act], ...], window: Window, stop: asyncio.Event
) -> None:
    """Steps one after another, with no pause, until the window has closed."""
    turn = 0
    while not stop.is_set():
        for kind, act in loop:
            if stop.is_set():
                return
            started = time.monotonic()
            try:
                reply = await act(user, turn)
            except (Missing, AssertionError) as why:
                if window.began <= started:
                    window.missing[f"{kind}: {str(why).splitlines()[0][:70]}"] += 1
                break  # start the loop again from /menu
            done = time.monotonic()
            answered = [e.at for e in reply.events if e.kind in RESPONSE_KINDS]
            if window.began <= started and window.ended == 0.0 and answered:
                window.latencies.append(max(answered) - started)
            if window.began <= done and window.ended == 0.0:
                window.answered += 1
        turn += 1


class CountLogs(logging.Handler):
    """The bots' log lines at WARNING and above, by logger and format."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.seen[f"{record.levelname} {record.name}: {record.msg}"[:120]] += 1


LOGS = CountLogs()


async def measure(
    name: str, people: list[SandboxUser], loop: tuple[tuple[str, Act], ...], warmup: float, seconds: float
) -> Window:
    window = Window(name, began=float("inf"))
    gc.collect()
    gc.freeze()
    stop = asyncio.Event()
    tasks = [asyncio.create_task(person(p, loop, window, stop)) for p in people]
    await asyncio.sleep(warmup)
    logged, collections = LOGS.seen.copy(), gc.get_stats()[2]["collections"]
    window.began, cpu = time.monotonic(), time.process_time()
    await asyncio.sleep(seconds)
    window.cpu, window.ended = time.process_time() - cpu, time.monotonic()
    window.full_gcs = gc.get_stats()[2]["collections"] - collections
    window.logged = LOGS.seen - logged
    stop.set()
    await asyncio.gather(*tasks)
    gc.unfreeze()
    return window


# --- the data ------------------------------------------------------------------------------------------


def fill(data_dir: Path, active: Path, plans: int) -> float:
    """plans plans in data_dir: the active people's, copied, and copies of one plan for other owners."""
    started = time.perf_counter()
    if plans > ACTIVE:
        build_plans(data_dir, plans - ACTIVE)
    shutil.copytree(active, data_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".lock"))
    return time.perf_counter() - started


async def run(root: Path, sizes: tuple[int, ...], warmup: float, seconds: float) -> list[Window]:
    windows: list[Window] = []
    async with SandboxServer(quiet_period=0.0, reply_timeout=WITHIN) as server:
        people = [server.user(FIRST_USER + n, f"P{n}") for n in range(ACTIVE)]
        active = root / "active"
        started = time.monotonic()
        async with real_bot(server, active):
            await asyncio.gather(*(onboard(p, f"Patient {n}") for n, p in enumerate(people)))
        print(f"  {ACTIVE} people onboarded in {time.monotonic() - started:.1f} s", flush=True)

        echoers = [server.user(FIRST_ECHO_USER + n, f"E{n}") for n in range(ACTIVE)]
        async with polling(echo_bot(server)):
            windows.append(await measure("echo bot", echoers, ECHO_LOOP, warmup, seconds))
        print(f"  echo bot: {windows[-1].answered:,} steps", flush=True)

        for plans in sizes:
            data_dir = root / f"data-{plans}"
            took = fill(data_dir, active, plans)
            started = time.monotonic()
            async with real_bot(server, data_dir):
                ready = time.monotonic() - started
                windows.append(await measure(f"{plans:,} plans", people, BOT_LOOP, warmup, seconds))
            print(
                f"  {plans:,} plans: built in {took:.1f} s, bot ready in {ready:.1f} s, "
                f"{windows[-1].answered:,} steps",
                flush=True,
            )
            shutil.rmtree(data_dir)
    return windows


# --- report --------------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def report(windows: list[Window]) -> None:
    echo, bots = windows[0], windows[1:]
    print(
        f"\n{'':<16}{'updates/s':>11}{'CPU/update':>13}{'x echo':>8}{'p50':>11}{'p99':>11}"
        f"{'CPU':>7}{'not answered':>14}{'full GCs':>10}"
    )
    for w in windows:
        ratio = w.cpu_per_update / echo.cpu_per_update
        print(
            f"{w.name:<16}{w.rate:>11,.0f}{ms(w.cpu_per_update):>13}{ratio:>7.2f}x"
            f"{ms(percentile(w.latencies, 50)):>11}{ms(percentile(w.latencies, 99)):>11}"
            f"{w.cpu / w.seconds:>7.0%}{w.missing.total():>14,}{w.full_gcs:>10}"
        )
    print(f"({ACTIVE} people, no thinking time; CPU is the whole process: sandbox, drivers and bot)")
    for w in windows:
        for why, n in w.missing.most_common(5):
            print(f"  not answered ({w.name}): {n} x {why}")
        for line, n in w.logged.most_common(5):
            print(f"  logged ({w.name}): {n} x {line}")
    worst = max(bots, key=lambda w: w.cpu_per_update)
    ratio = worst.cpu_per_update / echo.cpu_per_update
    verdict = "met" if ratio <= TARGET_CPU else "NOT met"
    print(f"\nCPU per update, the bot at {worst.name} (its worst) / the echo bot: {ratio:.2f}", end="")
    print(f" (target <= {TARGET_CPU:g}: {verdict})")
    first, last = bots[0], bots[-1]
    ratio = percentile(last.latencies, 50) / percentile(first.latencies, 50)
    verdict = "met" if ratio <= TARGET_P50 else "NOT met"
    print(f"p50 latency at {last.name} / at {first.name}: {ratio:.2f} (target <= {TARGET_P50:g}: {verdict})")


async def main_async(sizes: tuple[int, ...], warmup: float, seconds: float, directory: Path | None) -> None:
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(
        f"{ACTIVE} people in a closed loop, {warmup:g} s warm-up and {seconds:g} s windows; plans: "
        + ", ".join(f"{n:,}" for n in sizes),
        flush=True,
    )
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        windows = await run(Path(tmp), sizes, warmup, seconds)
    report(windows)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 and 10,000 plans, 2.5 s windows")
    parser.add_argument("--seconds", type=float, help="length of each measured window (default 10)")
    parser.add_argument("--dir", type=Path, help="where to create the data (default: a temp dir)")
    args = parser.parse_args()
    sizes = QUICK_SIZES if args.quick else SIZES
    seconds = args.seconds or (2.5 if args.quick else 10.0)
    warmup = 0.5 if args.quick else 2.0
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger().addHandler(LOGS)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    asyncio.run(main_async(sizes, warmup, seconds, args.dir))


if __name__ == "__main__":
    main()
