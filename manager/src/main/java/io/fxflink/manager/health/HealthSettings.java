package io.fxflink.manager.health;

import io.fxflink.contracts.topic.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code /health} holds the platform to: the Flink jobs that must run, how old their last
 * completed checkpoint may be, whose consumer lag on the executions topic is watched and how much
 * of it is tolerated, and which components only degrade the manager when they are down.
 *
 * @param flinkJobs names of the platform's Flink jobs that must be RUNNING
 * @param maxCheckpointAge empty = 10 × the job's own checkpoint interval (as Flink reports it)
 * @param executorGroup the executor's Kafka consumer group (the executor's FX_EXECUTOR_GROUP)
 * @param executionsTopic the topic the executor consumes
 * @param maxExecutorLag more records waiting than this = DEGRADED
 * @param optional components whose DOWN makes the manager DEGRADED (200), not DOWN (503)
 */
public record HealthSettings(
        List<String> flinkJobs,
        Optional<Duration> maxCheckpointAge,
        String executorGroup,
        String executionsTopic,
        long maxExecutorLag,
        Set<String> optional) {

    /** (variable, default, description), for the manager's option list and README. */
    public static final List<String[]> OPTIONS =
            List.of(
                    new String[] {
                        "FX_HEALTH_FLINK_JOBS",
                        "fx-router,fx-ops-sink",
                        "Flink jobs that must be RUNNING for /health to say Flink is UP"
                    },
                    new String[] {
                        "FX_HEALTH_MAX_CHECKPOINT_AGE_MS",
                        "0",
                        "a job whose last completed checkpoint is older is DEGRADED; 0 = 10 × the"
                                + " job's checkpoint interval"
                    },
                    new String[] {
                        "FX_EXECUTOR_GROUP",
                        "fx-executor",
                        "the executor's consumer group, whose lag on the executions topic"
                                + " /health reports (same variable as the executor's)"
                    },
                    new String[] {
                        "FX_HEALTH_MAX_EXECUTOR_LAG",
                        "10000",
                        "more execution requests waiting than this = executor DEGRADED"
                    },
                    new String[] {
                        "FX_HEALTH_OPTIONAL",
                        "flink,executor",
                        "components whose DOWN only degrades /health (200); the others make it"
                                + " DOWN (503). Empty = every component is required"
                    });

    public HealthSettings {
        flinkJobs = List.copyOf(flinkJobs);
        optional = Set.copyOf(optional);
    }

    public static HealthSettings defaults() {
        return fromEnv(Map.of());
    }

    /**
     * Reads the settings; a bad value throws {@link IllegalArgumentException} naming the variable.
     */
    public static HealthSettings fromEnv(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        List<String> jobs = list(env, "FX_HEALTH_FLINK_JOBS", "fx-router,fx-ops-sink");
        long maxAgeMs = number(env, "FX_HEALTH_MAX_CHECKPOINT_AGE_MS", 0, problems);
        long maxLag = number(env, "FX_HEALTH_MAX_EXECUTOR_LAG", 10_000, problems);
        String group = env.getOrDefault("FX_EXECUTOR_GROUP", "").trim();
        String prefix = env.getOrDefault("FX_TOPIC_PREFIX", "").trim();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new HealthSettings(
                jobs,
                maxAgeMs == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(maxAgeMs)),
                group.isEmpty() ? "fx-executor" : group,
                TopicNames.withPrefix(prefix).executions(),
                maxLag,
                Set.copyOf(
                        env.containsKey("FX_HEALTH_OPTIONAL")
                                ? list(env, "FX_HEALTH_OPTIONAL", "")
                                : List.of("flink", "executor")));
    }

    private static List<String> list(Map<String, String> env, String name, String dflt) {
        String v = env.getOrDefault(name, dflt);
        return Arrays.stream((v.isBlank() ? dflt : v).split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .distinct()
                .toList();
    }

    private static long number(
            Map<String, String> env, String name, long dflt, List<String> problems) {
        String v = env.getOrDefault(name, "").trim();
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            long l = Long.parseLong(v);
            if (l < 0 || l > 365L * 24 * 3600 * 1000) {
                problems.add(name + " must be between 0 and 31536000000, was " + v);
            }
            return l;
        } catch (NumberFormatException e) {
            problems.add(name + " must be an integer, was '" + cut(v) + "'");
            return dflt;
        }
    }

    private static String cut(String v) {
        return v.length() > 40 ? v.substring(0, 40) + "…" : v;
    }
}
