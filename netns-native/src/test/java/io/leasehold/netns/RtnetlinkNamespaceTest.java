package io.leasehold.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rtnetlink against a real namespace: the startup dump and live link/address events. Needs root. */
class RtnetlinkNamespaceTest {

    private static final NamespaceOpener OPENER = new NamespaceOpener(Duration.ofSeconds(10));

    private TestNamespaces namespaces;

    @BeforeEach
    void setUp() {
        TestNamespaces.assumeAvailable();
        namespaces = new TestNamespaces();
    }

    @AfterEach
    void tearDown() {
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @AfterAll
    static void leftovers() {
        TestNamespaces.deleteLeftovers();
    }

    @Test
    void dumpShowsTheNamespacesOwnLinksAndAddresses() throws Exception {
        String name = namespaces.create("dump");
        TestNamespaces.ip("-n", name, "link", "add", "lhd0", "type", "veth", "peer", "name", "lhd1");
        TestNamespaces.ip("-n", name, "addr", "add", "10.99.68.1/24", "dev", "lhd0");
        TestNamespaces.ip("-n", name, "link", "set", "lhd0", "up");
        try (NetNamespace ns = NetNamespace.open(name)) {
            Rtnetlink.Dump dump = Rtnetlink.dump(ns, OPENER);
            assertEquals(Set.of("lo", "lhd0", "lhd1"), dump.links().stream().map(LinkEvent::name).collect(Collectors.toSet()),
                    "only this namespace's links, never the host's");
            int lhd0 = OPENER.open(ns, f -> Sockets.ifNameToIndex("lhd0")).get(10, TimeUnit.SECONDS);
            LinkEvent link = dump.links().stream().filter(l -> l.name().equals("lhd0")).findFirst().orElseThrow();
            assertEquals(lhd0, link.ifindex());
            assertTrue(link.up());
            assertEquals(1500, link.mtu());
            assertEquals(TestNamespaces.macOf(name, "lhd0"),
                    java.util.HexFormat.ofDelimiter(":").formatHex(link.hardwareAddress()));
            assertTrue(dump.addresses().stream().anyMatch(addr -> addr.ifindex() == lhd0 && addr.prefixLength() == 24
                    && addr.address().getHostAddress().equals("10.99.68.1")), dump.addresses()::toString);
            assertTrue(dump.addresses().stream().anyMatch(addr -> addr.address().isLoopbackAddress()),
                    dump.addresses()::toString);
        }
    }

    @Test
    void eventsForLinksAndAddressesAddedAndRemovedInside() throws Exception {
        String name = namespaces.create("events");
        try (NetNamespace ns = NetNamespace.open(name); Memory buffer = new Memory(Rtnetlink.RECEIVE_BUFFER_SIZE)) {
            int fd = OPENER.open(ns, f -> f.add(Rtnetlink.openSocket())).get(10, TimeUnit.SECONDS);
            try {
                Rtnetlink.subscribe(fd, Rtnetlink.DEFAULT_GROUPS);
                RecordingHandler events = new RecordingHandler();

                TestNamespaces.ip("-n", name, "link", "add", "lhe0", "type", "veth", "peer", "name", "lhe1");
                await(fd, buffer, events, h -> h.links.stream().anyMatch(
                        l -> l.change() == Rtnetlink.Change.NEW && l.name().equals("lhe0")));

                TestNamespaces.ip("-n", name, "addr", "add", "10.99.69.1/24", "dev", "lhe0");
                await(fd, buffer, events, h -> h.addresses.stream().anyMatch(addr -> addr.change() == Rtnetlink.Change.NEW
                        && addr.address().equals(inet("10.99.69.1")) && addr.prefixLength() == 24));

                TestNamespaces.ip("-n", name, "link", "del", "lhe0");
                // Deleting one end of a veth deletes the peer too: two RTM_DELLINKs.
                await(fd, buffer, events, h -> h.links.stream().filter(l -> l.change() == Rtnetlink.Change.DEL)
                        .map(LinkEvent::name).collect(Collectors.toSet()).equals(Set.of("lhe0", "lhe1")));
                assertEquals(List.of(), events.malformed);
            } finally {
                Sockets.close(fd);
            }
        }
    }

    @Test
    void dumpOnAnEventSocketInterleavesWithEvents() throws Exception {
        String name = namespaces.create("both");
        try (NetNamespace ns = NetNamespace.open(name); Memory buffer = new Memory(Rtnetlink.RECEIVE_BUFFER_SIZE)) {
            int fd = OPENER.open(ns, f -> f.add(Rtnetlink.openSocket())).get(10, TimeUnit.SECONDS);
            try {
                // The daemon's order: subscribe, then dump, so nothing falls between the two.
                Rtnetlink.subscribe(fd, Rtnetlink.DEFAULT_GROUPS);
                RecordingHandler events = new RecordingHandler();
                Rtnetlink.requestDump(fd, Rtnetlink.RTM_GETLINK, 7);
                await(fd, buffer, events, h -> h.calls.contains("done 7"));
                assertTrue(events.calls.contains("link NEW 1 lo"), events.calls::toString);
            } finally {
                Sockets.close(fd);
            }
        }
    }

    /** Reads and parses until {@code condition} holds, bounded to 5 s and 200 reads. */
    private static void await(int fd, Memory buffer, RecordingHandler handler, Predicate<RecordingHandler> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (int i = 0; i < 200 && !condition.test(handler) && System.nanoTime() < deadline; i++) {
            if (Sockets.awaitReadable(fd, 100)) {
                Rtnetlink.receive(fd, buffer, handler);
            }
        }
        assertTrue(condition.test(handler), () -> "event not seen; got " + handler.calls);
    }

    private static InetAddress inet(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
