package io.fxflink.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fx-stack up|down|status|settings}: the local stack from the command line. */
@Command(
        name = "fx-stack",
        mixinStandardHelpOptions = true,
        description =
                "Runs the FX platform's servers (Kafka, Elasticsearch, S3, PostgreSQL) on loopback.",
        subcommands = {
            LocalStackMain.Up.class,
            LocalStackMain.Down.class,
            LocalStackMain.Status.class,
            LocalStackMain.Settings.class
        })
public final class LocalStackMain {

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalStackMain()).execute(args));
    }

    @Command(
            name = "up",
            description = "Start the servers and run until Ctrl-C (or fx-stack down).")
    static final class Up implements Callable<Integer> {
        @Option(
                names = "--servers",
                description =
                        "Servers to start now (comma separated; empty = none until asked). Default: all.",
                defaultValue = "kafka,elasticsearch,s3,postgres")
        String servers;

        @Option(
                names = "--idle-exit",
                description = "Stop after this many seconds without a client (0 = never).",
                defaultValue = "0")
        long idleExitSeconds;

        @Option(names = "--reset", description = "Wipe the working folder first (all data).")
        boolean reset;

        @Override
        public Integer call() throws Exception {
            StackSettings settings = StackSettings.fromEnvironment();
            if (reset) {
                wipe(settings.home());
            }
            Files.createDirectories(settings.home());
            Set<ServerKind> kinds =
                    servers.isBlank()
                            ? EnumSet.noneOf(ServerKind.class)
                            : ServerKind.parseList(servers);
            LocalStack stack =
                    new LocalStack(settings, line -> System.out.println("[fx-stack] " + line));
            StackSupervisor supervisor =
                    new StackSupervisor(stack, Duration.ofSeconds(idleExitSeconds));
            Runtime.getRuntime().addShutdownHook(new Thread(supervisor::close, "fx-stack-stop"));
            try {
                supervisor.serve();
            } catch (IOException e) {
                System.err.println(
                        "[fx-stack] control port "
                                + settings.controlPort()
                                + " is taken: is a stack already running? ('fx-stack status')");
                return 2;
            }
            long t0 = System.nanoTime();
            try {
                stack.ensure(kinds);
            } catch (Exception e) {
                System.err.println("[fx-stack] " + e.getMessage());
                supervisor.close();
                return 1;
            }
            if (!kinds.isEmpty()) {
                System.out.printf(
                        "[fx-stack] up in %d ms; data in %s%n",
                        (System.nanoTime() - t0) / 1_000_000, settings.home());
                stack.endpoints()
                        .forEach((k, v) -> System.out.println("[fx-stack]   " + k + " = " + v));
                System.out.println("[fx-stack] Ctrl-C stops everything.");
            }
            supervisor.awaitStopped();
            return 0;
        }
    }

    @Command(
            name = "down",
            description = "Stop a running stack and wait until its servers are gone.")
    static final class Down implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            StackClient client = new StackClient(StackSettings.fromEnvironment());
            if (!client.shutdown(Duration.ofMinutes(2))) {
                System.out.println("[fx-stack] no stack is running");
                return 0;
            }
            System.out.println("[fx-stack] stopped");
            return 0;
        }
    }

    @Command(name = "status", description = "Show the running stack's servers and endpoints.")
    static final class Status implements Callable<Integer> {
        @Override
        public Integer call() {
            StackSettings settings = StackSettings.fromEnvironment();
            return new StackClient(settings)
                    .status()
                    .map(
                            s -> {
                                Endpoints.fromPropertiesText(s)
                                        .forEach((k, v) -> System.out.println(k + " = " + v));
                                return 0;
                            })
                    .orElseGet(
                            () -> {
                                System.out.println(
                                        "no stack answers on control port "
                                                + settings.controlPort());
                                return 3;
                            });
        }
    }

    @Command(name = "settings", description = "List the environment variables the stack reads.")
    static final class Settings implements Callable<Integer> {
        @Override
        public Integer call() {
            for (StackSettings.Option o : StackSettings.OPTIONS) {
                System.out.printf(
                        "%-22s %-40s %s%n", o.variable(), o.defaultValue(), o.description());
            }
            return 0;
        }
    }

    static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
