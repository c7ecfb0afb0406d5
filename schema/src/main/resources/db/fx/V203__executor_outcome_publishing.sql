-- An execution's outcome row is committed before its terminal lifecycle record (and dead letter)
-- is sent, and marked published once Kafka acknowledged them. A request that comes again for a row
-- not marked published (the executor died in between) gets the recorded outcome published again,
-- identical, instead of a second run. Rows written before this column existed were published first.
ALTER TABLE executor_completed_executions
    ADD COLUMN duration_ms bigint,
    ADD COLUMN error text,
    ADD COLUMN outcome_published boolean NOT NULL DEFAULT true;
