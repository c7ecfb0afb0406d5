package io.fxflink.manager.link;

import io.fxflink.contracts.link.WeightedVersion;
import java.util.List;

/**
 * Body of {@code POST /api/v1/links} and {@code PUT /api/v1/links/{id}}. The target is either
 * {@code serviceVersion} or {@code weightedVersions}; when neither is given the service's default
 * version is used. {@code match} is EXACT (default) or PREFIX.
 */
public record LinkRequest(
        String id,
        String eventType,
        String match,
        String filter,
        String service,
        String serviceVersion,
        List<WeightedVersion> weightedVersions,
        Boolean enabled) {}
