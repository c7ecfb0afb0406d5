package io.fxflink.manager.job;

/** A job submitted to Flink: its id and what was run. */
public record Submitted(String jobId, String jar, String entryClass) {}
