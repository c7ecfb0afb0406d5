package io.fxflink.manager;

import static io.javalin.apibuilder.ApiBuilder.after;
import static io.javalin.apibuilder.ApiBuilder.before;
import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;

import io.fxflink.manager.access.AccessController;
import io.fxflink.manager.access.AccessService;
import io.fxflink.manager.access.CreatedToken;
import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Db;
import io.fxflink.manager.api.ErrorBody;
import io.fxflink.manager.api.Http;
import io.fxflink.manager.api.Json;
import io.fxflink.manager.config.ConfigController;
import io.fxflink.manager.config.ConfigService;
import io.fxflink.manager.event.EventController;
import io.fxflink.manager.event.EventIngressService;
import io.fxflink.manager.execution.ExecutionController;
import io.fxflink.manager.execution.ExecutionService;
import io.fxflink.manager.health.HealthCheck;
import io.fxflink.manager.health.HealthController;
import io.fxflink.manager.health.HealthService;
import io.fxflink.manager.job.JobController;
import io.fxflink.manager.job.JobService;
import io.fxflink.manager.link.LinkController;
import io.fxflink.manager.link.LinkService;
import io.fxflink.manager.link.OutboxRelay;
import io.fxflink.manager.ops.OpsSqlController;
import io.fxflink.manager.ops.OpsSqlLogin;
import io.fxflink.manager.ops.OpsSqlService;
import io.fxflink.manager.run.RunController;
import io.fxflink.manager.run.RunService;
import io.fxflink.manager.service.PackageLimits;
import io.fxflink.manager.service.ServiceController;
import io.fxflink.manager.service.ServiceService;
import io.fxflink.schema.FxSchema;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager: migrates the schema, creates the first admin token on first start, runs the links
 * outbox relay and serves the REST API. All routes are declared in {@link #routes()}.
 */
public final class ManagerApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerApp.class);
    static final String API = "/api/v1";
    private static final String START_NANOS = "fx.startNanos";

    private final ManagerConfig config;
    private final ManagerDeps deps;
    private final OutboxRelay relay;
    private final Optional<CreatedToken> bootstrapToken;
    private final PrometheusMeterRegistry metrics =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HealthService health;
    private final AccessService accessService;
    private final AccessController access;
    private final ServiceController services;
    private final LinkController links;
    private final HealthController healthController;
    private final RunController runs;
    private final EventController events;
    private final ExecutionController executions;
    private final OpsSqlController opsSql;
    private final ConfigController configs;
    private final com.zaxxer.hikari.HikariDataSource opsSqlPool;
    private final JobService jobService;
    private final JobController jobs;
    private final byte[] openApi;
    private final Javalin app;

    public ManagerApp(ManagerConfig config, ManagerDeps deps) {
        this.config = config;
        this.deps = deps;
        FxSchema.migrate(config.pgUrl(), config.pgUser(), config.pgPassword());
        Db db = new Db(deps.dataSource());
        this.relay = new OutboxRelay(db, deps.linkPublisher(), Duration.ofMillis(500));
        this.accessService = new AccessService(db);
        this.bootstrapToken = accessService.bootstrapAdminToken(config.bootstrapAdminToken());
        LinkService linkService = new LinkService(db, relay::wake);
        ConfigService configService =
                new ConfigService(db, deps.configStores().config(), deps.configStores().secrets());
        this.configs = new ConfigController(configService);
        ServiceService serviceService =
                new ServiceService(
                        db,
                        deps.packageStore(),
                        new PackageLimits(
                                config.maxPackageBytes(),
                                10_000,
                                config.maxUncompressedPackageBytes(),
                                200),
                        linkService,
                        relay::wake,
                        configService::purgeService);
        this.access = new AccessController(accessService);
        this.services = new ServiceController(serviceService, config.maxPackageBytes());
        this.links = new LinkController(linkService);
        this.runs = new RunController(new RunService(db, deps.eventPublisher()));
        this.events =
                new EventController(
                        new EventIngressService(
                                deps.eventPublisher(),
                                config.maxEventBytes(),
                                config.maxEventBatch()));
        this.executions = new ExecutionController(new ExecutionService(db, deps.logSearch()));
        // user SQL runs on a login role of its own when the database lets us create it
        this.opsSqlPool =
                OpsSqlLogin.open(deps.dataSource(), config.pgUrl(), config.pgPassword())
                        .orElse(null);
        this.opsSql =
                new OpsSqlController(
                        new OpsSqlService(
                                opsSqlPool != null ? opsSqlPool : deps.dataSource(),
                                config.opsSqlTimeoutMs(),
                                config.opsSqlMaxRows()));
        this.jobService =
                new JobService(
                        config.flinkRestUrl(),
                        config.jobJarsDir(),
                        Duration.ofMillis(config.flinkStopTimeoutMs()));
        this.jobs = new JobController(jobService, config.maxJobJarBytes());
        Map<String, HealthCheck> checks = new LinkedHashMap<>();
        checks.put("postgresql", () -> db.read(c -> c.isValid(2) ? null : failDb()));
        checks.put("objectStore", deps.packageStore()::check);
        checks.put("kafka", deps.eventPublisher()::check);
        checks.put("elasticsearch", deps.logSearch()::check);
        checks.put(
                "configStore",
                () -> deps.configStores().config().list(io.fxflink.config.ConfigScope.PLATFORM));
        checks.put(
                "linksOutbox",
                () -> {
                    if (relay.lastError() != null) {
                        throw new IllegalStateException(
                                "relay failing, "
                                        + relay.backlog()
                                        + " unsent: "
                                        + relay.lastError());
                    }
                });
        // Flink (TaskManagers, platform jobs, checkpoints) and the executor's lag: optional
        this.health =
                HealthService.forPlatform(
                        checks,
                        config.flinkRestUrl(),
                        config.kafkaBootstrap(),
                        config.health(),
                        3000);
        this.healthController = new HealthController(health);
        this.openApi = loadOpenApi();
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        this.app = Javalin.create(this::configure);
        relay.start();
    }

    private static Object failDb() {
        throw new IllegalStateException("connection is not valid");
    }

    private void configure(JavalinConfig cfg) {
        cfg.startup.showJavalinBanner = false;
        cfg.jsonMapper(new JavalinJackson(Json.mapper(), false));
        // the largest upload of any route; each route checks its own limit (packages, job jars)
        long maxUpload = Math.max(config.maxPackageBytes(), config.maxJobJarBytes());
        cfg.http.maxRequestSize =
                Math.max(maxUpload + 64 * 1024, (long) config.maxEventBytes() * 4);
        cfg.jetty.multipartConfig.maxFileSize(maxUpload, SizeUnit.BYTES);
        cfg.jetty.multipartConfig.maxTotalRequestSize(maxUpload + 64 * 1024, SizeUnit.BYTES);
        cfg.jetty.multipartConfig.maxInMemoryFileSize(1 << 20, SizeUnit.BYTES);
        cfg.routes.apiBuilder(this::routes);
        cfg.routes.exception(
                ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
        cfg.routes.exception(
                HttpResponseException.class,
                (e, ctx) -> error(ctx, e.getStatus(), codeOf(e.getStatus()), e.getMessage()));
        cfg.routes.exception(
                Exception.class,
                (e, ctx) -> {
                    String id = UUID.randomUUID().toString();
                    LOG.error(
                            "Request {} {} failed (error id {})", ctx.method(), ctx.path(), id, e);
                    error(
                            ctx,
                            500,
                            "internal",
                            "internal error; see the manager log for error id " + id);
                });
        cfg.routes.error(
                404,
                ctx -> {
                    if (ctx.result() == null || ctx.result().isEmpty()) {
                        error(ctx, 404, "not_found", "no route " + ctx.method() + " " + ctx.path());
                    }
                });
        cfg.routes.error(
                405,
                ctx -> {
                    if (ctx.result() == null || ctx.result().isEmpty()) {
                        error(
                                ctx,
                                405,
                                "method_not_allowed",
                                "method " + ctx.method() + " is not allowed on " + ctx.path());
                    }
                });
    }

    /** Every route of the manager, in one place. */
    private void routes() {
        before(this::authenticate);
        after(this::recordMetrics);
        path(
                "/health",
                () -> {
                    get(healthController::readiness);
                    get("/live", healthController::liveness);
                });
        get(
                "/metrics",
                ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
        path(
                API,
                () -> {
                    get(
                            "/openapi.json",
                            ctx -> ctx.contentType("application/json").result(openApi));
                    get("/whoami", access::whoami);
                    path(
                            "/projects",
                            () -> {
                                get(access::listProjects);
                                post(access::createProject);
                                path("/{project}", () -> configRoutes(configs.project()));
                            });
                    configRoutes(configs.platform());
                    path(
                            "/tokens",
                            () -> {
                                get(access::listTokens);
                                post(access::createToken);
                                delete("/{id}", access::revokeToken);
                            });
                    path(
                            "/services",
                            () -> {
                                get(services::list);
                                post(services::upload);
                                path(
                                        "/{name}",
                                        () -> {
                                            get(services::get);
                                            delete(services::delete);
                                            get("/versions", services::versions);
                                            post("/activate", services::activate);
                                            post("/deactivate", services::deactivate);
                                            put("/default-version", services::setDefaultVersion);
                                            post("/runs", runs::run);
                                            configRoutes(configs.service());
                                        });
                            });
                    path(
                            "/links",
                            () -> {
                                get(links::list);
                                post(links::create);
                                path(
                                        "/{id}",
                                        () -> {
                                            get(links::get);
                                            put(links::replace);
                                            delete(links::delete);
                                            post("/enable", links::enable);
                                            post("/disable", links::disable);
                                        });
                            });
                    path(
                            "/events",
                            () -> {
                                post(events::ingest);
                                get("/{id}/executions", executions::causedBy);
                            });
                    path(
                            "/executions",
                            () -> {
                                get(executions::list);
                                path(
                                        "/{id}",
                                        () -> {
                                            get(executions::get);
                                            get("/logs", executions::logs);
                                            get("/chain", executions::chain);
                                        });
                            });
                    post("/ops/sql", opsSql::query);
                    path(
                            "/jobs",
                            () -> {
                                get(jobs::list);
                                post(jobs::submit);
                                path(
                                        "/{id}",
                                        () -> {
                                            post("/stop", jobs::stop);
                                            get("/savepoints/{triggerId}", jobs::savepoint);
                                        });
                            });
                });
    }

    /** {@code /config[/{key}]} and {@code /secrets[/{secret}]} under the current path. */
    private static void configRoutes(ConfigController.Scoped scope) {
        path(
                "/config",
                () -> {
                    get(scope::list);
                    path(
                            "/{key}",
                            () -> {
                                get(scope::get);
                                put(scope::put);
                                delete(scope::delete);
                            });
                });
        path(
                "/secrets",
                () -> {
                    get(scope::listSecrets);
                    path(
                            "/{secret}",
                            () -> {
                                put(scope::putSecret);
                                delete(scope::deleteSecret);
                            });
                });
    }

    /** Every route except health needs a valid bearer token. */
    private void authenticate(Context ctx) {
        ctx.attribute(START_NANOS, System.nanoTime());
        String p = ctx.path();
        if (p.equals("/health") || p.startsWith("/health/")) {
            return;
        }
        ctx.attribute(Http.PRINCIPAL, accessService.authenticate(ctx.header("Authorization")));
    }

    private void recordMetrics(Context ctx) {
        Long start = ctx.attribute(START_NANOS);
        if (start == null) {
            return;
        }
        var endpoint = ctx.endpoints().lastHttpEndpoint();
        Timer.builder("fx_manager_http_requests")
                .tag("method", ctx.method().name())
                .tag("route", endpoint == null ? "unmatched" : endpoint.path)
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(metrics)
                .record(Duration.ofNanos(System.nanoTime() - start));
    }

    private static void error(Context ctx, int status, String code, String message) {
        ctx.status(status).json(new ErrorBody(status, code, message));
    }

    private static String codeOf(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 503 -> "unavailable";
            default -> "http_" + status;
        };
    }

    private static byte[] loadOpenApi() {
        try (InputStream in = ManagerApp.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json resource is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read openapi.json", e);
        }
    }

    /** The Javalin app (not started), for tests. */
    public Javalin javalinApp() {
        return app;
    }

    /** The first admin token, when this start created it (shown once). */
    public Optional<CreatedToken> bootstrapToken() {
        return bootstrapToken;
    }

    public OutboxRelay relay() {
        return relay;
    }

    public ManagerApp start() {
        app.start(config.port());
        LOG.info("Manager listening on port {}", app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        relay.close();
        health.close();
        jobService.close();
        if (opsSqlPool != null) {
            opsSqlPool.close();
        }
        deps.close();
    }
}
