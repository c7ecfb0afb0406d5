package io.fxflink.examples.orders;

import io.fxflink.executor.api.FxConfig;
import io.fxflink.executor.api.FxContext;
import io.fxflink.executor.api.FxEvents;
import io.fxflink.executor.api.FxLogger;
import io.fxflink.executor.api.FxScheduler;
import io.fxflink.executor.api.FxSecrets;
import io.fxflink.executor.api.FxState;
import io.fxflink.executor.api.FxStorage;
import io.fxflink.executor.api.FxTriggerEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-written FxContext at the service boundary: parameters and config in, sent events and log
 * lines recorded. The executor's own tests run JVM services through the real platform.
 */
final class RecordingContext implements FxContext {
    final Map<String, Object> params;
    final Map<String, String> config;
    final List<String> sent = new ArrayList<>();
    final List<Object> sentData = new ArrayList<>();
    final List<String> logs = new ArrayList<>();

    RecordingContext(Map<String, Object> params, Map<String, String> config) {
        this.params = params;
        this.config = config;
    }

    @Override
    public Map<String, Object> params() {
        return params;
    }

    @Override
    public String paramsJson() {
        return params.toString();
    }

    @Override
    public String executionId() {
        return "exec-1";
    }

    @Override
    public int attempt() {
        return 1;
    }

    @Override
    public String packageName() {
        return "orders-store";
    }

    @Override
    public String packageVersion() {
        return "1.0.0";
    }

    @Override
    public String packageId() {
        return "orders-store@1.0.0";
    }

    @Override
    public FxTriggerEvent triggerEvent() {
        return new FxTriggerEvent(
                "e-1", "test", "orders.parsed", null, null, "application/json", Map.of());
    }

    @Override
    public FxEvents events() {
        return new FxEvents() {
            @Override
            public String send(String type, Object data) {
                sent.add(type);
                sentData.add(data);
                return "evt-" + sent.size();
            }

            @Override
            public String send(String type, String source, Object data, String referenceId) {
                return send(type, data);
            }
        };
    }

    @Override
    public FxConfig config() {
        return config::get;
    }

    @Override
    public FxSecrets secrets() {
        Map<String, String> secrets = new HashMap<>();
        return new FxSecrets() {
            @Override
            public String get(String name) {
                return secrets.get(name);
            }

            @Override
            public void set(String name, String value) {
                secrets.put(name, value);
            }
        };
    }

    @Override
    public FxState state() {
        throw new UnsupportedOperationException("state is not used by the orders services");
    }

    @Override
    public FxLogger logger() {
        return new FxLogger() {
            @Override
            public void debug(String message) {
                logs.add(message);
            }

            @Override
            public void info(String message) {
                logs.add(message);
            }

            @Override
            public void warning(String message) {
                logs.add(message);
            }

            @Override
            public void error(String message) {
                logs.add(message);
            }

            @Override
            public void error(String message, Throwable error) {
                logs.add(message);
            }
        };
    }

    @Override
    public FxStorage storage() {
        throw new UnsupportedOperationException("storage is not used by the orders services");
    }

    @Override
    public FxScheduler scheduler() {
        throw new UnsupportedOperationException("the scheduler is not used by the orders services");
    }
}
