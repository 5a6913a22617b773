"""Start-up with N plans on disk: how long until the bot is ready, and how much memory, without reading plans?

N plans (one owner each, a visit 20 days ahead, so 6 pending reminders each: week, two days, day and
two hours before, the day after, and an insurance check) are put in a DATA_DIR in the layout
TinyDBCaseRepository keeps: cases/, users/ and the wake index (wake/: one empty file per plan, named by
its next wake time). The first plan is built with the journey functions and saved by the repository; the
others are copies of its files with the ids changed, written directly without fsync (100,000 plans
through save_case would take about 5 minutes; a second plan saved by the repository is compared byte for
byte with its copy, so the files are what the repository writes). Building is timed and printed.

Then, each in a FRESH child process (`startup.py --child MODE DATA_DIR`, so nothing is cached in memory;
the page cache is warm, the files having just been written):

- ready: what the bot does before it polls: open the repository (one scan of wake/), build the
  application (wiring.build_application, dummy token) and Courier.rebuild(), which reads the wake index.
- baseline, the old way: the same, but instead of the wake index every plan is read
  (`for case_id in repo.case_ids(): repo.load_case(case_id)`), keeping each one's next wake time. The old
  desk also re-planned and re-saved changed plans, so this is a lower bound. With --baseline-cap N only
  the first N plans are read and the loop's time is scaled linearly (the full run reads all 100,000 in
  about 30 s, so it is not capped by default).

Time is from the parent starting the child (interpreter start-up and imports included) to ready, on the
system-wide monotonic clock; memory is the child's peak RSS (getrusage ru_maxrss).

    .venv/bin/python bench/startup.py [--plans N | --quick] [--baseline-cap N] [--dir PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from journey import appointments, reminders
from journey.cases import start_case
from journey.models import Case, ReminderStatus
from journey.wake import next_wake
from service.courier import Courier
from settings import Settings
from storage import TinyDBCaseRepository
from wiring import COURIER_KEY, build_application

ZONE = "America/Chicago"
FIRST_USER = 400_000_000  # nine digits: user ids of all copies have the same width
TARGET_READY = 2.0  # seconds
TARGET_RSS = 300.0  # MB


def case_id(n: int) -> str:
    return f"startup-{n:07d}"  # fixed width: a copy's files are the template's with the ids replaced


def build_case(n: int, now: datetime) -> Case:
    """As bench/reminders_burst.py::plan_cases: one owner, a visit, reminders planned."""
    case = start_case(case_id(n), FIRST_USER + n, now, ())
    case.members[0].settings.zone = ZONE
    appointments.add(case, "visit", now + timedelta(days=20), ZONE, now)
    reminders.replan(case, now)
    return case


# --- building the data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """The files the repository wrote for plan 0, as text, and the wake entry's name."""

    case: str
    user: str
    wake: str
    reminders: int

    def files(self, n: int) -> dict[str, str]:
        """Relative path -> content of plan n's files (the wake entry is empty)."""
        old_id, new_id = case_id(0), case_id(n)
        old_user, new_user = str(FIRST_USER), str(FIRST_USER + n)

        def swap(text: str) -> str:
            return text.replace(old_id, new_id).replace(old_user, new_user)

        return {
            f"cases/{new_id}.json": swap(self.case),
            f"users/u{new_user}.json": swap(self.user),
            f"wake/{swap(self.wake)}": "",
        }


def template(scratch: Path, now: datetime) -> Template:
    """Save plans 0 and 1 with the repository; check that plan 1's files are plan 0's with the ids changed."""
    repo = TinyDBCaseRepository(scratch)
    try:
        first = build_case(0, now)
        repo.save_case(first)
        repo.save_case(build_case(1, now))
    finally:
        repo.close()
    wake = sorted(p.name for p in (scratch / "wake").iterdir() if case_id(0) in p.name)
    assert len(wake) == 1, wake
    found = Template(
        (scratch / "cases" / f"{case_id(0)}.json").read_text(),
        (scratch / "users" / f"u{FIRST_USER}.json").read_text(),
        wake[0],
        sum(r.status is ReminderStatus.PENDING for r in first.reminders),
    )
    for path, text in found.files(1).items():
        written = (scratch / path).read_text()
        assert written == text, f"{path}: a copy would differ from what the repository writes"
    wrote = {str(p.relative_to(scratch)) for p in scratch.rglob("*") if p.is_file() and p.name != ".lock"}
    expected = {*found.files(0), *found.files(1), "wake/.built"}
    assert wrote == expected, f"the repository wrote other files too: {sorted(wrote - expected)}"
    return found


def write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def build(data_dir: Path, count: int) -> tuple[Template, float]:
    """N plans in data_dir; returns the template and the seconds it took."""
    started = time.perf_counter()
    now = datetime.now(UTC).replace(microsecond=0)
    scratch = data_dir.parent / "template"
    found = template(scratch, now)
    shutil.copytree(scratch, data_dir)  # plans 0 and 1, the wake marker, the folders with their modes
    (data_dir / ".lock").unlink()
    for n in range(2, count):
        for path, text in found.files(n).items():
            write_private(data_dir / path, text)
    shutil.rmtree(scratch)
    return found, time.perf_counter() - started


