-- Telegram's sending limits hold for the bot as a whole, so every worker reserves its sends here
-- (storage/pg_pace.py). One row per limit (the whole bot, or one chat): next_at is the limit's
-- theoretical arrival time (GCRA): the moment its schedule is booked up to. A row whose next_at has
-- passed means nothing (the limit is idle), so such rows are deleted now and then.
CREATE TABLE send_pace (
    key text PRIMARY KEY,
    next_at timestamptz NOT NULL
);

CREATE INDEX send_pace_next_at ON send_pace (next_at);
