package io.fxflink.contracts.link;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fxflink.contracts.internal.Checks;
import java.util.List;

/**
 * One deployable version of a service.
 *
 * @param packageKey object key of the package zip in the object store
 * @param sha256 hex SHA-256 of the package zip
 * @param priority 1 (highest) .. 10 (lowest), as in FX manifests; 0 or absent means {@link
 *     #DEFAULT_PRIORITY}
 * @param entrypoints scripts/classes run in sequence (the manifest's execution order)
 */
public record ServiceVersionSpec(
        @JsonProperty(required = true) String packageKey,
        @JsonProperty(required = true) String sha256,
        @JsonProperty(required = true) ServiceRuntime runtime,
        @JsonProperty(required = true) long timeoutMs,
        int retries,
        long retryBackoffMs,
        int concurrency,
        int priority,
        List<String> entrypoints) {

    public static final int DEFAULT_PRIORITY = 5;
    public static final long MAX_TIMEOUT_MS = 24L * 3600 * 1000;
    public static final int MAX_RETRIES = 100;
    public static final int MAX_CONCURRENCY = 1024;

    public ServiceVersionSpec {
        Checks.text(packageKey, "packageKey", 1024);
        Checks.sha256(sha256, "sha256");
        Checks.required(runtime, "runtime");
        Checks.range(timeoutMs, 1, MAX_TIMEOUT_MS, "timeoutMs");
        Checks.range(retries, 0, MAX_RETRIES, "retries");
        Checks.range(retryBackoffMs, 0, MAX_TIMEOUT_MS, "retryBackoffMs");
        concurrency = concurrency == 0 ? 1 : concurrency;
        Checks.range(concurrency, 1, MAX_CONCURRENCY, "concurrency");
        priority = priority == 0 ? DEFAULT_PRIORITY : priority;
        Checks.range(priority, 1, 10, "priority");
        entrypoints = Checks.list(entrypoints, "entrypoints", 64);
        for (String e : entrypoints) {
            Checks.text(e, "entrypoints", 1024);
        }
    }
}
