package io.fxflink.bench.jmh;

import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.MatchType;
import io.fxflink.contracts.link.ServiceConfig;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.link.ServiceVersionSpec;
import io.fxflink.router.routing.CompiledLink;
import io.fxflink.router.routing.LinkTable;
import io.fxflink.router.routing.RouteResult;
import io.fxflink.router.routing.Router;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The router's decision for one event against 1,000 mixed links (400 exact types, 300 prefixes, 300
 * CESQL-filtered links sharing 50 types, so a filtered event evaluates six filters) and 10
 * services, as in the router-job benchmark. Events rotate exact / prefix / filtered / unmatched.
 *
 * <ul>
 *   <li>{@code candidates}: type matching only (exact index + prefix lookup);
 *   <li>{@code route}: the whole decision (filters, versions, execution ids, requests).
 * </ul>
 *
 * <pre>
 * cd bench && java -cp "target/classes:$(cat target/classpath.txt)" org.openjdk.jmh.Main RouterMatching
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouterMatchingBenchmark {
    private static final int EXACT = 400;
    private static final int PREFIX = 300;
    private static final int FILTERED = 300;
    private static final int FILTER_TYPES = 50;
    private static final int SERVICES = 10;
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    private LinkTable table;
    private Router router;
    private TriggerEvent[] events;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        table = new LinkTable();
        for (int s = 0; s < SERVICES; s++) {
            table.put(service("svc" + s));
        }
        for (int i = 0; i < EXACT; i++) {
            table.put(link("x" + i, "bench.exact." + i, MatchType.EXACT, null, i));
        }
        for (int i = 0; i < PREFIX; i++) {
            table.put(link("p" + i, "bench.pre." + i + ".", MatchType.PREFIX, null, i));
        }
        for (int i = 0; i < FILTERED; i++) {
            table.put(
                    link(
                            "f" + i,
                            "bench.filtered." + (i % FILTER_TYPES),
                            MatchType.EXACT,
                            "subject = 'k" + i + "'",
                            i));
        }
        router = new Router(32);
        events = new TriggerEvent[4_000];
        for (int i = 0; i < events.length; i++) {
            String type =
                    switch (i % 4) {
                        case 0 -> "bench.exact." + (i % EXACT);
                        case 1 -> "bench.pre." + (i % PREFIX) + ".happened";
                        case 2 -> "bench.filtered." + ((i % FILTERED) % FILTER_TYPES);
                        default -> "other.unlinked." + i;
                    };
            events[i] =
                    new TriggerEvent(
                            "e" + i,
                            "urn:bench",
                            type,
                            i % 4 == 2 ? "k" + (i % FILTERED) : null,
                            null,
                            "application/octet-stream",
                            null,
                            new byte[1024],
                            Map.of());
        }
    }

    private TriggerEvent nextEvent() {
        TriggerEvent e = events[next];
        next = next + 1 == events.length ? 0 : next + 1;
        return e;
    }

    @Benchmark
    public List<CompiledLink> candidates() {
        return table.candidates(nextEvent().type());
    }

    @Benchmark
    public RouteResult route() {
        return router.route(nextEvent(), table, T0);
    }

    private static Link link(String id, String type, MatchType match, String filter, int i) {
        return Link.toVersion(
                id, 1, "bench", type, match, filter, "svc" + (i % SERVICES), "1", true, T0);
    }

    private static ServiceConfig service(String name) {
        ServiceVersionSpec spec =
                new ServiceVersionSpec(
                        "packages/" + "ab".repeat(32) + ".zip",
                        "ab".repeat(32),
                        ServiceRuntime.PYTHON,
                        30_000,
                        2,
                        1_000,
                        1,
                        0,
                        List.of("main.py"));
        return new ServiceConfig(name, 1, "proj", true, true, null, "1", Map.of("1", spec));
    }
}
