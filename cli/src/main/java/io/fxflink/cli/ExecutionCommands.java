package io.fxflink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** executions, logs. */
final class ExecutionCommands {
    private ExecutionCommands() {}

    @Command(name = "executions", description = "List executions, newest first.")
    static final class Executions implements Callable<Integer> {
        @ParentCommand FxCli fx;

        @Option(names = "--service")
        String service;

        @Option(
                names = "--status",
                description = "QUEUED, STARTED, SUCCEEDED, FAILED, TIMED_OUT, RETRYING, DEAD")
        String status;

        @Option(names = "--limit", defaultValue = "50")
        int limit;

        @Override
        public Integer call() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("service", service);
            q.put("status", status);
            q.put("limit", Integer.toString(limit));
            JsonNode res = fx.client().get("/api/v1/executions", q);
            fx.output()
                    .table(
                            ServiceCommands.items(res),
                            "executionId",
                            "service",
                            "serviceVersion",
                            "status",
                            "attempt",
                            "durationMs",
                            "updatedAt");
            return ExitCodes.OK;
        }
    }

    @Command(name = "logs", description = "Show an execution's log lines.")
    static final class Logs implements Callable<Integer> {
        @ParentCommand FxCli fx;

        @Parameters(paramLabel = "EXECUTION_ID")
        String executionId;

        @Option(names = "--level", description = "lowest level shown (DEBUG, INFO, WARNING, ERROR)")
        String level;

        @Option(
                names = {"-f", "--follow"},
                description = "keep showing new lines until the execution ends")
        boolean follow;

        @Override
        public Integer call() throws InterruptedException {
            ManagerClient client = fx.client();
            Output out = fx.output();
            int shown = 0;
            while (true) {
                Map<String, String> q = new LinkedHashMap<>();
                q.put("level", level);
                q.put("from", Integer.toString(shown));
                q.put("size", "500");
                JsonNode lines =
                        ServiceCommands.items(
                                client.get("/api/v1/executions/" + executionId + "/logs", q));
                for (JsonNode l : lines) {
                    if (out.json()) {
                        out.json(l);
                    } else {
                        out.line(
                                String.format(
                                        "%s %-7s %s %s",
                                        l.path("@timestamp").asText(l.path("time").asText()),
                                        l.path("level").asText(),
                                        l.path("step").asText(),
                                        l.path("message").asText()));
                    }
                }
                shown += lines.size();
                if (!follow) {
                    return ExitCodes.OK;
                }
                String status =
                        client.get("/api/v1/executions/" + executionId).path("status").asText();
                if (ServiceCommands.TERMINAL.contains(status) && lines.isEmpty()) {
                    return ExitCodes.OK;
                }
                Thread.sleep(1000); // --follow polls once a second
            }
        }
    }
}
