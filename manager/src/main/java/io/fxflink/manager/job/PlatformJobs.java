package io.fxflink.manager.job;

import io.fxflink.manager.api.ApiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The platform's own Flink jobs and where their jars are: {@code FX_JOB_JARS_DIR} holds the shaded
 * jars as the build makes them ({@code fx-router-job-<version>-job.jar}, {@code
 * fx-ops-sink-job-<version>-job.jar}).
 */
final class PlatformJobs {
    /** Platform job → (jar name prefix, the job name it runs under). */
    static final Map<String, String[]> JOBS =
            Map.of(
                    "router", new String[] {"fx-router-job-", "fx-router"},
                    "ops-sink", new String[] {"fx-ops-sink-job-", "fx-ops-sink"});

    private final Optional<Path> dir;

    PlatformJobs(String jarsDir) {
        this.dir =
                jarsDir == null || jarsDir.isBlank()
                        ? Optional.empty()
                        : Optional.of(Path.of(jarsDir));
    }

    static List<String> names() {
        return JOBS.keySet().stream().sorted().toList();
    }

    /** The name the job runs under in Flink (for the already-running check). */
    static String jobName(String job) {
        return spec(job)[1];
    }

    /** The job's jar: the newest {@code <prefix>*-job.jar} in the folder. */
    Path jar(String job) {
        String prefix = spec(job)[0];
        Path folder =
                dir.orElseThrow(
                        () ->
                                ApiException.unavailable(
                                        "FX_JOB_JARS_DIR is not set: the manager does not know"
                                                + " where the platform's job jars are; set it, or"
                                                + " upload the jar (multipart part 'jar')"));
        if (!Files.isDirectory(folder)) {
            throw ApiException.unavailable("FX_JOB_JARS_DIR " + folder + " is not a folder");
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(
                            p -> {
                                String n = p.getFileName().toString();
                                return n.startsWith(prefix) && n.endsWith("-job.jar");
                            })
                    .max(Comparator.comparing(PlatformJobs::modified))
                    .orElseThrow(
                            () ->
                                    ApiException.notFound(
                                            "no "
                                                    + prefix
                                                    + "*-job.jar in FX_JOB_JARS_DIR "
                                                    + folder
                                                    + " (build it with ./mvnw -pl "
                                                    + prefix.substring(3, prefix.length() - 1)
                                                    + " package)"));
        } catch (IOException e) {
            throw ApiException.unavailable("cannot list FX_JOB_JARS_DIR " + folder + ": " + e);
        }
    }

    private static String[] spec(String job) {
        String[] s = job == null ? null : JOBS.get(job);
        if (s == null) {
            throw ApiException.badRequest(
                    "field 'job' must be one of " + names() + ", was '" + job + "'");
        }
        return s;
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
