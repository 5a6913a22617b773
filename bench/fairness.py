"""One chat flooding the bot: are the other chats still answered as quickly as without the flood?

The real application (wiring.build_application with the production rate limiter, rate_limiter(): 30
messages a second overall, edits included; new messages to a private chat 3 per 4 s; 429s retried) polls
the sandbox over loopback, with TinyDB storage in a temp dir. N simulated people each /start and answer
the onboarding questions, then for a fixed window run a seeded loop of what people do, with 1-3 s of
thinking between steps: /menu; /progress; /menu, tap "Gather records", tap a record; /questions, tap
"Add my own", type a question. A step's latency is the time from the person's message or tap to the last
message the bot sent or edited for it (the sandbox's event times: the driver's own waiting, such as its
quiet period, is not counted).

The same window runs twice on the same bot, with the same seeds, after everyone (and one more chat) has
onboarded: first without a flood (the baseline), then while that one more chat sends 50 plain messages
as fast as it can at the start of the window. The bot keeps at most 8 plain messages of one chat waiting
(handlers/plumbing/lanes.py), drops the oldest beyond that, and tells that chat once how many it skipped.
Before each window a full garbage collection runs and what survives is frozen (gc.freeze()): otherwise
the one full collection of everything the sandbox, the bot and the drivers hold (a 70 ms pause for
every chat at --quick size) lands in one window only and decides its p99. Full collections inside each
window are reported.

The sandbox has no limits by default: the bot's own limiter keeps it to Telegram's pace. --telegram-limits
makes the sandbox enforce sandbox.limits.RateLimits() too, which counts edits against the per-chat limit
while the bot's limiter does not: the onboarding, with no thinking time, then meets many 429s, and with
200 people the bot locks itself out (docs/benchmarks.md says how).

200 people thinking 1-3 s ask for more replies than the 30-a-second overall limit allows, so the full run
measures the bot at that ceiling: latency is then the limiter's queue (the figures show the send rate
next to the ceiling). The run still takes under 2 minutes, so 200 stays the default; --users 50 stays
below the ceiling.

    .venv/bin/python bench/fairness.py [--users N] [--seconds S | --quick] [--seed N] [--telegram-limits]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import platform
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram.ext import Application

from sandbox import SandboxServer, SandboxUser
from sandbox.client import Reply
from sandbox.events import REFUSED, RESPONSE_KINDS, SENT
from sandbox.limits import RateLimits
from settings import Settings
from storage import TinyDBCaseRepository
from wiring import build_application, polling, rate_limiter

FIRST_USER = 30_000_000
FLOODER = FIRST_USER - 1
FLOOD = 50  # plain messages the flooding chat sends at once
TARGET = 1.5  # p99 with the flood / p99 without it, at most
THINK = (1.0, 3.0)  # seconds a person waits between two steps
WITHIN = 60.0  # a step not answered by then counts as missing
SETTLE = 3.0  # before each window: per-chat buckets (3 sends per 4 s) mostly refill
NOTICE = "You sent many messages at once"
NOT_WAITING = "wasn't waiting for a typed answer"
CEILING = RateLimits().overall_per_second


class Missing(Exception):
    """A step the bot did not answer in time, or a screen without the button the step wanted."""


# --- what people do -----------------------------------------------------------------------------------

Step = tuple[str, Callable[[SandboxUser, random.Random], Awaitable[Reply]]]


async def _send(user: SandboxUser, text: str) -> Reply:
    return await user.send(text, within=WITHIN)


async def _tap(user: SandboxUser, label: str) -> Reply:
    if not any(label in b for b in user.buttons()):
        raise Missing(f"no {label!r} button")
    return await user.tap(label, within=WITHIN)


async def _tap_record(user: SandboxUser, rng: random.Random) -> Reply:
    records = [b for b in user.buttons() if not b.startswith(("🏠", "\u2039"))]
    if not records:
        raise Missing("no record buttons")
    return await user.tap(rng.choice(records), within=WITHIN)


async def _type_question(user: SandboxUser, rng: random.Random) -> Reply:
    return await _send(user, f"Can I wait {rng.randint(2, 12)} weeks before I start treatment?")


SCENARIOS: tuple[tuple[Step, ...], ...] = (
    (("/menu", lambda u, r: _send(u, "/menu")),),
    (("/progress", lambda u, r: _send(u, "/progress")),),
    (
        ("/menu", lambda u, r: _send(u, "/menu")),
        ("tap", lambda u, r: _tap(u, "Gather records")),
        ("tap", _tap_record),
    ),
    (
        ("/questions", lambda u, r: _send(u, "/questions")),
        ("tap", lambda u, r: _tap(u, "Add my own")),
        ("typed", _type_question),
    ),
)


async def onboard(user: SandboxUser, name: str) -> str | None:
    """As tests/e2e/test_journey.py::onboard: /start, a name, a diagnosis, a reason, not urgent.

    Returns None, or what went wrong: the step and the bot's last message then (the bot's words only).
    """
    steps: list[tuple[str, Callable[[], Awaitable[Reply]]]] = [
        ("/start", lambda: user.send("/start", within=WITHIN)),
        ("the name", lambda: user.send(name, within=WITHIN)),
        ("the diagnosis", lambda: user.send("Stage 2 breast cancer", within=WITHIN)),
        ("a reason", lambda: user.tap("Rare or unclear diagnosis", within=WITHIN)),
        ("Done", lambda: user.tap("Done", within=WITHIN)),
        ("not urgent", lambda: user.tap("No", within=WITHIN)),
    ]
    for label, step in steps:
        try:
            await step()
        except AssertionError:
            last = user.last_text().splitlines()[0][:70] if user.bot_messages() else "(nothing)"
            return f"at {label}, the bot's last message: {last!r}"
    return None


# --- measuring ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    kind: str
    latency: float  # seconds from the action to the bot's last message or edit for it
    at: float  # when the action was taken (time.monotonic())


@dataclass
class FloodReport:
    sent: int
    answered: int  # "I wasn't waiting for a typed answer" replies
    first_answer: float | None  # seconds after the flood began
    last_answer: float | None
    notices: list[tuple[float, str]]  # (seconds after the flood began, text)


@dataclass
class Phase:
    name: str
    samples: list[Sample] = field(default_factory=list)
    missing: Counter[str] = field(default_factory=Counter)
    began: float = 0.0  # time.monotonic() at the window's start
    window: float = 0.0  # seconds from the window's start to the last step's end
    sends: int = 0  # messages and edits the sandbox accepted in the window
    too_many: int = 0  # 429s the sandbox answered in the window
    cpu: float = 0.0  # process CPU seconds in the window
    flood: FloodReport | None = None
    logged: Counter[str] = field(default_factory=Counter)
    gc: list[float] = field(default_factory=list)  # full collections in the window, seconds each


async def timed(user: SandboxUser, rng: random.Random, step: Step) -> Sample:
    kind, act = step
    started = time.monotonic()
    try:
        reply = await act(user, rng)
    except AssertionError as error:  # SandboxUser: no reply within WITHIN seconds
        raise Missing(str(error).splitlines()[0]) from None
    answered = [e.at for e in reply.events if e.kind in RESPONSE_KINDS]
    if not answered:
        raise Missing(f"{kind}: no message sent or edited")
    return Sample(kind, max(answered) - started, started)


async def play(user: SandboxUser, rng: random.Random, until: float, phase: Phase) -> None:
    """One person's loop until the window closes; a step started before it closes is waited for."""
    await asyncio.sleep(rng.uniform(0, THINK[1]))  # people do not all start in the same millisecond
    while True:
        for step in rng.choice(SCENARIOS):
            if time.monotonic() >= until:
                return
            try:
                phase.samples.append(await timed(user, rng, step))
            except Missing as why:
                phase.missing[str(why)[:80]] += 1
                break  # the rest of the scenario needs this step's screen
            finally:
                await asyncio.sleep(min(rng.uniform(*THINK), max(0.0, until - time.monotonic())))


