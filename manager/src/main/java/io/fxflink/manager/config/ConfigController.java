package io.fxflink.manager.config;

import io.fxflink.manager.api.Http;
import io.javalin.http.Context;
import java.util.function.Function;

/**
 * HTTP for config and secrets on the three scopes. The same handlers serve {@code /api/v1/config},
 * {@code /api/v1/projects/{project}/config} and {@code /api/v1/services/{name}/config} (and {@code
 * /secrets}); a scope resolver picks the scope from the path.
 */
public final class ConfigController {
    private final ConfigService service;

    public ConfigController(ConfigService service) {
        this.service = service;
    }

    /** The handlers of one scope kind. */
    public final class Scoped {
        private final Function<Context, ScopeRef> scope;
        private final boolean serviceScope;

        private Scoped(Function<Context, ScopeRef> scope, boolean serviceScope) {
            this.scope = scope;
            this.serviceScope = serviceScope;
        }

        /** {@code GET .../config}; on a service {@code ?effective=true} merges the fallbacks. */
        public void list(Context ctx) {
            ScopeRef ref = scope.apply(ctx);
            boolean effective =
                    serviceScope && "true".equalsIgnoreCase(ctx.queryParam("effective"));
            ctx.json(
                    effective
                            ? service.effective(Http.principal(ctx), ref)
                            : service.list(Http.principal(ctx), ref));
        }

        public void get(Context ctx) {
            ctx.json(service.get(Http.principal(ctx), scope.apply(ctx), ctx.pathParam("key")));
        }

        public void put(Context ctx) {
            ScopeRef ref = scope.apply(ctx);
            String value =
                    ValueBody.read(Http.bodyBytes(ctx, ValueBody.MAX_BODY_BYTES), "config value");
            ctx.json(service.put(Http.principal(ctx), ref, ctx.pathParam("key"), value));
        }

        public void delete(Context ctx) {
            service.delete(Http.principal(ctx), scope.apply(ctx), ctx.pathParam("key"));
            ctx.status(204);
        }

        public void listSecrets(Context ctx) {
            ctx.json(service.secretNames(Http.principal(ctx), scope.apply(ctx)));
        }

        /** Answers with the name and whether it was new; never with the value. */
        public void putSecret(Context ctx) {
            ScopeRef ref = scope.apply(ctx);
            String value =
                    ValueBody.read(Http.bodyBytes(ctx, ValueBody.MAX_BODY_BYTES), "secret value");
            String name = ctx.pathParam("secret");
            boolean created = service.putSecret(Http.principal(ctx), ref, name, value);
            ctx.status(created ? 201 : 200).json(ConfigService.created(name, ref, created));
        }

        public void deleteSecret(Context ctx) {
            service.deleteSecret(Http.principal(ctx), scope.apply(ctx), ctx.pathParam("secret"));
            ctx.status(204);
        }
    }

    public Scoped platform() {
        return new Scoped(ctx -> service.platform(), false);
    }

    public Scoped project() {
        return new Scoped(ctx -> service.project(ctx.pathParam("project")), false);
    }

    public Scoped service() {
        return new Scoped(ctx -> service.service(ctx.pathParam("name")), true);
    }
}
