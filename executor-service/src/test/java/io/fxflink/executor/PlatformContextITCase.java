package io.fxflink.executor;

import static io.fxflink.executor.ExecutorTestKit.header;
import static io.fxflink.executor.ExecutorTestKit.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.PackageRef;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.ops.MetricRecord;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.executor.jvm.TestJars;
import io.fxflink.executor.ops.OpsPublisher;
import io.fxflink.executor.schedule.ScheduledRunPublisher;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * JVM services, {@code context.storage} and {@code context.scheduler.retry} through the real path:
 * requests on a real executions topic, packages in the real S3, outcomes in the real PostgreSQL,
 * events and ops records on real topics.
 */
class PlatformContextITCase {
    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.of(ServerKind.KAFKA, ServerKind.POSTGRES, ServerKind.S3);

    static ExecutorTestKit kit;
    static ExecutorApp app;

    @BeforeAll
    static void start() throws Exception {
        kit = new ExecutorTestKit(SERVERS);
        Map<String, String> env = kit.env();
        env.put("FX_SCHEDULER_POLL_MS", "200");
        env.put("FX_METRICS_INTERVAL_MS", "500");
        env.put("FX_EXECUTOR_ID", "it-executor");
        app = new ExecutorApp(ExecutorOptions.fromEnvironment(env)).start(env);
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (kit != null) {
            kit.close();
        }
    }

    static PackageRef jvmPackage(String name, String cls, String body) throws Exception {
        int dot = cls.lastIndexOf('.');
        String source =
                "package "
                        + cls.substring(0, dot)
                        + ";\nimport io.fxflink.executor.api.*;\nimport java.util.*;\n"
                        + "import java.time.Duration;\npublic class "
                        + cls.substring(dot + 1)
                        + " implements FxService {\n  public void run(FxContext ctx) throws"
                        + " Exception {\n"
                        + body
                        + "\n  }\n}\n";
        return kit.upload(
                Map.of(
                        "manifest.json",
                        utf8(
                                "{\"name\": \""
                                        + name
                                        + "\", \"version\": \"1.0.0\", \"runtime\": \"jvm\","
                                        + " \"entrypoint\": \""
                                        + cls
                                        + "\", \"config\": {\"greeting\": \"hello\"}}"),
                        "lib/service.jar",
                        TestJars.jar(Map.of(cls, source))));
    }

    static PackageRef pythonPackage(String name, String main) throws Exception {
        return kit.upload(
                Map.of(
                        "manifest.json",
                        utf8("{\"name\": \"" + name + "\", \"version\": \"1.0.0\"}"),
                        "main.py",
                        utf8(main)));
    }

    /** The event of that type the execution emitted (waiting for it). */
    static ConsumerRecord<byte[], byte[]> eventOf(String executionId, String type) {
        return await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                kit.readAll(kit.topics.events(), 1).stream()
                                        .filter(
                                                r ->
                                                        executionId.equals(
                                                                        header(
                                                                                r,
                                                                                "ce_fxexecutionid"))
                                                                && type.equals(
                                                                        header(r, "ce_type")))
                                        .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
    }

