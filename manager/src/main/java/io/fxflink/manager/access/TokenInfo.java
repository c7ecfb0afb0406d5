package io.fxflink.manager.access;

import java.time.Instant;
import java.util.Map;

/** A token as listed: never its value. */
record TokenInfo(
        String id, String name, Map<String, String> roles, Instant createdAt, Instant revokedAt) {}
