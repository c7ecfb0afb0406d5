package io.fxflink.manager.job;

import java.util.List;

/** How to run a jar: Flink's {@code /jars/:id/run} fields, checked by {@link JobRequests}. */
record RunOptions(
        String entryClass,
        List<String> programArgs,
        Integer parallelism,
        String savepointPath,
        boolean allowNonRestoredState) {

    RunOptions {
        programArgs = List.copyOf(programArgs);
    }
}
