package io.fxflink.contracts.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand-written name and SHA-256 checks accept exactly what their regular expressions do; ids
 * and attributes refuse what no header, key or database column may carry; stored text keeps what it
 * can.
 */
class ChecksTest {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,255}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    @Property(tries = 2000)
    void nameAcceptsWhatTheRegexAccepts(@ForAll("nameLike") String value) {
        boolean regex = !value.isBlank() && NAME.matcher(value).matches();
        if (regex) {
            assertThatCode(() -> Checks.name(value, "f")).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> Checks.name(value, "f"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property(tries = 2000)
    void sha256AcceptsWhatTheRegexAccepts(@ForAll("shaLike") String value) {
        boolean regex = SHA256_HEX.matcher(value).matches();
        if (regex) {
            assertThat(Checks.sha256(value, "f")).isEqualTo(value);
        } else {
            assertThatThrownBy(() -> Checks.sha256(value, "f"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property(tries = 500)
    void idsAndAttributesRefuseEveryControlCharacter(
            @ForAll("controlChars") char control, @ForAll("positions") int at) {
        String plain = "order-42/é☃";
        String hostile =
                plain.substring(0, Math.min(at, plain.length()))
                        + control
                        + plain.substring(Math.min(at, plain.length()));
        assertThatThrownBy(() -> Checks.id(hostile, "id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'id' contains a control character")
                .hasMessageContaining(String.format("U+%04X", (int) control));
        assertThatThrownBy(() -> Checks.attribute(hostile, "source", 4096))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checks.recordId(hostile, "recordId"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 200)
    void idsRefuseUnpairedSurrogatesAndKeepPairs(@ForAll("surrogates") char lone) {
        assertThatThrownBy(() -> Checks.id("a" + lone + "b", "id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> Checks.optionalText("a" + lone, "message", 100))
                .isInstanceOf(IllegalArgumentException.class);
        String pair = "order-\uD83D\uDE00"; // an emoji: a valid pair
        assertThat(Checks.id(pair, "id")).isSameAs(pair);
    }

    @Property(tries = 200)
    void textRefusesNulButKeepsLineBreaksAndTabs(@ForAll("positions") int at) {
        String text = "line one\n\tline two\r\n";
        int i = Math.min(at, text.length());
        assertThat(Checks.optionalText(text, "message", 100)).isSameAs(text);
        assertThatThrownBy(
                        () ->
                                Checks.optionalText(
                                        text.substring(0, i) + '\u0000' + text.substring(i),
                                        "message",
                                        100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'message' contains a NUL character");
    }

    @Property(tries = 500)
    void storableTextReplacesOnlyWhatNoStoreHolds(@ForAll("anyChars") String value) {
        String stored = Checks.storable(value);
        assertThat(stored).hasSameSizeAs(value).doesNotContain("\u0000");
        assertThat(Checks.optionalText(stored, "message", Integer.MAX_VALUE)).isSameAs(stored);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean lone =
                    Character.isSurrogate(c)
                            && !(Character.isHighSurrogate(c)
                                    && i + 1 < value.length()
                                    && Character.isLowSurrogate(value.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c)
                                    && i > 0
                                    && Character.isHighSurrogate(value.charAt(i - 1)));
            char expected = c == 0 || lone ? '\uFFFD' : c;
            assertThat(stored.charAt(i)).as("char %d of %s", i, value).isEqualTo(expected);
        }
        String clean = "nothing to replace\n";
        assertThat(Checks.storable(clean)).isSameAs(clean);
    }

    @Property(tries = 100)
    void timesOutsideWhatTheStoresHoldAreRefused(@ForAll("years") long seconds) {
        Instant t = Instant.ofEpochSecond(seconds);
        boolean inRange = !t.isBefore(Checks.MIN_TIME) && !t.isAfter(Checks.MAX_TIME);
        if (inRange) {
            assertThat(Checks.time(t, "time")).isEqualTo(t);
        } else {
            assertThatThrownBy(() -> Checks.time(t, "time"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("field 'time' must be between years 1 and 9999");
        }
    }

    @Provide
    Arbitrary<Character> controlChars() {
        return Arbitraries.oneOf(
                Arbitraries.chars().range('\u0000', '\u001f'),
                Arbitraries.chars().range('\u007f', '\u009f'));
    }

    @Provide
    Arbitrary<Character> surrogates() {
        return Arbitraries.chars().range('\uD800', '\uDFFF');
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 20);
    }

    @Provide
    Arbitrary<String> anyChars() {
        return Arbitraries.strings()
                .withCharRange('\u0000', '\u0020')
                .withChars("ab☃\uD83D\uDE00\uD800\uDFFF")
                .ofMaxLength(12);
    }

    @Provide
    Arbitrary<Long> years() {
        // about year -1000 to 11000 (epoch seconds)
        return Arbitraries.longs().between(-93_000_000_000L, 285_000_000_000L);
    }

    @Provide
    Arbitrary<String> nameLike() {
        return Arbitraries.oneOf(
                Arbitraries.strings()
                        .withChars("aZ09._- /é\u00a0\u0660")
                        .ofMinLength(1)
                        .ofMaxLength(8),
                Arbitraries.strings().alpha().numeric().withChars("._-").ofLength(256),
                Arbitraries.strings().alpha().numeric().ofLength(257));
    }

    @Provide
    Arbitrary<String> shaLike() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(63).ofMaxLength(65),
                Arbitraries.strings().withChars("0123456789abcdefABG").ofLength(64));
    }
}
