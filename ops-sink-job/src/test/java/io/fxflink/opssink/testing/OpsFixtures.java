package io.fxflink.opssink.testing;

import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.contracts.ops.MetricRecord;
import io.fxflink.contracts.ops.OpsLogRecord;
import io.fxflink.contracts.ops.OpsRecordIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A deterministic ops data set (executions of a few services with retries, failures, timeouts and a
 * causation chain; their log lines; metric samples) and the expected outcome computed independently
 * of the job's code.
 */
public final class OpsFixtures {
    public static final Instant BASE = Instant.parse("2024-05-01T10:00:00Z");

    public final List<ExecutionLifecycleRecord> lifecycle = new ArrayList<>();
    public final List<OpsLogRecord> logs = new ArrayList<>();
    public final List<MetricRecord> metrics = new ArrayList<>();

    /** Builds {@code executionsPerService} executions for each of three services. */
    public static OpsFixtures generate(int executionsPerService, long seed) {
        OpsFixtures f = new OpsFixtures();
        Random random = new Random(seed);
        List<String> services = List.of("billing", "ingest", "report");
        int n = 0;
        for (String service : services) {
            for (int i = 0; i < executionsPerService; i++) {
                n++;
                String executionId = service + "-exec-" + i;
                // spread over five minutes
                Instant queued = BASE.plusMillis(random.nextInt(5 * 60_000 - 20_000));
                String trigger = "evt-" + service + "-" + i;
                f.addExecution(
                        executionId,
                        service,
                        trigger,
                        null,
                        trigger,
                        0,
                        queued,
                        random.nextInt(10),
                        10 + random.nextInt(2000),
                        random);
            }
        }
        // a causation chain: root event -> billing -> ingest -> report
        Instant t = BASE.plusSeconds(30);
        f.addExecution("chain-a", "billing", "evt-root", null, "evt-root", 0, t, 0, 100, random);
        f.addExecution(
                "chain-b",
                "ingest",
                "evt-b",
                "evt-root",
                "evt-root",
                1,
                t.plusSeconds(2),
                0,
                200,
                random);
        f.addExecution(
                "chain-c",
                "report",
                "evt-c",
                "evt-b",
                "evt-root",
                2,
                t.plusSeconds(4),
                0,
                300,
                random);
        for (int m = 0; m < 20; m++) {
            f.metrics.add(
                    new MetricRecord(
                            "fx.executor.queue.depth",
                            Map.of("service", services.get(m % 3), "executor", "ex-1"),
                            m,
                            BASE.plusSeconds(m * 10L)));
        }
        return f;
    }

    /**
     * Adds one execution: QUEUED, STARTED, then by {@code fate} 0-5 succeed, 6-7 fail once and
     * succeed on retry, 8 time out and die, 9 fail, retry, fail and die. Two log lines per attempt.
     */
    private void addExecution(
            String executionId,
            String service,
            String triggerEventId,
            String causationId,
            String rootEventId,
            int depth,
            Instant queued,
            int fate,
            long durationMs,
            Random random) {
        List<Object[]> steps = new ArrayList<>(); // status, attempt, offset ms, duration, error
        steps.add(new Object[] {ExecutionStatus.QUEUED, 1, 0L, null, null});
        steps.add(new Object[] {ExecutionStatus.STARTED, 1, 50L, null, null});
        if (fate <= 5) {
            steps.add(
                    new Object[] {
                        ExecutionStatus.SUCCEEDED, 1, 50L + durationMs, durationMs, null
                    });
        } else if (fate <= 7) {
            steps.add(
                    new Object[] {ExecutionStatus.FAILED, 1, 50L + durationMs, durationMs, "boom"});
            steps.add(new Object[] {ExecutionStatus.RETRYING, 1, 60L + durationMs, null, "boom"});
            steps.add(new Object[] {ExecutionStatus.STARTED, 2, 1060L + durationMs, null, null});
            long d2 = durationMs / 2 + 1;
            steps.add(
                    new Object[] {ExecutionStatus.SUCCEEDED, 2, 1060L + durationMs + d2, d2, null});
        } else if (fate == 8) {
            steps.add(new Object[] {ExecutionStatus.TIMED_OUT, 1, 5050L, 5000L, "deadline"});
            steps.add(new Object[] {ExecutionStatus.DEAD, 1, 5060L, 5000L, "deadline"});
        } else {
            steps.add(new Object[] {ExecutionStatus.FAILED, 1, 50L + durationMs, durationMs, "e1"});
            steps.add(new Object[] {ExecutionStatus.RETRYING, 1, 60L + durationMs, null, "e1"});
            steps.add(new Object[] {ExecutionStatus.STARTED, 2, 1060L + durationMs, null, null});
            steps.add(new Object[] {ExecutionStatus.FAILED, 2, 2060L + durationMs, 1000L, "e2"});
            steps.add(new Object[] {ExecutionStatus.DEAD, 2, 2070L + durationMs, 1000L, "e2"});
        }
        for (int seq = 0; seq < steps.size(); seq++) {
            Object[] s = steps.get(seq);
            ExecutionStatus status = (ExecutionStatus) s[0];
            int attempt = (Integer) s[1];
            Instant time = queued.plusMillis((Long) s[2]);
            lifecycle.add(
                    new ExecutionLifecycleRecord(
                            OpsRecordIds.lifecycle(executionId, seq),
                            executionId,
                            service,
                            "1." + (random.nextInt(2)),
                            status,
                            attempt,
                            seq,
                            time,
                            (Long) s[3],
                            triggerEventId,
                            depth == 0 ? "fx.platform.manual" : "app.step.done",
                            causationId,
                            rootEventId,
                            depth,
                            (String) s[4],
                            "executor-1"));
            if (status == ExecutionStatus.STARTED) {
                for (int line = 0; line < 2; line++) {
                    logs.add(
                            OpsLogRecord.of(
                                    executionId,
                                    service,
                                    "1.0",
                                    attempt,
                                    line,
                                    "main.py",
                                    line == 0 ? LogLevel.INFO : LogLevel.WARN,
                                    time.plusMillis(line + 1),
                                    "line " + line + " of " + executionId + " attempt " + attempt));
                }
            }
        }
    }

