package io.fxflink.contracts.link;

import io.cloudevents.sql.Expression;
import io.cloudevents.sql.Parser;
import java.util.Optional;

/** Validation and parsing of link filters (CloudEvents SQL, via the SDK's cloudevents-sql). */
public final class CesqlFilters {
    public static final int MAX_CHARS = 4096;

    private CesqlFilters() {}

    /** The parsed expression, or an {@link IllegalArgumentException} saying what is wrong. */
    public static Expression parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("filter must not be blank");
        }
        if (expression.length() > MAX_CHARS) {
            throw new IllegalArgumentException(
                    "filter is too long: "
                            + expression.length()
                            + " chars (max "
                            + MAX_CHARS
                            + ")");
        }
        try {
            return Parser.parseDefault(expression);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "filter is not a valid CloudEvents SQL expression: " + e.getMessage(), e);
        }
    }

    /** Empty when the expression is valid, otherwise the problem (for API validation). */
    public static Optional<String> problem(String expression) {
        try {
            parse(expression);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }
}
