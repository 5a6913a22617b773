"""The case and everything in it, as plain dataclasses.

A *case* is one person's second-opinion journey. It holds the four steps, the optional profile from
onboarding and its members (the owner, and caregivers who joined by invite). What the bot is
waiting for from a member (a typed answer) is kept on the member, inside the case, so that the change and
the bot's next question are saved in one atomic write and survive a restart together.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class StepId(enum.StrEnum):
    SPECIALIST = "specialist"
    RECORDS = "records"
    INSURANCE = "insurance"
    QUESTIONS = "questions"


class StepStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


# --- onboarding profile -------------------------------------------------------------------------


class Reason(enum.StrEnum):
    """Why the person wants a second opinion (the reasons the source articles give)."""

    RARE_OR_UNCLEAR = "rare"
    CONFLICTING_ADVICE = "conflict"
    MAJOR_TREATMENT = "major"
    SEVERAL_OPTIONS = "options"
    LITTLE_EXPERIENCE = "experience"
    NOT_COMFORTABLE = "comfort"
    CAME_BACK = "back"  # the cancer came back or spread
    TRIALS = "trials"  # wants to ask about clinical trials
    RUSHED = "rushed"  # feels rushed to decide


class Urgency(enum.StrEnum):
    """Did the oncologist say treatment must start soon?"""

    SOON = "soon"
    NOT_SOON = "not_soon"
    UNSURE = "unsure"


@dataclass
class Profile:
    patient_name: str | None = None
    diagnosis: str | None = None
    reasons: list[Reason] = field(default_factory=list)
    urgency: Urgency | None = None
    onboarded: bool = False
    decide_by: date | None = None  # the day the care team says treatment should start (journey/deadline.py)

    @property
    def time_sensitive(self) -> bool:
        """ "Soon" and "I'm not sure" get the same care: the plan moves fast until the care team says."""
        return self.urgency in (Urgency.SOON, Urgency.UNSURE)


# --- step 1: specialist ---------------------------------------------------------------------------


class SpecialistKind(enum.StrEnum):
    MEDICAL = "medical"
    SURGICAL = "surgical"
    RADIATION = "radiation"
    PATHOLOGY = "pathology"
    OTHER = "other"


class CandidateStatus(enum.StrEnum):
    TO_CONTACT = "to_contact"
    CONTACTED = "contacted"
    REFERRAL_NEEDED = "referral"
    BOOKED = "booked"
    DECLINED = "declined"


@dataclass
class Candidate:
    id: str
    name: str
    institution: str | None = None
    contact: str | None = None
    notes: str | None = None
    status: CandidateStatus = CandidateStatus.TO_CONTACT


@dataclass
class SpecialistStep:
    needed: list[SpecialistKind] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)


# --- step 2: records ------------------------------------------------------------------------------


class RecordKind(enum.StrEnum):
    """The records checklist, in the order the bot shows it."""

    PATHOLOGY_REPORT = "path_report"
    PATHOLOGY_SLIDES = "path_slides"
    IMAGING_REPORTS = "img_reports"
    IMAGING_FILES = "img_files"
    BIOPSY = "biopsy"
    LABS = "labs"
    OPERATIVE_NOTES = "op_notes"
    TREATMENT_SUMMARY = "treatment"
    STAGING = "staging"
    BIOMARKERS = "biomarkers"
    MEDICATIONS = "medications"
    REFERRAL_LETTER = "referral"


class RecordStatus(enum.StrEnum):
    """Where a record is on its way to the second-opinion office, in order."""

    NOT_NEEDED = "not_needed"
    TO_REQUEST = "to_request"
    REQUESTED = "requested"
    RECEIVED = "received"
    SENT = "sent"
    ARRIVED = "arrived"


class AttachmentKind(enum.StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"


@dataclass
class Attachment:
    """A photo or PDF the user sent. We keep Telegram's file_id, never the file itself."""

    file_id: str
    file_unique_id: str
    kind: AttachmentKind
    file_name: str | None
    added_at: datetime


@dataclass
class RecordItem:
    kind: RecordKind
    status: RecordStatus = RecordStatus.TO_REQUEST
    requested_from: str | None = None
    requested_on: date | None = None
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class RecordsStep:
    items: list[RecordItem] = field(default_factory=lambda: [RecordItem(k) for k in RecordKind])


# --- step 3: insurance ----------------------------------------------------------------------------