def flood_report(flooder: SandboxUser, began: float, seq: int) -> FloodReport:
    answered: list[float] = []
    notices: list[tuple[float, str]] = []
    for event in flooder.log():
        if event.seq <= seq or event.kind != SENT:
            continue
        record = flooder.chat.messages.get(event.message_id or 0)
        text = str(record.snapshot().get("text", "")) if record is not None else ""
        if NOTICE in text:
            notices.append((event.at - began, text))
        elif NOT_WAITING in text:
            answered.append(event.at - began)
    return FloodReport(
        FLOOD, len(answered), min(answered, default=None), max(answered, default=None), notices
    )


class CountLogs(logging.Handler):
    """Counts the bot's log lines at WARNING and above (and the lanes' drops), by logger and format."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seen: Counter[str] = Counter()
        self.lanes = ""  # the logger of the bot's lane processor (its module), whose drops are INFO

    def watch_lanes(self, app: Application) -> None:  # type: ignore[type-arg]
        self.lanes = type(app.update_processor).__module__
        logging.getLogger(self.lanes).setLevel(logging.INFO)

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING or record.name == self.lanes:
            self.seen[f"{record.levelname} {record.name}: {record.msg}"] += 1


LOGS = CountLogs()


class FullCollections:
    """How long each full garbage collection (generation 2) took: a pause for every chat at once."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._started = 0.0
        gc.callbacks.append(self._note)

    def _note(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif info["generation"] == 2:
            self.pauses.append(time.perf_counter() - self._started)


GC = FullCollections()


# --- the bot, and the two windows on it ---------------------------------------------------------------


@asynccontextmanager
async def running_bot(server: SandboxServer, data_dir: Path) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """As tests/e2e/harness.running_bot, but with the production rate limiter and the real clock."""
    repo = TinyDBCaseRepository(data_dir)
    settings = Settings(server.token, server.url, data_dir, "WARNING", ZoneInfo("America/Chicago"))
    app = build_application(settings, repo, limiter=rate_limiter())
    LOGS.watch_lanes(app)
    try:
        async with polling(app):
            yield app
    finally:
        repo.close()


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def window(
    name: str,
    server: SandboxServer,
    people: list[SandboxUser],
    seconds: float,
    seed: int,
    flooder: SandboxUser | None,
) -> Phase:
    """One measured window: every person runs their loop (the same seeds every time), with or without
    the flooding chat sending its messages at the start."""
    phase = Phase(name)
    # The same start for both windows: without this, the one full collection of everything the
    # sandbox, the bot and the drivers hold (70 ms at --quick size) lands in one window only.
    gc.collect()
    gc.freeze()
    logged, pauses = LOGS.seen.copy(), len(GC.pauses)
    cpu, seq = cpu_seconds(), server.state.next_seq()
    began = phase.began = time.monotonic()
    try:
        if flooder is not None:
            for n in range(FLOOD):
                flooder.send_nowait(f"note {n}: and one more thing I forgot to say")
        rngs = [random.Random(seed * 1_000_003 + n) for n in range(len(people))]
        until = began + seconds
        await asyncio.gather(*(play(p, r, until, phase) for p, r in zip(people, rngs, strict=True)))
        phase.window = time.monotonic() - began
        phase.sends, phase.too_many = bot_calls(server, seq)
        phase.cpu = cpu_seconds() - cpu
        phase.gc = GC.pauses[pauses:]
        if flooder is not None:
            # The notice comes once the flooding chat's lane is idle; wait for it (bounded).
            for _ in range(int(2 * WITHIN)):
                if flood_report(flooder, began, seq).notices:
                    break
                await asyncio.sleep(0.5)
            await asyncio.sleep(0.5)  # and whatever comes right after it
            phase.flood = flood_report(flooder, began, seq)
    finally:
        phase.logged = LOGS.seen - logged
    return phase


def bot_calls(server: SandboxServer, since: int) -> tuple[int, int]:
    """Messages sent or edited, and 429 refusals, in every chat after event `since`."""
    done = refused = 0
    for chat in server.state.chats.values():
        for event in reversed(chat.events):
            if event.seq <= since:
                break
            done += event.kind in RESPONSE_KINDS
            refused += event.kind == REFUSED and "Too Many Requests" in str(event.detail.get("summary"))
    return done, refused


async def run(
    root: Path, users: int, seconds: float, seed: int, limits: RateLimits | None
) -> tuple[Phase, Phase]:
    """One bot: everyone onboards, then the window without the flood, then the same window with it."""
    async with (
        SandboxServer(quiet_period=0.1, reply_timeout=WITHIN, limits=limits) as server,
        running_bot(server, root / "data") as _,
    ):
        people = [server.user(FIRST_USER + n, f"P{n}") for n in range(users)]
        flooder = server.user(FLOODER, "Flo")
        started, logged, seq = time.monotonic(), LOGS.seen.copy(), server.state.next_seq()
        failed = await asyncio.gather(*(onboard(p, f"Patient {n}") for n, p in enumerate([*people, flooder])))
        onboarding = time.monotonic() - started
        refused = bot_calls(server, seq)[1]
        print(f"  {users + 1} people onboarded in {onboarding:.1f} s ({refused} 429s)", flush=True)
        for line, n in (LOGS.seen - logged).most_common():
            print(f"  {n:>5} x {line}")
        if any(failed):
            for why, n in Counter(f for f in failed if f is not None).most_common():
                print(f"  ONBOARDING FAILED {n} x {why}")
            people = [p for p, why in zip(people, failed, strict=False) if why is None]
            print(f"  the windows go on with the {len(people)} people who finished onboarding")
        await asyncio.sleep(SETTLE)
        base = await window("no flood", server, people, seconds, seed, None)
        print(f"  baseline window: {len(base.samples):,} steps", flush=True)
        await asyncio.sleep(SETTLE)
        flood = await window("flood", server, people, seconds, seed, flooder)
        print(f"  flood window: {len(flood.samples):,} steps", flush=True)
    return base, flood


# --- report -------------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def stats(phase: Phase, kind: str | None = None) -> tuple[int, float, float, float]:
    values = [s.latency for s in phase.samples if kind is None or s.kind == kind]
    return len(values), percentile(values, 50), percentile(values, 99), max(values, default=float("nan"))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def report(base: Phase, flood: Phase) -> None:
    if base.samples and flood.samples:
        report_steps(base, flood)
    else:
        print("\nNO STEPS MEASURED: nobody finished onboarding (see above)")
    report_flood(flood.flood)
    for phase in (base, flood):
        if phase.missing:
            print(f"\nsteps not answered ({phase.name}):")
            for why, n in phase.missing.most_common(5):
                print(f"  {n:>5} x {why}")
        print(f"\nbot log, WARNING and above, and lane drops ({phase.name}):")
        for line, n in phase.logged.most_common(10) or [("(none)", 0)]:
            print(f"  {n:>5} x {line}" if n else f"  {line}")


def report_steps(base: Phase, flood: Phase) -> None:
    print("\nthe other people's steps          no flood (baseline)        with the flood")
    (n0, p50_0, p99_0, max0), (n1, p50_1, p99_1, max1) = stats(base), stats(flood)
    print(f"  steps answered              {n0:>20,} {n1:>21,}")
    print(f"  p50 latency                 {ms(p50_0):>20} {ms(p50_1):>21}")
    print(f"  p99 latency                 {ms(p99_0):>20} {ms(p99_1):>21}")
    print(f"  max latency                 {ms(max0):>20} {ms(max1):>21}")
    missing0, missing1 = base.missing.total(), flood.missing.total()
    print(f"  steps not answered          {missing0:>20,} {missing1:>21,}")
    for kind in ("/menu", "/progress", "/questions", "tap", "typed"):
        (k0, _, q0, _), (k1, _, q1, _) = stats(base, kind), stats(flood, kind)
        print(f"  p99 of {kind:<12} {f'{ms(q0)} (n={k0})':>28} {f'{ms(q1)} (n={k1})':>21}")
    rate0, rate1 = base.sends / base.window, flood.sends / flood.window
    print(f"  sends+edits accepted/s      {rate0:>20.1f} {rate1:>21.1f}   (ceiling {CEILING:.0f}/s)")
    print(f"  429s from the sandbox       {base.too_many:>20,} {flood.too_many:>21,}")
    cpu0, cpu1 = base.cpu / base.window, flood.cpu / flood.window
    print(f"  CPU (one core = 100%)       {cpu0:>20.0%} {cpu1:>21.0%}")
    print(f"  window (to the last step)   {base.window:>18.1f} s {flood.window:>19.1f} s")
    gc0, gc1 = (f"{len(p.gc)}, longest {ms(max(p.gc, default=0.0))}" for p in (base, flood))
    print(f"  full GCs in the window      {gc0:>20} {gc1:>21}")
    for phase in (base, flood):
        slowest = sorted(phase.samples, key=lambda s: -s.latency)[:3]
        steps = ", ".join(f"{s.kind} {ms(s.latency)} at {s.at - phase.began:.1f} s" for s in slowest)
        print(f"  slowest ({phase.name}): {steps}")
    ratio = p99_1 / p99_0
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"\np99 with the flood / p99 without: {ratio:.2f} (target <= {TARGET}: {verdict})")


