"""bench/workers.py --quick runs to the end and reports every bot and the failover (never timings)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.postgres_cluster import find_bindir, require
from tests.workers import require_nginx

ROOT = Path(__file__).resolve().parents[2]
BOTS = [
    "TinyDB, 1 process (polling)",
    "PostgreSQL, 1 worker (webhook, nginx)",
    "PostgreSQL, 3 workers (webhook, nginx)",
]


@pytest.mark.timeout(240)
def test_quick_mode_answers_every_update_with_each_bot_and_reports_the_failover() -> None:
    require(find_bindir(), os.environ)
    require_nginx(os.environ)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "workers.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=230,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line.split(" | ") for line in done.stdout.splitlines() if line.startswith("| 1,000 |")]
    assert [cells[1] for cells in rows[:3]] == BOTS
    # Every update the people sent got its reply: nothing lost, whichever bot answered.
    assert all(cells[-1] == "0 |" for cells in rows), rows
    failover = [line for line in done.stdout.splitlines() if line.startswith("| CLAIM_TIMEOUT_SECONDS=5")]
    assert len(failover) == 1 and " of 10 |" in failover[0], done.stdout