class InsuranceQuestion(enum.StrEnum):
    """Yes/no questions to settle with the insurer. Expected cost is typed, so it lives apart."""

    COVERED = "covered"
    REFERRAL = "referral"
    PRIOR_AUTH = "prior_auth"
    IN_NETWORK = "in_network"
    REMOTE_REVIEW = "remote"


class Answer(enum.StrEnum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


class InsuranceOutcome(enum.StrEnum):
    COVERED = "covered"
    PARTLY = "partly"
    NOT_COVERED = "not_covered"
    SELF_PAY = "self_pay"


@dataclass
class CallLog:
    id: str
    on: date
    who: str | None = None
    reference: str | None = None
    notes: str | None = None


@dataclass
class InsuranceStep:
    answers: dict[InsuranceQuestion, Answer] = field(default_factory=dict)
    expected_cost: str | None = None
    calls: list[CallLog] = field(default_factory=list)
    outcome: InsuranceOutcome | None = None


# --- step 4: questions ----------------------------------------------------------------------------


@dataclass
class ChosenQuestion:
    """A question on the user's list: from the bank (bank_id) or typed by the user (text)."""

    id: str
    bank_id: str | None = None
    text: str | None = None
    top: bool = False


@dataclass
class QuestionsStep:
    chosen: list[ChosenQuestion] = field(default_factory=list)


@dataclass
class Note:
    """Something a member typed and saved in the plan (journey/notes.py)."""

    id: str
    text: str
    created_at: datetime
    by: int | None = None  # the user id of who saved it


# --- the appointment ------------------------------------------------------------------------------------


@dataclass
class VisitAnswer:
    """One question of the list at one visit (visit mode): was it asked, and what was the answer, typed
    and/or a voice note (Telegram's file_id only, never the sound itself)."""

    question_id: str
    asked: bool = False
    text: str | None = None
    voice: str | None = None


class AppointmentKind(enum.StrEnum):
    SECOND_OPINION = "second"
    THIRD_OPINION = "third"
    PATHOLOGY_REVIEW = "pathology"
    RECORDS_REVIEW = "records"  # the doctor reviews records only; the patient may not attend


class OpinionSays(enum.StrEnum):
    """What a second (or third) opinion said about the first plan, as the user chose it after the visit."""

    AGREES = "agrees"  # agrees with the first plan
    CHANGES = "changes"  # suggests changes to it
    DIFFERENT = "different"  # a different diagnosis or stage
    MORE_TESTS = "tests"  # more tests are needed first


class AppointmentStatus(enum.StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


@dataclass
class Appointment:
    """A consultation. `starts_at` is UTC; `zone` is the IANA zone it happens in (shown in that zone)."""

    id: str
    starts_at: datetime
    zone: str
    duration_minutes: int = 60
    kind: AppointmentKind = AppointmentKind.SECOND_OPINION
    doctor: str | None = None
    institution: str | None = None
    address: str | None = None
    video_link: str | None = None  # set for a video visit instead of an address
    phone: str | None = None
    notes: str | None = None
    status: AppointmentStatus = AppointmentStatus.ACTIVE
    sequence: int = 0  # bumped on every change, so calendar apps update the event instead of adding one
    created_at: datetime | None = None
    outcome_note: str | None = None  # "how did it go?", filled after the visit
    answers: list[VisitAnswer] = field(default_factory=list)  # visit mode: the questions asked there
    says: OpinionSays | None = None  # what this opinion said about the first plan (journey/outcome.py)
    advice: str | None = None  # the doctor's main recommendation, in the user's words
    shared_at: datetime | None = None  # when its summary was last sent to the others (journey/summary.py)


# --- reminders ---------------------------------------------------------------------------------------


class ReminderKind(enum.StrEnum):
    WEEK_BEFORE = "week"
    TWO_DAYS_BEFORE = "two_days"
    DAY_BEFORE = "day"
    HOURS_BEFORE = "hours"
    AFTER = "after"
    RECORD_FOLLOW_UP = "record"
    INSURANCE_CHECK = "insurance"
    # Retention (journey/retention.py): the owner is told twice that an unused plan will be deleted, then
    # it is. Not reminders a person can switch off.
    RETENTION_NOTICE = "keep_notice"
    RETENTION_END = "keep_end"


class ReminderStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # recorded just before the send: a crash now must not lead to a second send
    SENT = "sent"
    SKIPPED = "skipped"  # came due while the bot was down and no longer makes sense, or was switched off
    FAILED = "failed"  # gave up (the user blocked the bot, or errors past the retry budget)
    INTERRUPTED = "interrupted"  # found "sending" after a restart: maybe sent; never sent again


@dataclass
class Reminder:
    """One planned message. Storage is the source of truth; the scheduler only reads due ones."""

    id: str  # stable for the same plan entry, so re-planning keeps its history
    kind: ReminderKind
    due_at: datetime  # UTC
    user_id: int  # who hears it: a member's user id, or a linked group's chat id (negative)
    appointment_id: str | None = None
    target: str | None = None  # e.g. the record kind a follow-up is about
    status: ReminderStatus = ReminderStatus.PENDING
    attempts: int = 0
    sent_at: datetime | None = None
    sending_at: datetime | None = None  # when a sender claimed it (SENDING): another takes over after a while


class Notify(enum.StrEnum):
    """What a member hears about without asking: other members' changes and reminders."""

    ALL = "all"  # every change others make, and reminders
    APPOINTMENTS = "appointments"  # appointment changes and reminders only
    NONE = "none"  # nothing unasked (no reminders either)


@dataclass
class MemberSettings:
    zone: str | None = None  # IANA name; None until the user picks one
    quiet_start: int = 21 * 60  # minutes after local midnight
    quiet_end: int = 8 * 60
    reminders_off: list[ReminderKind] = field(default_factory=list)
    blocked: bool = False  # Telegram said 403: the user blocked the bot, so nothing more is sent
    notify: Notify = Notify.ALL
    language: str | None = None  # journey/language.py; None until proposed from Telegram's or chosen


# --- members and what the bot waits for ------------------------------------------------------------


class Role(enum.StrEnum):
    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"


class PromptKind(enum.StrEnum):
    """A typed answer the bot is waiting for. `target` on the Prompt says which item it is about."""

    PATIENT_NAME = "patient_name"
    DIAGNOSIS = "diagnosis"
    CANDIDATE_NAME = "cand_name"
    CANDIDATE_INSTITUTION = "cand_inst"
    CANDIDATE_CONTACT = "cand_contact"
    CANDIDATE_NOTES = "cand_notes"
    RECORD_REQUESTED_FROM = "rec_from"
    RECORD_FILE = "rec_file"
    CALL_WHO = "call_who"
    CALL_REFERENCE = "call_ref"
    CALL_NOTES = "call_notes"
    EXPECTED_COST = "cost"
    OWN_QUESTION = "own_question"
    APPOINTMENT_TIME = "appt_time"  # target: a journey.targets.VisitTarget, as text
    APPOINTMENT_DETAIL = "appt_detail"  # target: a journey.targets.DetailTarget, as text
    VISIT_NOTE = "visit_note"  # target: appointment id
    VISIT_ANSWER = "visit_answer"  # target: a journey.visit_mode.AnswerTarget, as text
    VISIT_ADVICE = "visit_advice"  # the doctor's main recommendation; target: appointment id
    FIRST_PLAN = "first_plan"  # what the first doctor recommended; target: the visit to go back to
    ZONE = "zone"  # target: where to go next: "settings", or a VisitTarget as text
    DECIDE_BY = "decide_by"  # the day treatment should start (journey/deadline.py)


@dataclass
class Prompt:
    kind: PromptKind
    target: str | None = None
    # Where it was asked: only an answer in that chat counts. In a group, only a reply to a message the bot
    # sent after `after` (the last message before the question): chatter and old questions are not answers.
    chat_id: int | None = None  # None: asked before questions knew their chat (schema 4); any chat
    after: int | None = None
    # Words typed with the command that asked this question, read once it is answered: the time typed with
    # `/appointment 15 Dec 15:30` by someone with no time zone yet, read in the zone they then give.
    held: str | None = None


@dataclass
class LastAnswer:
    """The latest typed answer that moved on to another question: a digest of it, never the words.

    When the reply to an answer is lost, people type it again; the copy must not become the answer to the
    next question."""

    digest: str
    next_kind: PromptKind
    at: datetime


@dataclass
class Aside:
    """Text kept for one tap: the rest of a meeting invitation pasted as a visit's video link, until the
    member adds it to that visit's notes (or goes elsewhere, which drops it). At most a note's length."""

    visit_id: str
    text: str


class OfferKind(enum.StrEnum):
    """Where typed text that answered no question may go (journey/offers.py reads which)."""

    QUESTION = "question"  # a question for the doctor
    VISIT = "visit"  # a time for a new visit
    DOCTOR = "doctor"  # a doctor's name, for the short list
    NOTE = "note"  # anything else, as a note in the plan


@dataclass
class Offer:
    """Typed text kept for one tap: "Add this to your questions?" and the like, until the member says yes,
    no, or goes elsewhere (which drops it). Only the buttons under this offer act on it: they name the
    typed message (`message_id`) in the chat it came from."""

    kind: OfferKind
    text: str  # cleaned (journey/text.py), at most a note's length
    chat_id: int | None = None
    message_id: int | None = None
    starts_at: datetime | None = None  # a visit: the time read back (UTC); None: the zone is asked first


@dataclass
class Member:
    user_id: int
    role: Role
    prompt: Prompt | None = None
    # A file sent before the user said which record it belongs to.
    pending_file: Attachment | None = None
    # Telegram may deliver an update twice after a crash; the last few ids we applied, to skip repeats.
    # (Not a high-water mark: Telegram may restart update ids at a random value after a quiet week.)
    recent_updates: list[int] = field(default_factory=list)
    settings: MemberSettings = field(default_factory=MemberSettings)
    # The first name Telegram gave when they joined, so others read "Dana marked ...". Never logged.
    name: str | None = None
    joined_at: datetime | None = None
    invited_by: int | None = None
    last_answer: LastAnswer | None = None
    aside: Aside | None = None
    offer: Offer | None = None


class InviteStatus(enum.StrEnum):
    OPEN = "open"
    USED = "used"
    REVOKED = "revoked"


@dataclass
class Invite:
    """A single-use link to join a case. Only a hash of its secret is kept: the link itself is the key."""

    id: str  # short and public: names the invite on buttons (to revoke it)
    secret_hash: str  # sha256 of the secret, hex
    role: Role
    created_by: int
    created_at: datetime
    expires_at: datetime
    status: InviteStatus = InviteStatus.OPEN
    used_by: int | None = None
    used_at: datetime | None = None


@dataclass
class GroupChat:
    """A group chat linked to the case: the family's progress chat."""

    chat_id: int
    linked_by: int
    linked_at: datetime
    language: str | None = None  # None: the language of whoever linked it


# --- the outbox: news waiting to be sent --------------------------------------------------------------


class LetterStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # recorded just before the send: after a crash, never sent again (at most once)


@dataclass
class LetterFile:
    """A file that follows a letter (a calendar file), kept as text until it is sent."""

    name: str
    text: str
    caption: str


@dataclass
class LetterButton:
    label: str
    data: str  # callback data, as the edge encoded it


@dataclass
class Letter:
    """A message to one chat, written in the same save as the change that caused it.

    Rendered when the change is saved (the plan may change right after), sent from storage by the outbox
    sender, and removed from the plan once sent or given up on: nothing of it is kept afterwards.
    """

    id: str
    chat_id: int
    text: str  # Telegram HTML, already escaped
    created_at: datetime
    buttons: list[list[LetterButton]] = field(default_factory=list)  # rows of inline buttons
    files: list[LetterFile] = field(default_factory=list)
    status: LetterStatus = LetterStatus.PENDING
    attempts: int = 0
    due_at: datetime | None = None  # None: at once; set when a retry waits
    sending_at: datetime | None = None  # when a sender claimed it (SENDING): another takes over after a while


@dataclass
class Case:
    id: str
    created_at: datetime
    updated_at: datetime
    members: list[Member]
    profile: Profile = field(default_factory=Profile)
    specialist: SpecialistStep = field(default_factory=SpecialistStep)
    records: RecordsStep = field(default_factory=RecordsStep)
    insurance: InsuranceStep = field(default_factory=InsuranceStep)
    questions: QuestionsStep = field(default_factory=QuestionsStep)
    appointments: list[Appointment] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)
    invites: list[Invite] = field(default_factory=list)
    groups: list[GroupChat] = field(default_factory=list)
    editors_can_invite: bool = False
    outbox: list[Letter] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    # When a person last changed the plan (the bot's own saves, such as a reminder sent, do not count):
    # retention counts from here. None: not known yet (the plan's creation counts).
    active_at: datetime | None = None
    # What the first doctor recommended, in the user's words: the plan the other opinions are set beside.
    first_plan: str | None = None
    # Who gets a visit's summary, as chosen last time (journey/summary.py): True everyone in the plan,
    # False only the person who made it; None not chosen yet. The next summary asks with it first.
    summary_to_all: bool | None = None

    @property
    def owner_id(self) -> int:
        return next(m.user_id for m in self.members if m.role is Role.OWNER)
