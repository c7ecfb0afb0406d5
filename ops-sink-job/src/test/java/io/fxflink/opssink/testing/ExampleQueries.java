package io.fxflink.opssink.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The documented example queries, read from {@code sql/ops-example-queries.sql} exactly as shipped.
 * psql variables ({@code :'name'}) become JDBC parameters.
 */
public final class ExampleQueries {
    private static final Pattern PSQL_VARIABLE = Pattern.compile(":'[a-z_]+'");

    private ExampleQueries() {}

    public static Map<String, String> load() throws IOException {
        String text;
        try (InputStream in =
                ExampleQueries.class.getResourceAsStream("/sql/ops-example-queries.sql")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> out = new LinkedHashMap<>();
        String[] parts = text.split("-- name: ");
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            String name = part.substring(0, part.indexOf('\n')).trim();
            String sql = part.substring(part.indexOf('\n') + 1).trim();
            sql = sql.substring(0, sql.lastIndexOf(';'));
            Matcher m = PSQL_VARIABLE.matcher(sql);
            out.put(name, m.replaceAll("?"));
        }
        return out;
    }
}
