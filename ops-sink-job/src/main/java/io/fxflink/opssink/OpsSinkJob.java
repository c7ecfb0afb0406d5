package io.fxflink.opssink;

import io.fxflink.opssink.deadletter.DeadLetter;
import io.fxflink.opssink.elasticsearch.EsDocument;
import io.fxflink.opssink.input.OpsInput;
import io.fxflink.opssink.postgres.ExecutionRow;
import io.fxflink.opssink.rollup.BoundedEventTime;
import io.fxflink.opssink.rollup.FutureOutcomeLog;
import io.fxflink.opssink.rollup.LateOutcomeLog;
import io.fxflink.opssink.rollup.MinuteRollup;
import io.fxflink.opssink.rollup.MinuteRollupFunction;
import io.fxflink.opssink.rollup.RollupInput;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops sink job's topology. Sources and sinks come in through the constructor (real ones from
 * {@link OpsSinkConnectors}, test ones in tests):
 *
 * <pre>
 * fx.ops.logs, fx.ops.executions, fx.ops.metrics ─► decode ─┬─► Elasticsearch (all documents)
 *                                                          ├─► PostgreSQL executions (lifecycle)
 *                                                          ├─► 1-minute event-time windows ─► PostgreSQL rollups
 *                                                          └─► fx.deadletter (undecodable)
 * </pre>
 */
public final class OpsSinkJob {
    private static final Logger LOG = LoggerFactory.getLogger(OpsSinkJob.class);

    public static final String JOB_NAME = "fx-ops-sink";

    private final Source<OpsInput, ?, ?> source;
    private final Sink<EsDocument> documents;
    private final Sink<ExecutionRow> executions;
    private final Sink<MinuteRollup> rollups;
    private final Sink<DeadLetter> deadLetters;
    private final Duration outOfOrderness;
    private final Duration allowedLateness;
    private final Duration maxFuture;
    private final Duration idleness;

    public OpsSinkJob(
            Source<OpsInput, ?, ?> source,
            Sink<EsDocument> documents,
            Sink<ExecutionRow> executions,
            Sink<MinuteRollup> rollups,
            Sink<DeadLetter> deadLetters,
            Duration outOfOrderness,
            Duration allowedLateness,
            Duration maxFuture,
            Duration idleness) {
        this.source = Objects.requireNonNull(source, "source");
        this.documents = Objects.requireNonNull(documents, "documents");
        this.executions = Objects.requireNonNull(executions, "executions");
        this.rollups = Objects.requireNonNull(rollups, "rollups");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.outOfOrderness = Objects.requireNonNull(outOfOrderness, "outOfOrderness");
        this.allowedLateness = Objects.requireNonNull(allowedLateness, "allowedLateness");
        this.maxFuture = Objects.requireNonNull(maxFuture, "maxFuture");
        this.idleness = Objects.requireNonNull(idleness, "idleness");
    }

    /** Wires the topology into {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        WatermarkStrategy<OpsInput> watermarks =
                WatermarkStrategy.<OpsInput>forBoundedOutOfOrderness(outOfOrderness)
                        .withTimestampAssigner(new BoundedEventTime(maxFuture.toMillis()))
                        .withIdleness(idleness);
        DataStream<OpsInput> input =
                env.fromSource(source, watermarks, "Ops topics").uid("ops-source");

        SingleOutputStreamOperator<EsDocument> split =
                input.process(new SplitOpsInput()).uid("split").name("Split by destination");
        split.getSideOutput(Descriptors.FUTURE_ROLLUP_INPUTS)
                .process(new FutureOutcomeLog())
                .returns(Types.VOID)
                .uid("future-outcomes")
                .name("Outcomes from the future")
                .sinkTo(new DiscardingSink<>())
                .uid("future-outcomes-sink");

        split.sinkTo(documents).uid("elasticsearch-sink").name("Elasticsearch documents");

        split.getSideOutput(Descriptors.EXECUTION_ROWS)
                .sinkTo(executions)
                .uid("executions-sink")
                .name("PostgreSQL executions");

        SingleOutputStreamOperator<MinuteRollup> minuteRollups =
                split.getSideOutput(Descriptors.ROLLUP_INPUTS)
                        .keyBy(RollupKey.INSTANCE)
                        .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                        .allowedLateness(allowedLateness)
                        .sideOutputLateData(Descriptors.LATE_ROLLUP_INPUTS)
                        .process(new MinuteRollupFunction())
                        .uid("minute-rollups")
                        .name("Per-service minute rollups");
        minuteRollups.sinkTo(rollups).uid("rollups-sink").name("PostgreSQL rollups");
        minuteRollups
                .getSideOutput(Descriptors.LATE_ROLLUP_INPUTS)
                .process(new LateOutcomeLog())
                .returns(Types.VOID)
                .uid("late-outcomes")
                .name("Late outcomes")
                .sinkTo(new DiscardingSink<>())
                .uid("late-outcomes-sink");

        split.getSideOutput(Descriptors.DEAD_LETTERS)
                .sinkTo(deadLetters)
                .uid("dead-letter-sink")
                .name("Dead letters");
    }

    /** Key of the rollup windows: the service name. */
    enum RollupKey implements org.apache.flink.api.java.functions.KeySelector<RollupInput, String> {
        INSTANCE;

        @Override
        public String getKey(RollupInput in) {
            return in.service;
        }
    }

    /** Prepares the stores, builds the job from {@code config} and submits it (non-blocking). */
    public static JobClient start(StreamExecutionEnvironment env, OpsSinkConfig config)
            throws Exception {
        OpsSinkConnectors.prepareStores(config);
        OpsSinkConnectors.fromConfig(config).build(env);
        if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            LOG.warn(
                    "Checkpointing is off: after a failure the job restarts from the committed"
                            + " offsets only. Enable it in flink-conf (execution.checkpointing.interval).");
        }
        LOG.info("Submitting {} with {}", JOB_NAME, config);
        return env.executeAsync(JOB_NAME);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
            System.out.println(OpsSinkOptions.help());
            return;
        }
        OpsSinkConfig config = OpsSinkConfig.parse(args, Map.copyOf(System.getenv()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        OpsSinkConnectors.prepareStores(config);
        OpsSinkConnectors.fromConfig(config).build(env);
        LOG.info("Running {} with {}", JOB_NAME, config);
        env.execute(JOB_NAME);
    }
}
