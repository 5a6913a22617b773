"""A new version rolled out one worker at a time (README, "A new version, with no update lost"): three
workers behind nginx on one PostgreSQL; while people keep typing, each worker in turn gets SIGTERM, finishes
what it holds, exits and starts again. No update is lost or handled twice, and every chat's replies keep
their order.

Runs where PostgreSQL and nginx are installed (always in CI; tests/postgres_cluster.py, tests/workers.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import psycopg
import pytest

from storage import pg_schema
from tests.e2e.test_workers import REPEATS, WITHIN, Phases, owner
from tests.workers import HeldSends, Workers, held_sends

PEOPLE = 10


@pytest.fixture
async def sandbox() -> AsyncIterator[HeldSends]:
    async with held_sends(WITHIN) as server:
        yield server


async def test_rolling_every_worker_loses_no_update(sandbox: HeldSends, tmp_path: Path, pg_url: str) -> None:
    REPEATS.clear()
    with psycopg.connect(pg_url) as conn:
        pg_schema.apply(conn)  # as the first worker would; the workers find it done
    async with Workers(sandbox, pg_url, tmp_path / "workers") as workers:
        phases = Phases()  # "killed" here means: the roll is over (each person types one more burst)
        people = asyncio.gather(*(owner(sandbox, n, phases, None) for n in range(PEOPLE)))
        try:
            await asyncio.sleep(3)  # everyone is mid-journey
            codes = [await workers.restart(i) for i in range(len(workers.workers))]
        finally:
            phases.killed.set()
        await people  # every step of every person answered, each burst in order
        logs = [workers.log(i) for i in range(len(workers.workers))]
        passes = [line for line in workers.access_log() if line.startswith("POST /telegram")]

    assert codes == [0, 0, 0]  # each stopped cleanly when asked
    assert all(log.count("stopping: no new updates") == 1 for log in logs)
    assert REPEATS == []  # a worker that is stopped finishes its updates: none is handled twice
    assert sandbox.state.updates.pending_count == 0
    with psycopg.connect(pg_url) as conn:
        waiting = conn.execute("SELECT count(*) FROM inbox WHERE handled_at IS NULL").fetchone()
        handled = conn.execute("SELECT count(*) FROM inbox").fetchone()
    assert waiting == (0,) and handled is not None and handled[0] > PEOPLE * 6
    # nginx answered every update 200 (one sent to a worker that was stopping went on to another).
    assert passes and all(line.split()[3] == "200" for line in passes), [
        p for p in passes if " 200 " not in p
    ]
    assert all("Traceback" not in log and " ERROR " not in log for log in logs), logs
    moved = sum(1 for line in passes if ", " in line)  # tried on a stopping worker, then on another
    print(f"\n{PEOPLE} people, {handled[0]} updates, 3 workers rolled one by one, {moved} moved by nginx")
