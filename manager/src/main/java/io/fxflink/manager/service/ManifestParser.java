package io.fxflink.manager.service;

import io.fxflink.contracts.manifest.ManifestException;
import io.fxflink.contracts.manifest.ServiceManifest;
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
