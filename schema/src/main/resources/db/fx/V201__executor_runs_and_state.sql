-- Executor bookkeeping shared by every executor instance.

-- an execution id here has a final outcome (SUCCEEDED or DEAD): redeliveries and router replays of
-- it are recognised and not run again
CREATE TABLE executor_completed_executions (
    execution_id text PRIMARY KEY,
    service      text        NOT NULL,
    status       text        NOT NULL,
    attempt      integer     NOT NULL,
    finished_at  timestamptz NOT NULL DEFAULT now(),
    executor_id  text        NOT NULL
);

-- an execution some executor has started and not finished; found again after a crash, it runs
-- again with the attempt number incremented
CREATE TABLE executor_claims (
    execution_id text PRIMARY KEY,
    service      text        NOT NULL,
    attempt      integer     NOT NULL,
    executor_id  text        NOT NULL,
    claimed_at   timestamptz NOT NULL DEFAULT now()
);

-- context.state: per-service values kept between runs (JSON text)
CREATE TABLE service_state (
    service    text        NOT NULL,
    key        text        NOT NULL,
    value      text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service, key)
);

-- context.scheduler.retry: runs asked for later; an executor publishes each when it is due
CREATE TABLE executor_scheduled_runs (
    id          text PRIMARY KEY,
    service     text        NOT NULL,
    run_at      timestamptz NOT NULL,
    parameters  text,
    cron        text,
    created_by  text        NOT NULL,
    published   boolean     NOT NULL DEFAULT false
);
CREATE INDEX executor_scheduled_runs_due ON executor_scheduled_runs (run_at) WHERE NOT published;