# --- the child: one start-up --------------------------------------------------------------------------


def child(mode: str, data_dir: Path, cap: int | None) -> dict[str, Any]:
    """One start-up in this (fresh) process; times are time.monotonic() readings, for the parent."""
    imported = time.monotonic()
    repo = TinyDBCaseRepository(data_dir)  # scans wake/ (and would rebuild it if it were incomplete)
    opened = time.monotonic()
    settings = Settings(
        "123456:startup-bench-token", "http://127.0.0.1:9", data_dir, "WARNING", ZoneInfo(ZONE)
    )
    app = build_application(settings, repo)
    courier: Courier = app.bot_data[COURIER_KEY]
    built = time.monotonic()
    read = 0
    if mode == "ready":
        waiting = courier.rebuild()
    else:  # the old way: read every plan, keep its next wake time
        wake: dict[str, datetime] = {}
        for name in repo.case_ids()[:cap]:
            case = repo.load_case(name)
            read += 1
            if case is not None and (at := next_wake(case)) is not None:
                wake[name] = at
        waiting = len(wake)
    ready = time.monotonic()
    repo.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    return {
        "imported": imported,
        "opened": opened,
        "built": built,
        "ready": ready,
        "waiting": waiting,
        "read": read,
        "rss_mb": rss,
    }


@dataclass(frozen=True)
class StartUp:
    """One child's start-up, in seconds from the parent's spawn."""

    total: float  # to ready
    python: float  # interpreter start-up and imports
    open: float  # opening the repository
    app: float  # build_application
    work: float  # Courier.rebuild(), or reading the plans
    waiting: int
    read: int
    rss_mb: float


def spawn(mode: str, data_dir: Path, cap: int | None) -> StartUp:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode, str(data_dir)]
    if cap is not None:
        command += ["--baseline-cap", str(cap)]
    spawned = time.monotonic()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    got = json.loads(done.stdout.strip().splitlines()[-1])
    return StartUp(
        got["ready"] - spawned,
        got["imported"] - spawned,
        got["opened"] - got["imported"],
        got["built"] - got["opened"],
        got["ready"] - got["built"],
        got["waiting"],
        got["read"],
        got["rss_mb"],
    )


def report(count: int, ready: StartUp, base: StartUp) -> None:
    scale = count / base.read if base.read else 1.0
    base_total = base.total - base.work + base.work * scale
    capped = base.read < count
    print(f"\nstart-up with {count:,} plans         wake index (now)      read every plan (baseline)")
    print(f"  plans read                    {0:>14,} {base.read:>24,}")
    print(f"  plans with work waiting       {ready.waiting:>14,} {base.waiting:>24,}")
    print(f"  python start-up and imports   {ready.python:>12.2f} s {base.python:>22.2f} s")
    print(f"  open the repository           {ready.open:>12.2f} s {base.open:>22.2f} s")
    print(f"  build_application             {ready.app:>12.2f} s {base.app:>22.2f} s")
    work = f"{base.work:.2f} s" + (f" (x{scale:g} = {base.work * scale:.1f} s)" if capped else "")
    print(f"  rebuild / read the plans      {ready.work:>12.2f} s {work:>24}")
    total = f"{base.total:.2f} s" + (f" -> {base_total:.1f} s" if capped else "")
    print(f"  process start to ready        {ready.total:>12.2f} s {total:>24}")
    print(f"  peak RSS                      {ready.rss_mb:>11.0f} MB {base.rss_mb:>21.0f} MB")
    if capped:
        print(f"  (baseline: the first {base.read:,} plans read, the loop's time scaled by {scale:g})")
    met = "met" if ready.total <= TARGET_READY else "NOT met"
    print(f"\nready: {ready.total:.2f} s (target <= {TARGET_READY:g} s: {met})")
    met = "met" if ready.rss_mb <= TARGET_RSS else "NOT met"
    print(f"peak RSS: {ready.rss_mb:.0f} MB (target <= {TARGET_RSS:g} MB: {met})")
    if ready.waiting != count:
        print(f"WARNING: the wake index lists {ready.waiting:,} plans, not {count:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, help="how many (default 100,000)")
    parser.add_argument("--quick", action="store_true", help="10,000 plans, the baseline reads them all")
    parser.add_argument("--baseline-cap", type=int, help="the baseline reads at most this many plans")
    parser.add_argument("--dir", type=Path, help="where to create the data (default: a temp dir)")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "DATA_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        mode, data_dir = args.child
        assert mode in ("ready", "baseline"), mode
        print(json.dumps(child(mode, Path(data_dir), args.baseline_cap)))
        return
    count = args.plans or (10_000 if args.quick else 100_000)
    cap = args.baseline_cap
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        data_dir = Path(tmp) / "data"
        found, took = build(data_dir, count)
        size = len(found.case.encode())
        print(
            f"built {count:,} plans ({found.reminders} pending reminders each, "
            f"{count * found.reminders:,} in all; plan files of {size:,} bytes) in {took:.1f} s",
            flush=True,
        )
        ready = spawn("ready", data_dir, None)
        base = spawn("baseline", data_dir, cap)
    report(count, ready, base)


if __name__ == "__main__":
    main()
