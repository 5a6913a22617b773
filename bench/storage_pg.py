"""PostgreSQL storage beside TinyDB, one process: save, load, a unit of work, and units a second.

For each size N (10,000 and 100,000 plans; --quick: 1,000), each store is filled with N realistic plans
(bench/storage_save.py's ~3 KB case with every step filled in, each with its own three members, and its
reminders planned, so every plan has a wake time) and then measured in the same run:

- save_case and load_case of a random plan: median and p99;
- one unit of work through `service.work.Plans.run`, as the bot runs it for a person's change: load the
  plan, decide a small change (the owner edits the diagnosis), load it again to check the change was
  theirs to make, re-plan reminders, save once: median and p99;
- units of work a second, and their p99, with 1, 4 and 16 plans changed at once in one process (one
  asyncio task per plan, each running unit after unit with no pause, for a fixed window);
- one `wake_index()` read (what start-up reads): the median of 3.

Durability is the same on both sides: TinyDBCaseRepository fsyncs every write, and PostgreSQL runs with
fsync=on and synchronous_commit=on (its defaults; the test cluster turns them off), so every commit waits
for its WAL flush. The cluster is a throwaway one from Debian's package (tests/postgres_cluster.py, on a
unix socket, with PostgreSQL's default settings otherwise: shared_buffers 128 MB), unless --database-url
names one (its tables are created there, and this run's plans are deleted after).

Filling is not measured as a store's cost. TinyDB is filled through save_case with os.fsync made a no-op
for the filling only (the same files, not flushed one by one; measuring starts after a sync). PostgreSQL is
filled by one COPY of the repository's own row format (storage.pg_rows.encode: the body the repository
writes, its version 1, its member ids and next wake time), and one plan is then loaded back through the
repository to check the rows are what it reads.

    .venv/bin/python bench/storage_pg.py [--quick] [--sizes N,N] [--seconds S] [--database-url URL]
        [--dir PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from psycopg.types.json import Jsonb

from journey import reminders
from journey.models import Case, RecordsStep
from journey.wake import next_wake
from service.work import Plans, Work
from storage import CaseRepository, TinyDBCaseRepository
from storage.pg_rows import encode
from storage.postgres_repo import PostgresCaseRepository
from tests.postgres_cluster import MISSING, Cluster, find_bindir
from tests.unit.storage_helpers import full_case

SIZES = (10_000, 100_000)
QUICK_SIZES = (1_000,)
CONCURRENCY = (1, 4, 16)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # the units' clock: fixed, so every run re-plans the same
FIRST_USER = 500_000_000  # plan n's members are FIRST_USER + 3n, + 1 and + 2: no two plans share a person


def case_id(n: int) -> str:
    return f"bench_{n:07d}"


def owner(n: int) -> int:
    return FIRST_USER + 3 * n


def sample_case(n: int) -> Case:
    """bench/storage_save.py's realistic case (~3 KB of JSON), with its own members, reminders planned."""
    case = full_case(case_id(n))
    case.records = RecordsStep()
    for k, member in enumerate(case.members):
        member.user_id = owner(n) + k
    reminders.replan(case, NOW)
    return case


# --- the two stores -------------------------------------------------------------------------------------


@dataclass
class Store:
    name: str
    repo: CaseRepository
    fill: Callable[[int, int], None]  # plans [have, want) into the store
    ids: list[str] = field(default_factory=list)


@contextmanager
def no_fsync() -> Iterator[None]:
    """os.fsync does nothing inside (for filling only); the page cache is flushed once at the end."""
    with mock.patch("os.fsync", lambda fd: None):
        yield
    os.sync()


def tinydb_store(data_dir: Path, make: Callable[[int], Case] = sample_case) -> Store:
    repo = TinyDBCaseRepository(data_dir)

    def fill(have: int, want: int) -> None:
        with no_fsync():
            for n in range(have, want):
                repo.save_case(make(n))

    return Store("TinyDB", repo, fill)


