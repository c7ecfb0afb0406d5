package io.fxflink.executor.api;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The platform's object store (S3 API). Bucket names follow the S3 rules (3-63 characters, lower
 * case letters, digits, '.' and '-'); the platform's own buckets are refused. Objects are limited
 * in size (the executor's {@code FX_STORAGE_MAX_OBJECT_BYTES}).
 */
public interface FxStorage {
    /** Creates the bucket when it does not exist yet; returns true when it was created. */
    boolean createBucket(String bucket);

    void upload(String bucket, String objectName, byte[] content);

    default void upload(String bucket, String objectName, Path file) throws IOException {
        upload(bucket, objectName, java.nio.file.Files.readAllBytes(file));
    }

    byte[] download(String bucket, String objectName);

    default Path download(String bucket, String objectName, Path file) throws IOException {
        return java.nio.file.Files.write(file, download(bucket, objectName));
    }

    /** A pre-signed GET URL valid for {@code expiry} (1 second to 7 days). */
    String publicUrl(String bucket, String objectName, Duration expiry);
}
