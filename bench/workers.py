"""Several workers: updates answered a second and reply latency with 1 and 3 workers behind nginx on one
PostgreSQL, beside one TinyDB process, at 10,000 and 100,000 plans; and failover when a worker is killed.

Every bot is `python bot.py` as an operator runs it (tests/workers.py: nginx from Debian's package, the
workers in webhook mode through the inbox; the TinyDB bot polls), with its production rate limiter, against
the sandbox (in this process, no limits of its own). For each size N the stores hold N plans (each with a
visit in 30 days and its reminders planned, none due during the run), filled as bench/storage_pg.py fills
them (PostgreSQL by COPY of the repository's rows; TinyDB through save_case without fsync, not measured as
a cost), plus the plans of the PEOPLE who send updates. PostgreSQL is a throwaway cluster with fsync on.

The load is offered at a fixed pace under Telegram's cap (~30 messages a second): PEOPLE people, each
sending one of /records, /questions, /insurance every PERIOD seconds (RATE updates a second in all), each
answered by one message. Latency: from the person's message reaching the sandbox to the bot's reply there
(the sandbox's own event times). Answered a second: replies in the window over its length; a reply that does
not come within 10 s counts as lost.

Failover (3 workers, with the most plans, after the windows): reminders fall due in a steady stream (STREAM_RATE a second), and a
batch of them is held in flight by the sandbox (tests/workers.py, HeldSends); the worker holding the most is
killed with SIGKILL, then the batch is let go (the dead worker's sends never arrive). Reported: from the kill
to the next reminder another worker sends, and from the kill until every claim of the dead worker is settled
(maybe sent, never repeated: CLAIM_TIMEOUT_SECONDS after the claim, found by the next tick); once with
CLAIM_TIMEOUT_SECONDS=5 and WAKE_REFRESH_SECONDS=1, once with the defaults (300 and 2; not in --quick).

    .venv/bin/python bench/workers.py [--quick] [--sizes N,N] [--seconds S] [--no-defaults]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage_pg import case_id, percentile, postgres_store, tinydb_store  # type: ignore[import-not-found]

from journey.cases import set_patient_name, start_case
from journey.models import Case, ReminderStatus
from sandbox import SandboxServer, SandboxUser, events
from settings import DEFAULT_CLAIM_TIMEOUT, DEFAULT_WAKE_REFRESH
from storage import CaseRepository
from storage.postgres_repo import PostgresCaseRepository
from tests.e2e.process import start_bot_process
from tests.postgres_cluster import MISSING, Cluster, find_bindir
from tests.workers import MISSING as NO_NGINX
from tests.workers import NGINX, HeldSends, Workers, reminder_plan, week_before

SIZES, QUICK_SIZES = (10_000, 100_000), (1_000,)
PEOPLE, PERIOD = 40, 2.0  # 20 updates a second offered; each chat well under its own limit
STEPS = ("/records", "/questions", "/insurance")
PERSON, REMINDED, BULK = 1_000, 5_000, 500_000_000
HELD, STREAM, STREAM_RATE = 10, 100, 5.0
WAIT = 10.0  # a reply later than this counts as lost
NOW = datetime.now(UTC).replace(microsecond=0)  # the plans' clock: fixed for the run, so fills are repeatable


def bulk_plan(n: int) -> Case:
    """One of the N stored plans: a visit in 30 days, reminders planned, nothing due for a day."""
    return reminder_plan(case_id(n), BULK + n, NOW + timedelta(days=1), NOW)


def person_plan(n: int) -> Case:
    case = start_case(f"person{n:04d}", PERSON + n, NOW, ())
    set_patient_name(case, "Ann")
    return case


@dataclass
class Window:
    label: str
    size: int
    latencies: list[float] = field(default_factory=list)
    lost: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


async def reply_time(sandbox: SandboxServer, user: SandboxUser, since: int) -> float | None:
    """When the bot's first message after `since` reached the person (sandbox time), or None."""
    deadline = time.monotonic() + WAIT
    while True:
        for event in reversed(user.chat.events):
            if event.seq <= since:
                break
            if event.kind == events.SENT and event.seq > since:
                return event.at
        if time.monotonic() > deadline:
            return None
        await sandbox.state.signal.wait(0.5)


async def person(
    sandbox: SandboxServer, n: int, start: float, warm: float, stop: float, window: Window
) -> None:
    user = sandbox.user(PERSON + n, f"P{n}")
    await asyncio.sleep(max(0.0, start + PERIOD * n / PEOPLE - time.monotonic()))  # spread evenly
    k = 0
    while (sent_at := time.monotonic()) < stop:
        since = sandbox.state.next_seq()
        user.send_nowait(STEPS[k % len(STEPS)])
        answered = await reply_time(sandbox, user, since)
        if sent_at >= warm:
            if answered is None:
                window.lost += 1
            else:
                window.latencies.append(answered - sent_at)
        k += 1
        await asyncio.sleep(max(0.0, start + PERIOD * (k + n / PEOPLE) - time.monotonic()))


