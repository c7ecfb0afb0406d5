package io.fxflink.executor.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Unpacks a package zip refusing everything hostile: path traversal ("zip slip"), absolute paths,
 * symbolic links, too many entries, oversize entries, too many bytes in all and suspicious
 * compression ratios (zip bombs). Sizes are enforced on the bytes actually inflated, not on what
 * the zip's headers claim.
 */
public final class SafeUnzip {
    public record Limits(int maxEntries, long maxEntryBytes, long maxTotalBytes, int maxRatio) {
        public static Limits defaults() {
            return new Limits(10_000, 64L << 20, 256L << 20, 200);
        }
    }

    private final Limits limits;

    public SafeUnzip(Limits limits) {
        this.limits = limits;
    }

    public void unpack(Path zip, Path target) throws PackageException {
        try (ZipFile zf = ZipFile.builder().setPath(zip).get()) {
            Path root = target.toAbsolutePath().normalize();
            Files.createDirectories(root);
            int count = 0;
            long total = 0;
            Enumeration<ZipArchiveEntry> entries = zf.getEntries();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry e = entries.nextElement();
                if (++count > limits.maxEntries()) {
                    throw reject("it has more than " + limits.maxEntries() + " entries");
                }
                String name = e.getName();
                if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
                    throw reject("entry '" + name + "' has an absolute path");
                }
                if (e.isUnixSymlink()) {
                    throw reject("entry '" + name + "' is a symbolic link");
                }
                Path out = root.resolve(name).normalize();
                if (!out.startsWith(root) || name.contains("..")) {
                    throw reject("entry '" + name + "' points outside the package (zip slip)");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                long written = copy(zf, e, out, name);
                total += written;
                if (total > limits.maxTotalBytes()) {
                    throw reject(
                            "it unpacks to more than " + limits.maxTotalBytes() + " bytes in all");
                }
            }
        } catch (IOException e) {
            throw new PackageException(
                    "package is not a readable zip: " + e.getMessage(), false, e);
        }
    }

    private long copy(ZipFile zf, ZipArchiveEntry e, Path out, String name)
            throws IOException, PackageException {
        long compressed = Math.max(1, e.getCompressedSize());
        byte[] buf = new byte[64 * 1024];
        long written = 0;
        try (InputStream in = zf.getInputStream(e);
                OutputStream os = Files.newOutputStream(out)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                written += n;
                if (written > limits.maxEntryBytes()) {
                    throw reject(
                            "entry '"
                                    + name
                                    + "' is larger than "
                                    + limits.maxEntryBytes()
                                    + " bytes");
                }
                if (written > 1024 * 1024 && written / compressed > limits.maxRatio()) {
                    throw reject(
                            "entry '"
                                    + name
                                    + "' expands more than "
                                    + limits.maxRatio()
                                    + "x (zip bomb)");
                }
                os.write(buf, 0, n);
            }
        }
        return written;
    }

    private static PackageException reject(String why) {
        return new PackageException("hostile package rejected: " + why, false);
    }
}