def postgres_store(url: str, make: Callable[[int], Case] = sample_case) -> Store:
    repo = PostgresCaseRepository(url)

    def fill(have: int, want: int) -> None:
        with psycopg.connect(url) as conn, conn.cursor() as cur:
            with cur.copy("COPY plans (id, version, body, member_ids, wake_at) FROM STDIN") as copy:
                for n in range(have, want):
                    case = make(n)
                    members = sorted({m.user_id for m in case.members})
                    copy.write_row((case.id, 1, Jsonb(encode(case)), members, next_wake(case)))
            cur.execute("ANALYZE plans")
        # The rows are what the repository reads: the last one loads back as the plan it was made from.
        loaded = repo.load_case(case_id(want - 1))
        assert loaded is not None and encode(loaded) == encode(make(want - 1)), "COPY rows unreadable"

    return Store("PostgreSQL", repo, fill)


# --- measuring ------------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


@dataclass
class Figures:
    fill_s: float = 0.0
    load: list[float] = field(default_factory=list)  # milliseconds
    save: list[float] = field(default_factory=list)
    unit: list[float] = field(default_factory=list)
    rate: dict[int, tuple[float, list[float]]] = field(default_factory=dict)  # at once -> units/s, ms
    wake_ms: float = 0.0
    wake_entries: int = 0


def time_ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def edit(work: Work) -> None:
    """A small change a person makes: the owner edits the diagnosis."""
    assert work.case is not None, "the plan is missing"
    work.case.profile.diagnosis = f"stage II, edit {time.perf_counter_ns() % 1000}"
    work.save()


async def one_unit(plans: Plans, n: int, update_id: int) -> float:
    start = time.perf_counter()
    await plans.run(case_id(n), edit, actor=owner(n), chat_id=owner(n), update_id=update_id)
    return (time.perf_counter() - start) * 1000


