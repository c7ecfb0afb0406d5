package io.fxflink.manager.service;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Checks an uploaded zip before anything is stored: size, entry names (zip slip, absolute paths,
 * backslashes), symlinks, duplicate names, entry count, and inflated size measured while reading
 * (declared sizes can lie: zip bombs). Then parses and validates {@code manifest.json}.
 */
final class PackageInspector {
    static final String MANIFEST = "manifest.json";
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
    private static final int MAX_NAME_CHARS = 1024;
    private static final long RATIO_CHECK_ABOVE = 1L << 20;

    private final PackageLimits limits;
    private final ManifestParser manifestParser = new ManifestParser();

    PackageInspector(PackageLimits limits) {
        this.limits = limits;
    }

    InspectedPackage inspect(byte[] zip) {
        if (zip == null || zip.length == 0) {
            throw new InvalidPackageException("package is empty");
        }
        if (zip.length > limits.maxPackageBytes()) {
            throw new InvalidPackageException(
                    "package is " + zip.length + " bytes, the limit is " + limits.maxPackageBytes(),
                    true);
        }
        Set<String> files = new HashSet<>();
        byte[] manifestBytes = null;
        try (ZipFile zf =
                ZipFile.builder()
                        .setSeekableByteChannel(new SeekableInMemoryByteChannel(zip))
                        .get()) {
            long total = 0;
            int count = 0;
            Enumeration<ZipArchiveEntry> entries = zf.getEntries();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry e = entries.nextElement();
                if (++count > limits.maxEntries()) {
                    throw new InvalidPackageException(
                            "package has more than " + limits.maxEntries() + " entries");
                }
                String name = e.getName();
                checkName(name);
                if (e.isUnixSymlink()) {
                    throw new InvalidPackageException(
                            "entry '" + name + "' is a symbolic link; links are not allowed");
                }
                if (e.isDirectory()) {
                    continue;
                }
                if (!files.add(name)) {
                    throw new InvalidPackageException("entry '" + name + "' appears twice");
                }
                if (!zf.canReadEntryData(e)) {
                    throw new InvalidPackageException(
                            "entry '" + name + "' uses an unsupported compression or encryption");
                }
                long budget = limits.maxUncompressedBytes() - total;
                boolean keep = MANIFEST.equals(name);
                java.io.ByteArrayOutputStream kept =
                        keep ? new java.io.ByteArrayOutputStream() : null;
                long inflated = drain(zf.getInputStream(e), budget, kept, name);
                total += inflated;
                long compressed = Math.max(1, e.getCompressedSize());
                if (inflated > RATIO_CHECK_ABOVE
                        && inflated / compressed > limits.maxCompressionRatio()) {
                    throw new InvalidPackageException(
                            "entry '"
                                    + name
                                    + "' inflates "
                                    + (inflated / compressed)
                                    + "x (limit "
                                    + limits.maxCompressionRatio()
                                    + "x): refusing a likely zip bomb",
                            true);
                }
                if (keep) {
                    manifestBytes = kept.toByteArray();
                }
            }
        } catch (IOException e) {
            throw new InvalidPackageException("package is not a readable zip: " + e.getMessage());
        }
        if (manifestBytes == null) {
            throw new InvalidPackageException(
                    "package has no " + MANIFEST + " at its root (zip the folder's contents)");
        }
        Manifest manifest = manifestParser.parse(manifestBytes, files);
        return new InspectedPackage(manifest, sha256(zip), zip.length, Set.copyOf(files));
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidPackageException("package has an entry without a name");
        }
        if (name.length() > MAX_NAME_CHARS) {
            throw new InvalidPackageException(
                    "entry name is longer than " + MAX_NAME_CHARS + " characters");
        }
        if (name.indexOf('\0') >= 0 || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidPackageException("entry name contains control characters");
        }
        if (name.indexOf('\\') >= 0) {
            throw new InvalidPackageException(
                    "entry '" + name + "' contains a backslash; use '/' as the separator");
        }
        if (name.startsWith("/") || DRIVE.matcher(name).matches()) {
            throw new InvalidPackageException(
                    "entry '" + name + "' is an absolute path; entries must be relative");
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw new InvalidPackageException(
                        "entry '" + name + "' leaves the package folder ('..'): zip slip refused");
            }
        }
    }

    private static long drain(
            InputStream in, long budget, java.io.ByteArrayOutputStream keep, String name)
            throws IOException {
        byte[] buf = new byte[64 * 1024];
        long n = 0;
        try (in) {
            int r;
            while ((r = in.read(buf)) > 0) {
                n += r;
                if (n > budget) {
                    throw new InvalidPackageException(
                            "package inflates beyond the limit while reading entry '"
                                    + name
                                    + "': refusing a likely zip bomb",
                            true);
                }
                if (keep != null) {
                    if (n > ManifestParser.MAX_MANIFEST_BYTES) {
                        throw new InvalidPackageException(
                                MANIFEST
                                        + " is larger than "
                                        + ManifestParser.MAX_MANIFEST_BYTES
                                        + " bytes");
                    }
                    keep.write(buf, 0, r);
                }
            }
        }
        return n;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
