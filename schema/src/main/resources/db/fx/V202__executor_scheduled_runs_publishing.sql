-- context.scheduler.retry: what the publisher needs to emit a run exactly once and traceably.
-- event_id is deterministic (derived from id), so a publish repeated after a crash carries the same
-- CloudEvent id and the router recognises the duplicate.
ALTER TABLE executor_scheduled_runs
    ADD COLUMN event_id         text,
    ADD COLUMN trigger_event_id text,
    ADD COLUMN root_event_id    text,
    ADD COLUMN created_at       timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN published_at     timestamptz;
