"""Cases for the storage tests (and the crash writer): one minimal, one with every field set; and the
repositories under test, with a way to damage a stored case in each."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
from psycopg.types.json import Jsonb

from journey.models import (
    Answer,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Aside,
    Attachment,
    AttachmentKind,
    CallLog,
    Candidate,
    CandidateStatus,
    Case,
    ChosenQuestion,
    GroupChat,
    InsuranceOutcome,
    InsuranceQuestion,
    InsuranceStep,
    Invite,
    InviteStatus,
    LastAnswer,
    Letter,
    LetterButton,
    LetterFile,
    LetterStatus,
    Member,
    MemberSettings,
    Note,
    Notify,
    Offer,
    OfferKind,
    OpinionSays,
    Profile,
    Prompt,
    PromptKind,
    QuestionsStep,
    Reason,
    RecordItem,
    RecordKind,
    RecordsStep,
    RecordStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Role,
    SpecialistKind,
    SpecialistStep,
    Urgency,
    VisitAnswer,
)
from storage import CaseRepository, InMemoryCaseRepository, TinyDBCaseRepository
from storage.postgres_repo import PostgresCaseRepository

T0 = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


def minimal_case(case_id: str = "case_0001", owner: int = 1001) -> Case:
    return Case(id=case_id, created_at=T0, updated_at=T0, members=[Member(owner, Role.OWNER)])


def full_case(case_id: str = "case_full_01") -> Case:
    """Every field set to a non-default value, so a field the codec drops or mangles shows up."""
    plus_two = timezone(timedelta(hours=2))
    return Case(
        id=case_id,
        created_at=datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        updated_at=datetime(2025, 6, 7, 8, 9, 10, 111213, tzinfo=plus_two),
        members=[
            Member(
                42,
                Role.OWNER,
                Prompt(
                    PromptKind.CANDIDATE_NOTES, target="cand-1", chat_id=-100, after=41, held="15 Dec «3pm»"
                ),
                pending_file=Attachment("fid0", "uid0", AttachmentKind.PHOTO, "x.jpg", T0),
                recent_updates=[1001, 1002, 990],
                settings=MemberSettings(
                    zone="Europe/Berlin",
                    quiet_start=22 * 60,
                    quiet_end=7 * 60 + 30,
                    reminders_off=[ReminderKind.HOURS_BEFORE],
                    blocked=True,
                    notify=Notify.APPOINTMENTS,
                    language="es",
                ),
                name="Zoë <b>",
                joined_at=T0,
                invited_by=99,
                last_answer=LastAnswer("0123456789abcdef", PromptKind.CANDIDATE_CONTACT, T0),
                aside=Aside("a1", "Meeting ID: 123 456\nPasscode: 9x8y"),
                offer=Offer(
                    OfferKind.VISIT,
                    "Friday 9:30",
                    chat_id=-100,
                    message_id=77,
                    starts_at=datetime(2026, 12, 11, 15, 30, tzinfo=UTC),
                ),
            ),
            Member(-7, Role.EDITOR, Prompt(PromptKind.DIAGNOSIS)),
            Member(99, Role.VIEWER, None),
        ],
        profile=Profile(
            patient_name='Zoë "Z" O\'Brien — 患者',
            diagnosis="stage II\nline two",
            reasons=[Reason.RARE_OR_UNCLEAR, Reason.NOT_COMFORTABLE],
            urgency=Urgency.SOON,
            onboarded=True,
            decide_by=date(2027, 1, 15),
        ),
        specialist=SpecialistStep(
            needed=[SpecialistKind.SURGICAL, SpecialistKind.PATHOLOGY],
            candidates=[
                Candidate(
                    "cand-1",
                    "Dr. A",
                    institution="Clinic",
                    contact="+1 555 0100",
                    notes="n",
                    status=CandidateStatus.BOOKED,
                ),
                Candidate("cand-2", "Dr. B"),
            ],
        ),
        records=RecordsStep(
            items=[
                RecordItem(
                    RecordKind.BIOPSY,
                    status=RecordStatus.SENT,
                    requested_from="Lab",
                    requested_on=date(2025, 2, 28),
                    attachments=[
                        Attachment("fid1", "uid1", AttachmentKind.DOCUMENT, "scan.pdf", T0),
                        Attachment("fid2", "uid2", AttachmentKind.PHOTO, None, T0),
                    ],
                ),
                RecordItem(RecordKind.LABS, status=RecordStatus.NOT_NEEDED),
            ]
        ),
        insurance=InsuranceStep(
            answers={
                InsuranceQuestion.COVERED: Answer.YES,
                InsuranceQuestion.PRIOR_AUTH: Answer.UNSURE,
                InsuranceQuestion.REMOTE_REVIEW: Answer.NO,
            },
            expected_cost="$250",
            calls=[CallLog("call-1", date(2025, 3, 1), who="Ann", reference="R-1", notes="ok")],
            outcome=InsuranceOutcome.PARTLY,
        ),
        questions=QuestionsStep(
            chosen=[
                ChosenQuestion("q1", bank_id="bank-7", top=True),
                ChosenQuestion("q2", text="Own question?"),
            ]
        ),
        appointments=[
            Appointment(
                "appt-1",
                starts_at=datetime(2026, 12, 3, 20, 30, tzinfo=UTC),
                zone="America/Chicago",
                duration_minutes=90,
                kind=AppointmentKind.PATHOLOGY_REVIEW,
                doctor="Dr. A",
                institution="Clinic",
                address="1 Main St, Rochester",
                video_link="https://video.example/abc",
                phone="+1 555 0101",
                notes="bring discs",
                status=AppointmentStatus.CANCELLED,
                sequence=3,
                created_at=T0,
                outcome_note="went well",
                answers=[
                    VisitAnswer("q1", asked=True, text="Yes, it can wait a week.", voice="AwACvoice1"),
                    VisitAnswer("q2"),
                ],
                says=OpinionSays.DIFFERENT,
                advice="Scan again <first>, then decide",
                shared_at=datetime(2025, 3, 5, 18, 0, tzinfo=UTC),
            )
        ],
        reminders=[
            Reminder(
                "appt-1:week",
                ReminderKind.WEEK_BEFORE,
                due_at=datetime(2026, 11, 26, 15, 0, tzinfo=UTC),
                user_id=42,
                appointment_id="appt-1",
                target="labs",
                status=ReminderStatus.SENT,
                attempts=2,
                sent_at=datetime(2026, 11, 26, 15, 0, 3, tzinfo=UTC),
                sending_at=datetime(2026, 11, 26, 15, 0, 1, tzinfo=UTC),
            )
        ],
        invites=[
            Invite(
                "inv-1",
                secret_hash="ab" * 32,
                role=Role.VIEWER,
                created_by=42,
                created_at=T0,
                expires_at=datetime(2025, 3, 11, 9, 30, tzinfo=UTC),
                status=InviteStatus.USED,
                used_by=99,
                used_at=datetime(2025, 3, 5, 9, 30, tzinfo=UTC),
            )
        ],
        groups=[GroupChat(-100123, linked_by=42, linked_at=T0, language="en")],
        editors_can_invite=True,
        outbox=[
            Letter(
                id="l1",
                chat_id=-100123,
                text="<b>Dana</b> has the pathology report now.",
                created_at=T0,
                buttons=[[LetterButton("Open the plan", "1:csu:case-0001")]],
                files=[LetterFile("visit.ics", "BEGIN:VCALENDAR", "The visit")],
                status=LetterStatus.SENDING,
                attempts=2,
                due_at=datetime(2025, 3, 4, 9, 31, tzinfo=UTC),
                sending_at=datetime(2025, 3, 4, 9, 31, 2, tzinfo=UTC),
            )
        ],
        notes=[Note("n1", "Bring the <b>scans</b>\non a disc", T0, by=42)],
        active_at=datetime(2025, 6, 6, 8, 0, tzinfo=UTC),
        first_plan="Surgery in May & then rest",
        summary_to_all=False,
    )


# --- repositories under test ----------------------------------------------------------------------

REPO_KINDS = ["tinydb", "memory", "postgres"]
# Put in damaged files so a test can show that no log line repeats their content.
SECRET = "MARKER-diagnosis-Zoe"


def make_repo(kind: str, data_dir: Path, request: pytest.FixtureRequest | None = None) -> CaseRepository:
    """A repository of this kind; "postgres" needs the test's request, for a fresh database (`pg_url`),
    and skips where PostgreSQL is not installed."""
    if kind == "tinydb":
        return TinyDBCaseRepository(data_dir)
    if kind == "postgres":
        if request is None:
            raise ValueError("a PostgreSQL repository needs the test's request")
        return PostgresCaseRepository(request.getfixturevalue("pg_url"))
    return InMemoryCaseRepository()


def spoil(repo: CaseRepository, data_dir: Path, case_id: str) -> None:
    """Make a stored case unreadable: garbage in its file or its row, or the in-memory repository's
    stand-in."""
    if isinstance(repo, InMemoryCaseRepository):
        repo.corrupt(case_id)
    elif isinstance(repo, PostgresCaseRepository):
        # Valid JSON (JSONB holds nothing else) that is no plan: no schema, and the secret in it.
        with psycopg.connect(repo.url) as conn:
            damaged = Jsonb({"case": {"1": {"diagnosis": SECRET}}})
            conn.execute("UPDATE plans SET body = %s WHERE id = %s", (damaged, case_id))
    else:
        (data_dir / "cases" / f"{case_id}.json").write_text('{"case": {"1": {"diagnosis": "' + SECRET)


def pending(due: datetime, reminder_id: str = "r-1", user_id: int = 111) -> Reminder:
    """A reminder still to be sent: it gives the case a wake time."""
    return Reminder(
        reminder_id, ReminderKind.INSURANCE_CHECK, due_at=due, user_id=user_id, status=ReminderStatus.PENDING
    )
