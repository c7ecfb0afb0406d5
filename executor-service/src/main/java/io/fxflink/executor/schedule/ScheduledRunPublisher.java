package io.fxflink.executor.schedule;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.fxflink.contracts.cloudevents.FxExtensions;
import io.fxflink.contracts.cloudevents.PlatformEventTypes;
import io.fxflink.executor.ops.OpsPublisher;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes due scheduled runs as {@code fx.platform.manual} CloudEvents (extension {@code
 * fxservice}, parameters as JSON data) to the events topic. Safe with N executors: each batch is
 * locked with {@code FOR UPDATE SKIP LOCKED}, published, and marked published in the same
 * transaction only after Kafka acknowledged every event. A crash between the ack and the commit
 * publishes the run again with the same deterministic event id, which the router recognises.
 */
public final class ScheduledRunPublisher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledRunPublisher.class);
    private static final int BATCH = 100;
    private static final long ACK_TIMEOUT_MS = 30_000;

    private final DataSource ds;
    private final OpsPublisher publisher;

    public ScheduledRunPublisher(DataSource ds, OpsPublisher publisher) {
        this.ds = ds;
        this.publisher = publisher;
    }

    private record Due(
            String id,
            String service,
            String parameters,
            String eventId,
            String createdBy,
            String triggerEventId,
            String rootEventId) {}

    @Override
    public void run() {
        try {
            int n;
            do {
                n = publishDue();
            } while (n == BATCH);
        } catch (Exception e) {
            // rows stay unpublished and unlocked: the next tick tries again
            LOG.warn("publishing scheduled runs failed; retrying on the next tick", e);
        }
    }

    /** Publishes one batch of due runs; returns how many. */
    public int publishDue() throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Due> due = lockDue(c);
                if (due.isEmpty()) {
                    c.commit();
                    return 0;
                }
                List<CompletableFuture<Void>> acks = new ArrayList<>();
                for (Due d : due) {
                    acks.add(publisher.event(d.service(), event(d)));
                }
                OpsPublisher.awaitAll(acks, ACK_TIMEOUT_MS);
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE executor_scheduled_runs SET published = true,"
                                        + " published_at = now() WHERE id = ANY (?)")) {
                    ps.setArray(1, c.createArrayOf("text", due.stream().map(Due::id).toArray()));
                    ps.executeUpdate();
                }
                c.commit();
                for (Due d : due) {
                    LOG.info(
                            "scheduled run {} of {} published as event {}",
                            d.id(),
                            d.service(),
                            d.eventId());
                }
                return due.size();
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static List<Due> lockDue(Connection c) throws SQLException {
        List<Due> due = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT id, service, parameters, event_id, created_by, trigger_event_id,"
                                + " root_event_id FROM executor_scheduled_runs WHERE NOT published"
                                + " AND run_at <= now() ORDER BY run_at LIMIT "
                                + BATCH
                                + " FOR UPDATE SKIP LOCKED")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    String eventId = rs.getString(4);
                    due.add(
                            new Due(
                                    id,
                                    rs.getString(2),
                                    rs.getString(3),
                                    eventId == null ? ScheduledRuns.EVENT_ID_PREFIX + id : eventId,
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7)));
                }
            }
        }
        return due;
    }

    static CloudEvent event(Due d) {
        CloudEventBuilder b =
                CloudEventBuilder.v1()
                        .withId(d.eventId())
                        .withSource(URI.create(PlatformEventTypes.SOURCE))
                        .withType(PlatformEventTypes.MANUAL)
                        .withTime(OffsetDateTime.now(ZoneOffset.UTC))
                        .withSubject(d.service())
                        .withExtension(FxExtensions.TARGET_SERVICE, d.service())
                        // who asked for it; the depth is not carried on purpose: a service that
                        // polls by retrying itself must not run into the loop guard
                        .withExtension(FxExtensions.EXECUTION_ID, d.createdBy());
        if (d.triggerEventId() != null) {
            b.withExtension(FxExtensions.CAUSATION_ID, d.triggerEventId());
        }
        if (d.rootEventId() != null) {
            b.withExtension(FxExtensions.ROOT_ID, d.rootEventId());
        }
        if (d.parameters() != null) {
            b.withDataContentType("application/json")
                    .withData(d.parameters().getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
    }
}
