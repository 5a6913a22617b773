-- Updates as they arrive by webhook, stored before Telegram is answered, so a worker that dies loses none.
-- lane is the update's chat (handlers/plumbing/lanes.py::lane_of; 0 when it has none): a chat's updates are
-- handled in update_id order by one worker at a time, the one holding the lane's advisory lock
-- (storage/pg_inbox.py). A handled update keeps its id a day, without its body, so a delivery Telegram
-- repeats is recognised and not handled twice.
CREATE TABLE inbox (
    update_id bigint PRIMARY KEY,
    lane bigint NOT NULL,
    body jsonb,
    received_at timestamptz NOT NULL DEFAULT now(),
    handled_at timestamptz,
    CHECK ((body IS NULL) = (handled_at IS NOT NULL))
);

CREATE INDEX inbox_waiting ON inbox (lane, update_id) WHERE handled_at IS NULL;
CREATE INDEX inbox_handled_at ON inbox (handled_at) WHERE handled_at IS NOT NULL;
