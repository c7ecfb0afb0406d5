package io.fxflink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** deploy, services, run. */
final class ServiceCommands {
    private ServiceCommands() {}

    // FAILED and TIMED_OUT end one attempt; RETRYING or DEAD follows them
    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "DEAD");

    @Command(name = "deploy", description = "Upload a service folder or zip as a new version.")
    static final class Deploy implements Callable<Integer> {
        @ParentCommand FxCli fx;

        @Parameters(
                paramLabel = "DIR|ZIP",
                description = "service folder (with manifest.json) or package zip")
        Path path;

        @Option(names = "--project", description = "project the service belongs to")
        String project;

        @Override
        public Integer call() throws IOException {
            byte[] zip = PackageZipper.pack(path);
            String boundary = "fx-" + UUID.randomUUID();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (project != null) {
                body.write(
                        part(
                                boundary,
                                "name=\"project\"",
                                "text/plain",
                                project.getBytes(StandardCharsets.UTF_8)));
            }
            body.write(
                    part(
                            boundary,
                            "name=\"package\"; filename=\"package.zip\"",
                            "application/zip",
                            zip));
            body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            byte[] bytes = body.toByteArray();
            boolean showProgress = !fx.output().json();
            JsonNode res =
                    fx.client()
                            .post(
                                    "/api/v1/services",
                                    "multipart/form-data; boundary=" + boundary,
                                    HttpRequest.BodyPublishers.ofInputStream(
                                            () ->
                                                    new ProgressStream(
                                                            bytes,
                                                            showProgress ? System.err : null)));
            Output out = fx.output();
            if (out.json()) {
                out.json(res);
            } else {
                out.line(
                        "deployed "
                                + res.path("service").path("name").asText()
                                + " version "
                                + res.path("version").asText()
                                + (res.path("created").asBoolean() ? "" : " (already deployed)"));
            }
            return ExitCodes.OK;
        }

        private static byte[] part(
                String boundary, String disposition, String type, byte[] content) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            String head =
                    "--"
                            + boundary
                            + "\r\nContent-Disposition: form-data; "
                            + disposition
                            + "\r\nContent-Type: "
                            + type
                            + "\r\n\r\n";
            b.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            b.writeBytes(content);
            b.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            return b.toByteArray();
        }
    }

    /** Counts bytes as the upload reads them and shows the percentage on stderr. */
    static final class ProgressStream extends InputStream {
        private final ByteArrayInputStream in;
        private final int total;
        private final java.io.PrintStream err;
        private int read;
        private int shown = -1;

        ProgressStream(byte[] bytes, java.io.PrintStream err) {
            this.in = new ByteArrayInputStream(bytes);
            this.total = bytes.length;
            this.err = err;
        }

        @Override
        public int read() {
            int b = in.read();
            if (b >= 0) {
                advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) {
            int n = in.read(buf, off, Math.min(len, 64 * 1024));
            if (n > 0) {
                advance(n);
            }
            return n;
        }

        private void advance(int n) {
            read += n;
            int pct = (int) (100L * read / Math.max(1, total));
            if (err != null && pct != shown && (pct % 10 == 0 || read == total)) {
                shown = pct;
                err.print("\ruploading " + total / 1024 + " KiB: " + pct + "%");
                if (read == total) {
                    err.println();
                }
            }
        }
    }

    @Command(name = "services", description = "List services and their versions.")
    static final class Services implements Callable<Integer> {
        @ParentCommand FxCli fx;

        @Override
        public Integer call() {
            JsonNode res = fx.client().get("/api/v1/services");
            fx.output().table(items(res), "name", "project", "defaultVersion", "active");
            return ExitCodes.OK;
        }
    }

    @Command(name = "run", description = "Run a service now (a fx.platform.manual event).")
    static final class Run implements Callable<Integer> {
        @ParentCommand FxCli fx;

        @Parameters(paramLabel = "SERVICE")
        String service;

        @Option(
                names = {"-p", "--param"},
                description = "run parameter key=value (repeatable)")
        Map<String, String> params = new LinkedHashMap<>();

        @Option(
                names = "--wait",
                description = "wait for the execution to end; exit 6 unless it succeeded")
        boolean await;

        @Option(
                names = "--timeout",
                description = "how long --wait waits (seconds)",
                defaultValue = "300")
        long timeoutSeconds;

        @Override
        public Integer call() throws InterruptedException {
            ManagerClient client = fx.client();
            JsonNode res = client.post("/api/v1/services/" + service + "/runs", params);
            String eventId = res.path("eventId").asText(res.path("id").asText());
            Output out = fx.output();
            if (!await) {
                if (out.json()) {
                    out.json(res);
                } else {
                    out.line("run requested: event " + eventId);
                }
                return ExitCodes.OK;
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode list =
                        items(client.get("/api/v1/executions", Map.of("triggerEventId", eventId)));
                for (JsonNode e : list) {
                    String status = e.path("status").asText();
                    if (TERMINAL.contains(status)) {
                        if (out.json()) {
                            out.json(e);
                        } else {
                            out.line(e.path("executionId").asText() + " " + status);
                        }
                        return status.equals("SUCCEEDED") ? ExitCodes.OK : ExitCodes.RUN_FAILED;
                    }
                }
                Thread.sleep(500); // polling interval of a waiting CLI, not a test synchronisation
            }
            throw new CliException(
                    ExitCodes.RUN_FAILED,
                    "the run of "
                            + service
                            + " (event "
                            + eventId
                            + ") did not end within "
                            + timeoutSeconds
                            + " s");
        }
    }

    /**
     * The manager answers lists as bare arrays; only a log page wraps its lines ({@code {"total",
     * "from", "size", "records": [...]}}).
     */
    static JsonNode items(JsonNode res) {
        if (res.isArray()) {
            return res;
        }
        if (res.path("records").isArray()) {
            return res.path("records");
        }
        throw new CliException(
                ExitCodes.REJECTED, "the manager did not answer with a list: " + res);
    }
}
