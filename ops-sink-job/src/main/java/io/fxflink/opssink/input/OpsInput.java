package io.fxflink.opssink.input;

import io.fxflink.opssink.deadletter.DeadLetter;
import io.fxflink.opssink.elasticsearch.EsDocument;
import io.fxflink.opssink.postgres.ExecutionRow;
import io.fxflink.opssink.rollup.RollupInput;
import java.io.Serializable;

/**
 * One consumed ops record, already decoded and converted to what the sinks need: a document for
 * Elasticsearch (every valid record), an execution row and maybe a rollup input (lifecycle
 * records), or only a dead letter (a record that could not be decoded). Plain POJO fields, so Flink
 * never falls back to Kryo.
 */
public final class OpsInput implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Event time of dead letters: they must not move the watermark. */
    public static final long NO_EVENT_TIME = Long.MIN_VALUE;

    public EsDocument document;
    public ExecutionRow execution;
    public RollupInput rollup;
    public DeadLetter deadLetter;
    public long eventTimeMillis = NO_EVENT_TIME;

    public OpsInput() {}

    public static OpsInput document(EsDocument document, long eventTime) {
        OpsInput in = new OpsInput();
        in.document = document;
        in.eventTimeMillis = eventTime;
        return in;
    }

    public static OpsInput lifecycle(
            EsDocument document, ExecutionRow row, RollupInput rollup, long eventTime) {
        OpsInput in = document(document, eventTime);
        in.execution = row;
        in.rollup = rollup;
        return in;
    }

    public static OpsInput deadLetter(DeadLetter deadLetter) {
        OpsInput in = new OpsInput();
        in.deadLetter = deadLetter;
        return in;
    }

    @Override
    public String toString() {
        return deadLetter != null ? "OpsInput[" + deadLetter + "]" : "OpsInput[" + document + "]";
    }
}
