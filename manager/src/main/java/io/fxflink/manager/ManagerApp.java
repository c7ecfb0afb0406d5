package io.fxflink.manager;

import static io.javalin.apibuilder.ApiBuilder.after;
import static io.javalin.apibuilder.ApiBuilder.before;
import static io.javalin.apibuilder.ApiBuilder.beforeMatched;
import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.head;
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
import io.fxflink.manager.api.Input;
import io.fxflink.manager.api.Json;
import io.fxflink.manager.api.JsonErrorHandler;
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
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.sql.SQLException;
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
        // a wrong method on a known path is 405 with Allow, not 404
        cfg.http.prefer405over404 = true;
        // the largest upload of any route; every route has its own, smaller limit (guard)
        long maxUpload = Math.max(config.maxPackageBytes(), config.maxJobJarBytes());
        cfg.http.maxRequestSize = Math.max(uploadLimit(), eventsLimit());
        cfg.jetty.multipartConfig.maxFileSize(maxUpload, SizeUnit.BYTES);
        cfg.jetty.multipartConfig.maxTotalRequestSize(maxUpload + 64 * 1024, SizeUnit.BYTES);
        cfg.jetty.multipartConfig.maxInMemoryFileSize(1 << 20, SizeUnit.BYTES);
        // what Jetty refuses itself (bad request line, 414, 431, bad path escapes) answers JSON
        cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
        cfg.jetty.modifyServletContextHandler(h -> h.setErrorHandler(new JsonErrorHandler()));
        cfg.routes.apiBuilder(this::routes);
        cfg.routes.exception(
                ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
        cfg.routes.exception(
                HttpResponseException.class,
                (e, ctx) -> {
                    String allowed = e.getDetails().get("availableMethods");
                    if (e.getStatus() == 405 && allowed != null) {
                        ctx.header("Allow", allowed);
                        error(
                                ctx,
                                405,
                                "method_not_allowed",
                                "method "
                                        + ctx.method()
                                        + " is not allowed here; allowed: "
                                        + allowed);
                    } else {
                        error(ctx, e.getStatus(), codeOf(e.getStatus()), e.getMessage());
                    }
                });
        cfg.routes.exception(
                Exception.class,
                (e, ctx) -> {
                    SQLException data = dataException(e);
                    if (data != null) {
                        // a value the database refuses (out of range, bad encoding): the caller's
                        LOG.info(
                                "Request {} {} refused by PostgreSQL ({}): {}",
                                ctx.method(),
                                ctx.path(),
                                data.getSQLState(),
                                Input.clip(String.valueOf(data.getMessage()), 200));
                        error(
                                ctx,
                                400,
                                "bad_request",
                                "a value in the request cannot be stored or compared (SQL state "
                                        + data.getSQLState()
                                        + ")");
                        return;
                    }
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
                        error(
                                ctx,
                                404,
                                "not_found",
                                "no route " + ctx.method() + " " + Input.clip(ctx.path(), 200));
                    }
                });
    }

    /** Largest body of the upload routes (multipart package or job jar). */
    private long uploadLimit() {
        return Math.max(config.maxPackageBytes(), config.maxJobJarBytes()) + 64 * 1024;
    }

    /** Largest body of the events ingress (a batch); the ingress checks each event itself. */
    private long eventsLimit() {
        return (long) config.maxEventBytes() * 4;
    }

    /** The body limit of the route {@code ctx} asks for. */
    private long bodyLimit(Context ctx) {
        String p = ctx.path();
        if (ctx.method() == HandlerType.POST
                && (p.equals(API + "/services") || p.equals(API + "/jobs"))) {
            return uploadLimit();
        }
        if (ctx.method() == HandlerType.POST && p.equals(API + "/events")) {
            return eventsLimit();
        }
        return Http.MAX_JSON_BODY_BYTES;
    }

    /** A PostgreSQL data exception (SQL state class 22) anywhere in the causes, or null. */
    private static SQLException dataException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s
                    && s.getSQLState() != null
                    && s.getSQLState().startsWith("22")) {
                return s;
            }
        }
        return null;
    }

    /** Every route of the manager, in one place. */
    private void routes() {
        before(this::guard);
        before(this::authenticate);
        beforeMatched(this::guardPathParams);
        after(this::recordMetrics);
        path(
                "/health",
                () -> {
                    read(healthController::readiness);
                    read("/live", healthController::liveness);
                });
        read(
                "/metrics",
                ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
        path(
                API,
                () -> {
                    read(
                            "/openapi.json",
                            ctx -> ctx.contentType("application/json").result(openApi));
                    read("/whoami", access::whoami);
                    path(
                            "/projects",
                            () -> {
                                read(access::listProjects);
                                post(access::createProject);
                                path("/{project}", () -> configRoutes(configs.project()));
                            });
                    configRoutes(configs.platform());
                    path(
                            "/tokens",
                            () -> {
                                read(access::listTokens);
                                post(access::createToken);
                                delete("/{id}", access::revokeToken);
                            });
                    path(
                            "/services",
                            () -> {
                                read(services::list);
                                post(services::upload);
                                path(
                                        "/{name}",
                                        () -> {
                                            read(services::get);
                                            delete(services::delete);
                                            read("/versions", services::versions);
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
                                read(links::list);
                                post(links::create);
                                path(
                                        "/{id}",
                                        () -> {
                                            read(links::get);
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
                                read("/{id}/executions", executions::causedBy);
                            });
                    path(
                            "/executions",
                            () -> {
                                read(executions::list);
                                path(
                                        "/{id}",
                                        () -> {
                                            read(executions::get);
                                            read("/logs", executions::logs);
                                            read("/chain", executions::chain);
                                        });
                            });
                    post("/ops/sql", opsSql::query);
                    path(
                            "/jobs",
                            () -> {
                                read(jobs::list);
                                post(jobs::submit);
                                path(
                                        "/{id}",
                                        () -> {
                                            post("/stop", jobs::stop);
                                            read("/savepoints/{triggerId}", jobs::savepoint);
                                        });
                            });
                });
    }

    /** {@code /config[/{key}]} and {@code /secrets[/{secret}]} under the current path. */
    private static void configRoutes(ConfigController.Scoped scope) {
        path(
                "/config",
                () -> {
                    read(scope::list);
                    path(
                            "/{key}",
                            () -> {
                                read(scope::get);
                                put(scope::put);
                                delete(scope::delete);
                            });
                });
        path(
                "/secrets",
                () -> {
                    read(scope::listSecrets);
                    path(
                            "/{secret}",
                            () -> {
                                put(scope::putSecret);
                                delete(scope::deleteSecret);
                            });
                });
    }

    /** A GET route that answers HEAD too, with the same status and headers (no body). */
    private static void read(String path, Handler handler) {
        get(path, handler);
        head(path, handler);
    }

    private static void read(Handler handler) {
        get(handler);
        head(handler);
    }

    /**
     * What every request must be before any handler reads it: a body no larger than its route takes
     * (refused on the declared length, before reading), a charset that exists, and query parameters
     * under the platform's text rules (no control characters, bounded length).
     */
    private void guard(Context ctx) {
        long limit = bodyLimit(ctx);
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw ApiException.tooLarge(
                    "request body is "
                            + declared
                            + " bytes; this route takes at most "
                            + limit
                            + " bytes");
        }
        String encoding = ctx.req().getCharacterEncoding();
        if (encoding != null) {
            boolean known;
            try {
                known = Charset.isSupported(encoding);
            } catch (IllegalCharsetNameException e) {
                known = false;
            }
            if (!known) {
                throw new ApiException(
                        415,
                        "unsupported_media_type",
                        "unknown charset '"
                                + Input.clip(encoding, 40)
                                + "' in Content-Type; send UTF-8");
            }
        }
        for (Map.Entry<String, java.util.List<String>> q : ctx.queryParamMap().entrySet()) {
            String name = Input.id(q.getKey(), "query parameter name", Input.MAX_PARAM_CHARS);
            for (String v : q.getValue()) {
                Input.optionalId(
                        v, "query parameter '" + Input.clip(name, 40) + "'", Input.MAX_PARAM_CHARS);
            }
        }
    }

    /** Path parameters (ids, names, keys) follow the same rules as query parameters. */
    private void guardPathParams(Context ctx) {
        for (Map.Entry<String, String> p : ctx.pathParamMap().entrySet()) {
            Input.id(p.getValue(), "path parameter '" + p.getKey() + "'", Input.MAX_PARAM_CHARS);
        }
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
        if (status == 413) {
            // the rest of an oversize body is not read: close instead of draining it
            ctx.header("Connection", "close");
        }
        ctx.status(status)
                .json(new ErrorBody(status, code, Input.clip(message, Input.MAX_MESSAGE_CHARS)));
    }

    private static String codeOf(int status) {
        return JsonErrorHandler.codeOf(status);
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
