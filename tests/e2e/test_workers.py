"""Three workers behind nginx on one PostgreSQL, the sandbox posting by webhook; one worker is killed with
SIGKILL under load. What must still hold: every update answered, each chat's replies in the order of its
steps, every reminder and news message sent at most once (exactly once unless the dead worker had it in
hand: then it is settled as "maybe sent" and never repeated), and the dead worker's claims and chats taken
over by the others.

The load: families (an owner who onboards and invites a caregiver, who joins and marks records, which is
news for the owner) and people on their own, each typing bursts of steps without waiting, whose replies
must come back in order. Reminder plans are seeded into PostgreSQL before the workers start; in the middle
of the load a batch of them falls due at once, their sends are held by the sandbox (tests/workers.py,
HeldSends) until every one is in flight, and a worker holding some of them is killed. Its sends never
arrive; the others' go through, and a later batch falls due after the kill.

Runs where PostgreSQL and nginx are installed (always in CI; tests/postgres_cluster.py, tests/workers.py).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from journey.models import Case, LetterStatus, ReminderStatus
from sandbox import SandboxUser, events
from sandbox.client import BotMessage, Reply
from storage.postgres_repo import PostgresCaseRepository
from tests.e2e.test_caregivers import invite
from tests.workers import HeldSends, Workers, held_sends, reminder_plan, week_before

FAMILIES, ALONE = 8, 8  # 24 people
HELD, LATER = 12, 6  # reminders due at the kill (held in flight), and due after it
OWNER, CAREGIVER, ALONE_ID, REMINDED = 10_000, 20_000, 30_000, 70_000
WITHIN = 20.0  # seconds a step may wait for its reply (a dead worker's chat is taken over in ~1 s)
WEEK = "Your visit is in one week."
ONBOARDING = {
    "/start": "What should I call the patient?",
    "Ann": "What is the diagnosis",
    "Stage 2 breast cancer": "Why do you want a second opinion?",
}
SCREENS = {
    "/records": "Step 2. Gather your records",
    "/questions": "Step 4. Prepare your questions",
    "/insurance": "Step 3. Check your insurance",
}
RECORDS = (
    "Pathology report",
    "Slides and tissue blocks",
    "Imaging reports",
    "Biopsy results",
    "Surgery notes",
    "Staging information",
    "Biomarker and gene tests",
    "Referral letter",
)


@pytest.fixture
async def sandbox() -> AsyncIterator[HeldSends]:
    async with held_sends(WITHIN) as server:
        yield server


REPEATS: list[str] = []  # replies sent twice: the update a worker had in hand when it died, handled again
NOT_SHOWN: list[str] = []  # presses applied by a worker that died before showing their screen


async def edited(user: SandboxUser, message_id: int, text: str, within: float) -> bool:
    """Whether message `message_id` comes to say `text` within `within` seconds."""
    deadline = time.monotonic() + within
    while text not in BotMessage.of(user.chat.messages[message_id]).text:
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def bot_texts(user: SandboxUser, after: int = 0, before: int | None = None) -> list[str]:
    """The bot's new messages in this chat between two moments (sandbox sequence numbers), news aside."""
    sent = [
        e
        for e in user.chat.events
        if e.kind == events.SENT and e.seq > after and (before is None or e.seq < before) and e.message_id
    ]
    texts = [BotMessage.of(user.chat.messages[e.message_id]).text for e in sent if e.message_id]
    return [t for t in texts if not t.startswith("News from")]


async def burst(sandbox: HeldSends, user: SandboxUser, steps: dict[str, str]) -> None:
    """Type every step at once, then wait for their replies: they must come in the order of the steps.
    The update a dead worker had in hand is handled again by another (at least once): its reply may come
    a second time, before these (the chat's updates are handled in order)."""
    since = sandbox.state.next_seq()
    earlier = bot_texts(user, before=since)
    for text in steps:
        user.send_nowait(text)
    wanted = list(steps.values())

    def replies() -> list[str]:
        texts = bot_texts(user, after=since)
        if texts and earlier and texts[0] == earlier[-1]:
            return texts[1:]
        return texts

    deadline = time.monotonic() + WITHIN * len(steps)
    while len(ordered(replies(), wanted)) < len(wanted):
        assert time.monotonic() < deadline, f"{user.profile.first_name} got only {replies()} for {wanted}"
        await asyncio.sleep(0.05)
    assert ordered(replies(), wanted) == wanted, replies()
    if len(replies()) < len(bot_texts(user, after=since)):
        REPEATS.append(earlier[-1][:40])


