package io.fxflink.manager.service;

/** Where package zips live, by content hash (S3 / MinIO in production and tests). */
public interface PackageStore extends AutoCloseable {
    /** Stores the bytes under the key unless an object is already there (content-addressed). */
    void putIfAbsent(String key, byte[] bytes);

    boolean exists(String key);

    /** Throws when the store cannot be reached (health check). */
    void check();

    @Override
    void close();
}
