package io.fxflink.stack.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Readiness checks and a bounded wait for them. */
public final class Probes {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private Probes() {}

    public static boolean tcp(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** HTTP status of a GET, or -1 when nothing answers. */
    public static int httpStatus(String url) {
        try {
            HttpRequest req =
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(3))
                            .GET()
                            .build();
            return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Polls {@code ready} until it holds; {@code alive} is checked each round so a crashed server
     * fails fast with its own error instead of a timeout.
     */
    public static void await(String what, Duration timeout, BooleanSupplier ready, Runnable alive)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            alive.run();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not become ready within " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
