package io.fxflink.manager.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.manager.api.Json;
import io.fxflink.manager.health.ComponentHealth.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The overall verdict is the worst component's; optional components only degrade it. */
class HealthServiceTest {

    @Test
    void theOverallStatusIsTheWorstComponentsAndOnlyARequiredDownIsDown() {
        Map<String, ComponentCheck> checks = new LinkedHashMap<>();
        checks.put("postgresql", () -> ComponentHealth.up(null, null));
        checks.put("flink", () -> ComponentHealth.down("no TaskManager registered"));
        checks.put(
                "executor",
                () -> ComponentHealth.of(Status.DEGRADED, "lag 20000 above the bound", Map.of()));
        try (HealthService s =
                new HealthService(checks, Set.of("flink", "executor"), Map.of(), 2000)) {
            HealthService.Health h = s.readiness();
            assertThat(h.status()).isEqualTo(Status.DEGRADED);
            assertThat(h.up()).isTrue();
            assertThat(h.components().get("flink").status()).isEqualTo(Status.DOWN);
            assertThat(h.components().get("flink").reason()).isEqualTo("no TaskManager registered");
            assertThat(h.components().get("executor").status()).isEqualTo(Status.DEGRADED);
        }
        // the same answers with Flink required: DOWN (the controller answers 503)
        try (HealthService s = new HealthService(checks, Set.of("executor"), Map.of(), 2000)) {
            HealthService.Health h = s.readiness();
            assertThat(h.status()).isEqualTo(Status.DOWN);
            assertThat(h.up()).isFalse();
        }
        // a required DEGRADED component degrades, it does not fail
        checks.remove("flink");
        try (HealthService s = new HealthService(checks, Set.of(), Map.of(), 2000)) {
            assertThat(s.readiness().status()).isEqualTo(Status.DEGRADED);
        }
    }

    @Test
    void aThrowingOrSilentProbeIsDownWithTheReasonAndDisabledDegrades() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Map<String, ComponentCheck> checks = new LinkedHashMap<>();
        checks.put(
                "kafka",
                ComponentCheck.of(
                        () -> {
                            throw new IllegalStateException("broker 127.0.0.1:1 refused");
                        }));
        checks.put(
                "elasticsearch",
                () -> {
                    never.await();
                    return ComponentHealth.up(null, null);
                });
        checks.put("postgresql", ComponentCheck.of(() -> {}));
        try (HealthService s =
                new HealthService(
                        checks, Set.of(), Map.of("flink", "FX_FLINK_REST_URL is not set"), 300)) {
            HealthService.Health h = s.readiness();
            assertThat(h.status()).isEqualTo(Status.DOWN);
            assertThat(h.components().get("kafka").reason())
                    .isEqualTo("broker 127.0.0.1:1 refused");
            assertThat(h.components().get("elasticsearch").reason())
                    .isEqualTo("no answer within 300 ms");
            assertThat(h.components().get("postgresql").status()).isEqualTo(Status.UP);
            assertThat(h.components().get("flink").status()).isEqualTo(Status.DISABLED);
        }
        Map<String, ComponentCheck> upOnly = Map.of("postgresql", ComponentCheck.of(() -> {}));
        try (HealthService s =
                new HealthService(
                        upOnly, Set.of(), Map.of("flink", "FX_FLINK_REST_URL is not set"), 300)) {
            assertThat(s.readiness().status()).isEqualTo(Status.DEGRADED);
        }
        try (HealthService s = new HealthService(upOnly, Set.of(), Map.of(), 300)) {
            assertThat(s.readiness().status()).isEqualTo(Status.UP);
        }
    }

    @Test
    void theJsonCarriesStatusReasonErrorMillisAndDetails() throws Exception {
        Map<String, ComponentCheck> checks = new LinkedHashMap<>();
        checks.put("postgresql", ComponentCheck.of(() -> {}));
        checks.put(
                "flink",
                () ->
                        ComponentHealth.of(
                                Status.DOWN, "fx-router is RESTARTING", Map.of("taskManagers", 0)));
        try (HealthService s = new HealthService(checks, Set.of("flink"), Map.of(), 2000)) {
            JsonNode json = Json.mapper().readTree(Json.mapper().writeValueAsString(s.readiness()));
            assertThat(json.get("status").asText()).isEqualTo("DEGRADED");
            JsonNode pg = json.get("components").get("postgresql");
            assertThat(pg.get("status").asText()).isEqualTo("UP");
            assertThat(pg.has("millis")).isTrue();
            assertThat(pg.has("error")).isFalse();
            assertThat(pg.has("details")).isFalse();
            JsonNode flink = json.get("components").get("flink");
            assertThat(flink.get("status").asText()).isEqualTo("DOWN");
            assertThat(flink.get("reason").asText()).isEqualTo("fx-router is RESTARTING");
            assertThat(flink.get("error").asText()).isEqualTo("fx-router is RESTARTING");
            assertThat(flink.get("details").get("taskManagers").asInt()).isEqualTo(0);
        }
    }
}