def ordered(replies: list[str], wanted: list[str]) -> list[str]:
    """Which wanted replies came, in the order they came, repeats of the one before dropped."""
    seen: list[str] = []
    for text in replies:
        match = next((w for w in wanted if w in text), None)
        assert match is not None, f"an unexpected reply: {text[:80]!r}"
        if not seen or seen[-1] != match:
            seen.append(match)
    return seen


async def step(action: Awaitable[Reply], text: str) -> int:
    """Wait for the reply to one action; the id of the message that says `text`."""
    reply = await action
    message = next((m for m in reply.messages if text in m.text), None)
    assert message is not None, reply.texts
    return message.message_id


@dataclass
class Phases:
    """The kill comes when every caregiver has marked a record (all are busy), and is announced."""

    marking: asyncio.Event = field(default_factory=asyncio.Event)
    killed: asyncio.Event = field(default_factory=asyncio.Event)
    caregivers_marked: set[int] = field(default_factory=set)

    def marked(self, n: int) -> None:
        self.caregivers_marked.add(n)
        if len(self.caregivers_marked) == FAMILIES:
            self.marking.set()


async def owner(sandbox: HeldSends, n: int, phases: Phases, invited: asyncio.Future[str] | None) -> None:
    """Onboard (a burst, then taps), invite the caregiver, then bursts of screens until a worker is
    killed, and one more after."""
    user = sandbox.user((OWNER if invited else ALONE_ID) + n, f"Maria{n}")
    await burst(sandbox, user, ONBOARDING)
    asked = bot_texts(user)
    assert asked and ONBOARDING["Stage 2 breast cancer"] in asked[-1]
    await step(user.tap("Rare or unclear diagnosis", within=WITHIN), "Why do you want")
    await step(user.tap("Done", within=WITHIN), "treatment must start soon?")
    await step(user.tap("No", within=WITHIN), "Here is your plan.")
    if invited is not None:
        invited.set_result(await invite(user, "Can help"))
    while not phases.killed.is_set():
        await burst(sandbox, user, SCREENS)
    await burst(sandbox, user, SCREENS)


async def caregiver(sandbox: HeldSends, n: int, token: str, phases: Phases) -> list[str]:
    """Join, then mark records as "I have it" (each is news for the owner) until a worker is killed (or
    all but one are marked), and one more after. Returns the records marked."""
    user = sandbox.user(CAREGIVER + n, f"Dana{n}")
    await step(user.send(f"/start {token}", within=WITHIN), "invited you to Ann's plan")
    await step(user.tap("Join", within=WITHIN), "You are now in Ann's plan.")
    marked: list[str] = []

    async def mark(record: str) -> None:
        # Taps name their message: a repeated reply (see `burst`) may have come after it.
        listed = await step(user.send("/records", within=WITHIN), SCREENS["/records"])
        shown = await step(user.tap(f"⬜ {record}", message_id=listed, within=WITHIN), "Status: To ask for")
        await user.tap("I have it", message_id=shown, expect_reply=False, within=WITHIN)
        if not await edited(user, shown, "Status: I have it", within=8):
            # A worker saved the change and answered the press, then died before it showed the screen; the
            # worker that handled the press again found it applied (the plan's recent updates) and showed
            # nothing. The change stands: the list says so.
            listed = await step(user.send("/records", within=WITHIN), SCREENS["/records"])
            assert f"📥 {record}" in BotMessage.of(user.chat.messages[listed]).buttons
            NOT_SHOWN.append(record)
        marked.append(record)
        phases.marked(n)

    for record in RECORDS[:-1]:
        if phases.killed.is_set():
            break
        await mark(record)
    await phases.killed.wait()  # out of records first: wait for it
    await mark(RECORDS[-1])
    return marked


async def family(sandbox: HeldSends, n: int, phases: Phases) -> list[str]:
    invited: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    owning = asyncio.create_task(owner(sandbox, n, phases, invited))
    await asyncio.wait([owning, invited], return_when=asyncio.FIRST_COMPLETED)  # type: ignore[type-var]
    if not invited.done():
        await owning  # the owner failed before inviting: that is the error to see
    _, marked = await asyncio.gather(owning, caregiver(sandbox, n, invited.result(), phases))
    return marked


def retime(repo: PostgresCaseRepository, plan: str, due: datetime) -> None:
    """The plan's reminder falls due at `due` (saved as a change from another worker: the others read
    it from the shared wake index)."""
    case = repo.load_case(plan)
    assert case is not None
    week_before(case).due_at = due
    repo.save_case(case)


