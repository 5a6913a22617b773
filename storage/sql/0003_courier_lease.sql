-- Which worker's courier is sending for a plan right now, and until when (renewed as it goes). Due plans are
-- taken with SELECT ... FOR UPDATE SKIP LOCKED, so several workers share the due plans out instead of all
-- racing for each; a lease that ran out (its worker died) lets another worker take the plan. Only who does
-- the work: each item's claim is still its SENDING mark in the plan, under the version check.
ALTER TABLE plans ADD COLUMN courier text, ADD COLUMN courier_until timestamptz;
