package io.fxflink.manager.service;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.io.ByteArrayInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Packages in an S3 bucket through the MinIO SDK; the bucket is created when missing. */
public final class MinioPackageStore implements PackageStore {
    private static final Logger LOG = LoggerFactory.getLogger(MinioPackageStore.class);

    private final MinioClient client;
    private final String bucket;

    public MinioPackageStore(String endpoint, String accessKey, String secretKey, String bucket) {
        this.client =
                MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).build();
        this.bucket = bucket;
    }

    /** Creates the bucket when it does not exist yet. */
    public MinioPackageStore ensureBucket() {
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                LOG.info("Created bucket {}", bucket);
            }
            return this;
        } catch (ErrorResponseException e) {
            if ("BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
                return this;
            }
            throw new IllegalStateException("could not create bucket " + bucket, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not reach the object store for " + bucket, e);
        }
    }

    @Override
    public void putIfAbsent(String key, byte[] bytes) {
        if (exists(key)) {
            return;
        }
        try {
            client.putObject(
                    PutObjectArgs.builder().bucket(bucket).object(key).stream(
                                    new ByteArrayInputStream(bytes), bytes.length, -1)
                            .contentType("application/zip")
                            .build());
            LOG.info("Stored package {}/{} ({} bytes)", bucket, key, bytes.length);
        } catch (Exception e) {
            throw new IllegalStateException("could not store package " + bucket + "/" + key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        try {
            client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return true;
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())
                    || "NoSuchObject".equals(e.errorResponse().code())) {
                return false;
            }
            throw new IllegalStateException("could not look up " + bucket + "/" + key, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not look up " + bucket + "/" + key, e);
        }
    }

    @Override
    public void check() {
        try {
            client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
        } catch (Exception e) {
            throw new IllegalStateException("object store unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            LOG.warn("Closing the MinIO client failed", e);
        }
    }
}