async def offer_load(sandbox: SandboxServer, window: Window, seconds: float) -> None:
    for n in range(PEOPLE):
        sandbox.user(PERSON + n, f"P{n}").chat.started = True
    start = time.monotonic()
    warm = start + 3.0
    stop = warm + seconds
    await asyncio.gather(*(person(sandbox, n, start, warm, stop, window) for n in range(PEOPLE)))
    window.seconds = seconds


def add_people(repo: CaseRepository) -> None:
    for n in range(PEOPLE):
        repo.save_case(person_plan(n))
        repo.link_chat(PERSON + n, f"person{n:04d}")


@asynccontextmanager
async def tinydb_bot(sandbox: SandboxServer, data_dir: Path) -> AsyncIterator[None]:
    process = await start_bot_process(sandbox, data_dir, data_dir.parent / "tinydb.log")
    try:
        yield
    finally:
        process.terminate()
        await process.wait()


async def measure(
    label: str,
    size: int,
    seconds: float,
    bot: Callable[[SandboxServer], AbstractAsyncContextManager[object]],
    url: str,
) -> Window:
    window = Window(label, size)
    # Each run has its own sandbox, whose update ids start at 1 again: the inbox would take them for
    # repeats of the last run's.
    with psycopg.connect(url) as conn:
        conn.execute("DELETE FROM inbox")
    async with SandboxServer(quiet_period=0.1) as sandbox, bot(sandbox):
        await offer_load(sandbox, window, seconds)
    return window


# --- failover -------------------------------------------------------------------------------------------


@dataclass
class Failover:
    claim_timeout: int
    wake_refresh: int
    held_by_dead: int = 0
    next_reminder_s: float = float("nan")
    settled_s: float = float("nan")


def add_reminded(repo: CaseRepository) -> None:
    for n in range(HELD + STREAM):
        repo.save_case(reminder_plan(f"remind{n:04d}", REMINDED + n, NOW + timedelta(hours=1), NOW))


def retime(repo: PostgresCaseRepository, plan: str, due: datetime) -> None:
    case = repo.load_case(plan)
    assert case is not None
    reminder = week_before(case)
    reminder.due_at, reminder.status, reminder.sending_at, reminder.attempts = (
        due,
        ReminderStatus.PENDING,
        None,
        0,
    )
    repo.save_case(case)


async def failover(url: str, folder: Path, claim_timeout: int, wake_refresh: int) -> Failover:
    figures = Failover(claim_timeout, wake_refresh)
    repo = PostgresCaseRepository(url)
    sandbox = HeldSends(quiet_period=0.1)
    await sandbox.start()
    try:
        for n in range(HELD + STREAM):
            sandbox.user(REMINDED + n, f"R{n}").chat.started = True
        async with Workers(
            sandbox, url, folder, 3, claim_timeout=claim_timeout, wake_refresh=wake_refresh
        ) as w:
            gate = sandbox.close_gate({REMINDED + n for n in range(HELD)})
            # Changed as by another worker: every worker reads it from the shared index before it is due.
            due = datetime.now(UTC) + timedelta(seconds=wake_refresh + 2)
            for n in range(HELD):
                retime(repo, f"remind{n:04d}", due)
            for n in range(STREAM):
                retime(repo, f"remind{HELD + n:04d}", due + timedelta(seconds=n / STREAM_RATE))
            deadline = time.monotonic() + wake_refresh + 30
            while len(gate.held) < HELD:
                assert time.monotonic() < deadline, f"only {len(gate.held)} of {HELD} reminders went out"
                await asyncio.sleep(0.01)
            holders = [w.holder(held) for held in gate.held]
            victim = max(set(holders) - {None}, key=holders.count)
            assert victim is not None, "no held send could be traced to a worker"
            w.kill(victim)
            await w.wait_killed(victim)
            killed = time.monotonic()
            await asyncio.sleep(0.2)
            gate.opened.set()
            # The held sends go through, or find their worker gone.
            await until(lambda: len(gate.dropped) + len(gate.passed) == len(gate.held), 10, "let go")
            figures.held_by_dead = holders.count(victim)
            stream = [REMINDED + HELD + n for n in range(STREAM)]
            while (after := _first_sent_after(sandbox, stream, killed)) is None:
                assert time.monotonic() - killed < 120, "no reminder was sent after the kill"
                await asyncio.sleep(0.05)
            figures.next_reminder_s = after - killed
            dead = [f"remind{chat - REMINDED:04d}" for chat in gate.dropped]
            assert dead, "the killed worker held no send"
            while not all(_settled(repo, plan) for plan in dead):
                assert time.monotonic() - killed < claim_timeout + 120, "a dead worker's claim stayed"
                await asyncio.sleep(0.25)
            figures.settled_s = time.monotonic() - killed
    finally:
        repo.close()
        await sandbox.stop()
    return figures


