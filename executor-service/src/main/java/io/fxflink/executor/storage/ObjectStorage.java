package io.fxflink.executor.storage;

import io.fxflink.executor.context.PlatformCallException;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code context.storage}: buckets and objects on the platform's object store (S3 API, MinIO SDK).
 * Names are checked before anything reaches the store; the platform's own buckets (the package
 * bucket and every name starting with {@code fx-}) are refused; objects are at most {@code
 * maxObjectBytes} both ways.
 */
public final class ObjectStorage {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectStorage.class);
    public static final String RESERVED_PREFIX = "fx-";
    public static final long MAX_URL_EXPIRY_SECONDS = 7 * 24 * 3600;

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_LIKE = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

    private final MinioClient minio;
    private final Set<String> reserved;
    private final long maxObjectBytes;

    public ObjectStorage(MinioClient minio, Set<String> reservedBuckets, long maxObjectBytes) {
        this.minio = minio;
        this.reserved = Set.copyOf(reservedBuckets);
        this.maxObjectBytes = maxObjectBytes;
    }

    public long maxObjectBytes() {
        return maxObjectBytes;
    }

    /** True when the bucket was created, false when it already existed. */
    public boolean createBucket(String bucket) throws PlatformCallException {
        String b = bucket(bucket);
        try {
            if (minio.bucketExists(BucketExistsArgs.builder().bucket(b).build())) {
                return false;
            }
            minio.makeBucket(MakeBucketArgs.builder().bucket(b).build());
            LOG.info("bucket {} created for a service", b);
            return true;
        } catch (ErrorResponseException e) {
            String code = code(e);
            if (code.equals("BucketAlreadyOwnedByYou")) {
                return false; // created concurrently by another execution
            }
            throw new PlatformCallException("cannot create bucket '" + b + "': " + code, e);
        } catch (Exception e) {
            throw unavailable("create bucket '" + b + "'", e);
        }
    }

    public void upload(String bucket, String object, byte[] data) throws PlatformCallException {
        String b = bucket(bucket);
        String o = object(object);
        if (data.length > maxObjectBytes) {
            throw new PlatformCallException(
                    "object '"
                            + o
                            + "' is "
                            + data.length
                            + " bytes; the limit is "
                            + maxObjectBytes
                            + " bytes");
        }
        try (InputStream in = new ByteArrayInputStream(data)) {
            minio.putObject(
                    PutObjectArgs.builder().bucket(b).object(o).stream(in, data.length, -1)
                            .build());
        } catch (ErrorResponseException e) {
            throw new PlatformCallException(
                    "cannot upload '" + o + "' to bucket '" + b + "': " + code(e), e);
        } catch (Exception e) {
            throw unavailable("upload '" + o + "' to bucket '" + b + "'", e);
        }
    }

    public byte[] download(String bucket, String object) throws PlatformCallException {
        String b = bucket(bucket);
        String o = object(object);
        try {
            StatObjectResponse stat =
                    minio.statObject(StatObjectArgs.builder().bucket(b).object(o).build());
            if (stat.size() > maxObjectBytes) {
                throw new PlatformCallException(
                        "object '"
                                + o
                                + "' is "
                                + stat.size()
                                + " bytes; the limit is "
                                + maxObjectBytes
                                + " bytes");
            }
            try (InputStream in =
                    minio.getObject(GetObjectArgs.builder().bucket(b).object(o).build())) {
                byte[] bytes = in.readNBytes((int) maxObjectBytes + 1);
                if (bytes.length > maxObjectBytes) {
                    throw new PlatformCallException(
                            "object '" + o + "' grew over the limit of " + maxObjectBytes);
                }
                return bytes;
            }
        } catch (ErrorResponseException e) {
            String code = code(e);
            if (code.equals("NoSuchKey") || code.equals("NoSuchBucket")) {
                throw new PlatformCallException(
                        "no object '" + o + "' in bucket '" + b + "' (" + code + ")");
            }
            throw new PlatformCallException(
                    "cannot download '" + o + "' from bucket '" + b + "': " + code, e);
        } catch (PlatformCallException e) {
            throw e;
        } catch (Exception e) {
            throw unavailable("download '" + o + "' from bucket '" + b + "'", e);
        }
    }

    /** A pre-signed GET URL (the "public URL" of FX), valid for 1 s to 7 days. */
    public String presignedGet(String bucket, String object, long expirySeconds)
            throws PlatformCallException {
        String b = bucket(bucket);
        String o = object(object);
        if (expirySeconds < 1 || expirySeconds > MAX_URL_EXPIRY_SECONDS) {
            throw new PlatformCallException(
                    "URL expiry must be between 1 and "
                            + MAX_URL_EXPIRY_SECONDS
                            + " seconds, was "
                            + expirySeconds);
        }
        try {
            return minio.getPresignedObjectUrl(
                    GetPresignedObjectUrlArgs.builder()
                            .method(Method.GET)
                            .bucket(b)
                            .object(o)
                            .expiry((int) expirySeconds)
                            .build());
        } catch (Exception e) {
            throw unavailable("sign a URL for '" + o + "' in bucket '" + b + "'", e);
        }
    }

    /** Checks a bucket name against the S3 rules and the platform's reserved names. */
    public String bucket(String bucket) throws PlatformCallException {
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new PlatformCallException(
                    "invalid bucket name '"
                            + clip(bucket)
                            + "': use 3-63 lower-case letters, digits, '.' and '-', starting and"
                            + " ending with a letter or digit");
        }
        if (bucket.contains("..") || IP_LIKE.matcher(bucket).matches()) {
            throw new PlatformCallException(
                    "invalid bucket name '" + bucket + "': no '..' and not an IP address");
        }
        if (reserved.contains(bucket) || bucket.startsWith(RESERVED_PREFIX)) {
            throw new PlatformCallException(
                    "bucket '"
                            + bucket
                            + "' is reserved for the platform (names starting with '"
                            + RESERVED_PREFIX
                            + "' and the package bucket)");
        }
        return bucket;
    }

    /** Object names: 1-1024 UTF-8 bytes, no control characters, no '.'/'..' path segments. */
    public static String object(String object) throws PlatformCallException {
        if (object == null || object.isEmpty()) {
            throw new PlatformCallException("object name must not be empty");
        }
        if (object.getBytes(StandardCharsets.UTF_8).length > 1024) {
            throw new PlatformCallException("object name is longer than 1024 bytes");
        }
        for (int i = 0; i < object.length(); i++) {
            char c = object.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw new PlatformCallException(
                        "object name '"
                                + clip(object)
                                + "' contains a control character or a backslash");
            }
        }
        if (object.startsWith("/")) {
            throw new PlatformCallException("object name must not start with '/'");
        }
        for (String segment : object.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new PlatformCallException(
                        "object name '" + clip(object) + "' has a '.' or '..' segment");
            }
        }
        return object;
    }

    private static PlatformCallException unavailable(String what, Exception e) {
        return new PlatformCallException(
                "cannot " + what + ": the object store is unavailable (" + e + ")", e);
    }

    private static String code(ErrorResponseException e) {
        return e.errorResponse() == null ? "error" : e.errorResponse().code();
    }

    private static String clip(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
