package io.fxflink.contracts.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.serde.InvalidRecordException;
import io.fxflink.contracts.testing.ContractFixtures;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkTest {

    @Test
    void exactMatchNeedsTheSameTypeAndPrefixMatchAStartingType() {
        Link exact = ContractFixtures.link("l1");
        assertThat(exact.matchesType("com.example.order.created")).isTrue();
        assertThat(exact.matchesType("com.example.order.created.v2")).isFalse();
        Link prefix = ContractFixtures.weightedLink("l2");
        assertThat(prefix.matchesType("com.example.anything")).isTrue();
        assertThat(prefix.matchesType("org.other")).isFalse();
        assertThat(prefix.matchesType(null)).isFalse();
    }

    @Test
    void weightedPickIsDeterministicPerExecutionAndFollowsTheWeights() {
        Link link = ContractFixtures.weightedLink("l2");
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            String executionId = Integer.toHexString(i * 7919) + "ab" + i;
            String v = link.pickVersion(executionId);
            assertThat(link.pickVersion(executionId)).isEqualTo(v);
            counts.merge(v, 1, Integer::sum);
        }
        assertThat(counts.get("1.0.0")).isBetween(8_500, 9_500);
        assertThat(counts.get("2.0.0")).isBetween(500, 1_500);
    }

    @Test
    void singleVersionLinkAlwaysPicksItsVersion() {
        assertThat(ContractFixtures.link("l1").pickVersion("anything")).isEqualTo("1.0.0");
        assertThat(ContractFixtures.link("l1").targetVersions()).containsExactly("1.0.0");
    }

    @Test
    void linkWithBothOrNeitherTargetIsRejected() {
        Link l = ContractFixtures.link("l1");
        assertThatThrownBy(
                        () ->
                                new Link(
                                        l.id(),
                                        1,
                                        l.project(),
                                        l.eventType(),
                                        l.match(),
                                        null,
                                        l.service(),
                                        "1.0.0",
                                        List.of(new WeightedVersion("2.0.0", 1)),
                                        true,
                                        l.updatedAt()))
                .hasMessageContaining("exactly one of 'serviceVersion' and 'weightedVersions'");
        assertThatThrownBy(
                        () ->
                                new Link(
                                        l.id(),
                                        1,
                                        l.project(),
                                        l.eventType(),
                                        l.match(),
                                        null,
                                        l.service(),
                                        null,
                                        List.of(),
                                        true,
                                        l.updatedAt()))
                .hasMessageContaining("exactly one of");
    }

    @Test
    void duplicateWeightedVersionIsRejected() {
        Link l = ContractFixtures.link("l1");
        assertThatThrownBy(
                        () ->
                                new Link(
                                        l.id(),
                                        1,
                                        l.project(),
                                        l.eventType(),
                                        l.match(),
                                        null,
                                        l.service(),
                                        null,
                                        List.of(
                                                new WeightedVersion("2.0.0", 1),
                                                new WeightedVersion("2.0.0", 3)),
                                        true,
                                        l.updatedAt()))
                .hasMessageContaining("lists version '2.0.0' twice");
    }

    @Test
    void invalidCesqlFilterIsRejectedWhenDecoded() {
        String json =
                new String(
                                Codecs.LINK.encode(ContractFixtures.weightedLink("l")),
                                StandardCharsets.UTF_8)
                        .replace("subject = 'eu'", "subject = = (");
        assertThatThrownBy(() -> Codecs.LINK.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("invalid Link: filter is not a valid CloudEvents SQL");
    }

    @Test
    void cesqlProblemIsEmptyForValidFilters() {
        assertThat(CesqlFilters.problem("type LIKE 'com.%' AND fxdepth < 3")).isEmpty();
        assertThat(CesqlFilters.problem("(((")).isPresent();
        assertThat(CesqlFilters.problem(" ")).contains("filter must not be blank");
    }

    @Test
    void blankOrOverlongIdsAndBadServiceNamesAreRejected() {
        Link l = ContractFixtures.link("l1");
        assertThatThrownBy(() -> ContractFixtures.link(" "))
                .hasMessage("field 'id' must not be blank");
        assertThatThrownBy(() -> ContractFixtures.link("x".repeat(257)))
                .hasMessage("field 'id' is too long: 257 chars (max 256)");
        assertThatThrownBy(
                        () ->
                                Link.toVersion(
                                        "l",
                                        1,
                                        "p",
                                        "t",
                                        MatchType.EXACT,
                                        null,
                                        "bad/name",
                                        "1",
                                        true,
                                        l.updatedAt()))
                .hasMessageContaining("field 'service' may only contain");
        assertThatThrownBy(
                        () ->
                                Link.toVersion(
                                        "l",
                                        0,
                                        "p",
                                        "t",
                                        MatchType.EXACT,
                                        null,
                                        "svc",
                                        "1",
                                        true,
                                        l.updatedAt()))
                .hasMessageContaining("field 'version' must be between 1");
    }

    @Test
    void unknownMatchTypeIsRejectedNamingTheField() {
        String json =
                new String(Codecs.LINK.encode(ContractFixtures.link("l")), StandardCharsets.UTF_8)
                        .replace("\"EXACT\"", "\"FUZZY\"");
        assertThatThrownBy(() -> Codecs.LINK.decode(json.getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("invalid Link: field 'match' has an invalid value FUZZY");
    }

    @Test
    void linkValueCarriesItsKindDiscriminator() {
        String json =
                new String(Codecs.LINK.encode(ContractFixtures.link("l")), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"schemaVersion\":1,\"kind\":\"link\",\"id\":\"l\"");
        assertThatThrownBy(
                        () ->
                                Codecs.LINK.decode(
                                        json.replace("\"kind\":\"link\"", "\"kind\":\"service\"")
                                                .getBytes(StandardCharsets.UTF_8)))
                .hasMessage("invalid Link: field 'kind' must be \"link\", was \"service\"");
    }
}
