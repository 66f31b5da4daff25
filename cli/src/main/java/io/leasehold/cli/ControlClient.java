package io.leasehold.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leasehold.control.ControlProtocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The client side of the control socket: one request, one answer, over the JDK's Unix domain
 * socket channel (DESIGN.md: no native library on the client side). Every failure is a
 * {@link CliException} with a one-line message and the exit code scripts rely on.
 */
final class ControlClient {

    private final Path socket;

    ControlClient(Path socket) {
        this.socket = socket;
    }

    Path socket() {
        return socket;
    }

    static ObjectNode args() {
        return Json.object();
    }

    /** Reads an answer's {@code result} from a parser on its first token, consuming exactly that value. */
    @FunctionalInterface
    interface ResultReader<T> {
        T read(JsonParser p) throws IOException;
    }

    /**
     * Sends {@code op} with {@code args} and returns the answer's {@code result} as a tree.
     *
     * @throws CliException when no daemon listens, the socket refuses us, or the daemon answers
     *         with an error
     */
    JsonNode call(String op, ObjectNode args) {
        return call(op, args, p -> Json.read(p, p.currentToken()));
    }

    /**
     * Sends {@code op} with {@code args} and reads the answer's {@code result} with {@code reader},
     * straight from the bytes (large answers are not made into a tree first).
     *
     * @throws CliException as {@link #call(String, ObjectNode)}
     */
    <T> T call(String op, ObjectNode args, ResultReader<T> reader) {
        ObjectNode request = Json.object();
        request.put("v", ControlProtocol.VERSION);
        request.put("op", op);
        request.set("args", args);
        byte[] line = (Json.write(request) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] answer;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(line);
            try {
                while (out.hasRemaining()) {
                    ch.write(out);
                }
            } catch (IOException e) {
                // The daemon may refuse the connection (permission, too many) and close before our
                // request is written: its answer is still there to read.
            }
            answer = readLine(ch);
        } catch (SocketException e) {
            throw connectFailure(e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, "control socket " + socket + ": " + e.getMessage());
        }
        int version = -1;
        boolean ok = false;
        boolean read = false;
        T result = null;
        JsonNode early = null;
        JsonNode error = null;
        try (JsonParser p = ControlProtocol.RESPONSES.createParser(answer)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new CliException(ExitCodes.FAILURE, "control socket " + socket
                        + ": the daemon closed the connection without answering");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "v":
                        version = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                        break;
                    case "ok":
                        ok = t == JsonToken.VALUE_TRUE;
                        break;
                    case "result":
                        // The daemon writes v and ok first; a result seen before them is kept as a tree.
                        if (ok && version == ControlProtocol.VERSION) {
                            result = reader.read(p);
                            read = true;
                        } else {
                            early = Json.read(p, t);
                        }
                        break;
                    case "error":
                        error = Json.read(p, t);
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (version == ControlProtocol.VERSION && ok && !read && early != null) {
                JsonParser tree = early.traverse();
                tree.nextToken();
                result = reader.read(tree);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, "control socket " + socket + ": unreadable answer: " + e.getMessage());
        }
        if (version != ControlProtocol.VERSION) {
            throw new CliException(ExitCodes.FAILURE, "the daemon speaks control protocol " + version
                    + " (expected: " + ControlProtocol.VERSION + "); use the leasehold command of the same version");
        }
        if (!ok) {
            if (error == null) {
                error = Json.object();
            }
            ControlProtocol.ErrorCode code;
            try {
                code = ControlProtocol.ErrorCode.valueOf(error.path("code").asText());
            } catch (IllegalArgumentException e) {
                code = ControlProtocol.ErrorCode.INTERNAL;
            }
            throw new CliException(ExitCodes.of(code), error.path("message").asText("the daemon refused the request"));
        }
        return result;
    }

    /** Reads until the newline that ends the answer (or the end of the stream). */
    private static byte[] readLine(SocketChannel ch) throws IOException {
        ByteArrayOutputStream acc = new ByteArrayOutputStream(64 * 1024);
        ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
        while (true) {
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) {
                return acc.toByteArray();
            }
            byte[] a = buf.array();
            for (int i = 0; i < n; i++) {
                if (a[i] == '\n') {
                    acc.write(a, 0, i);
                    return acc.toByteArray();
                }
            }
            acc.write(a, 0, n);
        }
    }

    private CliException connectFailure(SocketException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("permission denied") || m.contains("access denied")) {
            return new CliException(ExitCodes.PERMISSION_DENIED, "permission denied on " + socket
                    + " (run as root, or as a member of the daemon's control group)");
        }
        if (m.contains("no such file") || m.contains("connection refused") || m.contains("not a directory")) {
            return new CliException(ExitCodes.NO_DAEMON, "no daemon is listening on " + socket
                    + " (start one with `leasehold serve --config FILE`, or name its socket with --socket or "
                    + ControlProtocol.SOCKET_ENV + ")");
        }
        return new CliException(ExitCodes.FAILURE, "control socket " + socket + ": " + e.getMessage());
    }
}
