package io.fxflink.router.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.link.LinkTopicCodec;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.router.RouterTestData;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LinkRecordSchemaTest {
    private static LinkUpdate decode(String key, String value) {
        return LinkRecordSchema.decode(
                "fx.links",
                0,
                5,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void validLinkAndTombstoneDecode() {
        LinkTopicRecord rec = LinkTopicRecord.upsert(RouterTestData.exact("l1", 3, "t", "s", "1"));
        LinkUpdate u =
                LinkRecordSchema.decode(
                        "fx.links",
                        0,
                        1,
                        LinkTopicCodec.encodeKey(rec),
                        LinkTopicCodec.encodeValue(rec));
        assertThat(u.isRejected()).isFalse();
        assertThat(u.key).isEqualTo("link:l1");
        assertThat(u.version).isEqualTo(3);
        assertThat(u.value()).isEqualTo(RouterTestData.exact("l1", 3, "t", "s", "1"));

        LinkUpdate del = decode("service:s", null);
        assertThat(del.isDelete()).isTrue();
        assertThat(del.isService()).isTrue();
    }

    @Test
    void brokenRecordsAreRejectedWithAReason() {
        assertThat(decode(null, "{}").rejectReason).contains("no key");
        assertThat(decode("nonsense", "{}").rejectReason).contains("link:");
        assertThat(decode("link:l1", "{not json").isRejected()).isTrue();
        assertThat(decode("link:l1", "[]").rejectReason).contains("JSON object");
        assertThat(decode("link:l1", "{\"schemaVersion\":1,\"kind\":\"link\"}").isRejected())
                .isTrue();
    }

    @Test
    void linkWithAnInvalidFilterIsRejectedNotApplied() {
        LinkTopicRecord rec =
                LinkTopicRecord.upsert(RouterTestData.filtered("l1", 1, "t", "a = 'x'", "s", "1"));
        String json =
                new String(LinkTopicCodec.encodeValue(rec), StandardCharsets.UTF_8)
                        .replace("a = 'x'", "a = = ((");
        LinkUpdate u = decode("link:l1", json);
        assertThat(u.isRejected()).isTrue();
        assertThat(u.rejectReason).contains("filter");
        assertThat(u.rawValue).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keyAndValueThatDisagreeAreRejected() {
        LinkTopicRecord rec = LinkTopicRecord.upsert(RouterTestData.exact("l1", 1, "t", "s", "1"));
        String json = new String(LinkTopicCodec.encodeValue(rec), StandardCharsets.UTF_8);
        assertThat(decode("link:other", json).rejectReason).contains("does not match");
    }
}
