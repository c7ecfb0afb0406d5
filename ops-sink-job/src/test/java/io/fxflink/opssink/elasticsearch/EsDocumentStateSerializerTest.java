package io.fxflink.opssink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.Test;

class EsDocumentStateSerializerTest {
    private final EsDocumentStateSerializer serializer = new EsDocumentStateSerializer();

    @Test
    void bufferedDocumentsSurviveACheckpointRoundTrip() throws IOException {
        EsDocument a =
                new EsDocument(
                        "fx-logs-2024.05.01",
                        "e1/1/0",
                        "{\"m\":\"ü\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "fx.ops.logs",
                        3,
                        77);
        EsDocument b = new EsDocument("fx-metrics-2024.05.01", "abc", new byte[0], null, -1, -1);
        BufferedRequestState<EsDocument> state =
                new BufferedRequestState<>(
                        List.of(
                                new RequestEntryWrapper<>(a, a.sizeInBytes()),
                                new RequestEntryWrapper<>(b, b.sizeInBytes())));

        BufferedRequestState<EsDocument> back =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(state));

        assertThat(back.getBufferedRequestEntries())
                .extracting(RequestEntryWrapper::getRequestEntry)
                .containsExactly(a, b);
        assertThat(serializer.getVersion()).isEqualTo(1);
    }

    @Test
    void anUnknownEntryFormatIsRefusedWithAClearError() throws IOException {
        EsDocument a = new EsDocument("i", "d", new byte[] {1}, null, 0, 0);
        byte[] bytes =
                serializer.serialize(
                        new BufferedRequestState<>(
                                List.of(new RequestEntryWrapper<>(a, a.sizeInBytes()))));
        // the entry's format byte stands right before the index name (writeUTF: length 1, 'i')
        int formatAt = indexOf(bytes, new byte[] {1, 0, 1, 'i'});
        assertThat(formatAt).isNotNegative();
        bytes[formatAt] = 9;
        assertThatThrownBy(() -> serializer.deserialize(1, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unknown buffered Elasticsearch document format 9");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
