package io.fxflink.manager.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.manager.api.ApiException;
import org.junit.jupiter.api.Test;

class OpsSqlCheckTest {
    @Test
    void acceptsOneQueryWithTrailingSemicolons() {
        assertThat(OpsSqlService.check("  SELECT 1 ;; ")).isEqualTo("SELECT 1");
        assertThat(OpsSqlService.check("with x as (select 1) select * from x")).startsWith("with");
    }

    @Test
    void semicolonsInsideLiteralsIdentifiersAndCommentsAreNotStatementBreaks() {
        assertThat(OpsSqlService.check("SELECT 'a;b', \"c;d\" -- e;f\n FROM t /* g;h */"))
                .contains("a;b");
    }

    @Test
    void refusesSecondStatementsWritesAndSessionChanges() {
        assertRefused("SELECT 1; DROP TABLE executions", "one statement");
        assertRefused("UPDATE executions SET status = 'x'", "read-only queries");
        assertRefused("SELECT set_config('role','postgres',false)", "set_config");
        assertRefused("SELECT pg_advisory_lock(1)", "pg_advisory_lock");
        assertRefused("SELECT pg_read_file('/etc/passwd')", "pg_read_file");
        assertRefused("SELECT 'unterminated", "unterminated");
        assertRefused("SELECT $x$;$x$", "dollar");
        assertRefused("   ", "required");
        assertRefused("SELECT '" + "x".repeat(OpsSqlService.MAX_SQL_CHARS) + "'", "longer");
    }

    private static void assertRefused(String sql, String reason) {
        assertThatThrownBy(() -> OpsSqlService.check(sql))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining(reason);
    }
}
