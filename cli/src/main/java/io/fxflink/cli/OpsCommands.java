package io.fxflink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** sql, jobs. */
final class OpsCommands {
    private OpsCommands() {}

    @Command(name = "sql", description = "Run a read-only SQL query over the ops data.")
    static final class Sql implements Callable<Integer> {
        @ParentCommand FxCli fx;

        @Parameters(paramLabel = "QUERY")
        String query;

        @Override
        public Integer call() {
            JsonNode res = fx.client().post("/api/v1/ops/sql", Map.of("sql", query));
            List<String> columns = new ArrayList<>();
            for (JsonNode c : res.path("columns")) {
                columns.add(c.path("name").asText());
            }
            fx.output().grid(columns, res.path("rows"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "jobs", description = "List the Flink jobs (router, ops sink) and their state.")
    static final class Jobs implements Callable<Integer> {
        @ParentCommand FxCli fx;

        @Override
        public Integer call() {
            fx.output()
                    .table(
                            ServiceCommands.items(fx.client().get("/api/v1/jobs")),
                            "id",
                            "name",
                            "state",
                            "lastCheckpoint");
            return ExitCodes.OK;
        }
    }
}