async def kill_a_worker_holding_reminders(
    sandbox: HeldSends, workers: Workers, repo: PostgresCaseRepository, phases: Phases
) -> tuple[int, float]:
    """Mid-load: the held batch falls due, every send is held in flight, a worker holding some is killed,
    then the sends are let go (the dead worker's never arrive). Returns the dead worker and when."""
    await asyncio.wait_for(phases.marking.wait(), 3 * WITHIN)  # everyone is mid-journey
    gate = sandbox.close_gate({REMINDED + n for n in range(HELD)})
    due = datetime.now(UTC) + timedelta(seconds=2)  # every worker reads it in time, and they race
    for n in range(HELD):
        retime(repo, f"remind{n:03d}", due)
    for n in range(HELD, HELD + LATER):
        retime(repo, f"remind{n:03d}", due + timedelta(seconds=5))
    deadline = time.monotonic() + WITHIN
    while len(gate.held) < HELD:
        assert time.monotonic() < deadline, f"only {len(gate.held)} of {HELD} reminders were sent"
        await asyncio.sleep(0.02)
    holders = Counter(workers.holder(held) for held in gate.held)
    holders.pop(None, None)
    assert holders, "no held send could be traced to a worker"
    victim = holders.most_common(1)[0][0]
    assert victim is not None
    workers.kill(victim)
    await workers.wait_killed(victim)
    killed_at = time.monotonic()
    phases.killed.set()
    await asyncio.sleep(0.2)  # the sandbox sees the dead worker's connections close
    gate.opened.set()
    return victim, killed_at


def plans(repo: PostgresCaseRepository) -> list[Case]:
    found = [repo.load_case(plan) for plan in repo.case_ids()]
    return [case for case in found if case is not None]


async def settled(repo: PostgresCaseRepository, within: float) -> list[Case]:
    """Every plan, once nothing is claimed (SENDING) and no news waits; the dead worker's claims are
    settled after CLAIM_TIMEOUT_SECONDS."""
    deadline = time.monotonic() + within
    while True:
        found = await asyncio.to_thread(plans, repo)
        busy = [
            c.id for c in found if c.outbox or any(r.status is ReminderStatus.SENDING for r in c.reminders)
        ]
        if not busy:
            return found
        assert time.monotonic() < deadline, f"still sending in {busy}"
        await asyncio.sleep(0.2)


def messages_with(user: SandboxUser, text: str) -> int:
    return sum(1 for m in user.bot_messages() if text in m.text)


