package io.fxflink.manager.service;

import io.fxflink.contracts.internal.Checks;
import io.fxflink.contracts.manifest.ManifestException;
import io.fxflink.contracts.manifest.ServiceManifest;
import io.fxflink.contracts.schedule.CronSchedule;
import java.util.Locale;
import java.util.Set;

/**
 * Reads {@code manifest.json} with the platform's one FX-compatible parser ({@link
 * ServiceManifest}, shared with the executor) and keeps what the manager stores and publishes.
 */
final class ManifestParser {
    static final int MAX_MANIFEST_BYTES = ServiceManifest.MAX_BYTES;

    Manifest parse(byte[] json, Set<String> files) {
        ServiceManifest m;
        try {
            m = ServiceManifest.parse(json, null, files);
        } catch (ManifestException e) {
            throw new InvalidPackageException(
                    e.getMessage().replaceFirst("^manifest: ", "manifest.json: "));
        }
        if (m.schedule() != null) {
            try {
                CronSchedule.parseManifest(m.schedule());
            } catch (IllegalArgumentException e) {
                throw new InvalidPackageException(
                        "manifest.json: field 'schedule': " + e.getMessage());
            }
        }
        // stored as text and JSON in PostgreSQL and published to Kafka: storable text only
        try {
            Checks.optionalText(m.description(), "description", 4096);
            for (var e : m.config().entrySet()) {
                Checks.optionalText(e.getKey(), "config key", 256);
                Checks.optionalText(e.getValue(), "config value", Integer.MAX_VALUE);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidPackageException("manifest.json: " + e.getMessage());
        }
        return new Manifest(
                m.name(),
                m.version(),
                m.runtime().name().toLowerCase(Locale.ROOT),
                m.steps(),
                m.description(),
                m.project(),
                m.triggerEvents(),
                m.schedule(),
                m.timeoutSeconds(),
                m.retries(),
                m.retryBackoffSeconds(),
                m.concurrency(),
                m.priority(),
                m.allowManualTriggering(),
                m.config());
    }
}
