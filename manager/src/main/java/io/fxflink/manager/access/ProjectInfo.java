package io.fxflink.manager.access;

import java.time.Instant;

record ProjectInfo(String name, Instant createdAt) {}
