package io.fxflink.contracts.execution;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic execution ids, so a replayed trigger (router failover, redelivery) produces the
 * same id and the executor can suppress the duplicate.
 *
 * <p>The id is the first 16 bytes of SHA-256 over (event source, event id, route), as 32 hex
 * characters. The event source is part of it because CloudEvents ids are only unique per source.
 */
public final class ExecutionIds {
    private static final HexFormat HEX = HexFormat.of();

    // one digest per thread: MessageDigest.getInstance looks the provider up on every call, once
    // per routed request in the router
    private static final ThreadLocal<MessageDigest> SHA256 =
            ThreadLocal.withInitial(ExecutionIds::sha256);

    private ExecutionIds() {}

    /** Execution of a link: route = the link id. */
    public static String of(String eventSource, String eventId, String linkId) {
        return hash(eventSource, eventId, "link:" + linkId);
    }

    /** Manual or scheduled run of one service (no link): route = the service name. */
    public static String forService(String eventSource, String eventId, String service) {
        return hash(eventSource, eventId, "service:" + service);
    }

    public static String of(TriggerEvent event, String linkId) {
        return of(event.source(), event.id(), linkId);
    }

    private static String hash(String source, String id, String route) {
        MessageDigest sha = SHA256.get();
        sha.reset(); // digest() resets it too; this covers a failed earlier call
        // length-prefixed parts: ("a","bc") and ("ab","c") must not collide
        for (String part : new String[] {source, id, route}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sha.update(
                    new byte[] {
                        (byte) (bytes.length >>> 24),
                        (byte) (bytes.length >>> 16),
                        (byte) (bytes.length >>> 8),
                        (byte) bytes.length
                    });
            sha.update(bytes);
        }
        byte[] digest = sha.digest();
        return HEX.formatHex(digest, 0, 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
