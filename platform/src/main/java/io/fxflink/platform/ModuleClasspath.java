package io.fxflink.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Classpaths and jars of the checkout's modules, as the build left them. */
final class ModuleClasspath {
    private final Path root;

    ModuleClasspath(Path root) {
        this.root = root;
    }

    /** {@code <module>/target/classes} plus the runtime classpath the build wrote. */
    String of(String module) {
        Path target = root.resolve(module).resolve("target");
        Path cp = target.resolve("classpath.txt");
        if (!Files.exists(cp) || !Files.isDirectory(target.resolve("classes"))) {
            throw new IllegalStateException(
                    module
                            + " is not built: run ./mvnw install -DskipTests (./fx does it when needed)");
        }
        try {
            return target.resolve("classes")
                    + java.io.File.pathSeparator
                    + Files.readString(cp).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + cp, e);
        }
    }

    /** The deployable (shaded) jar of a Flink job module. */
    Path jobJar(String module) {
        Path target = root.resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            // the shaded jar carries the classifier "job": connectors inside, Flink provided
            return files.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            "no job jar in " + target + ": build it first"));
        } catch (IOException e) {
            throw new IllegalStateException(
                    module + " is not built: run ./mvnw install -DskipTests", e);
        }
    }
}
