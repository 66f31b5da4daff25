package io.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    static final ObjectMapper JSON = new ObjectMapper(ControlProtocol.RESPONSES);

    private final Path socket;

    ControlClient(Path socket) {
        this.socket = socket;
    }

    Path socket() {
        return socket;
    }

    static ObjectNode args() {
        return JSON.createObjectNode();
    }

    /**
     * Sends {@code op} with {@code args} and returns the answer's {@code result}.
     *
     * @throws CliException when no daemon listens, the socket refuses us, or the daemon answers
     *         with an error
     */
    JsonNode call(String op, ObjectNode args) {
        ObjectNode request = JSON.createObjectNode();
        request.put("v", ControlProtocol.VERSION);
        request.put("op", op);
        request.set("args", args);
        byte[] line;
        try {
            line = (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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
        JsonNode response;
        try {
            response = JSON.readTree(answer);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, "control socket " + socket + ": unreadable answer: " + e.getMessage());
        }
        if (response == null || response.isEmpty()) {
            throw new CliException(ExitCodes.FAILURE, "control socket " + socket + ": the daemon closed the connection without answering");
        }
        if (response.path("v").asInt() != ControlProtocol.VERSION) {
            throw new CliException(ExitCodes.FAILURE, "the daemon speaks control protocol " + response.path("v")
                    + " (expected: " + ControlProtocol.VERSION + "); use the leasehold command of the same version");
        }
        if (!response.path("ok").asBoolean()) {
            JsonNode error = response.path("error");
            ControlProtocol.ErrorCode code;
            try {
                code = ControlProtocol.ErrorCode.valueOf(error.path("code").asText());
            } catch (IllegalArgumentException e) {
                code = ControlProtocol.ErrorCode.INTERNAL;
            }
            throw new CliException(ExitCodes.of(code), error.path("message").asText("the daemon refused the request"));
        }
        return response.path("result");
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
