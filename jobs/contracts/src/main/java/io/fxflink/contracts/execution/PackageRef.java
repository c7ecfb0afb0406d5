package io.fxflink.contracts.execution;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fxflink.contracts.internal.Checks;

/** Where a service package lives in the object store and what its content hash is. */
public record PackageRef(
        @JsonProperty(required = true) String objectKey,
        @JsonProperty(required = true) String sha256) {
    public PackageRef {
        Checks.text(objectKey, "objectKey", 1024);
        Checks.sha256(sha256, "sha256");
    }
}