def _first_sent_after(sandbox: SandboxServer, chats: list[int], moment: float) -> float | None:
    times = [
        e.at for c in chats for e in sandbox.state.chats[c].events if e.kind == events.SENT and e.at > moment
    ]
    return min(times, default=None)


def _settled(repo: PostgresCaseRepository, plan: str) -> bool:
    case = repo.load_case(plan)
    return case is not None and week_before(case).status is ReminderStatus.INTERRUPTED


async def until(check: Callable[[], bool], within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, f"not within {within:g} s: {what}"
        await asyncio.sleep(0.01)


# --- the run --------------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def report(windows: list[Window]) -> None:
    print("| plans | bot | answered/s | p50 | p99 | lost |")
    print("|---:|---|---:|---:|---:|---:|")
    for w in windows:
        p50, p99 = percentile(w.latencies, 50), percentile(w.latencies, 99)
        print(f"| {w.size:,} | {w.label} | {w.rate:,.1f} | {ms(p50)} | {ms(p99)} | {w.lost} |", flush=True)


async def run(sizes: tuple[int, ...], seconds: float, defaults: bool, url: str, root: Path) -> None:
    pg = postgres_store(url, bulk_plan)
    windows: list[Window] = []
    try:
        have = 0
        for size in sizes:
            # The bot process holds the TinyDB folder's lock: this run's store is open only to fill it.
            tinydb = tinydb_store(root / "data", bulk_plan)
            for store in (tinydb, pg):
                started = time.perf_counter()
                store.fill(have, size)
                took = time.perf_counter() - started
                print(f"{size:,} plans: {store.name} filled in {took:,.0f} s", flush=True)
            if have == 0:
                add_people(tinydb.repo)
                add_people(pg.repo)
                add_reminded(pg.repo)
            tinydb.repo.close()
            have = size
            windows.append(
                await measure("TinyDB, 1 process (polling)", size, seconds, _tinydb(root / "data"), url)
            )
            for count in (1, 3):
                label = f"PostgreSQL, {count} worker{'s' if count > 1 else ''} (webhook, nginx)"
                bot = _workers(url, root / f"workers-{size}-{count}", count)
                windows.append(await measure(label, size, seconds, bot, url))
            report(windows[-3:])
        print()
        report(windows)
        print()
        print(
            "| failover, 3 workers | claims the dead worker held | kill to next reminder | kill to its claims settled |"
        )
        print("|---|---:|---:|---:|")
        shortened, default = (5, 1), (DEFAULT_CLAIM_TIMEOUT, DEFAULT_WAKE_REFRESH)
        for timeout, refresh in [shortened] + ([default] if defaults else []):
            f = await failover(url, root / f"failover-{timeout}", timeout, refresh)
            print(
                f"| CLAIM_TIMEOUT_SECONDS={timeout}, WAKE_REFRESH_SECONDS={refresh} | {f.held_by_dead} of {HELD} "
                f"| {f.next_reminder_s:.2f} s | {f.settled_s:.1f} s |",
                flush=True,
            )
    finally:
        pg.repo.close()


def _tinydb(data_dir: Path) -> Callable[[SandboxServer], AbstractAsyncContextManager[object]]:
    return lambda sandbox: tinydb_bot(sandbox, data_dir)


def _workers(
    url: str, folder: Path, count: int
) -> Callable[[SandboxServer], AbstractAsyncContextManager[object]]:
    return lambda sandbox: Workers(
        sandbox, url, folder, count, claim_timeout=DEFAULT_CLAIM_TIMEOUT, wake_refresh=DEFAULT_WAKE_REFRESH
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="1,000 plans, 5 s windows, failover shortened only"
    )
    parser.add_argument("--sizes", help="plan counts, comma-separated, ascending (default 10000,100000)")
    parser.add_argument("--seconds", type=float, help="length of each window (default 30)")
    parser.add_argument("--no-defaults", action="store_true", help="skip the failover with default settings")
    args = parser.parse_args()
    sizes: tuple[int, ...] = QUICK_SIZES if args.quick else SIZES
    if args.sizes:
        sizes = tuple(int(s) for s in args.sizes.split(","))
    seconds = args.seconds or (5.0 if args.quick else 30.0)
    bindir = find_bindir()
    if bindir is None:
        sys.exit(MISSING)
    if not NGINX.exists():
        sys.exit(NO_NGINX)
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(
        f"{PEOPLE} people, one update each every {PERIOD:g} s ({PEOPLE / PERIOD:g}/s offered); {seconds:g} s windows "
        "after 3 s of warm-up; plans: " + ", ".join(f"{n:,}" for n in sizes),
        flush=True,
    )
    cluster = Cluster(bindir)
    try:
        cluster.start(durable=True)
        with tempfile.TemporaryDirectory() as tmp:
            asyncio.run(run(sizes, seconds, not (args.quick or args.no_defaults), cluster.url(), Path(tmp)))
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
