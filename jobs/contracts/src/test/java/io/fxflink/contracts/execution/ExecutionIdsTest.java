package io.fxflink.contracts.execution;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ExecutionIdsTest {

    @Test
    void sameTriggerAndLinkGiveTheSameIdAcrossCalls() {
        assertThat(ExecutionIds.of("urn:s", "e1", "l1"))
                .isEqualTo(ExecutionIds.of("urn:s", "e1", "l1"))
                .matches("[0-9a-f]{32}");
    }

    @Test
    void idIsStableAcrossReleases() {
        // pinned: changing the derivation would break duplicate suppression across an upgrade
        // first 16 bytes of SHA-256 over length-prefixed ("urn:s", "e1", "link:l1")
        assertThat(ExecutionIds.of("urn:s", "e1", "l1"))
                .isEqualTo("9eff6407f13bc40bd5d94713d6c6aa72");
    }

    @Test
    void linkRouteAndServiceRouteOfTheSameNameDiffer() {
        assertThat(ExecutionIds.of("urn:s", "e1", "x"))
                .isNotEqualTo(ExecutionIds.forService("urn:s", "e1", "x"));
    }

    @Property
    void differentPartsNeverCollideBySimpleConcatenation(
            @ForAll String source, @ForAll String id, @ForAll String link) {
        String a = ExecutionIds.of(source, id, link);
        String b = ExecutionIds.of(source + id, "", link);
        if (!id.isEmpty()) {
            assertThat(a).isNotEqualTo(b);
        }
        assertThat(a).isEqualTo(ExecutionIds.of(source, id, link));
    }
}
