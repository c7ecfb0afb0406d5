package io.fxflink.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Packs a service folder into the zip the manager accepts (manifest.json at the root). */
final class PackageZipper {
    private static final List<String> SKIPPED =
            List.of("__pycache__", ".git", ".venv", "target", ".DS_Store");

    private PackageZipper() {}

    static byte[] pack(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return Files.readAllBytes(path);
        }
        if (!Files.isDirectory(path)) {
            throw new CliException(
                    ExitCodes.USAGE, path + " is neither a service folder nor a zip");
        }
        if (!Files.isRegularFile(path.resolve("manifest.json"))) {
            throw new CliException(
                    ExitCodes.USAGE, path + " has no manifest.json: is it a service folder?");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes);
                Stream<Path> files = Files.walk(path)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                Path rel = path.relativize(f);
                if (skipped(rel) || Files.isSymbolicLink(f)) {
                    continue;
                }
                ZipEntry e = new ZipEntry(rel.toString().replace('\\', '/'));
                // fixed times: the same folder packs to the same bytes, so the same content hash
                e.setTime(0L);
                zip.putNextEntry(e);
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static boolean skipped(Path rel) {
        for (Path part : rel) {
            if (SKIPPED.contains(part.toString()) || part.toString().endsWith(".pyc")) {
                return true;
            }
        }
        return false;
    }
}
