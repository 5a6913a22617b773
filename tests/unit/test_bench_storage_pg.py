"""bench/storage_pg.py --quick runs to the end and reports every measure for both stores (never timings)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.postgres_cluster import find_bindir, require

ROOT = Path(__file__).resolve().parents[2]
MEASURES = [
    "filled in (not a cost: see above)",
    "load_case median",
    "load_case p99",
    "save_case median",
    "save_case p99",
    "unit of work median",
    "unit of work p99",
    "units/s, 1 at once",
    "unit p99, 1 at once",
    "units/s, 4 at once",
    "unit p99, 4 at once",
    "units/s, 16 at once",
    "unit p99, 16 at once",
    "wake_index() read",
]


@pytest.mark.timeout(120)
def test_quick_mode_reports_both_stores_with_every_plan_in_the_wake_index() -> None:
    require(find_bindir(), os.environ)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "storage_pg.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "fsync=on, synchronous_commit=on" in done.stdout
    table = [line.split(" | ") for line in done.stdout.splitlines() if line.startswith("| 1,000 |")]
    assert [cells[1] for cells in table] == MEASURES
    assert all(len(cells) == 4 for cells in table)
    # Every plan filled in has a wake time, and both stores' wake index lists all 1,000 of them.
    wake = table[-1]
    assert wake[2].endswith("(1,000)") and wake[3].endswith("(1,000) |"), wake
