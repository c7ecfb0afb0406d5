package io.fxflink.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the checkout's root folder: the build passes it as {@code fx.root}, else we walk up. */
public final class ProjectRoot {
    private ProjectRoot() {}

    public static Path find() {
        String prop = System.getProperty("fx.root");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("mvnw")) && Files.exists(p.resolve("stack"))) {
                return p;
            }
        }
        return dir;
    }
}
