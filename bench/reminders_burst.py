"""N reminders due in the same minute: does the real bot get every one out, once, within Telegram's limits?

The sandbox enforces Telegram's published limits (30 messages a second overall, about 1 a second per private
chat, 20 a minute per group). N cases, each with one owner who has written to the bot before, each with a
visit two hours after the chosen minute, so each owes exactly one "two hours before" reminder at that
minute. The real application (bot.build_application: its rate limiter, its courier, TinyDB storage)
runs until every such reminder is settled in storage. The baseline, in the same run: the same burst from a
plain telegram.Bot with PTB's default AIORateLimiter() (max_retries=0), as a naive broadcast would do it.

    .venv/bin/python bench/reminders_burst.py [--reminders N | --quick] [--dir PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram.ext import AIORateLimiter, ExtBot
from telegram.request import HTTPXRequest

from journey import appointments, reminders
from journey.cases import start_case
from journey.models import ReminderKind, ReminderStatus
from sandbox import SandboxServer
from sandbox.events import SENT
from sandbox.limits import RateLimits
from service.courier import Courier
from settings import Settings
from storage import TinyDBCaseRepository
from wiring import COURIER_KEY, build_application, polling

ZONE = "America/Chicago"
MINUTE = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)  # Thursday 12:30 PM in Chicago: outside quiet hours
VISIT = MINUTE + reminders.HOURS_BEFORE  # so the "two hours before" reminder is due at MINUTE
FIRST_USER = 10_000_000
CEILING = RateLimits().overall_per_second


@dataclass
class Outcome:
    """What one burst achieved, as the sandbox and (for the bot) storage saw it."""

    planned: int
    delivered: int  # chats that got their reminder
    doubled: int  # chats that got the same message more than once
    too_many: int  # 429s the sandbox answered
    wall: float  # seconds from start to settled
    first_to_last: float  # seconds between the first and the last message accepted
    statuses: Counter[str]

    @property
    def lost(self) -> int:
        return self.planned - self.delivered

    @property
    def rate(self) -> float:
        return (self.delivered - 1) / self.first_to_last if self.first_to_last > 0 else 0.0


def plan_cases(repo: TinyDBCaseRepository, count: int) -> None:
    """Cases built with the journey functions and saved as the bot saves them; one reminder each at MINUTE."""
    planned_at = MINUTE - timedelta(minutes=1)
    for n in range(count):
        case = start_case(f"burst-{n:06d}", FIRST_USER + n, planned_at, ())
        case.members[0].settings.zone = ZONE
        appointments.add(case, "visit", VISIT, ZONE, planned_at)
        reminders.replan(case, planned_at)
        due = [r for r in case.reminders if r.due_at == MINUTE]
        assert [r.kind for r in due] == [ReminderKind.HOURS_BEFORE], case.reminders
        repo.save_case(case)


def open_chats(server: SandboxServer, count: int) -> list[int]:
    """Users who wrote to the bot at some earlier time, so it may write to them."""
    ids = [FIRST_USER + n for n in range(count)]
    for user_id in ids:
        server.user(user_id, "Sam")
        server.state.chat(user_id).started = True
    return ids


def read_chats(server: SandboxServer, chats: list[int]) -> tuple[int, int, float]:
    """Delivered and doubled from the chat logs, and the span between the first and the last send."""
    delivered = doubled = 0
    times: list[float] = []
    for chat in chats:
        texts = Counter(m.get("text", "") for m in server.history(chat) if m["from"]["is_bot"])
        delivered += bool(texts)
        doubled += any(n > 1 for n in texts.values())
        times += [event.at for event in server.events(chat) if event.kind == SENT]
    return delivered, doubled, (max(times) - min(times)) if times else 0.0


def statuses(repo: TinyDBCaseRepository) -> Counter[str]:
    """How each burst reminder ended, from storage (the truth the bot keeps)."""
    found: Counter[str] = Counter()
    for case_id in repo.case_ids():
        case = repo.load_case(case_id)
        assert case is not None
        for reminder in case.reminders:
            if reminder.kind is ReminderKind.HOURS_BEFORE:
                found[reminder.status.value] += 1
    return found


async def run_bot(root: Path, count: int, give_up_after: float) -> tuple[Outcome, float]:
    """The real application against the limited sandbox, until no burst reminder is left pending."""
    data_dir = root / "data"
    repo = TinyDBCaseRepository(data_dir)
    started = time.perf_counter()
    plan_cases(repo, count)
    print(f"  planned {count:,} cases in {time.perf_counter() - started:.1f} s", flush=True)
    async with SandboxServer(limits=RateLimits()) as server:
        chats = open_chats(server, count)
        settings = Settings(server.token, server.url, data_dir, "WARNING", ZoneInfo(ZONE))
        anchor = time.monotonic()

        def clock() -> datetime:
            """The bot's clock: MINUTE when it starts, then real time (retries come due 30 s on)."""
            return MINUTE + timedelta(seconds=time.monotonic() - anchor)

        app = build_application(settings, repo, clock=clock, reminder_tick=0.5)
        courier: Courier = app.bot_data[COURIER_KEY]
        started = time.perf_counter()
        async with polling(app):  # post_init runs Courier.rebuild(): it reads the wake index
            rebuild = time.perf_counter() - started
            # Pending reminders of the burst, retries included; the "day after" ones are a day away.
            horizon = MINUTE + timedelta(hours=12)
            for _ in range(int(give_up_after / 0.5)):
                if not courier.due_cases(horizon):
                    break
                await asyncio.sleep(0.5)
            await asyncio.sleep(1.0)  # the last send in flight
            wall = time.perf_counter() - started
        delivered, doubled, span = read_chats(server, chats)
        assert server.flood is not None
        too_many = server.flood.too_many_requests
    found = statuses(repo)
    repo.close()
    return Outcome(count, delivered, doubled, too_many, wall, span, found), rebuild


