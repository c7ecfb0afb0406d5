package io.fxflink.manager.ops;

import com.zaxxer.hikari.HikariDataSource;
import io.fxflink.manager.access.Principal;
import io.fxflink.manager.access.Role;
import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Input;
import io.fxflink.schema.FxSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only SQL over the ops tables. Layers, each enough on its own for writes: a single statement
 * that starts like a query, a READ ONLY transaction that is always rolled back, the {@code
 * fx_ops_reader} role (SELECT on the ops tables only), a statement timeout and a row limit.
 * Functions that change session state or reach the file system are refused up front, because the
 * pooled connection outlives the request. Statement boundaries are the PostgreSQL driver's own
 * (what it would send as separate statements is refused), so nothing runs after the READ ONLY
 * transaction or outside its statement timeout; a connection on which a query failed is evicted
 * from the pool, not reused. Answers are capped in rows and in bytes.
 */
public final class OpsSqlService {
    private static final Logger LOG = LoggerFactory.getLogger(OpsSqlService.class);
    static final int MAX_SQL_CHARS = 20_000;

    /** Largest answer (values' characters, roughly its JSON size) before it is cut. */
    public static final long DEFAULT_MAX_RESULT_BYTES = 4L << 20;

    private static final Pattern POSITIONAL = Pattern.compile("\\$\\d");
    private static final Pattern FIRST_WORD =
            Pattern.compile("^(select|with|values|table|explain)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern DENIED =
            Pattern.compile(
                    "\\b(set_config|pg_read_file|pg_read_binary_file|pg_ls_dir|pg_stat_file|lo_import"
                            + "|lo_export|dblink\\w*|pg_advisory\\w*|pg_terminate_backend"
                            + "|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|txid_\\w*)\\s*\\(",
                    Pattern.CASE_INSENSITIVE);

    private final DataSource dataSource;
    private final int timeoutMs;
    private final int maxRows;
    private final long maxBytes;

    public OpsSqlService(DataSource dataSource, int timeoutMs, int maxRows) {
        this(dataSource, timeoutMs, maxRows, DEFAULT_MAX_RESULT_BYTES);
    }

    public OpsSqlService(DataSource dataSource, int timeoutMs, int maxRows, long maxBytes) {
        this.dataSource = dataSource;
        this.timeoutMs = timeoutMs;
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
    }

    /**
     * Result of a query: columns, rows (as arrays), and whether the row or byte limit cut it
     * ({@code truncatedBy}: {@code rows} or {@code bytes}, null when complete).
     */
    public record Result(
            List<Map<String, String>> columns,
            List<List<Object>> rows,
            int rowCount,
            boolean truncated,
            String truncatedBy) {}

    Result query(Principal caller, String sqlText, Integer limit) {
        if (caller.projectsWith(Role.VIEWER) != null) {
            throw ApiException.forbidden(
                    "ops SQL spans every project: token '"
                            + caller.tokenName()
                            + "' needs a role on all projects ('*')");
        }
        String sql = check(sqlText);
        int rows = limit == null ? maxRows : limit;
        if (rows < 1 || rows > maxRows) {
            throw ApiException.badRequest("field 'limit' must be between 1 and " + maxRows);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            boolean failed = true;
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("SET TRANSACTION READ ONLY");
                    s.execute("SET LOCAL statement_timeout = " + timeoutMs);
                    s.execute("SET LOCAL ROLE " + FxSchema.OPS_READER_ROLE);
                }
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setMaxRows(rows + 1);
                    ps.setFetchSize(Math.min(rows + 1, 500));
                    try (ResultSet rs = ps.executeQuery()) {
                        Result r = read(rs, rows, maxBytes);
                        failed = false;
                        return r;
                    }
                }
            } finally {
                try {
                    c.rollback();
                } finally {
                    if (failed) {
                        evict(c);
                    }
                }
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /**
     * A connection whose query failed may hold session state the failure left (an aborted protocol
     * exchange, a half-read result): it leaves the pool instead of serving the next request.
     */
    private void evict(Connection c) {
        if (dataSource instanceof HikariDataSource pool) {
            pool.evictConnection(c);
        }
    }

    /** The statement to run, or 400 saying why it is refused. */
    static String check(String sqlText) {
        if (sqlText == null || sqlText.isBlank()) {
            throw ApiException.badRequest("field 'sql' is required");
        }
        if (sqlText.length() > MAX_SQL_CHARS) {
            throw ApiException.badRequest(
                    "field 'sql' is longer than " + MAX_SQL_CHARS + " characters");
        }
        Input.text(sqlText, "sql", MAX_SQL_CHARS);
        String sql = stripTrailingSemicolons(sqlText.strip());
        String code = codeOnly(sql);
        if (code.indexOf(';') >= 0 || driverStatements(sql) != 1) {
            throw ApiException.badRequest(
                    "only one statement is allowed; remove the ';' between statements");
        }
        if (POSITIONAL.matcher(code).find()) {
            throw ApiException.badRequest(
                    "parameters ($1, $2, ...) are not supported in ops SQL; write the values");
        }
        if (!FIRST_WORD.matcher(code.stripLeading()).find()) {
            throw ApiException.badRequest(
                    "only read-only queries are allowed (SELECT, WITH, VALUES, TABLE, EXPLAIN)");
        }
        var denied = DENIED.matcher(code);
        if (denied.find()) {
            throw ApiException.badRequest(
                    "function "
                            + denied.group(1).toLowerCase(Locale.ROOT)
                            + "() is not allowed in ops SQL");
        }
        if (Pattern.compile("\\bexplain\\b[^;]*\\banalyze\\b", Pattern.CASE_INSENSITIVE)
                        .matcher(code)
                        .find()
                && Pattern.compile("\\b(insert|update|delete|merge)\\b", Pattern.CASE_INSENSITIVE)
                        .matcher(code)
                        .find()) {
            throw ApiException.badRequest("EXPLAIN ANALYZE of a write is not allowed");
        }
        return sql;
    }

    /**
     * How many statements the PostgreSQL driver makes of {@code sql}: its own parser decides what
     * it sends as separate statements (escape strings, dollar quotes, comments included).
     */
    static int driverStatements(String sql) {
        try {
            return org.postgresql.core.Parser.parseJdbcSql(sql, true, false, true, false, false)
                    .size();
        } catch (SQLException e) {
            throw ApiException.badRequest("the SQL cannot be parsed: " + e.getMessage());
        }
    }

    /**
     * The SQL with string literals (also {@code E'...'} escape strings), quoted identifiers and
     * comments blanked out.
     */
    static String codeOnly(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char ch = sql.charAt(i);
            if (ch == '\'' || ch == '"') {
                boolean escapes =
                        ch == '\''
                                && i > 0
                                && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                                && (i == 1 || !isIdentifierPart(sql.charAt(i - 2)));
                int j = i + 1;
                while (j < n) {
                    if (escapes && sql.charAt(j) == '\\') {
                        j += 2;
                        continue;
                    }
                    if (sql.charAt(j) == ch) {
                        if (j + 1 < n && sql.charAt(j + 1) == ch) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                if (j >= n) {
                    throw ApiException.badRequest("unterminated quote in SQL");
                }
                out.append(' ');
                i = j + 1;
            } else if (ch == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int j = sql.indexOf('\n', i);
                i = j < 0 ? n : j;
                out.append(' ');
            } else if (ch == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int j = sql.indexOf("*/", i + 2);
                if (j < 0) {
                    throw ApiException.badRequest("unterminated comment in SQL");
                }
                out.append(' ');
                i = j + 2;
            } else if (ch == '$'
                    && i + 1 < n
                    && (sql.charAt(i + 1) == '$' || Character.isLetter(sql.charAt(i + 1)))) {
                throw ApiException.badRequest(
                        "dollar-quoted strings are not allowed in ops SQL; use '...'");
            } else {
                out.append(ch);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static String stripTrailingSemicolons(String sql) {
        String s = sql;
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).stripTrailing();
        }
        return s;
    }

    private static Result read(ResultSet rs, int limit, long maxBytes) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<Map<String, String>> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            Map<String, String> col = new LinkedHashMap<>();
            col.put("name", md.getColumnLabel(i));
            col.put("type", md.getColumnTypeName(i));
            columns.add(col);
        }
        List<List<Object>> rows = new ArrayList<>();
        String truncatedBy = null;
        long bytes = 0;
        while (rs.next()) {
            if (rows.size() == limit) {
                truncatedBy = "rows";
                break;
            }
            List<Object> row = new ArrayList<>(columns.size());
            long rowBytes = 2;
            for (int i = 1; i <= columns.size(); i++) {
                Object v = value(rs.getObject(i));
                rowBytes += 1 + (v == null ? 4 : String.valueOf(v).length() + 2);
                row.add(v);
            }
            if (bytes + rowBytes > maxBytes) {
                truncatedBy = "bytes";
                break;
            }
            bytes += rowBytes;
            rows.add(row);
        }
        return new Result(columns, rows, rows.size(), truncatedBy != null, truncatedBy);
    }

    private static Object value(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant().toString();
        }
        return v.toString();
    }

    private static ApiException translate(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String msg = Input.clip(String.valueOf(e.getMessage()).replace('\n', ' '), 300);
        return switch (state) {
            case "25006" ->
                    ApiException.badRequest(
                            "writes are refused: ops SQL is read-only (" + msg + ")");
            case "42501" ->
                    ApiException.forbidden(
                            "permission denied: ops SQL can read the ops tables only ("
                                    + msg
                                    + ")");
            case "57014" ->
                    ApiException.badRequest(
                            "the query ran longer than the statement timeout and was cancelled");
            default -> {
                if (state.startsWith("08")) {
                    LOG.warn("Ops SQL could not reach the database: {}", msg);
                    yield ApiException.unavailable("database unavailable: " + msg);
                }
                yield ApiException.badRequest("query failed: " + msg);
            }
        };
    }
}