async def units_at_once(plans: Plans, picked: list[int], seconds: float) -> tuple[float, list[float]]:
    """Each picked plan changed unit after unit, all at once, for `seconds`: units a second and latencies."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def loop(n: int) -> None:
        update_id = 1
        while time.perf_counter() < stop:
            latencies.append(await one_unit(plans, n, update_id))
            update_id += 1

    start = time.perf_counter()
    await asyncio.gather(*(loop(n) for n in picked))
    return len(latencies) / (time.perf_counter() - start), latencies


def measure(store: Store, size: int, reps: int, seconds: float, rng: random.Random) -> Figures:
    figures = Figures()
    repo = store.repo
    picks = [rng.randrange(size) for _ in range(reps)]
    repo.load_case(case_id(picks[0]))  # warm-up
    figures.load = [time_ms(partial(repo.load_case, case_id(n))) for n in picks]
    for n in picks:
        case = repo.load_case(case_id(n))
        assert case is not None
        case.profile.diagnosis = f"stage II, save {n}"
        figures.save.append(time_ms(partial(repo.save_case, case)))
    plans = Plans(repo, lambda: NOW)
    figures.unit = [asyncio.run(one_unit(plans, n, k)) for k, n in enumerate(picks, start=1)]
    for at_once in CONCURRENCY:
        picked = rng.sample(range(size), at_once)
        figures.rate[at_once] = asyncio.run(units_at_once(plans, picked, seconds))
    wake = [time_ms(repo.wake_index) for _ in range(3)]
    figures.wake_ms = percentile(wake, 50)
    figures.wake_entries = len(repo.wake_index())
    return figures


# --- report ---------------------------------------------------------------------------------------------


def ms(value: float) -> str:
    return f"{value:,.1f} ms" if value >= 10 else f"{value:,.2f} ms"


def _load(f: Figures) -> list[float]:
    return f.load


def _save(f: Figures) -> list[float]:
    return f.save


def _unit(f: Figures) -> list[float]:
    return f.unit


def rows(size: int, base: Figures, pg: Figures) -> list[tuple[str, str, str, str]]:
    def pair(name: str, values: Callable[[Figures], list[float]]) -> list[tuple[str, str, str]]:
        return [
            (f"{name} median", ms(percentile(values(base), 50)), ms(percentile(values(pg), 50))),
            (f"{name} p99", ms(percentile(values(base), 99)), ms(percentile(values(pg), 99))),
        ]

    out = [("filled in (not a cost: see above)", f"{base.fill_s:,.0f} s", f"{pg.fill_s:,.0f} s")]
    out += pair("load_case", _load) + pair("save_case", _save) + pair("unit of work", _unit)
    for at_once in CONCURRENCY:
        (b_rate, b_lat), (p_rate, p_lat) = base.rate[at_once], pg.rate[at_once]
        out.append((f"units/s, {at_once} at once", f"{b_rate:,.0f}", f"{p_rate:,.0f}"))
        out.append((f"unit p99, {at_once} at once", ms(percentile(b_lat, 99)), ms(percentile(p_lat, 99))))
    out.append(
        (
            "wake_index() read",
            f"{ms(base.wake_ms)} ({base.wake_entries:,})",
            f"{ms(pg.wake_ms)} ({pg.wake_entries:,})",
        )
    )
    return [(f"{size:,}", *row) for row in out]


def run(sizes: tuple[int, ...], reps: int, seconds: float, url: str, root: Path) -> None:
    stores = [tinydb_store(root / "data"), postgres_store(url)]
    try:
        print("| plans | measure | TinyDB (files, fsync) | PostgreSQL (fsync on) |")
        print("|---:|---|---:|---:|")
        have = 0
        rng = random.Random(16)
        for size in sizes:
            results = []
            for store in stores:
                started = time.perf_counter()
                store.fill(have, size)
                filled = time.perf_counter() - started
                figures = measure(store, size, reps, seconds, rng)
                figures.fill_s = filled
                results.append(figures)
            have = size
            for row in rows(size, *results):
                print("| " + " | ".join(row) + " |", flush=True)
    finally:
        for store in stores:
            store.repo.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 plans, 30 repetitions, 0.5 s windows")
    parser.add_argument("--sizes", help="plan counts, comma-separated, ascending (default 10000,100000)")
    parser.add_argument("--seconds", type=float, help="length of each units-a-second window (default 5)")
    parser.add_argument("--database-url", help="an existing PostgreSQL (default: a throwaway cluster)")
    parser.add_argument("--dir", type=Path, help="where to put TinyDB's data (default: a temp dir)")
    args = parser.parse_args()
    sizes: tuple[int, ...] = QUICK_SIZES if args.quick else SIZES
    if args.sizes:
        sizes = tuple(int(s) for s in args.sizes.split(","))
    reps = 30 if args.quick else 300
    seconds = args.seconds or (0.5 if args.quick else 5.0)

    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(
        f"{reps} loads, saves and units per cell; {seconds:g} s windows for units a second; plans: "
        + ", ".join(f"{n:,}" for n in sizes),
        flush=True,
    )
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        if args.database_url:
            print("PostgreSQL: the one in --database-url (its own settings)", flush=True)
            try:
                run(sizes, reps, seconds, args.database_url, Path(tmp))
            finally:
                with psycopg.connect(args.database_url) as conn:
                    conn.execute("DELETE FROM plans WHERE id LIKE 'bench\\_%'")
            return
        bindir = find_bindir()
        if bindir is None:
            sys.exit(MISSING + " (or pass --database-url)")
        cluster = Cluster(bindir)
        try:
            cluster.start(durable=True)
            with psycopg.connect(cluster.url()) as conn:
                version = conn.execute("SHOW server_version").fetchone()
                fsync = conn.execute("SHOW fsync").fetchone()
                commit = conn.execute("SHOW synchronous_commit").fetchone()
            print(
                f"PostgreSQL {version and version[0]}: a throwaway cluster on a unix socket, "
                f"fsync={fsync and fsync[0]}, synchronous_commit={commit and commit[0]}",
                flush=True,
            )
            run(sizes, reps, seconds, cluster.url(), Path(tmp))
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
