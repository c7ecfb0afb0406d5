package io.fxflink.executor.api;

/** Secrets (encrypted at rest, never logged): service scope, then project, then platform. */
public interface FxSecrets {
    /** The secret, or null when none is set. */
    String get(String name);

    /** Sets a secret in this service's scope. */
    void set(String name, String value);
}
