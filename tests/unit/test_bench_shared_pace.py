"""bench/shared_pace.py --quick runs to the end and reports every measure for both limiters (never timings);
with the shared pace every message arrives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.postgres_cluster import find_bindir, require

ROOT = Path(__file__).resolve().parents[2]
MEASURES = ["messages sent", "delivered", "given up", "429s from the sandbox", "wall time", "messages/s"]


@pytest.mark.timeout(120)
def test_quick_mode_reports_both_limiters_and_the_shared_one_delivers_everything() -> None:
    require(find_bindir(), os.environ)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "shared_pace.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| 2 workers | limiter per worker | shared (PostgreSQL) |" in done.stdout
    rows = {
        cells[1]: cells[2:4]
        for line in done.stdout.splitlines()
        if len(cells := [c.strip() for c in line.split("|")]) == 5 and cells[1] in MEASURES
    }
    assert list(rows) == MEASURES
    assert rows["messages sent"] == ["48", "48"]
    assert rows["delivered"][1] == "48" and rows["given up"][1] == "0"