def report_flood(flood: FloodReport | None) -> None:
    assert flood is not None
    print(f"\nthe flooding chat: {flood.sent} plain messages sent at once")
    if flood.first_answer is not None and flood.last_answer is not None:
        print(
            f"  answered               {flood.answered} of {flood.sent} "
            f"(first {flood.first_answer:.1f} s, last {flood.last_answer:.1f} s after the flood began)"
        )
    else:
        print(f"  answered               0 of {flood.sent}")
    if not flood.notices:
        print("  notice                 NONE (no 'You sent many messages at once')")
    for at, text in flood.notices:
        print(f"  notice                 {at:.1f} s after the flood began: {text!r}")
    if len(flood.notices) > 1:
        print(f"  NOTICE SENT {len(flood.notices)} TIMES")


async def main_async(
    users: int, seconds: float, seed: int, limits: RateLimits | None, directory: Path | None
) -> None:
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(
        f"{users} people (and the flooding chat), {seconds:g} s windows, {THINK[0]:g}-{THINK[1]:g} s "
        f"between steps, seed {seed}; the bot's limiter: wiring.rate_limiter(); "
        f"sandbox limits: {limits or 'none (the bot paces itself)'}"
    )
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        base, flood = await run(Path(tmp), users, seconds, seed, limits)
    report(base, flood)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, help="people besides the flooding chat (default 200)")
    parser.add_argument("--seconds", type=float, help="length of each measured window (default 20)")
    parser.add_argument("--quick", action="store_true", help="40 people for 8 s each run")
    parser.add_argument("--seed", type=int, default=1, help="seed of the people's choices (default 1)")
    parser.add_argument(
        "--telegram-limits",
        action="store_true",
        help="the sandbox also refuses (429) what breaks Telegram's limits, edits included",
    )
    parser.add_argument("--dir", type=Path, help="where to create the data (default: a temp dir)")
    args = parser.parse_args()
    users = args.users or (40 if args.quick else 200)
    seconds = args.seconds or (8.0 if args.quick else 20.0)
    # The bot's log is counted (CountLogs) and summed up in the report, not printed line by line.
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger().addHandler(LOGS)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    limits = RateLimits() if args.telegram_limits else None
    asyncio.run(main_async(users, seconds, args.seed, limits, args.dir))


if __name__ == "__main__":
    main()