async def test_three_workers_behind_nginx_lose_nothing_when_one_is_killed(
    sandbox: HeldSends, tmp_path: Path, pg_url: str
) -> None:
    repo = PostgresCaseRepository(pg_url)  # brings the schema up; the workers find it done
    REPEATS.clear()
    NOT_SHOWN.clear()
    try:
        now = datetime.now(UTC)
        for n in range(HELD + LATER):
            sandbox.user(REMINDED + n, f"Rita{n}").chat.started = True  # she met the bot long ago
            repo.save_case(reminder_plan(f"remind{n:03d}", REMINDED + n, now + timedelta(hours=1), now))
        async with Workers(sandbox, pg_url, tmp_path / "workers", claim_timeout=5, wake_refresh=1) as workers:
            started = time.monotonic()
            phases = Phases()
            families = asyncio.gather(*(family(sandbox, n, phases) for n in range(FAMILIES)))
            alone = asyncio.gather(*(owner(sandbox, n, phases, None) for n in range(ALONE)))
            try:
                victim, killed_at = await kill_a_worker_holding_reminders(sandbox, workers, repo, phases)
            except BaseException:
                families.cancel()
                alone.cancel()
                raise
            # Every step of every person was answered, each burst in order, before and after the kill.
            marked = await families
            await alone
            load_after_kill = time.monotonic() - killed_at
            # The dead worker's leases (10 s) run out, then its claims (5 s old by then) are settled.
            stored = await settled(repo, within=2 * WITHIN)
            took = time.monotonic() - started
            logs = [workers.log(i) for i in range(len(workers.workers))]
            victim_at = f"127.0.0.1:{workers.workers[victim].port}"
            passes = [line for line in workers.access_log() if line.startswith("POST /telegram")]

        gate = sandbox.gate
        reminded = {c.id: week_before(c) for c in stored if c.id.startswith("remind")}
        dead_claims = set(gate.dropped)
        assert dead_claims, "the killed worker held sends in flight"
        for n in range(HELD + LATER):
            reminder, chat = reminded[f"remind{n:03d}"], sandbox.user(REMINDED + n, f"Rita{n}")
            if REMINDED + n in dead_claims:
                # Claimed by the dead worker, its send never arrived: settled as maybe sent, not repeated.
                assert (reminder.status, messages_with(chat, WEEK)) == (ReminderStatus.INTERRUPTED, 0)
            else:
                assert (reminder.status, messages_with(chat, WEEK)) == (ReminderStatus.SENT, 1), (
                    n,
                    chat.describe_log(),
                    gate,
                )
        # After the kill, the others sent the later batch: the first of it, how long after the kill.
        later = [e.at for n in range(HELD, HELD + LATER) for e in _sent(sandbox, REMINDED + n)]
        assert later and min(later) > killed_at
        after = min(
            e.at for n in range(HELD + LATER) for e in _sent(sandbox, REMINDED + n) if e.at > killed_at
        )

        # News: every caregiver's change reached the owner once; a letter the dead worker had in hand (its
        # send waiting in the rate limiter, or on the wire) is settled by another worker: maybe sent, never
        # repeated. The survivors' logs name the plans they settled.
        settled_news, settled_reminders = settled_by(logs, victim)
        assert {f"remind{chat - REMINDED:03d}" for chat in dead_claims} <= settled_reminders
        maybe_sent = 0
        for n in range(FAMILIES):
            maria = sandbox.user(OWNER + n, f"Maria{n}")
            news = [f"Dana{n} joined the plan."] + [f"Dana{n} has the {r.lower()} now." for r in marked[n]]
            counts = [messages_with(maria, line) for line in news]
            plan = next(c.id for c in stored if c.owner_id == OWNER + n)
            assert max(counts) == 1 and counts.count(0) <= settled_news.get(plan, 0), (n, counts)
            maybe_sent += counts.count(0)
        assert all(not c.outbox for c in stored)
        assert not any(letter.status is LetterStatus.SENDING for c in stored for letter in c.outbox)

        # Every update was taken in and handled: none waits in the sandbox or in the inbox.
        assert sandbox.state.updates.pending_count == 0
        with psycopg.connect(pg_url) as conn:
            waiting = conn.execute("SELECT count(*) FROM inbox WHERE handled_at IS NULL").fetchone()
            handled = conn.execute("SELECT count(*) FROM inbox").fetchone()
        assert waiting == (0,) and handled is not None and handled[0] > 0
        # The dead worker had taken chats' updates; nginx answered none of them with an error.
        assert any(f"200 {victim_at} 200" in line for line in passes)
        assert all(line.split()[3] == "200" for line in passes), [p for p in passes if " 200 " not in p]
        moved = sum(1 for line in passes if ", " in line)  # tried on the dead worker, then on another
        survivors = [log for i, log in enumerate(logs) if i != victim]
        assert all("Traceback" not in log for log in survivors), survivors
        print(
            f"\n{FAMILIES * 2 + ALONE} people, {handled[0]} updates in {took:.1f} s, the last "
            f"{load_after_kill:.1f} s after the kill; killed worker {victim} "
            f"holding {len(dead_claims)} of {HELD} reminders in flight (settled, not resent); "
            f"{maybe_sent} news settled as maybe sent; nginx moved {moved} updates off the dead worker; "
            f"{len(REPEATS)} replies repeated after the kill; {len(NOT_SHOWN)} presses applied but not shown; "
            f"the next reminder from another worker {after - killed_at:.1f} s after the kill"
        )
    finally:
        repo.close()


SETTLED = re.compile(r"plan (\S+): settled sends interrupted by a stop \(news: (\d+), reminders: (yes|no)\)")


def settled_by(logs: list[str], victim: int) -> tuple[dict[str, int], set[str]]:
    """What the surviving workers settled: news letters per plan, and plans with reminders."""
    news: dict[str, int] = {}
    with_reminders: set[str] = set()
    for i, log in enumerate(logs):
        if i == victim:
            continue
        for plan, letters, reminders in SETTLED.findall(log):
            news[plan] = max(news.get(plan, 0), int(letters))
            if reminders == "yes":
                with_reminders.add(plan)
    return news, with_reminders


def _sent(sandbox: HeldSends, chat_id: int) -> list[events.ChatEvent]:
    chat = sandbox.state.chats[chat_id]
    return [e for e in chat.events if e.kind == events.SENT]
