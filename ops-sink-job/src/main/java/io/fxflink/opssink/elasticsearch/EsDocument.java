package io.fxflink.opssink.elasticsearch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One document to index: target index, document id (derived from the record id, so a replay
 * overwrites instead of duplicating), the JSON source, and where the record came from (for the dead
 * letter if Elasticsearch rejects it). A Flink POJO and the sink's buffered request entry.
 */
public final class EsDocument implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Fixed overhead counted per entry on top of the source, for batch byte limits. */
    static final int ENTRY_OVERHEAD_BYTES = 64;

    public String index;
    public String id;
    public byte[] source;
    public String originTopic;
    public int originPartition;
    public long originOffset;

    public EsDocument() {}

    public EsDocument(
            String index,
            String id,
            byte[] source,
            String originTopic,
            int originPartition,
            long originOffset) {
        this.index = Objects.requireNonNull(index, "index");
        this.id = Objects.requireNonNull(id, "id");
        this.source = Objects.requireNonNull(source, "source");
        this.originTopic = originTopic;
        this.originPartition = originPartition;
        this.originOffset = originOffset;
    }

    /** Size used for the batch byte limit and the buffer accounting. */
    public long sizeInBytes() {
        return source.length + index.length() + id.length() + ENTRY_OVERHEAD_BYTES;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EsDocument d
                && index.equals(d.index)
                && id.equals(d.id)
                && Arrays.equals(source, d.source)
                && Objects.equals(originTopic, d.originTopic)
                && originPartition == d.originPartition
                && originOffset == d.originOffset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, id);
    }

    @Override
    public String toString() {
        return "EsDocument["
                + index
                + "/"
                + id
                + ", "
                + source.length
                + " bytes, from "
                + originTopic
                + "/"
                + originPartition
                + "/"
                + originOffset
                + "]";
    }

    /** The source as text (tests and log messages). */
    public String sourceText() {
        return new String(source, StandardCharsets.UTF_8);
    }
}
