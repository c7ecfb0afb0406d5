package io.fxflink.manager.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.manager.access.Principal;
import io.fxflink.manager.api.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flink jobs through the cluster's REST API: list with the last completed checkpoint, submit an
 * uploaded jar or one of the platform's own jobs, stop with a savepoint. Platform admins only (role
 * admin on '*'): a job runs with the cluster's rights, not a project's.
 */
public final class JobService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobService.class);
    private static final Set<String> TERMINAL = Set.of("FINISHED", "CANCELED", "FAILED");

    private final FlinkRestClient flink;
    private final PlatformJobs platformJobs;
    private final Duration stopTimeout;
    private final ExecutorService pool =
            Executors.newFixedThreadPool(
                    4,
                    r -> {
                        Thread t = new Thread(r, "fx-flink-rest");
                        t.setDaemon(true);
                        return t;
                    });

    /**
     * @param flinkRestUrl the cluster's REST URL; empty = not configured (routes answer 503)
     */
    public JobService(String flinkRestUrl, String jobJarsDir, Duration stopTimeout) {
        this.flink =
                flinkRestUrl == null || flinkRestUrl.isBlank()
                        ? null
                        : new FlinkRestClient(flinkRestUrl);
        this.platformJobs = new PlatformJobs(jobJarsDir);
        this.stopTimeout = stopTimeout;
    }

    public boolean enabled() {
        return flink != null;
    }

    /** Readiness probe: the cluster answers {@code /overview}. */
    public void check() {
        JsonNode o = flink().overview();
        if (!o.has("taskmanagers")) {
            throw new IllegalStateException("Flink /overview answered without 'taskmanagers'");
        }
    }

    List<JobView> list(Principal caller) {
        caller.requirePlatformAdmin();
        FlinkRestClient f = flink();
        List<JsonNode> jobs = call(f::jobs);
        List<CompletableFuture<JobView>> views = new ArrayList<>();
        for (JsonNode j : jobs) {
            views.add(CompletableFuture.supplyAsync(() -> view(f, j), pool));
        }
        return views.stream()
                .map(CompletableFuture::join)
                .sorted(
                        Comparator.comparing(
                                JobView::startTime,
                                Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
    }

    private JobView view(FlinkRestClient f, JsonNode j) {
        String id = j.path("jid").asText();
        JobView.Checkpoint last = null;
        try {
            JsonNode c = f.checkpoints(id).path("latest").path("completed");
            if (c.isObject() && c.has("id")) {
                last =
                        new JobView.Checkpoint(
                                c.path("id").asLong(),
                                millis(c.path("latest_ack_timestamp")),
                                c.path("external_path").isTextual()
                                        ? c.path("external_path").asText()
                                        : null);
            }
        } catch (RuntimeException e) {
            // a job without checkpoint statistics (never checkpointed, or archived) is still listed
            LOG.debug("No checkpoint statistics for Flink job {}: {}", id, e.getMessage());
        }
        long duration = j.path("duration").asLong(-1);
        return new JobView(
                id,
                j.path("name").asText(),
                j.path("state").asText(),
                millis(j.path("start-time")),
                millis(j.path("end-time")),
                duration < 0 ? null : duration,
                last);
    }

    /** Uploads a caller's jar to Flink and runs it. */
    Submitted submitJar(
            Principal caller,
            String fileName,
            long size,
            Supplier<InputStream> content,
            RunOptions options) {
        caller.requirePlatformAdmin();
        FlinkRestClient f = flink();
        String main = mainClass(content);
        if (options.entryClass() == null && main == null) {
            throw ApiException.badRequest(
                    "the jar has no Main-Class in its manifest: give the form field 'entryClass'");
        }
        Submitted s = run(f, safeName(fileName), size, content, options, main);
        LOG.info(
                "Flink job {} submitted by {} from uploaded jar {} ({} bytes)",
                s.jobId(),
                caller.tokenId(),
                s.jar(),
                size);
        return s;
    }

    /** Runs one of the platform's own jobs from FX_JOB_JARS_DIR, unless it runs already. */
    Submitted deploy(Principal caller, JobRequests.Deploy d) {
        caller.requirePlatformAdmin();
        FlinkRestClient f = flink();
        String jobName = PlatformJobs.jobName(d.job());
        Path jar = platformJobs.jar(d.job());
        for (JsonNode j : call(f::jobs)) {
            if (jobName.equals(j.path("name").asText())
                    && !TERMINAL.contains(j.path("state").asText())) {
                throw ApiException.conflict(
                        "job '"
                                + jobName
                                + "' is already "
                                + j.path("state").asText()
                                + " as "
                                + j.path("jid").asText()
                                + "; stop it first (POST /api/v1/jobs/"
                                + j.path("jid").asText()
                                + "/stop) and deploy again with its savepointPath");
            }
        }
        long size;
        try {
            size = Files.size(jar);
        } catch (IOException e) {
            throw ApiException.unavailable("cannot read " + jar + ": " + e.getMessage());
        }
        Supplier<InputStream> content =
                () -> {
                    try {
                        return Files.newInputStream(jar);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                };
        Submitted s =
                run(
                        f,
                        jar.getFileName().toString(),
                        size,
                        content,
                        d.options(),
                        mainClass(content));
        LOG.info(
                "Platform job {} ({}) deployed by {} from {}",
                d.job(),
                s.jobId(),
                caller.tokenId(),
                jar);
        return s;
    }

    private Submitted run(
            FlinkRestClient f,
            String fileName,
            long size,
            Supplier<InputStream> content,
            RunOptions options,
            String manifestMain) {
        String jarId = call(() -> f.uploadJar(fileName, size, content));
        try {
            String jobId;
            try {
                jobId = f.runJar(jarId, options);
            } catch (FlinkRestClient.FlinkException e) {
                // Flink answers 500 for a main() that fails as much as for a bad entry class:
                // either way it is the jar or its arguments, which the caller can fix
                throw new ApiException(
                        400, "job_not_started", "Flink could not start the job: " + e.getMessage());
            }
            return new Submitted(
                    jobId,
                    fileName,
                    options.entryClass() != null ? options.entryClass() : manifestMain);
        } finally {
            // the job graph and its jars are in the cluster's blob store now: keep no copy around
            try {
                f.deleteJar(jarId);
            } catch (RuntimeException e) {
                LOG.warn("Could not delete uploaded jar {} from Flink: {}", jarId, e.getMessage());
            }
        }
    }

    /**
     * Stop-with-savepoint; waits up to FX_FLINK_STOP_TIMEOUT_MS for the savepoint, then answers
     * IN_PROGRESS with the trigger to poll.
     */
    StopResult stop(Principal caller, String jobId, boolean drain, String targetDirectory) {
        caller.requirePlatformAdmin();
        FlinkRestClient f = flink();
        String id = JobRequests.jobId(jobId);
        String trigger = call(() -> f.stopWithSavepoint(id, drain, targetDirectory));
        LOG.info(
                "Stop-with-savepoint of Flink job {} requested by {} (trigger {}, drain={})",
                id,
                caller.tokenId(),
                trigger,
                drain);
        long deadline = System.nanoTime() + stopTimeout.toNanos();
        long pauseMs = 100;
        while (true) {
            StopResult r = status(f, id, trigger);
            if (r.completed() || System.nanoTime() >= deadline) {
                if (r.completed()) {
                    LOG.info("Flink job {} stopped with savepoint {}", id, r.savepointPath());
                }
                return r;
            }
            // polling Flink's asynchronous operation: back off up to one second between asks
            LockSupport.parkNanos(Duration.ofMillis(pauseMs).toNanos());
            pauseMs = Math.min(1000, pauseMs * 2);
        }
    }

    StopResult savepointStatus(Principal caller, String jobId, String triggerId) {
        caller.requirePlatformAdmin();
        return status(flink(), JobRequests.jobId(jobId), JobRequests.triggerId(triggerId));
    }

    private StopResult status(FlinkRestClient f, String id, String trigger) {
        JsonNode s = call(() -> f.savepointStatus(id, trigger));
        String state = s.path("status").path("id").asText();
        String url = "/api/v1/jobs/" + id + "/savepoints/" + trigger;
        if (!"COMPLETED".equals(state)) {
            return new StopResult(id, trigger, "IN_PROGRESS", null, url);
        }
        JsonNode op = s.path("operation");
        if (op.has("failure-cause")) {
            JsonNode cause = op.path("failure-cause");
            String text =
                    cause.path("stack-trace").isTextual()
                            ? FlinkRestClient.causes(cause.path("stack-trace").asText())
                            : cause.path("class").asText("unknown");
            if (text.contains("FlinkJobNotFoundException")) {
                throw ApiException.notFound("Flink knows no job " + id);
            }
            if (text.contains("FlinkJobTerminatedWithoutCancellationException")
                    || text.contains("is not in state RUNNING")
                    || text.contains("not running")) {
                throw ApiException.conflict(
                        "job " + id + " is not running, there is nothing to stop: " + text);
            }
            throw new ApiException(
                    409,
                    "savepoint_failed",
                    "stop-with-savepoint of job " + id + " failed, the job keeps running: " + text);
        }
        return new StopResult(id, trigger, "COMPLETED", op.path("location").asText(null), url);
    }

    private FlinkRestClient flink() {
        if (flink == null) {
            throw ApiException.unavailable(
                    "FX_FLINK_REST_URL is not set: the manager is not connected to a Flink cluster");
        }
        return flink;
    }

    /** Flink's answers as API errors: its 4xx are the caller's, anything else is a bad gateway. */
    private static <T> T call(Supplier<T> c) {
        try {
            return c.get();
        } catch (FlinkRestClient.FlinkException e) {
            int s = e.status();
            if (s == 404) {
                throw ApiException.notFound("Flink: " + e.getMessage());
            }
            if (s == 409) {
                throw ApiException.conflict("Flink: " + e.getMessage());
            }
            if (s >= 400 && s < 500) {
                throw ApiException.badRequest("Flink refused the request: " + e.getMessage());
            }
            throw new ApiException(
                    502, "bad_gateway", "Flink failed (" + s + "): " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw ApiException.unavailable("cannot read the jar: " + e.getCause().getMessage());
        }
    }

    /** The jar's Main-Class, or null; 400 when the upload is not a jar at all. */
    static String mainClass(Supplier<InputStream> content) {
        try (InputStream raw = content.get()) {
            byte[] magic = raw.readNBytes(4);
            if (magic.length < 4
                    || magic[0] != 'P'
                    || magic[1] != 'K'
                    || magic[2] != 3
                    || magic[3] != 4) {
                throw ApiException.badRequest("the upload is not a jar (no zip header)");
            }
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the uploaded jar: " + e.getMessage());
        }
        try (JarInputStream jar = new JarInputStream(content.get())) {
            Manifest m = jar.getManifest();
            if (jar.getNextJarEntry() == null && m == null) {
                throw ApiException.badRequest("the upload is not a jar (no entries)");
            }
            String main = m == null ? null : m.getMainAttributes().getValue("Main-Class");
            return main == null || main.isBlank() ? null : main.trim();
        } catch (IOException e) {
            throw ApiException.badRequest("the upload is not a valid jar: " + e.getMessage());
        }
    }

    private static String safeName(String fileName) {
        String n = fileName == null ? "" : fileName.replaceAll("^.*[/\\\\]", "");
        return n.matches("[A-Za-z0-9._-]{1,200}\\.jar") ? n : "upload.jar";
    }

    private static Instant millis(JsonNode n) {
        long v = n.asLong(-1);
        return v <= 0 ? null : Instant.ofEpochMilli(v);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
