package io.fxflink.manager;

/** Runs the manager from environment variables (see {@link ManagerConfig#OPTIONS}). */
public final class ManagerMain {
    private ManagerMain() {}

    public static void main(String[] args) {
        ManagerConfig config;
        try {
            config = ManagerConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ManagerApp app = new ManagerApp(config, ManagerDeps.create(config));
        app.bootstrapToken()
                .filter(t -> config.bootstrapAdminToken().isEmpty())
                .ifPresent(
                        t -> {
                            // printed once, to stdout only: it is never stored in clear
                            System.out.println();
                            System.out.println(
                                    "=== FX manager: first admin token (shown once) ===");
                            System.out.println(t.token());
                            System.out.println(
                                    "===================================================");
                            System.out.println();
                        });
        if (!config.bootstrapAdminToken().isEmpty() && app.bootstrapToken().isPresent()) {
            // the caller chose the value: say which token it became, never print it
            System.out.println(
                    "FX manager: the first admin token is FX_BOOTSTRAP_ADMIN_TOKEN (id "
                            + app.bootstrapToken().get().id()
                            + ")");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "fx-manager-shutdown"));
        app.start();
    }
}
