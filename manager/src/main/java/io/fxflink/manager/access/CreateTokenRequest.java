package io.fxflink.manager.access;

import java.util.Map;

/** {@code POST /api/v1/tokens}: a name and a role per project ("*" = every project). */
record CreateTokenRequest(String name, Map<String, String> roles) {}