    /** Lifecycle records in a shuffled order (out-of-order arrival per execution). */
    public List<ExecutionLifecycleRecord> shuffledLifecycle(long seed) {
        List<ExecutionLifecycleRecord> out = new ArrayList<>(lifecycle);
        Collections.shuffle(out, new Random(seed));
        return out;
    }

    // ---- expected results, computed without the job's classes ---------------------------------

    /** The record with the highest sequence of each execution. */
    public Map<String, ExecutionLifecycleRecord> latestByExecution() {
        return lifecycle.stream()
                .collect(
                        Collectors.toMap(
                                ExecutionLifecycleRecord::executionId,
                                r -> r,
                                (a, b) -> a.sequence() >= b.sequence() ? a : b,
                                TreeMap::new));
    }

    public Instant firstTime(String executionId, ExecutionStatus... statuses) {
        return times(executionId, statuses).stream().min(Comparator.naturalOrder()).orElse(null);
    }

    public Instant lastTime(String executionId, ExecutionStatus... statuses) {
        return times(executionId, statuses).stream().max(Comparator.naturalOrder()).orElse(null);
    }

    private List<Instant> times(String executionId, ExecutionStatus... statuses) {
        List<ExecutionStatus> wanted = List.of(statuses);
        return lifecycle.stream()
                .filter(r -> r.executionId().equals(executionId) && wanted.contains(r.status()))
                .map(ExecutionLifecycleRecord::time)
                .toList();
    }

    /** Expected rollup rows as "service|minute|total|ok|failed|timedOut|p50|p95". */
    public List<String> expectedRollups() {
        Map<String, List<ExecutionLifecycleRecord>> byKey = new TreeMap<>();
        for (ExecutionLifecycleRecord r : lifecycle) {
            if (r.status() == ExecutionStatus.SUCCEEDED
                    || r.status() == ExecutionStatus.FAILED
                    || r.status() == ExecutionStatus.TIMED_OUT) {
                long minute = r.time().toEpochMilli() / 60_000 * 60_000;
                byKey.computeIfAbsent(
                                r.service() + "|" + Instant.ofEpochMilli(minute),
                                k -> new ArrayList<>())
                        .add(r);
            }
        }
        List<String> out = new ArrayList<>();
        byKey.forEach(
                (key, records) -> {
                    List<Long> d =
                            records.stream()
                                    .map(ExecutionLifecycleRecord::durationMs)
                                    .sorted()
                                    .toList();
                    out.add(
                            key
                                    + "|"
                                    + records.size()
                                    + "|"
                                    + count(records, ExecutionStatus.SUCCEEDED)
                                    + "|"
                                    + count(records, ExecutionStatus.FAILED)
                                    + "|"
                                    + count(records, ExecutionStatus.TIMED_OUT)
                                    + "|"
                                    + nearestRank(d, 50)
                                    + "|"
                                    + nearestRank(d, 95));
                });
        return out;
    }

    private static long count(List<ExecutionLifecycleRecord> records, ExecutionStatus s) {
        return records.stream().filter(r -> r.status() == s).count();
    }

    /** Nearest-rank percentile with integer arithmetic: rank = ceil(p * n / 100). */
    private static long nearestRank(List<Long> sorted, int percent) {
        int rank = (percent * sorted.size() + 99) / 100;
        return sorted.get(Math.max(rank, 1) - 1);
    }
}
