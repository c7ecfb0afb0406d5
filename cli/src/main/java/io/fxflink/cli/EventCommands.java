package io.fxflink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** send: publish a CloudEvent through the manager's HTTP ingress. */
final class EventCommands {
    private EventCommands() {}

    @Command(name = "send", description = "Send a CloudEvent (structured JSON) to fx.events.")
    static final class Send implements Callable<Integer> {
        @ParentCommand FxCli fx;

        @Parameters(paramLabel = "TYPE")
        String type;

        @Option(names = "--data", description = "JSON data, or @file to read it from a file")
        String data;

        @Option(names = "--source", defaultValue = "fx-cli", description = "the event's source")
        String source;

        @Option(names = "--id", description = "event id (default: a new UUID)")
        String id;

        @Override
        public Integer call() throws IOException {
            ObjectNode event = ManagerClient.JSON.createObjectNode();
            event.put("specversion", "1.0");
            event.put("id", id != null ? id : UUID.randomUUID().toString());
            event.put("source", source);
            event.put("type", type);
            if (data != null) {
                String text =
                        data.startsWith("@") ? Files.readString(Path.of(data.substring(1))) : data;
                JsonNode parsed;
                try {
                    parsed = ManagerClient.JSON.readTree(text);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new CliException(
                            ExitCodes.USAGE, "--data is not JSON: " + e.getOriginalMessage());
                }
                event.put("datacontenttype", "application/json");
                event.set("data", parsed);
            }
            JsonNode res =
                    fx.client()
                            .post(
                                    "/api/v1/events",
                                    "application/cloudevents+json",
                                    HttpRequest.BodyPublishers.ofString(
                                            ManagerClient.JSON.writeValueAsString(event)));
            Output out = fx.output();
            if (out.json()) {
                out.json(res.isNull() ? event : res);
            } else {
                out.line("sent " + type + " (event " + event.path("id").asText() + ")");
            }
            return ExitCodes.OK;
        }
    }
}
