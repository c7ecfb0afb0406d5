package io.fxflink.manager.access;

import java.util.Map;

/** Answer to creating a token: the value is shown this once and never stored. */
public record CreatedToken(String id, String name, Map<String, String> roles, String token) {}
