package io.fxflink.contracts.link;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The runtime a service version runs in. */
public enum ServiceRuntime {
    @JsonProperty("python")
    PYTHON,
    @JsonProperty("jvm")
    JVM
}
