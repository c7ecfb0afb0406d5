package io.fxflink.e2e.chain;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Two JVM service folders, as a service author would deploy them with {@code fx deploy}: {@code
 * bench-relay} (linked to {@link #START_TYPE} by its manifest) emits {@link #NEXT_TYPE}, which
 * {@code bench-end} is linked to. The jar holds this package's service classes, copied from the
 * test classpath.
 */
public final class ChainPackages {
    public static final String START_TYPE = "fxbench.e2e.start";
    public static final String NEXT_TYPE = "fxbench.e2e.next";
    public static final String RELAY = "bench-relay";
    public static final String END = "bench-end";

    private ChainPackages() {}

    /** Writes both service folders under {@code dir}; returns them (relay first). */
    public static List<Path> write(Path dir) throws IOException {
        return List.of(
                service(dir, RELAY, RelayToNext.class, START_TYPE),
                service(dir, END, EndOfChain.class, NEXT_TYPE));
    }

    private static Path service(Path dir, String name, Class<?> entrypoint, String trigger)
            throws IOException {
        Path folder = dir.resolve(name);
        Files.createDirectories(folder.resolve("lib"));
        Files.writeString(
                folder.resolve("manifest.json"),
                """
                {
                  "name": "%s",
                  "version": "1.0.0",
                  "description": "benchmark chain: %s",
                  "runtime": "jvm",
                  "entrypoint": "%s",
                  "trigger_events": ["%s"],
                  "timeout": 30,
                  "retries": 1
                }
                """
                        .formatted(
                                name, entrypoint.getSimpleName(), entrypoint.getName(), trigger));
        writeJar(folder.resolve("lib/bench-chain.jar"), RelayToNext.class, EndOfChain.class);
        return folder;
    }

    private static void writeJar(Path jar, Class<?>... classes) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out)) {
            for (Class<?> c : classes) {
                String entry = c.getName().replace('.', '/') + ".class";
                j.putNextEntry(new JarEntry(entry));
                try (InputStream in = c.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(j);
                }
                j.closeEntry();
            }
        }
    }
}
