package io.fxflink.manager.link;

import io.fxflink.manager.api.Db;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the links outbox to Kafka. One transaction per batch: lock (one relay across manager
 * instances), read unsent rows in order, publish and wait for acks=all, mark them sent, commit. A
 * crash anywhere before the commit leaves the rows unsent, so they are published again (at least
 * once; receivers drop stale versions, and the topic is compacted).
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;

    private final Db db;
    private final LinkOutbox outbox = new LinkOutbox();
    private final LinkPublisher publisher;
    private final Duration pollInterval;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong published = new AtomicLong();
    private volatile boolean running;
    private volatile String lastError;
    private Thread thread;

    public OutboxRelay(Db db, LinkPublisher publisher, Duration pollInterval) {
        this.db = db;
        this.publisher = publisher;
        this.pollInterval = pollInterval;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "fx-links-outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Called after a commit that appended to the outbox: publish now instead of at next poll. */
    public void wake() {
        wake.release();
    }

    private void loop() {
        Duration backoff = pollInterval;
        while (running) {
            try {
                int n = relayOnce();
                backoff = pollInterval;
                if (n == BATCH) {
                    continue;
                }
            } catch (RuntimeException e) {
                lastError = e.getMessage();
                LOG.warn(
                        "Links outbox relay failed, retrying in {} ms: {}",
                        backoff.toMillis(),
                        e.getMessage());
                backoff =
                        backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                                ? Duration.ofSeconds(10)
                                : backoff.multipliedBy(2);
            }
            try {
                wake.tryAcquire(backoff.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Publishes one batch; returns how many rows were published (0 if none or locked). */
    public int relayOnce() {
        return db.inTransaction(
                c -> {
                    if (!outbox.tryLockRelay(c)) {
                        return 0;
                    }
                    List<LinkOutbox.Pending> rows = outbox.unsent(c, BATCH);
                    if (rows.isEmpty()) {
                        return 0;
                    }
                    try {
                        publisher.publish(
                                rows.stream()
                                        .map(r -> new LinkPublisher.Message(r.key(), r.value()))
                                        .toList());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while publishing links", e);
                    } catch (Exception e) {
                        throw new IllegalStateException(
                                "publishing "
                                        + rows.size()
                                        + " link changes (outbox seq "
                                        + rows.get(0).seq()
                                        + "..) failed: "
                                        + e.getMessage(),
                                e);
                    }
                    outbox.markSent(c, rows.get(rows.size() - 1).seq(), rows.get(0).seq());
                    published.addAndGet(rows.size());
                    lastError = null;
                    LOG.debug(
                            "Published {} link changes up to outbox seq {}",
                            rows.size(),
                            rows.get(rows.size() - 1).seq());
                    return rows.size();
                });
    }

    public long publishedCount() {
        return published.get();
    }

    /** The last failure, or null when the last attempt succeeded. */
    public String lastError() {
        return lastError;
    }

    public long backlog() {
        return db.read(outbox::backlog);
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        if (t != null) {
            wake.release();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
