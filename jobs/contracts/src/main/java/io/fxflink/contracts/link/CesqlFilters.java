package io.fxflink.contracts.link;

import io.cloudevents.sql.EvaluationRuntime;
import io.cloudevents.sql.Expression;
import io.cloudevents.sql.Parser;
import io.cloudevents.sql.generated.CESQLParserBaseListener;
import io.cloudevents.sql.generated.CESQLParserLexer;
import io.cloudevents.sql.generated.CESQLParserParser;
import io.cloudevents.sql.impl.parser.CaseChangingCharStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.tree.ParseTreeWalker;

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

    /**
     * Empty when the expression is valid and every function it calls exists in the SDK's runtime
     * with that number of arguments, otherwise the problem (for API validation). The SDK resolves
     * functions only while evaluating, where a missing one makes every event fail the filter: a
     * link with {@code FOO(1) = 1} would silently never match.
     */
    public static Optional<String> problem(String expression) {
        try {
            parse(expression);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        List<String> unknown = unknownFunctions(expression);
        if (!unknown.isEmpty()) {
            return Optional.of(
                    "filter calls unknown CloudEvents SQL function(s) "
                            + String.join(", ", unknown)
                            + " (name/number of arguments); it would never match");
        }
        return Optional.empty();
    }

    /** The calls (NAME/arity) of a parseable expression that the default runtime cannot resolve. */
    private static List<String> unknownFunctions(String expression) {
        CESQLParserParser parser =
                new CESQLParserParser(
                        new CommonTokenStream(
                                new CESQLParserLexer(
                                        new CaseChangingCharStream(
                                                CharStreams.fromString(expression), true))));
        parser.removeErrorListeners();
        List<String> unknown = new ArrayList<>();
        EvaluationRuntime runtime = EvaluationRuntime.getDefault();
        ParseTreeWalker.DEFAULT.walk(
                new CESQLParserBaseListener() {
                    @Override
                    public void enterFunctionInvocationExpression(
                            CESQLParserParser.FunctionInvocationExpressionContext ctx) {
                        String name = ctx.functionIdentifier().getText().toUpperCase(Locale.ROOT);
                        int arity = ctx.functionParameterList().expression().size();
                        try {
                            runtime.resolveFunction(name, arity);
                        } catch (RuntimeException e) {
                            String call = (name.length() > 64 ? name.substring(0, 64) : name);
                            unknown.add(call + "/" + arity);
                        }
                    }
                },
                parser.cesql());
        return unknown;
    }
}
