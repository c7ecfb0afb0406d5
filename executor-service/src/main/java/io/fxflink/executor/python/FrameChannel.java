package io.fxflink.executor.python;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The JVM side of the worker protocol: frames of a 4-byte big-endian length and a UTF-8 JSON object
 * carrying {@code "v": PROTOCOL_VERSION}. A frame over {@link #MAX_FRAME_BYTES}, bad JSON or
 * another version is a protocol violation (the worker is then replaced).
 */
public final class FrameChannel {
    public static final int PROTOCOL_VERSION = 1;
    public static final int MAX_FRAME_BYTES = 8 * 1024 * 1024;

    private final DataInputStream in;
    private final DataOutputStream out;
    private final ObjectMapper json;

    public FrameChannel(InputStream in, OutputStream out, ObjectMapper json) {
        this.in = new DataInputStream(in);
        this.out = new DataOutputStream(out);
        this.json = json;
    }

    public synchronized void send(ObjectNode message) throws IOException {
        message.put("v", PROTOCOL_VERSION);
        byte[] bytes = json.writeValueAsBytes(message);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    public ObjectNode receive() throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            throw new EOFException("the worker closed its channel");
        }
        if (length < 0 || length > MAX_FRAME_BYTES) {
            throw new ProtocolException("frame length " + length + " is out of bounds");
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("the worker closed its channel mid-frame");
        }
        var node = json.readTree(bytes);
        if (!(node instanceof ObjectNode obj)) {
            throw new ProtocolException("frame is not a JSON object");
        }
        if (obj.path("v").asInt(-1) != PROTOCOL_VERSION) {
            throw new ProtocolException(
                    "worker speaks protocol version "
                            + obj.path("v")
                            + ", expected "
                            + PROTOCOL_VERSION);
        }
        return obj;
    }

    /** The worker broke the protocol. */
    public static final class ProtocolException extends IOException {
        public ProtocolException(String message) {
            super(message);
        }
    }
}
