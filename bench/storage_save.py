"""How long does saving one case take when N cases already exist?

Compares TinyDBCaseRepository (one small file per case, atomic replace) with a baseline measured in the
same run: every case as a document in ONE TinyDB JSONStorage file (what TinyDB does out of the box).

    .venv/bin/python bench/storage_save.py [--quick] [--dir PATH]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tinydb import TinyDB

from journey.models import Case, RecordsStep
from storage import CURRENT_SCHEMA, TinyDBCaseRepository, case_to_dict
from tests.unit.storage_helpers import full_case

# A baseline save slower than this is not measured at larger N (it only gets slower).
BASELINE_BUDGET_S = 1.5


def sample_case(n: int) -> Case:
    """A realistic case (~3 KB of JSON): every step filled in, the full records checklist."""
    case = full_case(f"case_{n:06d}")
    case.records = RecordsStep()
    return case


def timed(action: Callable[[int], None], reps: int) -> list[float]:
    action(-1)  # warm-up: first write creates files, fills caches
    samples = []
    for rep in range(reps):
        start = time.perf_counter()
        action(rep)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> tuple[float, float]:
    p95 = statistics.quantiles(samples, n=20, method="inclusive")[18]
    return statistics.median(samples), p95


def grow_repository(repo: TinyDBCaseRepository, have: int, want: int) -> None:
    for n in range(have, want):
        repo.save_case(sample_case(n))


def bench_repository(repo: TinyDBCaseRepository, reps: int) -> list[float]:
    case = sample_case(0)

    def save(rep: int) -> None:
        case.profile.diagnosis = f"edit {rep}"
        repo.save_case(case)

    return timed(save, reps)


def bench_one_file(path: Path, count: int, reps: int) -> list[float]:
    """The same save against one JSONStorage file holding `count` cases."""
    docs = [{"schema": CURRENT_SCHEMA, **case_to_dict(sample_case(n))} for n in range(count)]
    path.unlink(missing_ok=True)
    # One long-lived TinyDB, as a bot on a single file would keep it; it still reads and rewrites the
    # whole file on every update (no CachingMiddleware: that loses writes on a crash).
    with TinyDB(path) as db:
        table = db.table("cases")
        table.insert_multiple(docs)
        doc = docs[0]

        def save(rep: int) -> None:
            doc["profile"]["diagnosis"] = f"edit {rep}"

            def replace(stored: MutableMapping[str, Any]) -> None:
                stored.clear()
                stored.update(doc)

            table.update(replace, doc_ids=[1])

        return timed(save, reps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N up to 1,000 and fewer repetitions")
    parser.add_argument("--dir", type=Path, help="where to create the data (default: a temp dir)")
    args = parser.parse_args()
    sizes = (100, 1000) if args.quick else (100, 1000, 10000)
    reps, baseline_reps = (50, 10) if args.quick else (200, 20)

    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"save_case of one ~3 KB case; {reps} saves per cell ({baseline_reps} for the baseline)\n")
    print("| cases | per-case files: median | p95 | one JSONStorage file: median | p95 |")
    print("|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        root = Path(tmp)
        repo = TinyDBCaseRepository(root / "data")
        have = 0
        baseline_on = True
        notes = []
        for size in sizes:
            grow_repository(repo, have, size)
            have = size
            ours = summary(bench_repository(repo, reps))
            cells = [f"{size:,}", f"{ours[0]:.2f} ms", f"{ours[1]:.2f} ms"]
            if baseline_on:
                base = summary(bench_one_file(root / "all.json", size, baseline_reps))
                cells += [f"{base[0]:.2f} ms", f"{base[1]:.2f} ms"]
                baseline_on = base[0] / 1000 <= BASELINE_BUDGET_S
            else:
                cells += ["skipped", "skipped"]
                notes.append(f"baseline skipped at {size:,}: over {BASELINE_BUDGET_S} s a save before")
            print("| " + " | ".join(cells) + " |", flush=True)
        repo.close()
    for note in notes:
        print(f"\nnote: {note}")


if __name__ == "__main__":
    main()
