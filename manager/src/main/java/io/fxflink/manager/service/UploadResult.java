package io.fxflink.manager.service;

import io.fxflink.manager.link.LinkView;
import java.util.List;

/**
 * Answer to an upload.
 *
 * @param created false when this exact package was already registered (idempotent retry)
 * @param defaultLinks the links the manifest's trigger_events created or moved to this version
 */
public record UploadResult(
        boolean created,
        ServiceView service,
        String version,
        String sha256,
        List<LinkView> defaultLinks) {}
