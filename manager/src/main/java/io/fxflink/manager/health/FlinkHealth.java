package io.fxflink.manager.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.manager.health.ComponentHealth.Status;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Flink as the platform needs it, from the REST API ({@code /taskmanagers}, {@code /jobs/overview},
 * {@code /jobs/:id/checkpoints}, {@code /jobs/:id/checkpoints/config}): at least one TaskManager
 * registered and every platform job RUNNING with all its tasks, checkpointing recently.
 *
 * <ul>
 *   <li>DOWN: Flink does not answer, no TaskManager is registered, or a platform job is missing or
 *       not running (RESTARTING, FAILING, FAILED, CANCELED, ...)
 *   <li>DEGRADED: a job is starting (CREATED, INITIALIZING), RUNNING with tasks not running
 *       (waiting for slots), or its last completed checkpoint is older than the bound (no
 *       checkpoint yet counts from the job's start)
 * </ul>
 */
public final class FlinkHealth implements ComponentCheck {
    private static final Set<String> STARTING = Set.of("CREATED", "INITIALIZING", "RECONCILING");
    private static final Set<String> TERMINAL = Set.of("FINISHED", "CANCELED", "FAILED");

    private final FlinkRest rest;
    private final List<String> jobs;
    private final Optional<Duration> maxCheckpointAge;
    private final Clock clock;

    public FlinkHealth(
            FlinkRest rest, List<String> jobs, Optional<Duration> maxCheckpointAge, Clock clock) {
        this.rest = rest;
        this.jobs = List.copyOf(jobs);
        this.maxCheckpointAge = maxCheckpointAge;
        this.clock = clock;
    }

    @Override
    public ComponentHealth check() throws IOException {
        Status status = Status.UP;
        List<String> problems = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();

        int taskManagers = rest.get("/taskmanagers").path("taskmanagers").size();
        details.put("taskManagers", taskManagers);
        if (taskManagers == 0) {
            status = Status.DOWN;
            problems.add("no TaskManager registered");
        }
        JsonNode overview = rest.get("/jobs/overview").path("jobs");
        Map<String, Object> jobDetails = new LinkedHashMap<>();
        for (String name : jobs) {
            Optional<JsonNode> job = pick(overview, name);
            if (job.isEmpty()) {
                status = status.worse(Status.DOWN);
                problems.add(name + " is not deployed");
                jobDetails.put(name, Map.of("state", "ABSENT"));
                continue;
            }
            JobVerdict v = judge(job.get());
            jobDetails.put(name, v.details());
            if (v.status() != Status.UP) {
                status = status.worse(v.status());
                problems.add(name + " " + v.problem());
            }
        }
        details.put("jobs", jobDetails);
        String reason =
                problems.isEmpty()
                        ? taskManagers
                                + " TaskManager(s), "
                                + jobs.size()
                                + " platform job(s) RUNNING"
                        : String.join("; ", problems);
        return ComponentHealth.of(status, reason, details);
    }

    private record JobVerdict(Status status, String problem, Map<String, Object> details) {}

    private JobVerdict judge(JsonNode job) {
        String id = job.path("jid").asText();
        String state = job.path("state").asText();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", id);
        d.put("state", state);
        if (!state.equals("RUNNING")) {
            Status s = STARTING.contains(state) ? Status.DEGRADED : Status.DOWN;
            String what =
                    STARTING.contains(state)
                            ? "is starting (" + state + ")"
                            : TERMINAL.contains(state)
                                    ? "is not running (last run " + state + ")"
                                    : "is " + state;
            return new JobVerdict(s, what, d);
        }
        JsonNode tasks = job.path("tasks");
        int total = tasks.path("total").asInt();
        int running = tasks.path("running").asInt();
        int finished = tasks.path("finished").asInt();
        d.put("tasksRunning", running);
        d.put("tasksTotal", total);
        List<String> problems = new ArrayList<>();
        Status s = Status.UP;
        if (running + finished < total) {
            s = Status.DEGRADED;
            problems.add(
                    "is RUNNING but only "
                            + running
                            + " of "
                            + total
                            + " tasks run (the others wait for slots or are deploying)");
        }
        long now = clock.millis();
        Optional<Duration> bound = maxCheckpointAge.or(() -> tenIntervals(id));
        long lastAck = 0;
        try {
            JsonNode completed =
                    rest.get("/jobs/" + id + "/checkpoints").path("latest").path("completed");
            if (completed.isObject()) {
                lastAck = completed.path("latest_ack_timestamp").asLong(0);
                d.put("lastCheckpointId", completed.path("id").asLong());
            }
        } catch (IOException e) {
            d.put("checkpointStats", "unavailable: " + e.getMessage());
        }
        long since = lastAck > 0 ? lastAck : job.path("start-time").asLong(now);
        long age = Math.max(0, now - since);
        if (lastAck > 0) {
            d.put("lastCheckpointAgeMs", age);
        }
        bound.ifPresent(b -> d.put("maxCheckpointAgeMs", b.toMillis()));
        if (bound.isPresent() && age > bound.get().toMillis()) {
            s = s.worse(Status.DEGRADED);
            problems.add(
                    lastAck > 0
                            ? "last completed checkpoint "
                                    + seconds(age)
                                    + " ago (bound "
                                    + seconds(bound.get().toMillis())
                                    + ")"
                            : "no completed checkpoint in "
                                    + seconds(age)
                                    + " of running (bound "
                                    + seconds(bound.get().toMillis())
                                    + ")");
        }
        return new JobVerdict(s, String.join(", ", problems), d);
    }

    /** 10 × the job's checkpoint interval; empty when checkpointing is off or unknown. */
    private Optional<Duration> tenIntervals(String id) {
        try {
            long interval =
                    rest.get("/jobs/" + id + "/checkpoints/config").path("interval").asLong(0);
            return interval > 0 && interval < Long.MAX_VALUE / 10
                    ? Optional.of(Duration.ofMillis(10 * interval))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The job of that name that counts: the newest one not yet ended, else the newest that ended.
     */
    private static Optional<JsonNode> pick(JsonNode jobs, String name) {
        JsonNode best = null;
        for (JsonNode j : jobs) {
            if (!name.equals(j.path("name").asText())) {
                continue;
            }
            if (best == null || rank(j) > rank(best)) {
                best = j;
            }
        }
        return Optional.ofNullable(best);
    }

    private static double rank(JsonNode j) {
        boolean ended = TERMINAL.contains(j.path("state").asText());
        // active jobs first, then by start time
        return (ended ? 0 : 1e15) + j.path("start-time").asLong(0);
    }

    private static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
