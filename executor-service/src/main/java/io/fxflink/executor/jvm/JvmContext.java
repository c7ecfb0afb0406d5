package io.fxflink.executor.jvm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.executor.api.FxCallException;
import io.fxflink.executor.api.FxConfig;
import io.fxflink.executor.api.FxContext;
import io.fxflink.executor.api.FxEvents;
import io.fxflink.executor.api.FxLogger;
import io.fxflink.executor.api.FxScheduler;
import io.fxflink.executor.api.FxSecrets;
import io.fxflink.executor.api.FxState;
import io.fxflink.executor.api.FxStorage;
import io.fxflink.executor.api.FxTriggerEvent;
import io.fxflink.executor.context.PlatformCallException;
import io.fxflink.executor.context.StepCallbacks;
import io.fxflink.executor.context.StepInput;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link FxContext} for one JVM execution. Every platform call goes through the same {@link
 * StepCallbacks#call} as a Python service's, so both runtimes get the same checks and limits. After
 * the step ended (also after a timeout) the context refuses calls: an abandoned thread cannot emit
 * events or logs into an execution that already has an outcome.
 */
final class JvmContext implements FxContext, FxEvents, FxConfig, FxLogger, FxStorage, FxScheduler {
    private final StepInput input;
    private final StepCallbacks callbacks;
    private final ObjectMapper json;
    private volatile boolean closed;
    private Map<String, Object> params;
    private FxTriggerEvent trigger;

    JvmContext(StepInput input, StepCallbacks callbacks, ObjectMapper json) {
        this.input = input;
        this.callbacks = callbacks;
        this.json = json;
    }

    void close() {
        closed = true;
    }

    private Object call(String method, ObjectNode args) {
        if (closed) {
            throw new FxCallException(
                    method + ": the execution " + input.executionId() + " has already ended");
        }
        try {
            return callbacks.call(method, args);
        } catch (PlatformCallException e) {
            throw new FxCallException(method + " failed: " + e.getMessage());
        }
    }

    private JsonNode tree(Object value, String what) {
        try {
            return json.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new FxCallException(what + " is not JSON-serialisable: " + e.getMessage());
        }
    }

    // --- FxContext

    @Override
    @SuppressWarnings("unchecked")
    public synchronized Map<String, Object> params() {
        if (params == null) {
            JsonNode p = input.params();
            params =
                    p != null && p.isObject()
                            ? Collections.unmodifiableMap(json.convertValue(p, LinkedHashMap.class))
                            : Map.of();
        }
        return params;
    }

    @Override
    public String paramsJson() {
        JsonNode p = input.params();
        if (p == null) {
            return "{}";
        }
        return p.isTextual() ? p.asText() : p.toString();
    }

    @Override
    public String executionId() {
        return input.executionId();
    }

    @Override
    public int attempt() {
        return input.attempt();
    }

    @Override
    public String packageName() {
        return input.service();
    }

    @Override
    public String packageVersion() {
        return input.serviceVersion();
    }

    @Override
    public String packageId() {
        return input.packageId();
    }

    @Override
    public synchronized FxTriggerEvent triggerEvent() {
        if (trigger == null) {
            JsonNode t = input.triggerEvent();
            Map<String, String> ext = new LinkedHashMap<>();
            t.path("extensions")
                    .fields()
                    .forEachRemaining(e -> ext.put(e.getKey(), e.getValue().asText()));
            trigger =
                    new FxTriggerEvent(
                            text(t, "id"),
                            text(t, "source"),
                            text(t, "type"),
                            text(t, "subject"),
                            text(t, "time"),
                            text(t, "datacontenttype"),
                            ext);
        }
        return trigger;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public FxEvents events() {
        return this;
    }

    @Override
    public FxConfig config() {
        return this;
    }

    @Override
    public FxSecrets secrets() {
        return secretsView;
    }

    @Override
    public FxState state() {
        return stateView;
    }

    @Override
    public FxLogger logger() {
        return this;
    }

    @Override
    public FxStorage storage() {
        return this;
    }

    @Override
    public FxScheduler scheduler() {
        return this;
    }

    // --- events

    @Override
    public String send(String type, Object data) {
        return send(type, null, data, null);
    }

    @Override
    public String send(String type, String source, Object data, String referenceId) {
        ObjectNode args = json.createObjectNode();
        args.put("type", type);
        args.put("source", source);
        args.set("data", tree(data, "event data"));
        args.put("reference_id", referenceId);
        return (String) call("events.send", args);
    }

    // --- config and secrets

    @Override
    public String get(String key) {
        return (String) call("config.get", json.createObjectNode().put("key", key));
    }

    private final FxSecrets secretsView =
            new FxSecrets() {
                @Override
                public String get(String name) {
                    return (String) call("secrets.get", json.createObjectNode().put("name", name));
                }

                @Override
                public void set(String name, String value) {
                    call(
                            "secrets.set",
                            json.createObjectNode().put("name", name).put("value", value));
                }
            };

    private final FxState stateView =
            new FxState() {
                @Override
                public Object get(String key) {
                    Object v = call("state.get", json.createObjectNode().put("key", key));
                    if (v == null) {
                        return null;
                    }
                    try {
                        return json.readValue(v.toString(), Object.class);
                    } catch (JsonProcessingException e) {
                        throw new FxCallException("state.get: stored value is not JSON", e);
                    }
                }

                @Override
                public void put(String key, Object value) {
                    String text;
                    try {
                        text = json.writeValueAsString(value);
                    } catch (JsonProcessingException | IllegalArgumentException e) {
                        throw new FxCallException(
                                "state.put: value is not JSON-serialisable: " + e.getMessage());
                    }
                    call("state.put", json.createObjectNode().put("key", key).put("value", text));
                }

                @Override
                public boolean delete(String key) {
                    return Boolean.TRUE.equals(
                            call("state.delete", json.createObjectNode().put("key", key)));
                }
            };

    // --- logger

    private void log(LogLevel level, String message) {
        if (closed) {
            return; // the execution's log is complete; a late line would be lost anyway
        }
        callbacks.log(level, "logging", String.valueOf(message), false);
    }

    @Override
    public void debug(String message) {
        log(LogLevel.DEBUG, message);
    }

    @Override
    public void info(String message) {
        log(LogLevel.INFO, message);
    }

    @Override
    public void warning(String message) {
        log(LogLevel.WARN, message);
    }

    @Override
    public void error(String message) {
        log(LogLevel.ERROR, message);
    }

    @Override
    public void error(String message, Throwable error) {
        StringWriter w = new StringWriter();
        if (error != null) {
            error.printStackTrace(new PrintWriter(w));
        }
        log(LogLevel.ERROR, message + (error == null ? "" : "\n" + w));
    }

    // --- storage

    @Override
    public boolean createBucket(String bucket) {
        return Boolean.TRUE.equals(
                call("storage.create_bucket", json.createObjectNode().put("bucket", bucket)));
    }

    @Override
    public void upload(String bucket, String objectName, byte[] content) {
        if (content == null) {
            throw new FxCallException("storage.upload: content must not be null");
        }
        call(
                "storage.upload",
                json.createObjectNode()
                        .put("bucket", bucket)
                        .put("object", objectName)
                        .put("data", Base64.getEncoder().encodeToString(content)));
    }

    @Override
    public byte[] download(String bucket, String objectName) {
        Object b64 =
                call(
                        "storage.download",
                        json.createObjectNode().put("bucket", bucket).put("object", objectName));
        return Base64.getDecoder().decode(b64.toString());
    }

    @Override
    public String publicUrl(String bucket, String objectName, Duration expiry) {
        if (expiry == null) {
            throw new FxCallException("storage.url: expiry must not be null");
        }
        return (String)
                call(
                        "storage.url",
                        json.createObjectNode()
                                .put("bucket", bucket)
                                .put("object", objectName)
                                .put("expires", expiry.toSeconds()));
    }

    // --- scheduler

    @Override
    public String retry(Duration delay, Object parameters) {
        if (delay == null) {
            throw new FxCallException("scheduler.retry: delay must not be null");
        }
        ObjectNode args = json.createObjectNode().put("seconds", delay.toMillis() / 1000.0);
        args.set("parameters", tree(parameters, "scheduler.retry parameters"));
        return (String) call("scheduler.retry", args);
    }

    @Override
    public String retry(String cronExpression, Object parameters) {
        ObjectNode args = json.createObjectNode().put("cron_expression", cronExpression);
        args.set("parameters", tree(parameters, "scheduler.retry parameters"));
        return (String) call("scheduler.retry", args);
    }
}
