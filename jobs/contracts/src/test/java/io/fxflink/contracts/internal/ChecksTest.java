package io.fxflink.contracts.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The hand-written name and SHA-256 checks accept exactly what their regular expressions do. */
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
