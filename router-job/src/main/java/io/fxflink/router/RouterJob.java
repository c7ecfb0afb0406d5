package io.fxflink.router;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.topic.TopicProvisioner;
import io.fxflink.contracts.topic.TopicSpec;
import io.fxflink.contracts.topic.Topics;
import io.fxflink.jobs.deadletter.DeadLetters;
import io.fxflink.jobs.types.ConsumedEvent;
import io.fxflink.jobs.types.FxTypes;
import io.fxflink.router.routing.LinkRoutingFunction;
import io.fxflink.router.routing.Router;
import io.fxflink.router.schedule.ScheduleFunction;
import io.fxflink.router.source.KafkaLinksEndOffsets;
import io.fxflink.router.source.LinkUpdate;
import io.fxflink.router.source.LinksEndOffsets;
import io.fxflink.router.source.SplitRejectedLinks;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router topology. Sources, sinks and the links end-offset lookup are injected; {@link
 * #main(String[])} builds the Kafka ones from {@link RouterOptions}.
 *
 * <pre>
 * fx.events ─► decode ─────────┬─keyBy(source,id)─► route (keyed broadcast) ─► fx.executions
 * fx.links ──► validate ─┬─────│──── broadcast ──────┘
 *                        └─ keyBy(service) ─► schedules (slot trigger events)
 * every stage ─ dead letters ─► fx.deadletter
 * </pre>
 */
public final class RouterJob {
    private static final Logger LOG = LoggerFactory.getLogger(RouterJob.class);
    public static final String JOB_NAME = "fx-router";

    private final RouterOptions options;
    private final Source<Either<DeadLetterRecord, ConsumedEvent>, ?, ?> events;
    private final Source<LinkUpdate, ?, ?> links;
    private final Sink<ExecutionRequest> executions;
    private final Sink<DeadLetterRecord> deadLetters;
    private final LinksEndOffsets linksEndOffsets;

    public RouterJob(
            RouterOptions options,
            Source<Either<DeadLetterRecord, ConsumedEvent>, ?, ?> events,
            Source<LinkUpdate, ?, ?> links,
            Sink<ExecutionRequest> executions,
            Sink<DeadLetterRecord> deadLetters,
            LinksEndOffsets linksEndOffsets) {
        this.linksEndOffsets = linksEndOffsets;
        this.options = options;
        this.events = events;
        this.links = links;
        this.executions = executions;
        this.deadLetters = deadLetters;
    }

    /** The job with the real Kafka connectors. */
    public static RouterJob withKafka(RouterOptions options) {
        return new RouterJob(
                options,
                RouterConnectors.events(options),
                RouterConnectors.links(options),
                RouterConnectors.executions(options),
                RouterConnectors.deadLetters(options),
                new KafkaLinksEndOffsets(
                        options.kafkaBootstrap(),
                        options.topics().links(),
                        options.kafkaProperties()));
    }

    /** Wires the topology into {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        Router router = new Router(options.maxCausationDepth());
        // the functions never mutate their inputs: skip the defensive copies between chained
        // operators; flush network buffers after a few ms at most (latency over batching)
        env.getConfig().enableObjectReuse();
        env.setBufferTimeout(options.bufferTimeout().toMillis());

        // records that are not CloudEvents arrive as dead letters already (shared schema)
        SingleOutputStreamOperator<ConsumedEvent> decoded =
                DeadLetters.split(
                        env.fromSource(events, WatermarkStrategy.noWatermarks(), "fx.events source")
                                .uid("events-source"),
                        FxTypes.CONSUMED_EVENT,
                        "decode-events");

        // one task reads the single-partition links topic: every router task sees one order
        SingleOutputStreamOperator<LinkUpdate> linkUpdates =
                env.fromSource(links, WatermarkStrategy.noWatermarks(), "fx.links source")
                        .uid("links-source")
                        .setParallelism(1)
                        .process(new SplitRejectedLinks())
                        .uid("validate-links")
                        .name("Split invalid link records")
                        .setParallelism(1);

        // cron slots become trigger events routed like manual runs (to the service's default
        // version), joining the events before the keyed routing
        SingleOutputStreamOperator<ConsumedEvent> scheduled =
                linkUpdates
                        .filter(LinkUpdate::isService)
                        .uid("service-updates")
                        .name("Service configurations")
                        .setParallelism(1)
                        .keyBy(LinkUpdate::id)
                        .process(new ScheduleFunction(), FxTypes.CONSUMED_EVENT)
                        .uid("schedules")
                        .name("Cron schedules");

        SingleOutputStreamOperator<ExecutionRequest> routed =
                decoded.union(scheduled)
                        .keyBy(ConsumedEvent::sourceAndId)
                        .connect(linkUpdates.broadcast(Descriptors.LINKS))
                        .process(
                                new LinkRoutingFunction(
                                        router,
                                        options.dedupeWindow(),
                                        linksEndOffsets,
                                        options.linksBootstrapTimeout()),
                                FxTypes.EXECUTION_REQUEST)
                        .uid("route-events")
                        .name("Route events to links");

        // chained to the routing (one input): requests are never serialized between them
        routed.sinkTo(executions).uid("executions-sink").name("fx.executions sink");

        DataStream<DeadLetterRecord> dead =
                decoded.getSideOutput(DeadLetters.TAG)
                        .union(
                                linkUpdates.getSideOutput(DeadLetters.TAG),
                                routed.getSideOutput(DeadLetters.TAG),
                                scheduled.getSideOutput(DeadLetters.TAG));
        dead.sinkTo(deadLetters).uid("deadletter-sink").name("fx.deadletter sink");
    }

    /** Builds the Kafka connectors from {@code options} and runs the job (blocks). */
    public static JobExecutionResult run(StreamExecutionEnvironment env, RouterOptions options)
            throws Exception {
        provisionTopics(options);
        withKafka(options).build(env);
        LOG.info(
                "Starting {}: kafka {} topics {} delivery {}",
                JOB_NAME,
                options.kafkaBootstrap(),
                options.topics(),
                options.deliveryGuarantee());
        return env.execute(JOB_NAME);
    }

    /**
     * Creates the router's topics when they are missing (the links topic compacted), so a first
     * start on an empty cluster works; existing topics are left as they are.
     */
    static void provisionTopics(RouterOptions options) {
        Properties p = new Properties();
        p.putAll(options.kafkaProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.kafkaBootstrap());
        try (Admin admin = Admin.create(p)) {
            Set<String> mine =
                    Set.of(
                            options.topics().events(),
                            options.topics().links(),
                            options.topics().executions(),
                            options.topics().deadLetter());
            List<TopicSpec> specs =
                    Topics.specs(options.topics()).stream()
                            .filter(s -> mine.contains(s.name()))
                            .toList();
            List<String> created = new TopicProvisioner(admin, Optional.empty()).ensure(specs);
            if (!created.isEmpty()) {
                LOG.info("Created topics {}", created);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(RouterOptions.usage());
            return;
        }
        RouterOptions options;
        try {
            options = RouterOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(RouterOptions.usage());
            throw e;
        }
        run(StreamExecutionEnvironment.getExecutionEnvironment(), options);
    }
}
