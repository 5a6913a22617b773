-- Plans as documents: the body is the same JSON the file store keeps (storage/codec.py, with its
-- "schema" number, upgraded on load by storage/migrations.py); version counts saves, for the optimistic
-- check in save_case. member_ids (who the plan names) and wake_at (its next wake time) are copies of what
-- the body says, kept in the same write, so listings and start-up read no body.
CREATE TABLE plans (
    id text PRIMARY KEY,
    version bigint NOT NULL CHECK (version > 0),
    body jsonb NOT NULL,
    member_ids bigint[] NOT NULL DEFAULT '{}',
    wake_at timestamptz,
    saved_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX plans_wake_at ON plans (wake_at) WHERE wake_at IS NOT NULL;
CREATE INDEX plans_member_ids ON plans USING gin (member_ids);

-- Which plan a chat works on (a private chat's id is the person's id). A link goes with its plan.
CREATE TABLE chat_links (
    chat_id bigint PRIMARY KEY,
    plan_id text NOT NULL REFERENCES plans (id) ON DELETE CASCADE
);

CREATE INDEX chat_links_plan_id ON chat_links (plan_id);

-- Plans whose body could not be read, set aside as they were (never read again by the bot).
CREATE TABLE quarantine (
    n bigserial PRIMARY KEY,
    plan_id text NOT NULL,
    set_aside_at timestamptz NOT NULL DEFAULT now(),
    body jsonb NOT NULL,
    member_ids bigint[] NOT NULL
);

CREATE INDEX quarantine_plan_id ON quarantine (plan_id);
