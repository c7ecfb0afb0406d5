package io.fxflink.router.routing;

import static io.fxflink.router.RouterTestData.event;
import static io.fxflink.router.RouterTestData.exact;
import static io.fxflink.router.RouterTestData.filtered;
import static io.fxflink.router.RouterTestData.prefix;
import static io.fxflink.router.RouterTestData.service;
import static io.fxflink.router.RouterTestData.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.cloudevents.FxExtensions;
import io.fxflink.contracts.cloudevents.PlatformEventTypes;
import io.fxflink.contracts.execution.ExecutionIds;
import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.LinkTopicKey;
import io.fxflink.contracts.link.WeightedVersion;
import io.fxflink.router.RouterTestData;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final Instant NOW = RouterTestData.T0;
    private final Router router = new Router(5);
    private final LinkTable table = new LinkTable();

    private List<String> linkIds(RouteResult r) {
        return r.requests().stream().map(ExecutionRequest::linkId).toList();
    }

    @Test
    void exactAndPrefixLinksMatchAndOthersDoNot() {
        table.put(service("billing", 1, "1.0"));
        table.put(exact("l-exact", 1, "order.created", "billing", "1.0"));
        table.put(prefix("l-prefix", 1, "order.", "billing", "1.0"));
        table.put(prefix("l-other-prefix", 1, "invoice.", "billing", "1.0"));
        table.put(exact("l-other", 1, "order.created.v2", "billing", "1.0"));

        RouteResult r = router.route(event("e1", "order.created"), table, NOW);

        assertThat(linkIds(r)).containsExactlyInAnyOrder("l-exact", "l-prefix");
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void requestCarriesDeterministicIdPackageTriggerAndTrace() {
        table.put(service("billing", 1, "1.0"));
        table.put(exact("l1", 1, "order.created", "billing", "1.0"));
        TriggerEvent e =
                event(
                        "e1",
                        "order.created",
                        Map.of(FxExtensions.DEPTH, "3", FxExtensions.TRACEPARENT, "00-abc-def-01"));

        ExecutionRequest r = router.route(e, table, NOW).requests().get(0);

        assertThat(r.executionId()).isEqualTo(ExecutionIds.of("urn:test", "e1", "l1"));
        assertThat(r.service()).isEqualTo("billing");
        assertThat(r.serviceVersion()).isEqualTo("1.0");
        assertThat(r.packageRef().objectKey()).isEqualTo("packages/billing-1.0.zip");
        assertThat(r.triggerEvent()).isEqualTo(e);
        assertThat(r.causationDepth()).isEqualTo(3);
        assertThat(r.traceparent()).isEqualTo("00-abc-def-01");
        assertThat(r.deadline()).isEqualTo(NOW.plusMillis(30_000));
        assertThat(router.route(e, table, NOW.plusSeconds(5)).requests().get(0).executionId())
                .isEqualTo(r.executionId());
    }

    @Test
    void cesqlFilterSelectsEventsAndEvaluationErrorsAreNoMatch() {
        table.put(service("s", 1, "1"));
        table.put(filtered("eu", 1, "order.created", "region = 'eu'", "s", "1"));
        table.put(filtered("us", 1, "order.created", "region = 'us'", "s", "1"));
        // integer arithmetic on a string attribute fails at evaluation: must only skip this link
        table.put(filtered("broken", 1, "order.created", "id + 1 = 2", "s", "1"));
        table.put(exact("all", 1, "order.created", "s", "1"));

        RouteResult eu =
                router.route(event("e1", "order.created", Map.of("region", "eu")), table, NOW);
        RouteResult none = router.route(event("e2", "order.created"), table, NOW);

        assertThat(linkIds(eu)).containsExactlyInAnyOrder("eu", "all");
        assertThat(linkIds(none)).containsExactly("all");
        assertThat(eu.problems()).isEmpty();
    }

    @Test
    void disabledAndDeletedLinksDoNotRoute() {
        table.put(service("s", 1, "1"));
        table.put(RouterTestData.disabled(exact("l1", 1, "t", "s", "1")));
        table.put(exact("l2", 1, "t", "s", "1"));
        table.remove(LinkTopicKey.link("l2"));

        RouteResult r = router.route(event("e1", "t"), table, NOW);

        assertThat(r.requests()).isEmpty();
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void linkToUnknownServiceOrVersionIsAProblemButOtherLinksStillRoute() {
        table.put(service("s", 1, "1"));
        table.put(exact("good", 1, "t", "s", "1"));
        table.put(exact("no-service", 1, "t", "ghost", "1"));
        table.put(exact("no-version", 1, "t", "s", "9"));

        RouteResult r = router.route(event("e1", "t"), table, NOW);

        assertThat(linkIds(r)).containsExactly("good");
        assertThat(r.problems())
                .containsExactlyInAnyOrder(
                        "link 'no-service': unknown service 'ghost'",
                        "link 'no-version': service 's' has no version '9'");
    }

    @Test
    void weightedVersionPickIsDeterministicPerEventAndFollowsWeights() {
        table.put(service("s", 1, "1", "2"));
        table.put(
                weighted(
                        "canary",
                        "t",
                        "s",
                        new WeightedVersion("1", 90),
                        new WeightedVersion("2", 10)));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            TriggerEvent e = event("e" + i, "t");
            String v = router.route(e, table, NOW).requests().get(0).serviceVersion();
            assertThat(router.route(e, table, NOW).requests().get(0).serviceVersion()).isEqualTo(v);
            counts.merge(v, 1, Integer::sum);
        }
        assertThat(counts.get("2")).isBetween(120, 280);
    }

    @Test
    void eventsBeyondTheCausationDepthAreRejected() {
        table.put(service("s", 1, "1"));
        table.put(exact("l1", 1, "t", "s", "1"));

        RouteResult atLimit =
                router.route(event("e1", "t", Map.of(FxExtensions.DEPTH, "5")), table, NOW);
        RouteResult beyond =
                router.route(event("e2", "t", Map.of(FxExtensions.DEPTH, "6")), table, NOW);
        RouteResult garbage =
                router.route(event("e3", "t", Map.of(FxExtensions.DEPTH, "-1x")), table, NOW);

        assertThat(atLimit.requests()).hasSize(1);
        assertThat(beyond.requests()).isEmpty();
        assertThat(beyond.reason()).contains("causation depth 6 exceeds the maximum of 5");
        assertThat(garbage.requests()).isEmpty();
        assertThat(garbage.reason()).contains("fxdepth");
    }

    @Test
    void manualRunGoesToTheDefaultVersionOfTheNamedServiceOnly() {
        table.put(service("s", 1, "2.0", "1.0"));
        table.put(prefix("catch-all", 1, "fx.", "s", "1.0"));
        TriggerEvent manual =
                event("m1", PlatformEventTypes.MANUAL, Map.of(FxExtensions.TARGET_SERVICE, "s"));

        RouteResult r = router.route(manual, table, NOW);

        assertThat(r.requests()).hasSize(1);
        ExecutionRequest req = r.requests().get(0);
        assertThat(req.linkId()).isNull();
        assertThat(req.serviceVersion()).isEqualTo("2.0");
        assertThat(req.executionId()).isEqualTo(ExecutionIds.forService("urn:test", "m1", "s"));
    }

    @Test
    void manualRunCanNameAVersion() {
        table.put(service("s", 1, "2.0", "1.0"));
        TriggerEvent manual =
                event(
                        "m1",
                        PlatformEventTypes.MANUAL,
                        Map.of(
                                FxExtensions.TARGET_SERVICE,
                                "s",
                                FxExtensions.TARGET_VERSION,
                                "1.0"));

        assertThat(router.route(manual, table, NOW).requests().get(0).serviceVersion())
                .isEqualTo("1.0");
    }

    @Test
    void manualRunsThatCannotRunAreRejectedWithTheReason() {
        table.put(service("locked", 1, false, null, "1"));
        table.put(service("noversion", 1, true, null));

        assertThat(router.route(event("m1", PlatformEventTypes.MANUAL), table, NOW).reason())
                .contains("no 'fxservice' extension");
        assertThat(
                        router.route(
                                        event(
                                                "m2",
                                                PlatformEventTypes.MANUAL,
                                                Map.of(FxExtensions.TARGET_SERVICE, "ghost")),
                                        table,
                                        NOW)
                                .reason())
                .isEqualTo("unknown service 'ghost'");
        assertThat(
                        router.route(
                                        event(
                                                "m3",
                                                PlatformEventTypes.MANUAL,
                                                Map.of(FxExtensions.TARGET_SERVICE, "locked")),
                                        table,
                                        NOW)
                                .reason())
                .isEqualTo("service 'locked' does not allow manual triggering");
        assertThat(
                        router.route(
                                        event(
                                                "m4",
                                                PlatformEventTypes.MANUAL,
                                                Map.of(FxExtensions.TARGET_SERVICE, "noversion")),
                                        table,
                                        NOW)
                                .reason())
                .contains("has no default version");
    }

    @Test
    void newerVersionOfALinkReplacesItsFilterAndTarget() {
        table.put(service("s", 1, "1", "2"));
        table.put(filtered("l1", 1, "t", "region = 'eu'", "s", "1"));
        table.put(filtered("l1", 2, "t", "region = 'us'", "s", "2"));

        RouteResult eu = router.route(event("e1", "t", Map.of("region", "eu")), table, NOW);
        RouteResult us = router.route(event("e2", "t", Map.of("region", "us")), table, NOW);

        assertThat(eu.requests()).isEmpty();
        assertThat(us.requests()).extracting(ExecutionRequest::serviceVersion).containsExactly("2");
    }

    @Test
    void thousandLinksStillFindTheFewThatMatch() {
        table.put(service("s", 1, "1"));
        for (int i = 0; i < 1000; i++) {
            table.put(exact("x" + i, 1, "type." + i, "s", "1"));
            table.put(prefix("p" + i, 1, "pre." + i + ".", "s", "1"));
        }
        RouteResult r = router.route(event("e1", "pre.7.thing"), table, NOW);
        assertThat(linkIds(r)).containsExactly("p7");
        assertThat(linkIds(router.route(event("e2", "type.999"), table, NOW)))
                .containsExactly("x999");
    }

    @Test
    void scheduledTriggerGoesToTheDefaultVersionWithADeterministicId() {
        table.put(service("s", 1, false, "* * * * *", "3"));
        TriggerEvent slot =
                io.fxflink.router.schedule.ScheduledTriggers.event(
                        "s", Instant.parse("2026-03-01T10:01:00Z"));

        RouteResult r = router.route(slot, table, NOW);

        assertThat(r.requests())
                .singleElement()
                .satisfies(
                        req -> {
                            assertThat(req.serviceVersion()).isEqualTo("3");
                            assertThat(req.executionId())
                                    .isEqualTo(
                                            ExecutionIds.forService(
                                                    PlatformEventTypes.SOURCE, slot.id(), "s"));
                        });
        table.put(service("s", 2, false, "* * * * *"));
        assertThat(router.route(slot, table, NOW).reason()).contains("has no default version");
    }
}
