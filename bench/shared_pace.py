"""Several workers sending through one bot token: do they keep Telegram's limits together?

Telegram counts a bot's messages, not a process's. K workers (default 3) each send their share of N
messages to C private chats through one sandbox server that enforces Telegram's published limits
(sandbox.limits.RateLimits: 30 a second overall, 3 at once then 1 a second per private chat; a 429 to
whatever breaks them). Each chat's messages come from every worker in turn, as with webhook workers
and couriers on one database. Two runs, in the same process, on fresh sandboxes:

- per worker: each worker has its own ChatAwareRateLimiter (wiring.rate_limiter() without a database):
  the limits as each worker knows them, and K times the pace together;
- shared: each worker has a SharedRateLimiter on its own pool (handlers/plumbing/shared_pace.py), all
  booking slots in one PostgreSQL (a throwaway cluster from tests/postgres_cluster.py).

The workers are K ExtBots in one event loop, each with its own limiter, HTTP client and pool: nothing
but the database and the sandbox is shared between them, as between processes. Reported per run: the
429s the sandbox answered, messages delivered and given up (after the limiter's 5 retries), and
messages a second over the wall time.

    .venv/bin/python bench/shared_pace.py [--workers K] [--chats C] [--messages N | --quick]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from telegram.ext import AIORateLimiter, ExtBot
from telegram.request import HTTPXRequest

from handlers.plumbing.ratelimit import ChatAwareRateLimiter
from handlers.plumbing.shared_pace import SharedRateLimiter
from sandbox import SandboxServer
from sandbox.events import SENT
from sandbox.limits import RateLimits
from storage import pg_schema
from storage.pg_pace import SendPace
from tests.postgres_cluster import MISSING, Cluster, find_bindir

FIRST_USER = 20_000_000
CEILING = RateLimits().overall_per_second


@dataclass
class Outcome:
    messages: int
    delivered: int
    given_up: Counter[str]  # error type -> messages the limiter gave up on
    too_many: int  # 429s the sandbox answered
    wall: float

    @property
    def rate(self) -> float:
        return self.delivered / self.wall if self.wall > 0 else 0.0


def open_chats(server: SandboxServer, count: int) -> list[int]:
    """People who wrote to the bot before, so it may write to them."""
    ids = [FIRST_USER + n for n in range(count)]
    for user_id in ids:
        server.user(user_id, "Sam")
        server.state.chat(user_id).started = True
    return ids


async def run(limiters: list[AIORateLimiter], chats: int, messages: int) -> Outcome:
    """Message n goes to chat n % C from worker (n // C) % K, so every chat hears from every worker."""
    workers = len(limiters)
    async with SandboxServer(limits=RateLimits()) as server:
        ids = open_chats(server, chats)
        bots = [
            ExtBot(
                server.token,
                base_url=server.bot_url,
                request=HTTPXRequest(connection_pool_size=256),
                rate_limiter=limiter,
            )
            for limiter in limiters
        ]
        for bot in bots:
            await bot.initialize()  # opens the limiter's pool too
        try:
            started = time.perf_counter()
            results = await asyncio.gather(
                *(
                    bots[(n // chats) % workers].send_message(ids[n % chats], f"Message {n}")
                    for n in range(messages)
                ),
                return_exceptions=True,
            )
            wall = time.perf_counter() - started
        finally:
            for bot in bots:
                await bot.shutdown()
        delivered = sum(1 for chat in ids for event in server.events(chat) if event.kind == SENT)
        assert server.flood is not None
        too_many = server.flood.too_many_requests
    given_up = Counter(type(r).__name__ for r in results if isinstance(r, BaseException))
    return Outcome(messages, delivered, given_up, too_many, wall)


def shared_limiters(url: str, workers: int) -> list[AIORateLimiter]:
    with psycopg.connect(url) as conn:
        pg_schema.apply(conn)
    return [SharedRateLimiter(SendPace(url)) for _ in range(workers)]


async def main_async(url: str, workers: int, chats: int, messages: int) -> tuple[Outcome, Outcome]:
    alone = await run([ChatAwareRateLimiter() for _ in range(workers)], chats, messages)
    shared = await run(shared_limiters(url, workers), chats, messages)
    return alone, shared


def report(workers: int, alone: Outcome, shared: Outcome) -> None:
    rows: list[tuple[str, Callable[[Outcome], str]]] = [
        ("messages sent", lambda o: f"{o.messages:,}"),
        ("delivered", lambda o: f"{o.delivered:,}"),
        ("given up", lambda o: f"{sum(o.given_up.values()):,}"),
        ("429s from the sandbox", lambda o: f"{o.too_many:,}"),
        ("wall time", lambda o: f"{o.wall:.1f} s"),
        ("messages/s", lambda o: f"{o.rate:.1f}"),
    ]
    print(f"\n| {workers} workers | limiter per worker | shared (PostgreSQL) |")
    print("|---|---:|---:|")
    for name, cell in rows:
        print(f"| {name} | {cell(alone)} | {cell(shared)} |")
    for name, outcome in (("per worker", alone), ("shared", shared)):
        if outcome.given_up:
            print(f"given up ({name}): " + ", ".join(f"{k} {v:,}" for k, v in outcome.given_up.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--workers", type=int, default=3, help="workers sharing the token (default 3)")
    parser.add_argument("--chats", type=int, default=100, help="private chats (default 100)")
    parser.add_argument("--messages", type=int, default=1_200, help="messages in all (default 1,200)")
    parser.add_argument("--quick", action="store_true", help="2 workers, 8 chats, 48 messages")
    args = parser.parse_args()
    workers, chats, messages = (2, 8, 48) if args.quick else (args.workers, args.chats, args.messages)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # The limiter logs every 429 it gives up on; the counts say it all.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    bindir = find_bindir()
    if bindir is None:
        sys.exit(MISSING)
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(
        f"{messages:,} messages to {chats:,} private chats from {workers} workers; sandbox limits: "
        f"{RateLimits()} (ceiling {CEILING:.0f} messages/s)",
        flush=True,
    )
    cluster = Cluster(bindir)
    try:
        cluster.start()
        alone, shared = asyncio.run(main_async(cluster.new_schema(), workers, chats, messages))
    finally:
        cluster.stop()
    report(workers, alone, shared)


if __name__ == "__main__":
    main()
