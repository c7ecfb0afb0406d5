package io.fxflink.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Prints results as a table for people or as JSON for scripts ({@code --output json}). */
final class Output {
    enum Format {
        table,
        json
    }

    private final PrintStream out;
    private final Format format;

    Output(PrintStream out, Format format) {
        this.out = out;
        this.format = format;
    }

    boolean json() {
        return format == Format.json;
    }

    void json(JsonNode node) {
        try {
            out.println(
                    ManagerClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A list of objects as a table with the given columns (JSON field names). */
    void table(JsonNode rows, String... columns) {
        if (json()) {
            json(rows);
            return;
        }
        List<String[]> lines = new ArrayList<>();
        lines.add(columns);
        for (JsonNode row : rows) {
            String[] cells = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                cells[i] = cell(row.path(columns[i]));
            }
            lines.add(cells);
        }
        print(lines);
    }

    /** Rows given as arrays (SQL results) under named columns. */
    void grid(List<String> columns, JsonNode rows) {
        if (json()) {
            json(rows);
            return;
        }
        List<String[]> lines = new ArrayList<>();
        lines.add(columns.toArray(String[]::new));
        for (JsonNode row : rows) {
            String[] cells = new String[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                cells[i] = cell(row.isArray() ? row.path(i) : row.path(columns.get(i)));
            }
            lines.add(cells);
        }
        print(lines);
    }

    void line(String text) {
        out.println(text);
    }

    private void print(List<String[]> lines) {
        int[] widths = new int[lines.get(0).length];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                widths[i] = Math.max(widths[i], Math.min(60, l[i].length()));
            }
        }
        for (String[] l : lines) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < l.length; i++) {
                String c = l[i].length() > 60 ? l[i].substring(0, 59) + "…" : l[i];
                sb.append(String.format("%-" + widths[i] + "s", c));
                if (i < l.length - 1) {
                    sb.append("  ");
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    static String cell(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return "";
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }
}
