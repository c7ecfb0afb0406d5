package io.fxflink.executor.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.executor.context.PlatformCallException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Names are checked before anything reaches the object store (the ITCase covers the store). */
class ObjectStorageNamesTest {
    final ObjectStorage storage = new ObjectStorage(null, Set.of("my-packages"), 1024);

    @Test
    void validBucketAndObjectNamesPass() throws Exception {
        assertThat(storage.bucket("reports-2026.eu")).isEqualTo("reports-2026.eu");
        assertThat(ObjectStorage.object("a/b/c d.txt")).isEqualTo("a/b/c d.txt");
        assertThat(ObjectStorage.object("ünïcode/ok")).isEqualTo("ünïcode/ok");
    }

    @Test
    void badBucketNamesAreRefused() {
        for (String bad :
                new String[] {
                    "ab",
                    "UPPER",
                    "-start",
                    "end-",
                    "a..b",
                    "192.168.1.1",
                    "under_score",
                    "a".repeat(64),
                    ""
                }) {
            assertThatThrownBy(() -> storage.bucket(bad))
                    .as(bad)
                    .isInstanceOf(PlatformCallException.class)
                    .hasMessageContaining("invalid bucket name");
        }
        assertThatThrownBy(() -> storage.bucket(null)).hasMessageContaining("invalid bucket name");
    }

    @Test
    void thePlatformsBucketsAreReserved() {
        assertThatThrownBy(() -> storage.bucket("my-packages"))
                .hasMessageContaining("reserved for the platform");
        assertThatThrownBy(() -> storage.bucket("fx-packages"))
                .hasMessageContaining("reserved for the platform");
    }

    @Test
    void hostileObjectNamesAreRefused() {
        assertThatThrownBy(() -> ObjectStorage.object("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ObjectStorage.object(null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> ObjectStorage.object("/etc/passwd"))
                .hasMessageContaining("must not start with '/'");
        assertThatThrownBy(() -> ObjectStorage.object("a/../../b")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> ObjectStorage.object("./a")).hasMessageContaining("'.'");
        assertThatThrownBy(() -> ObjectStorage.object("a\\b")).hasMessageContaining("backslash");
        assertThatThrownBy(() -> ObjectStorage.object("a\nb"))
                .hasMessageContaining("control character");
        assertThatThrownBy(() -> ObjectStorage.object("x".repeat(1025)))
                .hasMessageContaining("longer than 1024 bytes");
    }

    @Test
    void oversizeUploadsAndBadUrlExpiriesAreRefusedBeforeTheStore() {
        assertThatThrownBy(() -> storage.upload("data-bucket", "o", new byte[1025]))
                .hasMessageContaining("the limit is 1024 bytes");
        assertThatThrownBy(() -> storage.presignedGet("data-bucket", "o", 0))
                .hasMessageContaining("between 1 and 604800 seconds");
        assertThatThrownBy(() -> storage.presignedGet("data-bucket", "o", 604_801))
                .hasMessageContaining("between 1 and 604800 seconds");
    }
}
