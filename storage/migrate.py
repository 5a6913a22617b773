"""Move an install from files (DATA_DIR) to PostgreSQL, then check the copy.

    python -m storage.migrate --from DATA_DIR --to postgresql://user@host/db
    python -m storage.migrate --from DATA_DIR --to postgresql://... --check    (check again, copy nothing)

Stop the bot first: the file store is locked while a bot uses it, and this refuses to start until then.
Every plan is read through the file repository (old schemas upgraded, as the bot does) and saved through
the PostgreSQL one, then every chat link. The database must hold no plans yet. Then it checks: as many
plans and links in the database as copied, every plan read back equal to the one in DATA_DIR, every
link naming the same plan, the same plans waiting to wake. It prints a short report (plan ids and
counts, never their content) and exits 1 on any difference; DATA_DIR is left as it was (but a plan file
that cannot be read is set aside to DATA_DIR/quarantine/, as the bot would at start, and not copied).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from storage.postgres_repo import PostgresCaseRepository
from storage.repository import StorageError
from storage.tinydb_repo import TinyDBCaseRepository
from storage.wake_files import floor_seconds

SHOWN = 10  # ids named per kind of difference; the count says the rest


@dataclass
class Report:
    plans: int = 0
    links: int = 0
    set_aside: list[str] = field(default_factory=list)
    waiting: int = 0
    problems: list[str] = field(default_factory=list)

    def differ(self, what: str, ids: Sequence[object]) -> None:
        if ids:
            named = ", ".join(str(i) for i in ids[:SHOWN])
            more = f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else ""
            self.problems.append(f"{what} ({len(ids)}): {named}{more}")

    def print(self, out: TextIO, source: Path, copied: bool) -> None:
        print(f"{'Copied' if copied else 'Checked'} {source} -> PostgreSQL", file=out)
        print(f"  plans:      {self.plans}", file=out)
        print(f"  chat links: {self.links}", file=out)
        print(f"  waiting to wake: {self.waiting}", file=out)
        if self.set_aside:
            print(f"  set aside in DATA_DIR, not copied: {', '.join(self.set_aside)}", file=out)
        for problem in self.problems:
            print(f"  MISMATCH {problem}", file=out)
        print("OK: the database holds the same plans and links" if not self.problems else "FAILED", file=out)


def copy(source: TinyDBCaseRepository, target: PostgresCaseRepository) -> list[str]:
    """Every readable plan, then every link to a copied plan; the ids of plans set aside on the way."""
    held = target.count_cases()
    if held:
        raise StorageError(f"the database already holds {held} plans: copy into an empty one")
    for case_id in source.case_ids():
        case = source.load_case(case_id)
        if case is not None:  # None: unreadable, now set aside in DATA_DIR
            target.save_case(case)
    copied = set(target.case_ids())
    for chat_id, case_id in source.linked_chats():
        if case_id in copied:
            target.link_chat(chat_id, case_id)
    return source.quarantined()


def check(source: TinyDBCaseRepository, target: PostgresCaseRepository) -> Report:
    """Compare the database with DATA_DIR: counts, each plan decoded, links, the wake index."""
    report = Report()
    ids = source.case_ids()
    report.plans = target.count_cases()
    report.set_aside = source.quarantined()
    if report.plans != len(ids):
        report.problems.append(f"plans: {len(ids)} in DATA_DIR, {report.plans} in the database")
    there = set(target.case_ids())
    report.differ("plans missing from the database", sorted(set(ids) - there))
    report.differ("plans only in the database", sorted(there - set(ids)))
    unequal = []
    for case_id in sorted(set(ids) & there):
        mine = source.load_case(case_id)
        if mine is not None and target.load_case(case_id) != mine:
            unequal.append(case_id)
    report.differ("plans that differ", unequal)
    links = [(chat, case_id) for chat, case_id in source.linked_chats() if case_id in there]
    report.links = len(links)
    report.differ(
        "chat links that differ", [c for c, case_id in links if target.linked_case_id(c) != case_id]
    )
    # The file store keeps whole seconds: compare at that grain.
    files = {(i, floor_seconds(when)) for i, when in source.wake_index()}
    rows = {(i, floor_seconds(when)) for i, when in target.wake_index()}
    report.waiting = len(rows)
    report.differ("plans whose wake time differs", sorted({i for i, _ in files ^ rows}))
    return report


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="python -m storage.migrate", description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="source", type=Path, required=True, help="the bot's DATA_DIR")
    parser.add_argument("--to", dest="target", required=True, help="a postgresql:// URL (DATABASE_URL)")
    parser.add_argument("--check", action="store_true", help="only compare; copy nothing")
    args = parser.parse_args(argv)
    if not (args.source / "cases").is_dir():
        print(f"{args.source} holds no plans folder (cases/): is it the bot's DATA_DIR?", file=out)
        return 2
    try:
        with TinyDBCaseRepository(args.source) as source, PostgresCaseRepository(args.target) as target:
            if not args.check:
                copy(source, target)
            report = check(source, target)
    except StorageError as problem:
        print(f"Stopped: {problem}", file=out)
        return 2
    report.print(out, args.source, copied=not args.check)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
