package io.fxflink.manager;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.manager.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no well-behaved client sends (NUL and CRLF in headers,
 * lying Content-Length, bad charsets, raw bytes in paths). Every request asks for {@code
 * Connection: close}; the answer is read up to {@link #MAX_READ} bytes.
 */
final class RawHttp {
    static final int MAX_READ = 8 << 20;
    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /** An answer: status, lower-case header names, body bytes (de-chunked), total bytes read. */
    record Answer(
            int status, Map<String, String> headers, byte[] body, long bytesRead, boolean closed) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as JSON, or null when it is not JSON. */
        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            String t = text();
            return status + " " + (t.length() > 300 ? t.substring(0, 300) + "…" : t);
        }
    }

    /**
     * Sends head (request line + headers, CRLF-terminated lines, without the blank line) and body.
     */
    Answer send(String method, String target, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        boolean hasLength = false;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            hasLength |=
                    h.getKey().equalsIgnoreCase("Content-Length")
                            || h.getKey().equalsIgnoreCase("Transfer-Encoding");
        }
        if (!hasLength && body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        return raw(head.toString().getBytes(StandardCharsets.ISO_8859_1), body, 15_000);
    }

    /** Writes exactly these bytes, then reads the answer (timeout in ms for each read). */
    Answer raw(byte[] head, byte[] body, int timeoutMs) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            out.write(head);
            if (body != null && body.length > 0) {
                try {
                    out.write(body);
                } catch (IOException e) {
                    // the server may answer and close before it read everything: read the answer
                }
            }
            out.flush();
            return read(s.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + e, e);
        }
    }

    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        boolean closed = false;
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                all.write(buf, 0, n);
                if (all.size() > MAX_READ) {
                    break;
                }
            }
            closed = n < 0;
        } catch (SocketTimeoutException e) {
            closed = false;
        } catch (IOException e) {
            // reset after the answer: what was read counts
            closed = true;
        }
        byte[] bytes = all.toByteArray();
        int headEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (headEnd < 0) {
            return new Answer(-1, Map.of(), bytes, bytes.length, closed);
        }
        String[] lines = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) {
                headers.put(
                        lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(c + 1).trim());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, headEnd + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(status, headers, body, bytes.length, closed);
    }

    private static byte[] dechunk(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < b.length) {
            int eol = indexOf(b, i, "\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (eol < 0) {
                break;
            }
            String sizeLine = new String(b, i, eol - i, StandardCharsets.ISO_8859_1);
            int semi = sizeLine.indexOf(';');
            int size =
                    Integer.parseInt(
                            (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                break;
            }
            int start = eol + 2;
            int end = Math.min(b.length, start + size);
            out.write(b, start, end - start);
            i = end + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        return indexOf(hay, 0, needle);
    }

    private static int indexOf(byte[] hay, int from, byte[] needle) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
