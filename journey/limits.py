"""Every limit on what one person can grow, in one place (docs/security.md lists them).

The numbers are far above what a real family needs, and low enough that one person cannot slow the bot
for everyone, or grow a list past what one Telegram message can show. Each refusal has its own kind words
(templates/en/strings.toml, [errors]): the limit, why, and what to do next.
"""

from __future__ import annotations

from datetime import timedelta

# Plans a person owns. Starting another is refused; joining others' plans is bounded by each plan's members.
PLANS_OWNED = 10
# /cases shows this many plans per page (a person may be in many plans others made).
PLANS_PER_PAGE = 8

# Per plan.
DOCTORS = 30  # doctors on the short list
FILES_PER_RECORD = 20  # photos and PDFs on one record
INSURANCE_CALLS = 50  # calls logged with the insurer
QUESTIONS = 40  # questions on the list, from the bank and typed
TOP_QUESTIONS = 3  # of them, marked most important
UPCOMING_VISITS = 10  # active visits not yet over
VISITS_KEPT = 30
NOTES = 100  # notes saved from typed text  # every visit kept in a plan: upcoming, past and cancelled
# Making room for a new visit at VISITS_KEPT drops the oldest cancelled visit, else the oldest visit over for
# longer than this (it has had its reminders and its "how did it go?").
VISIT_KEPT_AFTER = timedelta(days=30)

# Per reminder and person: one pending "Later". A second "Later" moves it to three hours from then.
LATER_PER_REMINDER = 1
