package io.fxflink.executor.api;

import java.time.Duration;

/**
 * Asks for another run of this service later, as {@code context.scheduler.retry} does in Python.
 * The run is stored by the platform and published as a {@code fx.platform.manual} event when due,
 * exactly once, even when executors restart.
 */
public interface FxScheduler {
    /**
     * @param delay at least one second, at most 365 days
     * @param parameters the data of the next run (JSON-serialisable; null = none)
     * @return the id of the scheduled run
     */
    String retry(Duration delay, Object parameters);

    /**
     * @param cronExpression a five-field Unix cron expression; the run happens once, at its next
     *     matching time
     */
    String retry(String cronExpression, Object parameters);
}
