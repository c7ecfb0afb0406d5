package io.fxflink.router.bench;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.MatchType;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.router.RouterTestData;
import io.fxflink.router.routing.LinkTable;
import io.fxflink.router.routing.RouteResult;
import io.fxflink.router.routing.Router;
import io.fxflink.router.source.InboundEvent;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Cost of the routing decision alone (no Flink, no Kafka), per step, over the benchmark's 1,000
 * links: where the router's per-event CPU goes. Run like {@link RouterBench} with this main class.
 */
public final class RoutingDecisionBench {
    public static void main(String[] args) {
        LinkTable table = new LinkTable();
        for (int s = 0; s < 10; s++) {
            table.put(RouterTestData.service("svc" + s, 1, "1"));
        }
        Instant t = RouterTestData.T0;
        for (int i = 0; i < 400; i++) {
            table.put(
                    Link.toVersion(
                            "x" + i,
                            1,
                            "b",
                            "bench.exact." + i,
                            MatchType.EXACT,
                            null,
                            "svc" + (i % 10),
                            "1",
                            true,
                            t));
        }
        for (int i = 0; i < 300; i++) {
            table.put(
                    Link.toVersion(
                            "p" + i,
                            1,
                            "b",
                            "bench.pre." + i + ".",
                            MatchType.PREFIX,
                            null,
                            "svc" + (i % 10),
                            "1",
                            true,
                            t));
        }
        for (int i = 0; i < 300; i++) {
            table.put(
                    Link.toVersion(
                            "f" + i,
                            1,
                            "b",
                            "bench.filtered." + (i % 50),
                            MatchType.EXACT,
                            "subject = 'k" + i + "'",
                            "svc" + (i % 10),
                            "1",
                            true,
                            t));
        }
        Router router = new Router(32);
        InboundEvent[] events = new InboundEvent[3000];
        for (int i = 0; i < events.length; i++) {
            String type =
                    switch (i % 3) {
                        case 0 -> "bench.exact." + (i % 400);
                        case 1 -> "bench.pre." + (i % 300) + ".happened";
                        default -> "bench.filtered." + ((i % 300) % 50);
                    };
            TriggerEvent e =
                    new TriggerEvent(
                            "e" + i,
                            "urn:bench",
                            type,
                            i % 3 == 2 ? "k" + (i % 300) : null,
                            null,
                            "application/octet-stream",
                            null,
                            new byte[1024],
                            Map.of());
            events[i] = InboundEvent.decoded("t", 0, i, 0, null, e);
        }
        for (int round = 0; round < 5; round++) {
            long toTrigger = 0, route = 0, encode = 0, n = 0, requests = 0;
            for (int rep = 0; rep < 20; rep++) {
                for (InboundEvent ie : events) {
                    long a = System.nanoTime();
                    TriggerEvent e = ie.toTriggerEvent();
                    long b = System.nanoTime();
                    RouteResult r = router.route(e, table, t);
                    long c = System.nanoTime();
                    for (ExecutionRequest req : r.requests()) {
                        Codecs.EXECUTION_REQUEST.encode(req);
                    }
                    long d = System.nanoTime();
                    toTrigger += b - a;
                    route += c - b;
                    encode += d - c;
                    requests += r.requests().size();
                    n++;
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "round %d: %,d events, %,d requests; per event: toTrigger %.1f us, route %.1f us, encode %.1f us%n",
                    round,
                    n,
                    requests,
                    toTrigger / 1e3 / n,
                    route / 1e3 / n,
                    encode / 1e3 / n);
        }
    }
}
