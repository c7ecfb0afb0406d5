package io.fxflink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** link, links, unlink: late linking from the command line. */
final class LinkCommands {
    private LinkCommands() {}

    @Command(
            name = "link",
            description = "Link an event type (exact, or a prefix ending in '*') to a service.")
    static final class Link implements Callable<Integer> {
        @ParentCommand FxCli fx;

        @Parameters(
                index = "0",
                paramLabel = "EVENT_TYPE",
                description = "e.g. file.uploaded, or file.* for a prefix")
        String eventType;

        @Parameters(index = "1", paramLabel = "SERVICE")
        String service;

        @Option(
                names = "--filter",
                description = "CloudEvents SQL filter, e.g. \"source = 'bucket-a'\"")
        String filter;

        @ArgGroup(exclusive = true)
        Target target;

        static final class Target {
            @Option(names = "--version", description = "a fixed service version")
            String version;

            @Option(names = "--weights", description = "canary weights, e.g. 1.0.0=90,1.1.0=10")
            String weights;
        }

        @Override
        public Integer call() {
            ObjectNode body = ManagerClient.JSON.createObjectNode();
            boolean prefix = eventType.endsWith("*");
            body.put(
                    "eventType",
                    prefix ? eventType.substring(0, eventType.length() - 1) : eventType);
            body.put("match", prefix ? "PREFIX" : "EXACT");
            body.put("service", service);
            if (filter != null) {
                body.put("filter", filter);
            }
            if (target != null && target.version != null) {
                body.put("serviceVersion", target.version);
            }
            if (target != null && target.weights != null) {
                ArrayNode w = body.putArray("weightedVersions");
                for (String pair : target.weights.split(",")) {
                    String[] kv = pair.split("=", 2);
                    if (kv.length != 2) {
                        throw new CliException(
                                ExitCodes.USAGE,
                                "--weights wants version=weight pairs, got '" + pair + "'");
                    }
                    try {
                        w.addObject()
                                .put("version", kv[0].trim())
                                .put("weight", Integer.parseInt(kv[1].trim()));
                    } catch (NumberFormatException e) {
                        throw new CliException(
                                ExitCodes.USAGE,
                                "weight of "
                                        + kv[0]
                                        + " must be a whole number, got '"
                                        + kv[1]
                                        + "'");
                    }
                }
            }
            JsonNode res = fx.client().post("/api/v1/links", body);
            Output out = fx.output();
            if (out.json()) {
                out.json(res);
            } else {
                out.line(
                        "linked "
                                + eventType
                                + " -> "
                                + service
                                + " (link "
                                + res.path("id").asText()
                                + ")");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "links", description = "List links.")
    static final class Links implements Callable<Integer> {
        @ParentCommand FxCli fx;

        @Override
        public Integer call() {
            fx.output()
                    .table(
                            ServiceCommands.items(fx.client().get("/api/v1/links")),
                            "id",
                            "eventType",
                            "match",
                            "service",
                            "serviceVersion",
                            "weightedVersions",
                            "filter",
                            "enabled");
            return ExitCodes.OK;
        }
    }

    @Command(name = "unlink", description = "Delete a link.")
    static final class Unlink implements Callable<Integer> {
        @ParentCommand FxCli fx;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            fx.client().delete("/api/v1/links/" + id);
            fx.output().line("unlinked " + id);
            return ExitCodes.OK;
        }
    }
}
