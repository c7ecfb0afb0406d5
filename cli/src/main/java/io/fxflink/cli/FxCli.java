package io.fxflink.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code fx}: the FX on Flink command line. Everything but up/down/status goes through the manager
 * API.
 */
@Command(
        name = "fx",
        mixinStandardHelpOptions = true,
        version = "fx 0.1.0",
        description = "FX on Flink: deploy services, link them to events, run them and watch them.",
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0 ok, 1 rejected by the manager, 2 usage, 3 manager unreachable,",
            "  4 not found, 5 missing/invalid token, 6 a waited-for run did not succeed",
            "Environment: FX_URL and FX_TOKEN point the CLI at a manager; after './fx up'",
            "the local platform's URL and token are used without flags."
        },
        subcommands = {
            PlatformCommands.Up.class,
            PlatformCommands.Down.class,
            PlatformCommands.Status.class,
            PlatformCommands.Token.class,
            ServiceCommands.Deploy.class,
            ServiceCommands.Services.class,
            ServiceCommands.Run.class,
            LinkCommands.Link.class,
            LinkCommands.Links.class,
            LinkCommands.Unlink.class,
            EventCommands.Send.class,
            ExecutionCommands.Executions.class,
            ExecutionCommands.Logs.class,
            OpsCommands.Sql.class,
            OpsCommands.Jobs.class,
            PlatformCommands.Completion.class
        })
public final class FxCli {
    @Option(
            names = {"-o", "--output"},
            scope = ScopeType.INHERIT,
            description = "table (default) or json",
            defaultValue = "table")
    Output.Format format;

    final Map<String, String> env;
    final Path root;
    final PrintStream out;

    FxCli(Map<String, String> env, Path root, PrintStream out) {
        this.env = env;
        this.root = root;
        this.out = out;
    }

    Output output() {
        return new Output(out, format);
    }

    Path localHome() {
        String home = env.get("FX_HOME");
        return home != null && !home.isBlank()
                ? Path.of(home)
                : root.resolve(".stack").resolve("local");
    }

    ManagerClient client() {
        return new ManagerClient(CliTarget.resolve(env, localHome()));
    }

    public static void main(String[] args) {
        System.exit(
                run(
                        args,
                        System.getenv(),
                        Path.of(System.getProperty("fx.root", ".")),
                        System.out,
                        System.err));
    }

    static int run(
            String[] args, Map<String, String> env, Path root, PrintStream out, PrintStream err) {
        CommandLine cl = commandLine(new FxCli(env, root.toAbsolutePath().normalize(), out));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                    if (e instanceof CliException ce) {
                        err.println("fx: " + ce.getMessage());
                        return ce.exitCode();
                    }
                    err.println("fx: " + e);
                    return ExitCodes.REJECTED;
                });
        return cl.execute(args);
    }

    static CommandLine commandLine(FxCli cli) {
        CommandLine cl = new CommandLine(cli);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
