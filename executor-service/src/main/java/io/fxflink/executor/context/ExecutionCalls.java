package io.fxflink.executor.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.fxflink.config.ConfigKeys;
import io.fxflink.config.ConfigScope;
import io.fxflink.config.ConfigStore;
import io.fxflink.config.SecretStore;
import io.fxflink.contracts.cloudevents.FxExtensions;
import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.contracts.ops.OpsLogRecord;
import io.fxflink.executor.ops.OpsPublisher;
import io.fxflink.executor.schedule.RetrySchedule;
import io.fxflink.executor.schedule.ScheduledRuns;
import io.fxflink.executor.storage.ObjectStorage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The platform side of one execution attempt: turns log lines into ops log records and answers the
 * service's calls (events, config, secrets, state). Every Kafka send is remembered so the runner
 * can wait for all of them before the outcome is made durable.
 */
public final class ExecutionCalls implements StepCallbacks {
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,255}");
    private static final int MAX_EVENTS_PER_EXECUTION = 10_000;
    private static final int MAX_EVENT_BYTES = 512 * 1024;
    private static final int MAX_RETRIES_PER_EXECUTION = 100;
    private static final int MAX_RETRY_PARAMETER_CHARS = 256 * 1024;

    /** The project of a request that names none (requests from before they carried one). */
    public static final String DEFAULT_PROJECT = "default";

    private final ExecutionRequest request;
    private final int attempt;
    private final String project;
    private final Map<String, String> configDefaults;
    private final OpsPublisher ops;
    private final ConfigStore config;
    private final SecretStore secrets;
    private final ServiceState state;
    private final ObjectStorage storage;
    private final ScheduledRuns scheduledRuns;
    private final AtomicInteger retrySeq = new AtomicInteger();
    private final ObjectMapper json;
    private final Clock clock;
    private final AtomicLong logSeq = new AtomicLong();
    private final AtomicInteger eventSeq = new AtomicInteger();
    private final List<CompletableFuture<Void>> sends = new CopyOnWriteArrayList<>();
    private volatile String step;

    public ExecutionCalls(
            ExecutionRequest request,
            int attempt,
            Map<String, String> configDefaults,
            OpsPublisher ops,
            PlatformServices services,
            ObjectMapper json,
            Clock clock) {
        this.request = request;
        this.attempt = attempt;
        this.project = projectOf(request);
        this.configDefaults = configDefaults;
        this.ops = ops;
        this.config = services.config();
        this.secrets = services.secrets();
        this.state = services.state();
        this.storage = services.storage();
        this.scheduledRuns = services.scheduledRuns();
        this.json = json;
        this.clock = clock;
    }

    /**
     * The project whose config and secrets an execution sees: the one its request names, never the
     * executor's own setting (one executor runs the services of every project).
     */
    public static String projectOf(ExecutionRequest request) {
        return request.project() == null ? DEFAULT_PROJECT : request.project();
    }

    public void step(String step) {
        this.step = step;
    }

    public List<CompletableFuture<Void>> sends() {
        return sends;
    }

    public int eventsSent() {
        return eventSeq.get();
    }

    @Override
    public void log(LogLevel level, String stream, String message, boolean truncated) {
        String text =
                truncated && !message.contains("truncated") ? message + " [truncated]" : message;
        sends.add(
                ops.log(
                        OpsLogRecord.of(
                                request.executionId(),
                                request.service(),
                                request.serviceVersion(),
                                attempt,
                                logSeq.incrementAndGet(),
                                step,
                                level,
                                clock.instant(),
                                text)));
    }

    @Override
    public Object call(String method, JsonNode args) throws PlatformCallException {
        try {
            return switch (method) {
                case "events.send" -> sendEvent(args);
                case "config.get" -> configGet(args.path("key").asText());
                case "secrets.get" -> secretGet(args.path("name").asText());
                case "secrets.set" -> secretSet(args.path("name").asText(), args.get("value"));
                case "state.get" -> state.get(request.service(), key(args)).orElse(null);
                case "state.put" -> {
                    state.put(request.service(), key(args), args.path("value").asText());
                    yield null;
                }
                case "state.delete" -> state.delete(request.service(), key(args));
                case "storage.create_bucket" -> storage.createBucket(text(args, "bucket"));
                case "storage.upload" -> {
                    storage.upload(text(args, "bucket"), text(args, "object"), base64(args));
                    yield null;
                }
                case "storage.download" ->
                        Base64.getEncoder()
                                .encodeToString(
                                        storage.download(
                                                text(args, "bucket"), text(args, "object")));
                case "storage.url" ->
                        storage.presignedGet(
                                text(args, "bucket"),
                                text(args, "object"),
                                args.path("expires").asLong(3600));
                case "scheduler.retry" -> scheduleRetry(args);
                default ->
                        throw new PlatformCallException(
                                "fx_ef: "
                                        + method
                                        + " is not supported by the FX on Flink executor");
            };
        } catch (IllegalArgumentException e) {
            throw new PlatformCallException(e.getMessage());
        } catch (SQLException e) {
            throw new PlatformCallException(
                    method + " could not reach the platform database: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode args, String field) {
        JsonNode n = args.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private byte[] base64(JsonNode args) throws PlatformCallException {
        String data = text(args, "data");
        if (data == null) {
            throw new PlatformCallException("storage.upload: no data");
        }
        // checked before decoding, so a huge payload is refused without a copy
        if (data.length() / 4L * 3 > storage.maxObjectBytes() + 3) {
            throw new PlatformCallException(
                    "storage.upload: the object is larger than the limit of "
                            + storage.maxObjectBytes()
                            + " bytes");
        }
        try {
            return Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new PlatformCallException("storage.upload: data is not base64");
        }
    }

    private String scheduleRetry(JsonNode args) throws PlatformCallException, SQLException {
        RetrySchedule when = RetrySchedule.parse(args, clock.instant());
        JsonNode parameters = args.get("parameters");
        String parametersJson = null;
        if (parameters != null && !parameters.isNull()) {
            parametersJson = parameters.toString();
            if (parametersJson.length() > MAX_RETRY_PARAMETER_CHARS) {
                throw new PlatformCallException(
                        "scheduler.retry: parameters are "
                                + parametersJson.length()
                                + " characters (max "
                                + MAX_RETRY_PARAMETER_CHARS
                                + ")");
            }
        }
        int n = retrySeq.incrementAndGet();
        if (n > MAX_RETRIES_PER_EXECUTION) {
            throw new PlatformCallException(
                    "scheduler.retry: more than "
                            + MAX_RETRIES_PER_EXECUTION
                            + " scheduled runs in one execution");
        }
        // deterministic: the same call in a re-run of this execution keeps the first run
        return scheduledRuns.schedule(
                request.executionId() + "-retry-" + n,
                request.service(),
                when,
                parametersJson,
                request.executionId(),
                request.triggerEvent().id(),
                FxExtensions.rootId(request.triggerEvent()));
    }

    private static String key(JsonNode args) {
        return ConfigKeys.key(args.path("key").asText(), "state key");
    }

    private String configGet(String key) {
        return config.resolve(project, request.service(), key)
                .orElseGet(() -> configDefaults.get(key));
    }

    private String secretGet(String name) {
        return secrets.resolve(project, request.service(), name).orElse(null);
    }

    private Object secretSet(String name, JsonNode value) {
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("secrets.set needs a string value");
        }
        secrets.put(ConfigScope.service(request.service()), name, value.asText());
        return null;
    }

    private String sendEvent(JsonNode args) throws PlatformCallException {
        String type = args.path("type").asText();
        if (!EVENT_TYPE.matcher(type).matches()) {
            throw new PlatformCallException("events.send: invalid event type '" + type + "'");
        }
        int n = eventSeq.incrementAndGet();
        if (n > MAX_EVENTS_PER_EXECUTION) {
            throw new PlatformCallException(
                    "events.send: more than "
                            + MAX_EVENTS_PER_EXECUTION
                            + " events in one execution");
        }
        JsonNode sourceNode = args.get("source");
        String source =
                sourceNode == null || sourceNode.isNull()
                        ? "urn:fx:service:" + request.service()
                        : sourceNode.asText();
        byte[] data;
        try {
            data =
                    json.writeValueAsBytes(
                            args.get("data") == null ? json.nullNode() : args.get("data"));
        } catch (Exception e) {
            throw new PlatformCallException("events.send: data is not JSON-serialisable");
        }
        if (data.length > MAX_EVENT_BYTES) {
            throw new PlatformCallException(
                    "events.send: data is " + data.length + " bytes (max " + MAX_EVENT_BYTES + ")");
        }
        // deterministic id: a re-run after a crash emits the same ids, so downstream executions
        // derived from them are recognised as duplicates
        String id = request.executionId() + "-" + n;
        CloudEventBuilder b;
        try {
            b =
                    CloudEventBuilder.v1()
                            .withId(id)
                            .withSource(URI.create(source))
                            .withType(type)
                            .withTime(
                                    OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                            .withDataContentType("application/json")
                            .withData(data)
                            .withExtension(FxExtensions.CAUSATION_ID, request.triggerEvent().id())
                            .withExtension(FxExtensions.EXECUTION_ID, request.executionId())
                            .withExtension(
                                    FxExtensions.DEPTH,
                                    String.valueOf(request.causationDepth() + 1))
                            .withExtension(
                                    FxExtensions.ROOT_ID,
                                    FxExtensions.rootId(request.triggerEvent()));
        } catch (IllegalArgumentException e) {
            throw new PlatformCallException("events.send: invalid source '" + source + "'");
        }
        if (request.traceparent() != null) {
            b.withExtension(FxExtensions.TRACEPARENT, request.traceparent());
        }
        JsonNode ref = args.get("reference_id");
        if (ref != null && !ref.isNull()) {
            b.withExtension("fxreferenceid", ref.asText());
        }
        JsonNode subject = args.get("subject");
        if (subject != null && !subject.isNull()) {
            b.withSubject(subject.asText());
        }
        sends.add(ops.event(request.executionId(), b.build()));
        return id;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
