"""What one unit of work costs in CPU, step by step, on a realistic plan: load, render, re-plan, save.

Next to each step, a baseline measured in the same run: reading the same file with `json.loads` alone
(the least any load can cost) and a `copy.deepcopy` of the plan (what the unit of work no longer does
on updates that only look).

    .venv/bin/python bench/unit_cost.py [--quick]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.menu import screens as menu
from handlers.plumbing.turn import Services, Turn
from journey import reminders
from storage import TinyDBCaseRepository
from templates import Words
from tests.unit.storage_helpers import full_case

CASE_ID = "case_bench_01"


def timed(action: Callable[[], object], reps: int) -> float:
    """Milliseconds per call, after one warm-up call."""
    action()
    start = time.perf_counter()
    for _ in range(reps):
        action()
    return (time.perf_counter() - start) / reps * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (about 2 s)")
    reps = 100 if parser.parse_args().quick else 1000
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    with tempfile.TemporaryDirectory() as tmp, TinyDBCaseRepository(Path(tmp) / "data") as repo:
        repo.save_case(full_case(CASE_ID))
        case = repo.load_case(CASE_ID)
        assert case is not None
        path = Path(tmp) / "data" / "cases" / f"{CASE_ID}.json"
        services = Services(repo, Words(), lambda: datetime.now(UTC), ZoneInfo("UTC"))
        now = datetime.now(UTC)
        rows = [
            ("baseline: json.loads of the plan file", timed(lambda: json.loads(path.read_bytes()), reps)),
            ("load_case (read, upgrade, decode)", timed(lambda: repo.load_case(CASE_ID), reps)),
            ("baseline: copy.deepcopy of the plan", timed(lambda: copy.deepcopy(case), reps)),
            ("render the menu", timed(lambda: menu.show_menu(Turn(services, case, 42, now, "x")), reps)),
            ("re-plan reminders", timed(lambda: reminders.replan(case, now), reps)),
            ("save_case (atomic write, fsync)", timed(lambda: repo.save_case(case), max(10, reps // 10))),
        ]
    for name, ms in rows:
        print(f"  {name:42s} {ms:7.2f} ms")


if __name__ == "__main__":
    main()
