-- Ops data written by the ops sink job (one row per execution, latest state wins by seq),
-- read by the manager and by anyone with SQL through the read-only role.

CREATE TABLE executions (
    execution_id       text PRIMARY KEY,
    service            text        NOT NULL,
    service_version    text,
    status             text        NOT NULL,
    attempt            integer     NOT NULL,
    seq                bigint      NOT NULL,
    trigger_event_id   text,
    trigger_event_type text,
    causation_id       text,
    root_event_id      text,
    causation_depth    integer,
    queued_at          timestamptz,
    started_at         timestamptz,
    finished_at        timestamptz,
    duration_ms        bigint,
    error              text,
    executor_id        text,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX executions_service_updated ON executions (service, updated_at DESC);
CREATE INDEX executions_status ON executions (status);
CREATE INDEX executions_trigger_event ON executions (trigger_event_id);
CREATE INDEX executions_root_event ON executions (root_event_id);
CREATE INDEX executions_causation ON executions (causation_id);

-- per service and minute, computed in Flink
CREATE TABLE execution_rollups_minute (
    service     text        NOT NULL,
    minute      timestamptz NOT NULL,
    total       bigint      NOT NULL,
    succeeded   bigint      NOT NULL,
    failed      bigint      NOT NULL,
    timed_out   bigint      NOT NULL,
    p50_ms      bigint,
    p95_ms      bigint,
    PRIMARY KEY (service, minute)
);

-- roles are cluster-wide: create once, grant per database
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fx_ops_reader') THEN
        CREATE ROLE fx_ops_reader NOLOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO fx_ops_reader;
GRANT SELECT ON executions, execution_rollups_minute TO fx_ops_reader;
