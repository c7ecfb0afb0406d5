package io.fxflink.manager.service;

/**
 * Limits for uploaded packages.
 *
 * @param maxPackageBytes size of the zip as uploaded
 * @param maxEntries number of entries in the zip
 * @param maxUncompressedBytes sum of all entries once inflated (zip bombs)
 * @param maxCompressionRatio inflated/compressed size of one entry above 1 MiB (zip bombs)
 */
public record PackageLimits(
        long maxPackageBytes, int maxEntries, long maxUncompressedBytes, int maxCompressionRatio) {
    public static PackageLimits defaults() {
        return new PackageLimits(50L << 20, 10_000, 256L << 20, 200);
    }
}
