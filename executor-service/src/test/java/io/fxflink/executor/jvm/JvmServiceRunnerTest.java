package io.fxflink.executor.jvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.executor.context.PlatformCallException;
import io.fxflink.executor.context.StepCallbacks;
import io.fxflink.executor.context.StepInput;
import io.fxflink.executor.context.StepOutcome;
import io.fxflink.executor.pkg.Manifest;
import io.fxflink.executor.pkg.PackageException;
import io.fxflink.executor.pkg.ServicePackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JVM services compiled in the test, run in their own class loaders; platform calls are faked. */
class JvmServiceRunnerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicInteger SHAS = new AtomicInteger();
    static JvmServiceRunner runner;
    @TempDir static Path work;

    @BeforeAll
    static void start() {
        runner = new JvmServiceRunner(new JvmServiceRunner.Settings(2, 300, 4, 8), JSON);
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    record Logged(LogLevel level, String stream, String message) {}

    static final class Recorder implements StepCallbacks {
        final List<Logged> logs = new CopyOnWriteArrayList<>();
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void log(LogLevel level, String stream, String message, boolean truncated) {
            logs.add(new Logged(level, stream, message));
        }

        @Override
        public Object call(String method, JsonNode args) throws PlatformCallException {
            calls.add(method + " " + args);
            return switch (method) {
                case "config.get" -> "configured-" + args.path("key").asText();
                case "events.send" -> "event-" + calls.size();
                case "state.get" -> "{\"count\":41}";
                case "state.put" -> null;
                default -> throw new PlatformCallException("not in this fake: " + method);
            };
        }
    }

    static ServicePackage pkg(Map<String, String> sources, String... entrypoints) throws Exception {
        Path dir = Files.createTempDirectory(work, "pkg");
        Files.createDirectories(dir.resolve("lib"));
        Files.write(dir.resolve("lib/service.jar"), TestJars.jar(sources));
        String sha = String.format("%064d", SHAS.incrementAndGet());
        return new ServicePackage(
                sha, dir, new Manifest("svc", "1.0.0", "jvm", List.of(entrypoints), 0, Map.of()));
    }

    static StepInput input(String params, long timeoutMs) throws Exception {
        return new StepInput(
                "exec-1",
                "svc",
                "1.0.0",
                "sha",
                1,
                JSON.readTree(params),
                JSON.readTree(
                        "{\"id\":\"ev-1\",\"type\":\"order.created\",\"source\":\"urn:test\","
                                + "\"extensions\":{\"fxdepth\":\"2\"}}"),
                timeoutMs);
    }

    static String service(String cls, String body) {
        int dot = cls.lastIndexOf('.');
        return "package "
                + cls.substring(0, dot)
                + ";\nimport io.fxflink.executor.api.*;\nimport java.util.*;\n"
                + "public class "
                + cls.substring(dot + 1)
                + " implements FxService {\n  public void run(FxContext ctx) throws Exception {\n"
                + body
                + "\n  }\n}\n";
    }

    @Test
    void aServiceSeesItsParamsAndCallsThePlatform() throws Exception {
        ServicePackage pkg =
                pkg(
                        Map.of(
                                "com.example.Orders",
                                service(
                                        "com.example.Orders",
                                        "int n = ((Number) ctx.params().get(\"n\")).intValue();\n"
                                                + "ctx.logger().info(\"n is \" + n + \" from \" +"
                                                + " ctx.triggerEvent().type() + \" depth \" +"
                                                + " ctx.triggerEvent().extensions().get(\"fxdepth\"));\n"
                                                + "Map<?,?> st = (Map<?,?>) ctx.state().get(\"c\");\n"
                                                + "ctx.state().put(\"c\", Map.of(\"count\","
                                                + " ((Number) st.get(\"count\")).intValue() + 1));\n"
                                                + "ctx.events().send(\"order.done\", new TreeMap<>(Map.of(\"n\","
                                                + " n + 1, \"url\", ctx.config().get(\"url\"))));")),
                        "com.example.Orders");
        Recorder rec = new Recorder();
        StepOutcome outcome =
                runner.run(pkg, "com.example.Orders", input("{\"n\": 41}", 5000), rec);

        assertThat(outcome.ok()).as(String.valueOf(outcome)).isTrue();
        assertThat(rec.logs)
                .containsExactly(
                        new Logged(LogLevel.INFO, "logging", "n is 41 from order.created depth 2"));
        assertThat(rec.calls)
                .containsExactly(
                        "state.get {\"key\":\"c\"}",
                        "state.put {\"key\":\"c\",\"value\":\"{\\\"count\\\":42}\"}",
                        "config.get {\"key\":\"url\"}",
                        "events.send {\"type\":\"order.done\",\"source\":null,\"data\":{\"n\":42,"
                                + "\"url\":\"configured-url\"},\"reference_id\":null}");
    }

    @Test
    void theExecutorsOwnLibrariesAreInvisibleButThePackagesClassesAreNot() throws Exception {
        ServicePackage pkg =
                pkg(
                        Map.of(
                                "com.example.Probe",
                                service(
                                        "com.example.Probe",
                                        "List<String> seen = new ArrayList<>();\n"
                                                + "for (String c : List.of(\"com.fasterxml.jackson.databind.ObjectMapper\","
                                                + " \"org.apache.kafka.clients.producer.KafkaProducer\","
                                                + " \"io.fxflink.executor.jvm.JvmServiceRunner\","
                                                + " \"com.example.Helper\", \"java.sql.Connection\")) {\n"
                                                + "  try { Class.forName(c); seen.add(c); }"
                                                + " catch (ClassNotFoundException e) { }\n"
                                                + "}\n"
                                                + "ctx.events().send(\"probe\", seen);"),
                                "com.example.Helper",
                                "package com.example; public class Helper {}"),
                        "com.example.Probe");
        Recorder rec = new Recorder();
        StepOutcome outcome = runner.run(pkg, "com.example.Probe", input("{}", 5000), rec);

        assertThat(outcome.ok()).as(String.valueOf(outcome)).isTrue();
        assertThat(rec.calls)
                .singleElement()
                .asString()
                .contains("\"data\":[\"com.example.Helper\",\"java.sql.Connection\"]");
    }

    @Test
    void aThrowingServiceFailsWithItsMessageAndStackTrace() throws Exception {
        ServicePackage pkg =
                pkg(
                        Map.of(
                                "com.example.Boom",
                                service(
                                        "com.example.Boom",
                                        "throw new IllegalStateException(\"no stock for \" +"
                                                + " ctx.params().get(\"sku\"));")),
                        "com.example.Boom");
        Recorder rec = new Recorder();
        StepOutcome outcome =
                runner.run(pkg, "com.example.Boom", input("{\"sku\": \"A1\"}", 5000), rec);

        assertThat(outcome.kind()).isEqualTo(StepOutcome.Kind.FAILED);
        assertThat(outcome.error()).isEqualTo("java.lang.IllegalStateException: no stock for A1");
        assertThat(rec.logs)
                .singleElement()
                .satisfies(
                        l -> {
                            assertThat(l.level()).isEqualTo(LogLevel.ERROR);
                            assertThat(l.message()).contains("com.example.Boom.run(Boom.java:6)");
                        });
    }

    @Test
    void aRefusedPlatformCallReachesTheServiceAsFxCallException() throws Exception {
        ServicePackage pkg =
                pkg(
                        Map.of(
                                "com.example.Refused",
                                service(
                                        "com.example.Refused",
                                        "try { ctx.secrets().get(\"token\"); }\n"
                                                + "catch (FxCallException e) {"
                                                + " ctx.logger().warning(e.getMessage()); }")),
                        "com.example.Refused");
        Recorder rec = new Recorder();
        StepOutcome outcome = runner.run(pkg, "com.example.Refused", input("{}", 5000), rec);

        assertThat(outcome.ok()).isTrue();
        assertThat(rec.logs)
                .singleElement()
                .extracting(Logged::message)
                .isEqualTo("secrets.get failed: not in this fake: secrets.get");
    }

    @Test
    void anInterruptibleServiceIsStoppedAtItsTimeout() throws Exception {
        ServicePackage pkg =
                pkg(
                        Map.of(
                                "com.example.Sleepy",
                                service("com.example.Sleepy", "Thread.sleep(60_000);")),
                        "com.example.Sleepy");
        long abandonedBefore = runner.abandonedTotal();
        StepOutcome outcome =
                runner.run(pkg, "com.example.Sleepy", input("{}", 200), new Recorder());

        assertThat(outcome.kind()).isEqualTo(StepOutcome.Kind.TIMED_OUT);
        assertThat(outcome.error()).contains("was interrupted");
        assertThat(runner.abandonedTotal()).isEqualTo(abandonedBefore);
        assertThat(runner.idle()).isEqualTo(2);
    }

    @Test
    void aServiceIgnoringTheInterruptIsAbandonedItsLoaderReplacedAndItsLateCallsRefused()
            throws Exception {
        // counts runs in a static field: a fresh class loader starts again at 1
        ServicePackage pkg =
                pkg(
                        Map.of(
                                "com.example.Stubborn",
                                service(
                                                "com.example.Stubborn",
                                                "int run = ++RUNS;\n"
                                                        + "ctx.logger().info(\"run \" + run);\n"
                                                        + "if (ctx.params().containsKey(\"hang\")) {\n"
                                                        + "  long end = System.currentTimeMillis() + 1500;\n"
                                                        + "  while (System.currentTimeMillis() < end) {\n"
                                                        + "    try { Thread.sleep(50); }"
                                                        + " catch (InterruptedException ignored) { }\n"
                                                        + "  }\n"
                                                        + "  ctx.events().send(\"too.late\", null);\n"
                                                        + "}")
                                        .replace(
                                                "implements FxService {",
                                                "implements FxService {\n static int RUNS;")),
                        "com.example.Stubborn");
        long abandonedBefore = runner.abandonedTotal();
        Recorder hung = new Recorder();
        StepOutcome outcome =
                runner.run(pkg, "com.example.Stubborn", input("{\"hang\": true}", 200), hung);

        assertThat(outcome.kind()).isEqualTo(StepOutcome.Kind.TIMED_OUT);
        assertThat(outcome.error()).contains("abandoned");
        assertThat(runner.abandonedTotal()).isEqualTo(abandonedBefore + 1);
        assertThat(runner.healthy()).isTrue(); // 1 abandoned, 4 allowed

        Recorder next = new Recorder();
        assertThat(runner.run(pkg, "com.example.Stubborn", input("{}", 2000), next).ok()).isTrue();
        assertThat(next.logs).extracting(Logged::message).containsExactly("run 1");

        // the abandoned thread returns eventually; its late event never reaches the platform
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.abandonedAlive() == 0);
        assertThat(hung.calls).isEmpty();
    }

    @Test
    void brokenEntrypointsAreClearPackageErrorsThatRetryingCannotFix() throws Exception {
        ServicePackage pkg =
                pkg(
                        Map.of(
                                "com.example.NotAService",
                                "package com.example; public class NotAService {}",
                                "com.example.NoDefaultCtor",
                                "package com.example; public class NoDefaultCtor implements"
                                        + " io.fxflink.executor.api.FxService { public"
                                        + " NoDefaultCtor(int x) {} public void"
                                        + " run(io.fxflink.executor.api.FxContext c) {} }"),
                        "com.example.NotAService");
        Recorder rec = new Recorder();
        assertThatThrownBy(() -> runner.run(pkg, "com.example.Missing", input("{}", 1000), rec))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("com.example.Missing is not in the package's jars")
                .matches(e -> !((PackageException) e).retryable());
        assertThatThrownBy(() -> runner.run(pkg, "com.example.NotAService", input("{}", 1000), rec))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("does not implement io.fxflink.executor.api.FxService");
        assertThatThrownBy(
                        () -> runner.run(pkg, "com.example.NoDefaultCtor", input("{}", 1000), rec))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("needs a public no-argument constructor");
    }

    @Test
    void aPackageWithoutJarsIsRefused() throws Exception {
        Path dir = Files.createTempDirectory(work, "empty");
        ServicePackage pkg =
                new ServicePackage(
                        String.format("%064d", SHAS.incrementAndGet()),
                        dir,
                        new Manifest("svc", "1", "jvm", List.of("com.example.X"), 0, Map.of()));
        assertThatThrownBy(
                        () -> runner.run(pkg, "com.example.X", input("{}", 1000), new Recorder()))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("jar files at the package root or under lib/");
    }
}
