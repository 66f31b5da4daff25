package io.leasehold.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Namespaces are really released: no fd, socket or thread of ours keeps a deleted namespace alive,
 * and repeated use leaks no fd. Needs root.
 *
 * <p>"Freed" is observed from outside: when a namespace is destroyed, the kernel destroys its veth,
 * and the peer end in the other namespace goes with it. While anything of ours holds the
 * namespace, the peer stays.
 */
class NamespaceLifecycleTest {

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

    private static boolean peerExists(String nsB) {
        return TestNamespaces.ipExitCode("-n", nsB, "link", "show", "dev", "lhB") == 0;
    }

    @Test
    void deletedNamespaceIsFreedOnceEveryFdIsClosed() throws Exception {
        String[] names = namespaces.createVethPair();
        NetNamespace a = NetNamespace.open(names[0]);
        NetNamespace.Identity identity = a.identity();
        int packet = OPENER.open(a, f -> f.add(Sockets.openPacket())).get(10, TimeUnit.SECONDS);
        int netlink = OPENER.open(a, f -> f.add(Rtnetlink.openSocket())).get(10, TimeUnit.SECONDS);
        PacketRing ring = PacketRing.attach(packet);
        try {
            TestNamespaces.ip("netns", "del", names[0]);
            // Held by our namespace fd and sockets: the namespace, hence its veth, must survive.
            Thread.sleep(300);
            assertTrue(peerExists(names[1]), "a held namespace stays alive after ip netns del");

            a.close();
            assertFalse(TestNamespaces.await(() -> !peerExists(names[1]), Duration.ofMillis(300)),
                    "the sockets alone still hold it");
        } finally {
            ring.close();
            Sockets.close(packet);
            Sockets.close(netlink);
            a.close();
        }
        assertEquals(List.of(), TestNamespaces.fdsReferringTo(identity), "no fd refers to the namespace");
        assertEquals(List.of(), TestNamespaces.threadsIn(identity.inode()), "no thread is in the namespace");
        assertTrue(TestNamespaces.await(() -> !peerExists(names[1]), Duration.ofSeconds(10)),
                "the kernel destroyed the namespace and with it the veth pair");
    }

    @Test
    void noFdLeakAfter200OpenCloseCycles() throws Exception {
        String name = namespaces.create("cycles");
        TestNamespaces.ip("-n", name, "link", "add", "lhv0", "type", "veth", "peer", "name", "lhv1");
        // Warm up: class loading, JNA and the JDK's timeout scheduler open what they open once.
        cycle(name);
        cycle(name);
        int before = TestNamespaces.openFds().size();
        for (int i = 0; i < 200; i++) {
            cycle(name);
        }
        int after = TestNamespaces.openFds().size();
        assertEquals(before, after, "open fds before and after 200 cycles");
        try (NetNamespace ns = NetNamespace.open(name)) {
            assertEquals(List.of(), TestNamespaces.threadsIn(ns.inode()));
        }
    }

    /** One attach-detach: open the namespace, create sockets inside, configure one, close all. */
    private static void cycle(String name) throws Exception {
        try (NetNamespace ns = NetNamespace.open(name)) {
            int[] fds = OPENER.open(ns, f -> new int[] {f.add(Sockets.openPacket()), f.add(Sockets.openUdp4()),
                    f.add(Rtnetlink.openSocket()), Sockets.ifNameToIndex("lhv0")}).get(10, TimeUnit.SECONDS);
            try {
                Sockets.attachFilter(fds[0], Bpf.dhcpServerV4());
                Sockets.bindPacket(fds[0], Sockets.ETH_P_IP, fds[3]);
            } finally {
                Sockets.close(fds[0]);
                Sockets.close(fds[1]);
                Sockets.close(fds[2]);
            }
        }
    }
}