async def run_baseline(count: int) -> tuple[Outcome, Counter[str]]:
    """The same burst from a plain Bot with PTB's default AIORateLimiter(): all sends at once, no retry."""
    async with SandboxServer(limits=RateLimits()) as server:
        chats = open_chats(server, count)
        request = HTTPXRequest(connection_pool_size=256)  # as ApplicationBuilder sets it
        started = time.perf_counter()
        async with ExtBot(
            server.token, base_url=server.bot_url, request=request, rate_limiter=AIORateLimiter()
        ) as bot:
            results = await asyncio.gather(
                *(bot.send_message(chat, "Your visit is in two hours.") for chat in chats),
                return_exceptions=True,
            )
        wall = time.perf_counter() - started
        errors = Counter(type(r).__name__ for r in results if isinstance(r, BaseException))
        delivered, doubled, span = read_chats(server, chats)
        assert server.flood is not None
        too_many = server.flood.too_many_requests
    sent = Counter({"sent": count - sum(errors.values())})
    return Outcome(count, delivered, doubled, too_many, wall, span, sent), errors


def report(name: str, outcome: Outcome) -> None:
    print(f"\n{name}")
    print(f"  reminders planned   {outcome.planned:>8,}")
    print(f"  delivered           {outcome.delivered:>8,}")
    print(f"  lost                {outcome.lost:>8,}")
    print(f"  doubled             {outcome.doubled:>8,}")
    print(f"  429s received       {outcome.too_many:>8,}")
    print(f"  wall time           {outcome.wall:>8.1f} s")
    print(
        f"  send rate           {outcome.rate:>8.1f} msg/s from the first to the last accepted send "
        f"({outcome.first_to_last:.1f} s; the ceiling is {CEILING:.0f} msg/s)"
    )
    print(
        f"  throughput          {outcome.delivered / outcome.wall:>8.1f} msg/s over the wall time "
        f"({outcome.delivered / outcome.wall / CEILING:.0%} of the ceiling)"
    )
    print("  outcome             " + ", ".join(f"{k} {v:,}" for k, v in sorted(outcome.statuses.items())))


async def main_async(count: int, directory: Path | None, give_up_after: float) -> None:
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"{count:,} reminders due at {MINUTE:%Y-%m-%d %H:%M} UTC; sandbox limits: {RateLimits()}")
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        bot_outcome, rebuild = await run_bot(Path(tmp), count, give_up_after)
    report("the bot (build_application: its rate limiter, courier and storage)", bot_outcome)
    print(f"  start-up            {rebuild:>8.1f} s (to polling: the wake index read; inside the wall time)")
    unsettled = sum(n for status, n in bot_outcome.statuses.items() if status != ReminderStatus.SENT.value)
    if unsettled:
        print(f"  NOT SENT            {unsettled:>8,} (see outcome)")
    base_outcome, errors = await run_baseline(count)
    report(
        "baseline: plain telegram.Bot, default AIORateLimiter() (max_retries=0), all at once", base_outcome
    )
    print("  errors raised       " + (", ".join(f"{k} {v:,}" for k, v in errors.items()) or "none"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=10_000, help="how many (default 10,000)")
    parser.add_argument("--quick", action="store_true", help="600 reminders, well under a minute")
    parser.add_argument("--dir", type=Path, help="where to create the data (default: a temp dir)")
    parser.add_argument("--timeout", type=float, help="give up on the bot after this many seconds")
    args = parser.parse_args()
    count = 600 if args.quick else args.reminders
    give_up_after = args.timeout or 120 + 3 * count / CEILING
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # A tick that outlasts the tick interval makes APScheduler warn every 0.5 s that it skipped one.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    # The default limiter logs a traceback for every 429 it gives up on; the counts say it all.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    asyncio.run(main_async(count, args.dir, give_up_after))


if __name__ == "__main__":
    main()
