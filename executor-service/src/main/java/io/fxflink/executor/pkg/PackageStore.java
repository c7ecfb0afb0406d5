package io.fxflink.executor.pkg;

import io.fxflink.contracts.execution.PackageRef;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches packages from the object store once per content hash, verifies the SHA-256 while
 * downloading, unpacks them safely and keeps at most {@code maxCached} unpacked packages (least
 * recently used are removed). Concurrent requests for one hash share one download.
 */
public final class PackageStore {
    private static final Logger LOG = LoggerFactory.getLogger(PackageStore.class);
    private static final long MAX_ZIP_BYTES = 128L << 20;

    private final MinioClient minio;
    private final String bucket;
    private final Path cacheDir;
    private final SafeUnzip unzip;
    private final int maxCached;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, ServicePackage> cache =
            new LinkedHashMap<>(16, 0.75f, true);

    public PackageStore(
            MinioClient minio, String bucket, Path cacheDir, SafeUnzip unzip, int maxCached) {
        this.minio = minio;
        this.bucket = bucket;
        this.cacheDir = cacheDir;
        this.unzip = unzip;
        this.maxCached = maxCached;
    }

    public ServicePackage get(PackageRef ref) throws PackageException {
        synchronized (cache) {
            ServicePackage hit = cache.get(ref.sha256());
            if (hit != null) {
                return hit;
            }
        }
        synchronized (locks.computeIfAbsent(ref.sha256(), k -> new Object())) {
            synchronized (cache) {
                ServicePackage hit = cache.get(ref.sha256());
                if (hit != null) {
                    return hit;
                }
            }
            ServicePackage loaded = load(ref);
            synchronized (cache) {
                cache.put(ref.sha256(), loaded);
                evict();
            }
            return loaded;
        }
    }

    private ServicePackage load(PackageRef ref) throws PackageException {
        Path dir = cacheDir.resolve(ref.sha256());
        Path zip = cacheDir.resolve(ref.sha256() + ".zip.part");
        try {
            Files.createDirectories(cacheDir);
            deleteTree(dir);
            download(ref, zip);
            unzip.unpack(zip, dir);
            Manifest manifest = Manifest.read(dir);
            LOG.info("package {} ({}) unpacked into {}", ref.objectKey(), ref.sha256(), dir);
            return new ServicePackage(ref.sha256(), dir, manifest);
        } catch (PackageException e) {
            deleteTree(dir);
            throw e;
        } catch (IOException e) {
            deleteTree(dir);
            throw new PackageException(
                    "cannot unpack package " + ref.objectKey() + ": " + e.getMessage(), true, e);
        } finally {
            try {
                Files.deleteIfExists(zip);
            } catch (IOException ignored) {
                // a leftover .part file is overwritten by the next download
            }
        }
    }

    private void download(PackageRef ref, Path zip) throws PackageException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in =
                        minio.getObject(
                                GetObjectArgs.builder()
                                        .bucket(bucket)
                                        .object(ref.objectKey())
                                        .build());
                DigestInputStream din = new DigestInputStream(in, sha);
                OutputStream out = Files.newOutputStream(zip)) {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = din.read(buf)) > 0) {
                total += n;
                if (total > MAX_ZIP_BYTES) {
                    throw new PackageException(
                            "package "
                                    + ref.objectKey()
                                    + " is larger than "
                                    + MAX_ZIP_BYTES
                                    + " bytes",
                            false);
                }
                out.write(buf, 0, n);
            }
        } catch (ErrorResponseException e) {
            String code = e.errorResponse() == null ? "" : e.errorResponse().code();
            boolean missing = code.equals("NoSuchKey") || code.equals("NoSuchBucket");
            throw new PackageException(
                    "cannot fetch package s3://" + bucket + "/" + ref.objectKey() + ": " + code,
                    !missing,
                    e);
        } catch (PackageException e) {
            throw e;
        } catch (Exception e) {
            throw new PackageException(
                    "cannot fetch package s3://"
                            + bucket
                            + "/"
                            + ref.objectKey()
                            + ": "
                            + e.getMessage(),
                    true,
                    e);
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(ref.sha256())) {
            throw new PackageException(
                    "package "
                            + ref.objectKey()
                            + " has SHA-256 "
                            + actual
                            + " but the request expects "
                            + ref.sha256(),
                    false);
        }
    }

    private void evict() {
        while (cache.size() > maxCached) {
            Map.Entry<String, ServicePackage> eldest = cache.entrySet().iterator().next();
            cache.remove(eldest.getKey());
            // a run still using it keeps its open files; the next request fetches it again
            deleteTree(eldest.getValue().directory());
            LOG.info("package {} evicted from the local cache", eldest.getKey());
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    LOG.warn("cannot delete {}: {}", p, e.getMessage());
                                }
                            });
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.getMessage());
        }
    }
}