    static String data(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aJvmServiceRunsFromARequestWithEventsLogsStateConfigAndLifecycle() throws Exception {
        PackageRef ref =
                jvmPackage(
                        "greeter",
                        "com.example.Greeter",
                        "int n = ((Number) ctx.params().get(\"n\")).intValue();\n"
                                + "ctx.logger().info(ctx.config().get(\"greeting\") + \" \" + n +"
                                + " \" attempt \" + ctx.attempt());\n"
                                + "ctx.state().put(\"last\", Map.of(\"n\", n));\n"
                                + "ctx.events().send(\"greeting.sent\", Map.of(\"n\", n + 1,"
                                + " \"by\", ctx.packageName()));");
        ExecutionRequest req =
                ExecutorTestKit.request("greeter", ServiceRuntime.JVM, ref, 0, "{\"n\": 41}");
        kit.send(req);

        List<ExecutionLifecycleRecord> states =
                kit.lifecycle(req.executionId(), ExecutionStatus.SUCCEEDED);
        assertThat(states)
                .extracting(ExecutionLifecycleRecord::status)
                .containsExactlyInAnyOrder(
                        ExecutionStatus.QUEUED, ExecutionStatus.STARTED, ExecutionStatus.SUCCEEDED);
        ConsumerRecord<byte[], byte[]> e = eventOf(req.executionId(), "greeting.sent");
        assertThat(header(e, "ce_type")).isEqualTo("greeting.sent");
        assertThat(header(e, "ce_id")).isEqualTo(req.executionId() + "-1");
        assertThat(header(e, "ce_fxcausationid")).isEqualTo(req.triggerEvent().id());
        assertThat(header(e, "ce_fxdepth")).isEqualTo("3");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.value()))
                .isEqualTo(
                        new com.fasterxml.jackson.databind.ObjectMapper()
                                .readTree("{\"n\":42,\"by\":\"greeter\"}"));
        assertThat(kit.readAll(kit.topics.opsLogs(), 1))
                .map(r -> Codecs.OPS_LOG.decode(r.value()))
                .anyMatch(
                        l ->
                                l.executionId().equals(req.executionId())
                                        && l.step().equals("com.example.Greeter")
                                        && l.message().equals("hello 41 attempt 1"));
        try (Connection c = kit.db.connect();
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        "SELECT value FROM service_state WHERE service = 'greeter'"
                                                + " AND key = 'last'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("{\"n\":41}");
        }
    }

    @Test
    void storageRoundTripsBetweenPythonAndJvmServicesAndRefusesPlatformBuckets() throws Exception {
        String bucket = SERVERS.newBucketName("svc-data");
        PackageRef py =
                pythonPackage(
                        "py-store",
                        "from fx_ef import context\n"
                                // the package directory is read-only: files go to the scratch
                                + "import os\nos.chdir(os.environ['TMPDIR'])\n"
                                + "b = context.params['bucket']\n"
                                + "created = context.storage.create_bucket(b)\n"
                                + "again = context.storage.create_bucket(b)\n"
                                + "open('report.txt', 'w').write('rows=3')\n"
                                + "context.storage.upload(b, 'reports/r1.txt', 'report.txt')\n"
                                + "context.storage.download(b, 'reports/r1.txt', 'copy.txt')\n"
                                + "url = context.storage.get_public_url(b, 'reports/r1.txt')\n"
                                + "refused = []\n"
                                + "for bad in ['fx-packages', 'UPPER', '../x', 'a']:\n"
                                + "    try:\n"
                                + "        context.storage.upload(bad, 'x', 'report.txt')\n"
                                + "    except Exception as e:\n"
                                + "        refused.append(str(e))\n"
                                + "try:\n"
                                + "    context.storage.download(b, 'reports/../../etc/passwd', 'x')\n"
                                + "except Exception as e:\n"
                                + "    refused.append(str(e))\n"
                                + "open('big.bin', 'wb').write(b'x' * (7 * 1024 * 1024))\n"
                                + "open('over.bin', 'wb').write(b'x' * (5 * 1024 * 1024))\n"
                                + "for f in ['big.bin', 'over.bin']:\n"
                                + "    try:\n"
                                + "        context.storage.upload(b, f, f)\n"
                                + "    except Exception as e:\n"
                                + "        refused.append(str(e))\n"
                                + "context.events.send('stored', {'created': created, 'again':"
                                + " again, 'copy': open('copy.txt').read(), 'url': url,"
                                + " 'refused': refused})\n");
        ExecutionRequest pyReq =
                ExecutorTestKit.request(
                        "py-store",
                        ServiceRuntime.PYTHON,
                        py,
                        0,
                        "{\"bucket\": \"" + bucket + "\"}");
        kit.send(pyReq);
        kit.lifecycle(pyReq.executionId(), ExecutionStatus.SUCCEEDED);
        var stored =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(eventOf(pyReq.executionId(), "stored").value());
        assertThat(stored.get("created").asBoolean()).isTrue();
        assertThat(stored.get("again").asBoolean()).isFalse();
        assertThat(stored.get("copy").asText()).isEqualTo("rows=3");
        assertThat(stored.get("refused")).hasSize(7);
        assertThat(stored.get("refused").get(0).asText()).contains("reserved for the platform");
        assertThat(stored.get("refused").get(1).asText()).contains("invalid bucket name");
        assertThat(stored.get("refused").get(4).asText()).contains("'..' segment");
        // over what the protocol carries (checked in Python), over the configured 4 MiB limit
        assertThat(stored.get("refused").get(5).asText())
                .contains("big.bin is 7340032 bytes; objects are limited to");
        assertThat(stored.get("refused").get(6).asText())
                .contains("is larger than the limit of 4194304 bytes");

        // the pre-signed URL serves the object to anyone holding it
        HttpResponse<String> got =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(stored.get("url").asText()))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("rows=3");

        PackageRef jvm =
                jvmPackage(
                        "jvm-store",
                        "com.example.Reader",
                        "String b = (String) ctx.params().get(\"bucket\");\n"
                                + "String text = new String(ctx.storage().download(b,"
                                + " \"reports/r1.txt\"), \"UTF-8\");\n"
                                + "ctx.storage().upload(b, \"reports/r2.txt\", (text +"
                                + " \";jvm\").getBytes(\"UTF-8\"));\n"
                                + "String missing;\n"
                                + "try { ctx.storage().download(b, \"nope\"); missing = \"found\"; }"
                                + " catch (FxCallException e) { missing = e.getMessage(); }\n"
                                + "ctx.events().send(\"read\", Map.of(\"text\", new"
                                + " String(ctx.storage().download(b, \"reports/r2.txt\"),"
                                + " \"UTF-8\"), \"missing\", missing));");
        ExecutionRequest jvmReq =
                ExecutorTestKit.request(
                        "jvm-store",
                        ServiceRuntime.JVM,
                        jvm,
                        0,
                        "{\"bucket\": \"" + bucket + "\"}");
        kit.send(jvmReq);
        kit.lifecycle(jvmReq.executionId(), ExecutionStatus.SUCCEEDED);
        assertThat(data(eventOf(jvmReq.executionId(), "read")))
                .contains("\"text\":\"rows=3;jvm\"")
                .contains("no object 'nope' in bucket '" + bucket + "'");
    }

    @Test
    void aScheduledRetryIsPublishedOnceAsAManualRunOfTheSameService() throws Exception {
        PackageRef py =
                pythonPackage(
                        "poller",
                        "from fx_ef import context\n"
                                + "rid = context.scheduler.retry(minutes=0.02, parameters={'page':"
                                + " context.params['page'] + 1})\n"
                                + "errors = []\n"
                                + "for kw in [{'cron_expression': 'not a cron'}, {'minutes': -1},"
                                + " {}, {'minutes': 1, 'cron_expression': '* * * * *'}]:\n"
                                + "    try:\n"
                                + "        context.scheduler.retry(**kw)\n"
                                + "    except Exception as e:\n"
                                + "        errors.append(str(e))\n"
                                + "context.events.send('scheduled', {'id': rid, 'errors':"
                                + " errors})\n");
        ExecutionRequest req =
                ExecutorTestKit.request("poller", ServiceRuntime.PYTHON, py, 0, "{\"page\": 1}");
        kit.send(req);
        kit.lifecycle(req.executionId(), ExecutionStatus.SUCCEEDED);
        var scheduled =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(eventOf(req.executionId(), "scheduled").value());
        String runId = req.executionId() + "-retry-1";
        assertThat(scheduled.get("id").asText()).isEqualTo(runId);
        assertThat(scheduled.get("errors")).hasSize(4);
        assertThat(scheduled.get("errors").get(0).asText()).contains("invalid cron_expression");
        assertThat(scheduled.get("errors").get(1).asText()).contains("non-negative");
        assertThat(scheduled.get("errors").get(3).asText()).contains("not both");

        // published when due (≈1.2 s), as fx.platform.manual for the same service
        List<ConsumerRecord<byte[], byte[]>> manual =
                await().atMost(Duration.ofSeconds(60))
                        .until(
                                () ->
                                        kit.readAll(kit.topics.events(), 1).stream()
                                                .filter(
                                                        r ->
                                                                Objects.equals(
                                                                        header(r, "ce_id"),
                                                                        "fx-scheduled-" + runId))
                                                .toList(),
                                l -> !l.isEmpty());
        ConsumerRecord<byte[], byte[]> m = manual.get(0);
        assertThat(header(m, "ce_type")).isEqualTo("fx.platform.manual");
        assertThat(header(m, "ce_fxservice")).isEqualTo("poller");
        assertThat(header(m, "ce_fxcausationid")).isEqualTo(req.triggerEvent().id());
        assertThat(data(m)).isEqualTo("{\"page\":2}");
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            try (Connection c = kit.db.connect();
                                    ResultSet rs =
                                            c.createStatement()
                                                    .executeQuery(
                                                            "SELECT published FROM"
                                                                    + " executor_scheduled_runs WHERE"
                                                                    + " id = '"
                                                                    + runId
                                                                    + "'")) {
                                return rs.next() && rs.getBoolean(1);
                            }
                        });
        // marked published in the transaction that locked it: no later poll publishes it again.
        // One more poll, run here and finished before the check, then the events topic read to
        // its end offsets
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(kit.db.url());
        ds.setUser(kit.db.user());
        ds.setPassword(kit.db.password());
        assertThat(
                        new ScheduledRunPublisher(ds, new OpsPublisher(kit.producer, kit.topics))
                                .publishDue())
                .as("runs a later poll publishes")
                .isZero();
        assertThat(
                        kit.readToEnd(kit.topics.events()).stream()
                                .filter(
                                        r ->
                                                Objects.equals(
                                                        header(r, "ce_id"),
                                                        "fx-scheduled-" + runId))
                                .count())
                .isEqualTo(1);
    }

    @Test
    void metricRecordsArriveOnTheMetricsTopic() {
        List<MetricRecord> metrics =
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () ->
                                        kit.readAll(kit.topics.opsMetrics(), 1).stream()
                                                .map(r -> Codecs.METRIC.decode(r.value()))
                                                .toList(),
                                l ->
                                        l.stream()
                                                .anyMatch(
                                                        r ->
                                                                r.name()
                                                                        .equals(
                                                                                "fx.executor.pool.capacity")));
        assertThat(metrics)
                .extracting(MetricRecord::name)
                .contains(
                        "fx.executor.executions.per_second",
                        "fx.executor.pool.busy",
                        "fx.executor.queue.depth",
                        "fx.executor.in_flight");
        assertThat(metrics)
                .filteredOn(r -> r.name().equals("fx.executor.pool.capacity"))
                .anySatisfy(
                        r -> {
                            assertThat(r.tags())
                                    .containsEntry("runtime", "jvm")
                                    .containsEntry("executor", "it-executor");
                            assertThat(r.value()).isEqualTo(2.0);
                        });
    }
}
