package io.fxflink.contracts.ops;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a dead letter was produced. */
public enum DeadLetterStage {
    @JsonProperty("router")
    ROUTER,
    @JsonProperty("executor")
    EXECUTOR,
    @JsonProperty("ops-sink")
    OPS_SINK,
    @JsonProperty("manager")
    MANAGER
}
