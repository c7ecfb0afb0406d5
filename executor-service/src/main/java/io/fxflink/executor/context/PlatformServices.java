package io.fxflink.executor.context;

import io.fxflink.config.ConfigStore;
import io.fxflink.config.SecretStore;
import io.fxflink.executor.schedule.ScheduledRuns;
import io.fxflink.executor.storage.ObjectStorage;

/** The stores behind a service's context calls, shared by all executions. */
public record PlatformServices(
        ConfigStore config,
        SecretStore secrets,
        ServiceState state,
        ObjectStorage storage,
        ScheduledRuns scheduledRuns) {}
