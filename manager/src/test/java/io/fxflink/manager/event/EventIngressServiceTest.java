package io.fxflink.manager.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.fxflink.manager.access.Principal;
import io.fxflink.manager.access.Role;
import io.fxflink.manager.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP ingress refuses, with a 400 that says why, every event the router would dead-letter or
 * that only the platform may emit, and publishes nothing of a refused request.
 */
class EventIngressServiceTest {
    private static final Principal DEVELOPER =
            new Principal("t1", "dev", Map.of("default", Role.DEVELOPER));

    private final List<CloudEvent> published = new ArrayList<>();
    private final EventIngressService ingress =
            new EventIngressService(
                    new EventPublisher() {
                        @Override
                        public void publish(List<CloudEvent> events) {
                            published.addAll(events);
                        }

                        @Override
                        public void check() {}
                    },
                    4096,
                    10);

    @ParameterizedTest
    @ValueSource(strings = {"x\u0000y", "line\nbreak", "tab\there", "del\u007f", "c1\u0085"})
    void idsWithControlCharactersAreRefusedInEveryContentMode(String id) {
        String escapedId =
                id.chars().mapToObj(EventIngressServiceTest::jsonChar).reduce("", String::concat);
        String structured =
                "{\"specversion\":\"1.0\",\"id\":\""
                        + escapedId
                        + "\",\"source\":\"urn:t\",\"type\":\"shop.x\"}";
        assertRefused(
                Map.of("Content-Type", "application/cloudevents+json"),
                structured,
                "contains a control character");
        assertRefused(
                Map.of("Content-Type", EventIngressService.BATCH_CONTENT_TYPE),
                "[" + structured + "]",
                "contains a control character");
        Map<String, String> binary = binary("shop.x");
        binary.put("ce-id", id);
        assertRefused(binary, "{}", "contains a control character");
    }

    @Test
    void controlCharactersInSourceSubjectAndExtensionsAreRefused() {
        for (String attribute : List.of("ce-subject", "ce-tenant")) {
            Map<String, String> h = binary("shop.x");
            h.put(attribute, "urn:a\u0001b");
            assertRefused(h, "{}", "contains a control character");
        }
        // the SDK parses source as a URI reference and refuses it first
        Map<String, String> h = binary("shop.x");
        h.put("ce-source", "urn:a\u0001b");
        assertRefused(h, "{}", "not a valid CloudEvent");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fx.platform.manual", "fx.platform.scheduled", "fx.platform.other"})
    void thePlatformsOwnEventTypesAreRefused(String type) {
        Map<String, String> h = binary(type);
        h.put("ce-fxservice", "orders-ingest");
        assertRefused(h, "{}", "reserved for the platform");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "fxservice",
                "fxversion",
                "fxdepth",
                "fxrootid",
                "fxcausationid",
                "fxexecutionid"
            })
    void thePlatformsOwnExtensionsAreRefused(String extension) {
        Map<String, String> h = binary("shop.x");
        h.put("ce-" + extension, "-5");
        assertRefused(h, "{}", "extension '" + extension + "' is set by the platform only");
    }

    @Test
    void aTraceparentFromTheClientIsKept() {
        Map<String, String> h = binary("shop.x");
        h.put("ce-traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(ingress.ingest(DEVELOPER, h, "{}".getBytes(StandardCharsets.UTF_8)))
                .containsExactly("e-1");
        assertThat(published)
                .singleElement()
                .satisfies(e -> assertThat(e.getExtension("traceparent")).isNotNull());
    }

    @Test
    void aNullOrEmptyStructuredBodyIsA400NotAnInternalError() {
        for (String body : List.of("null", "", "[]", "42", "\"x\"")) {
            assertThatThrownBy(
                            () ->
                                    ingress.ingest(
                                            DEVELOPER,
                                            Map.of("Content-Type", "application/cloudevents+json"),
                                            body.getBytes(StandardCharsets.UTF_8)))
                    .as("body %s", body)
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
        assertThat(published).isEmpty();
    }

    @Test
    void mediaTypesAreMatchedWithoutRegardToCase() {
        String structured =
                "{\"specversion\":\"1.0\",\"id\":\"s-1\",\"source\":\"urn:t\",\"type\":\"shop.x\"}";
        assertThat(
                        ingress.ingest(
                                DEVELOPER,
                                Map.of(
                                        "content-type",
                                        "Application/CloudEvents+JSON; charset=utf-8"),
                                structured.getBytes(StandardCharsets.UTF_8)))
                .containsExactly("s-1");
        assertThat(
                        ingress.ingest(
                                DEVELOPER,
                                Map.of("Content-Type", "APPLICATION/CLOUDEVENTS-BATCH+JSON"),
                                ("[" + structured.replace("s-1", "s-2") + "]")
                                        .getBytes(StandardCharsets.UTF_8)))
                .containsExactly("s-2");
        assertThat(published).extracting(CloudEvent::getId).containsExactly("s-1", "s-2");
    }

    @Test
    void aRefusedValueIsQuotedCutAndEscaped() {
        Map<String, String> h = binary("shop.x");
        h.put("ce-id", "\u0000".repeat(100_000));
        assertThatThrownBy(() -> ingress.ingest(DEVELOPER, h, new byte[0]))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(400);
                            assertThat(e.getMessage())
                                    .hasSizeLessThan(400)
                                    .doesNotContain("\u0000");
                        });
    }

    @Test
    void oneBadEventInABatchRefusesTheWholeBatch() {
        String good =
                "{\"specversion\":\"1.0\",\"id\":\"ok\",\"source\":\"urn:t\",\"type\":\"shop.x\"}";
        String bad = good.replace("\"ok\"", "\"a\\u0000b\"");
        assertRefused(
                Map.of("Content-Type", EventIngressService.BATCH_CONTENT_TYPE),
                "[" + good + "," + bad + "]",
                "contains a control character");
    }

    private void assertRefused(Map<String, String> headers, String body, String because) {
        assertThatThrownBy(
                        () ->
                                ingress.ingest(
                                        DEVELOPER, headers, body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(400);
                            assertThat(e.getMessage()).contains(because);
                            assertThat(e.getMessage().chars())
                                    .as("control characters in the message")
                                    .noneMatch(Character::isISOControl);
                        });
        assertThat(published).as("published after a refused request").isEmpty();
    }

    private static Map<String, String> binary(String type) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ce-specversion", "1.0");
        h.put("ce-id", "e-1");
        h.put("ce-source", "urn:test");
        h.put("ce-type", type);
        h.put("Content-Type", "application/json");
        return h;
    }

    private static String jsonChar(int c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)
                ? String.format("\\u%04x", c)
                : String.valueOf((char) c);
    }
}
