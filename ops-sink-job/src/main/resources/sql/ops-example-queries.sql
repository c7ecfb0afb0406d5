-- Example SQL over the ops tables (executions, execution_rollups_minute).
-- Run with psql as any user granted fx_ops_reader (or after SET ROLE fx_ops_reader), e.g.
--   psql "$FX_PG_URL" -v root_event_id=evt-root -v trigger_event_id=evt-root -f ops-example-queries.sql
-- "Recent" means the last 24 hours of data (relative to the newest row), so the queries give
-- answers on a quiet system too. Each query is tested against rows written by the job
-- (OpsSinkJobITCase).

-- name: slowest-services
-- Services by 95th percentile duration of their executions' latest attempt.
SELECT service,
       count(*)                                                  AS executions,
       percentile_disc(0.50) WITHIN GROUP (ORDER BY duration_ms) AS p50_ms,
       percentile_disc(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95_ms,
       max(duration_ms)                                          AS max_ms
FROM executions
WHERE duration_ms IS NOT NULL
  AND finished_at >= (SELECT max(finished_at) FROM executions) - interval '24 hours'
GROUP BY service
ORDER BY p95_ms DESC, service
LIMIT 10;

-- name: failure-rate-by-service-and-hour
-- Attempt outcomes per service and hour from the per-minute rollups; failures = failed + timed out.
SELECT service,
       date_trunc('hour', minute)                                         AS hour,
       sum(total)                                                         AS outcomes,
       sum(failed + timed_out)                                            AS failures,
       round(100.0 * sum(failed + timed_out) / nullif(sum(total), 0), 2)  AS failure_pct
FROM execution_rollups_minute
WHERE minute >= (SELECT max(minute) FROM execution_rollups_minute) - interval '24 hours'
GROUP BY service, date_trunc('hour', minute)
ORDER BY hour DESC, failure_pct DESC, service;

-- name: executions-of-a-trigger-chain
-- Every execution caused (directly or transitively) by one root event, in causation order.
SELECT execution_id, service, status, attempt, causation_depth, trigger_event_id, causation_id,
       queued_at, finished_at, duration_ms, error
FROM executions
WHERE root_event_id = :'root_event_id'
ORDER BY causation_depth, queued_at, execution_id;

-- name: causation-tree-below-an-event
-- The same chain followed link by link from one trigger event: an execution's emitted events
-- carry its trigger event id as causation id.
WITH RECURSIVE chain AS (
    SELECT execution_id, service, status, trigger_event_id, 0 AS level
    FROM executions
    WHERE trigger_event_id = :'trigger_event_id'
  UNION
    SELECT e.execution_id, e.service, e.status, e.trigger_event_id, chain.level + 1
    FROM executions e
    JOIN chain ON e.causation_id = chain.trigger_event_id
    WHERE chain.level < 100
)
SELECT execution_id, service, status, level
FROM chain
ORDER BY level, execution_id;
