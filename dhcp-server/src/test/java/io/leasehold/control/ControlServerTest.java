package io.leasehold.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leasehold.lease.Lease4;
import io.leasehold.lease.LeaseState;
import io.leasehold.lease.LeaseTable;
import io.leasehold.model.AddressMode;
import io.leasehold.model.IpPrefix;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.Subnet;
import io.leasehold.server.LeaseholdServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control socket at the protocol level: its file, its limits, and clients that misbehave. */
class ControlServerTest {

    @TempDir
    Path dir;
    LeaseholdServer server;
    final List<ControlServer> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(ControlServer::close);
        if (server != null) {
            server.stop();
        }
    }

    private ControlServer start(ControlServer.Options options, int leases) throws IOException {
        NetworkSnapshot n = NetworkSnapshot.builder("net1")
                .subnet(Subnet.of("s1", IpPrefix.parse("10.0.0.0/8"), AddressMode.DHCPV4)).build();
        server = LeaseholdServer.builder().eventLoopThreads(1).watchNamespaces(false).network(n)
                .leaseTables(s -> {
                    LeaseTable t = new LeaseTable(s.id(), 1 << 20);
                    for (int i = 0; i < leases; i++) {
                        t.put(new Lease4(0x0a000000 + i, 0xfa163e000000L + i, null, "host-" + i, 2_000_000_000L + i,
                                LeaseState.BOUND));
                    }
                    return t;
                }).build();
        ControlServer c = ControlServer.start(ControlTarget.inMemory(server, null), options);
        started.add(c);
        return c;
    }

    private ControlServer start() throws IOException {
        return start(ControlServer.Options.of(dir.resolve("run/control.sock")), 3);
    }

    static SocketChannel connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return ch;
    }

    static void send(SocketChannel ch, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** The next answer line, or null at the end of the stream. */
    static JsonNode answer(SocketChannel ch) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (ch.read(one) < 0) {
                return line.size() == 0 ? null : new ObjectMapper().readTree(line.toByteArray());
            }
            if (one.get(0) == '\n') {
                return new ObjectMapper().readTree(line.toByteArray());
            }
            line.write(one.get(0));
        }
    }

    static JsonNode call(Path socket, String request) throws IOException {
        try (SocketChannel ch = connect(socket)) {
            send(ch, request + "\n");
            return answer(ch);
        }
    }

    @Test
    void theSocketIsMode0600InADirectoryOfMode0700AndGoneAfterClose() throws Exception {
        ControlServer c = start();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(c.socket())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(c.socket().getParent())));
        c.close();
        started.clear();
        assertFalse(Files.exists(c.socket()));
    }

    @Test
    void anExistingDirectoryIsUsedOnlyWhenItIsTheSocketsOwn() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(shared.resolve("other-file"), "x");
        IOException e = assertThrows(IOException.class, () -> start(ControlServer.Options.of(shared.resolve("c.sock")), 0));
        assertEquals("control socket directory " + shared + " has mode rwxr-xr-x and holds other files (expected: a "
                + "directory of its own, mode 0700, such as /run/leasehold)", e.getMessage());

        Path own = Files.createDirectory(dir.resolve("own"));
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwxr-xr-x"));
        ControlServer c = start(ControlServer.Options.of(own.resolve("c.sock")), 0);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(own)));
        assertTrue(call(c.socket(), "{\"v\":1,\"op\":\"health\"}").path("ok").asBoolean());
    }

    @Test
    void aSecondServerOnALiveSocketIsRefusedAndAStaleOneReplaced() throws Exception {
        ControlServer c = start();
        IOException e = assertThrows(IOException.class, () -> ControlServer.start(ControlTarget.inMemory(server, null),
                ControlServer.Options.of(c.socket())));
        assertEquals("control socket " + c.socket() + ": another daemon is listening on it", e.getMessage());
        assertTrue(call(c.socket(), "{\"v\":1,\"op\":\"health\"}").path("ok").asBoolean(), "the first still serves");

        Path stale = dir.resolve("stale/c.sock");
        Files.createDirectories(stale.getParent());
        Files.setPosixFilePermissions(stale.getParent(), PosixFilePermissions.fromString("rwx------"));
        try (var s = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(stale));
        }
        ControlServer again = ControlServer.start(ControlTarget.inMemory(server, null), ControlServer.Options.of(stale));
        started.add(again);
        assertTrue(call(stale, "{\"v\":1,\"op\":\"health\"}").path("ok").asBoolean());
    }

    @Test
    void badRequestsGetTheirErrorCode() throws Exception {
        Path s = start().socket();
        assertEquals("BAD_REQUEST", call(s, "this is not json").path("error").path("code").asText());
        assertEquals("UNSUPPORTED_VERSION", call(s, "{\"v\":2,\"op\":\"health\"}").path("error").path("code").asText());
        JsonNode unknown = call(s, "{\"v\":1,\"op\":\"format-disk\"}");
        assertEquals("UNKNOWN_OP", unknown.path("error").path("code").asText());
        assertTrue(unknown.path("error").path("message").asText().startsWith("unknown operation: format-disk (expected one of: counters, health,"));
        JsonNode deep = call(s, "{\"v\":1,\"op\":\"leases\",\"args\":{\"network\":" + "[".repeat(20) + "]".repeat(20) + "}}");
        assertEquals("BAD_REQUEST", deep.path("error").path("code").asText());
        assertTrue(deep.path("error").path("message").asText().contains("nesting depth"), deep.toString());
        JsonNode wrongType = call(s, "{\"v\":1,\"op\":\"leases\",\"args\":{\"network\":7}}");
        assertEquals("network: number (expected: a string)", wrongType.path("error").path("message").asText());
        assertEquals("UNKNOWN_NETWORK", call(s, "{\"v\":1,\"op\":\"leases\",\"args\":{\"network\":\"x\"}}")
                .path("error").path("code").asText());
    }

    @Test
    void anOversizedRequestIsRefusedAndTheConnectionClosed() throws Exception {
        Path s = start().socket();
        try (SocketChannel ch = connect(s)) {
            try {
                send(ch, "{\"v\":1,\"op\":\"" + "x".repeat(ControlProtocol.MAX_REQUEST_BYTES + 10) + "\"}\n");
            } catch (IOException closedWhileWriting) {
                // the daemon may close before the whole line is written; its answer is still there
            }
            JsonNode a = answer(ch);
            assertEquals("TOO_LARGE", a.path("error").path("code").asText());
            assertEquals(null, answer(ch), "closed after the refusal");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        Path s = start().socket();
        try (SocketChannel ch = connect(s)) {
            send(ch, "{\"v\":1,\"op\":\"health\"}\n{\"v\":1,\"op\":\"nope\"}\n{\"v\":1,\"op\":\"leases\"}\n");
            assertEquals(ControlProtocol.VERSION, answer(ch).path("result").path("protocol").asInt());
            assertEquals("UNKNOWN_OP", answer(ch).path("error").path("code").asText());
            assertEquals(3, answer(ch).path("result").path("leases").size());
        }
    }

    @Test
    void aSilentClientIsDisconnected() throws Exception {
        Path s = start(ControlServer.Options.of(dir.resolve("run/c.sock")).withRequestTimeout(Duration.ofMillis(200)), 0)
                .socket();
        try (SocketChannel ch = connect(s)) {
            send(ch, "{\"v\":1,");   // never finished
            long t0 = System.nanoTime();
            assertEquals(null, answer(ch));
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        }
    }

    @Test
    void aClientThatNeverReadsStallsNobodyElse() throws Exception {
        Path s = start(ControlServer.Options.of(dir.resolve("run/c.sock")).withWriteTimeout(Duration.ofSeconds(1)), 20_000)
                .socket();
        try (SocketChannel hog = connect(s)) {
            // Each answer is megabytes; the daemon holds one of them for this client, not twenty.
            send(hog, "{\"v\":1,\"op\":\"leases\"}\n".repeat(20));
            Thread.sleep(200);
            long t0 = System.nanoTime();
            assertTrue(call(s, "{\"v\":1,\"op\":\"health\"}").path("ok").asBoolean());
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "health answered while the hog does not read");
            Thread.sleep(1500);
            // Past the write timeout the hog's connection is closed: draining it reaches the end.
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            long total = 0;
            int n;
            while ((n = hog.read(b)) >= 0) {
                total += n;
                b.clear();
            }
            assertTrue(total < 20L * 20_000 * 100, "read " + total + " bytes: less than the twenty answers");
        }
    }

    @Test
    void connectionsBeyondTheLimitAreTurnedAway() throws Exception {
        Path s = start(ControlServer.Options.of(dir.resolve("run/c.sock")).withMaxConnections(2), 0).socket();
        try (SocketChannel a = connect(s); SocketChannel b = connect(s)) {
            JsonNode third = call(s, "{\"v\":1,\"op\":\"health\"}");
            assertEquals("UNAVAILABLE", third.path("error").path("code").asText());
            assertEquals("too many control connections (at most 2)", third.path("error").path("message").asText());
        }
        Thread.sleep(100);
        assertTrue(call(s, "{\"v\":1,\"op\":\"health\"}").path("ok").asBoolean(), "free again once they close");
    }
}
