package io.leasehold.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The opener thread, NetNamespace handles, and interface lookups inside namespaces. Needs root. */
class NamespaceOpenerTest {

    private TestNamespaces namespaces;
    private final NamespaceOpener opener = new NamespaceOpener(Duration.ofSeconds(10));

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
    void threadEntersTheNamespaceAndComesBack() throws Exception {
        String name = namespaces.create("enter");
        NetNamespace.Identity callerBefore = NetNamespace.ofCurrentThread();
        assertEquals(NetNamespace.initial().identity(), callerBefore, "the test thread starts in the initial namespace");
        AtomicReference<Thread> worker = new AtomicReference<>();
        try (NetNamespace ns = NetNamespace.open(name)) {
            // The handle's identity is the bind mount's: what `ip netns identify` and stat(1) see.
            assertEquals(NetNamespace.identityOf(NetNamespace.RUN_NETNS.resolve(name)), ns.identity());
            assertNotEquals(NetNamespace.initial().inode(), ns.inode());

            String inside = opener.open(ns, fds -> {
                worker.set(Thread.currentThread());
                return Files.readSymbolicLink(Paths.get("/proc/thread-self/ns/net")).toString();
            }).get(10, TimeUnit.SECONDS);
            assertEquals("net:[" + ns.inode() + "]", inside);

            Thread t = worker.get();
            assertTrue(t.getName().startsWith("netns-opener-"), t.getName());
            t.join(5000);
            assertFalse(t.isAlive(), "the opener thread exits after the call");
            assertEquals(callerBefore, NetNamespace.ofCurrentThread(), "the calling thread never moved");
            assertEquals(List.of(), TestNamespaces.threadsIn(ns.inode()), "no thread left in the namespace");
        }
    }

    @Test
    void eachCallUsesAFreshThread() throws Exception {
        String name = namespaces.create("fresh");
        try (NetNamespace ns = NetNamespace.open(name)) {
            Thread first = opener.open(ns, fds -> Thread.currentThread()).get(10, TimeUnit.SECONDS);
            Thread second = opener.open(ns, fds -> Thread.currentThread()).get(10, TimeUnit.SECONDS);
            assertFalse(first == second);
        }
    }

    @Test
    void ifNameToIndexWorksOnlyInsideTheNamespace() throws Exception {
        String name = namespaces.create("ifindex");
        TestNamespaces.ip("-n", name, "link", "add", "lhv0", "type", "veth", "peer", "name", "lhv1");
        try (NetNamespace ns = NetNamespace.open(name)) {
            int index = opener.open(ns, fds -> Sockets.ifNameToIndex("lhv0")).get(10, TimeUnit.SECONDS);
            assertTrue(index > 1, "lo is 1, the veth comes later: " + index);
            assertEquals("lhv0", opener.open(ns, fds -> Sockets.ifIndexToName(index)).get(10, TimeUnit.SECONDS));
            // On the test thread, in the initial namespace, the interface does not exist.
            NativeException e = assertThrows(NativeException.class, () -> Sockets.ifNameToIndex("lhv0"));
            assertEquals(NativeException.ENODEV, e.errno());
            // And a name unknown inside fails inside, with the message of the call.
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> opener.open(ns, fds -> Sockets.ifNameToIndex("lhnone")).get(10, TimeUnit.SECONDS));
            assertEquals("if_nametoindex(\"lhnone\"): No such device (errno 19)", failed.getCause().getMessage());
        }
    }

    @Test
    void socketsBelongToTheNamespaceTheyWereCreatedIn() throws Exception {
        String name = namespaces.create("owner");
        TestNamespaces.ip("-n", name, "link", "add", "lhv0", "type", "veth", "peer", "name", "lhv1");
        try (NetNamespace ns = NetNamespace.open(name)) {
            int fd = opener.open(ns, fds -> fds.add(Sockets.openUdp4())).get(10, TimeUnit.SECONDS);
            try {
                // SO_BINDTODEVICE resolves the name in the socket's namespace, from the test thread.
                Sockets.bindToDevice(fd, "lhv0");
                NativeException e = assertThrows(NativeException.class, () -> Sockets.bindToDevice(fd, "lhnone0"));
                assertEquals(NativeException.ENODEV, e.errno());
            } finally {
                Sockets.close(fd);
            }
        }
    }

    @Test
    void failingTaskClosesItsFds() throws Exception {
        String name = namespaces.create("fail");
        AtomicReference<String> socket = new AtomicReference<>();
        IllegalStateException boom = new IllegalStateException("boom");
        try (NetNamespace ns = NetNamespace.open(name)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> opener.open(ns, fds -> {
                int fd = fds.add(Sockets.openUdp4());
                socket.set(Files.readSymbolicLink(Paths.get("/proc/thread-self/fd/" + fd)).toString());
                fds.add(Sockets.openPacket());
                throw boom;
            }).get(10, TimeUnit.SECONDS));
            assertSame(boom, e.getCause());
        }
        assertTrue(socket.get().startsWith("socket:["), socket.get());
        assertEquals(List.of(), TestNamespaces.fdsLinkingTo(socket.get()), "the task's socket was closed");
    }

    @Test
    void timeoutFailsTheFutureAndTheLateThreadClosesItsFds() throws Exception {
        String name = namespaces.create("slow");
        NamespaceOpener impatient = new NamespaceOpener(Duration.ofMillis(200));
        AtomicReference<String> socket = new AtomicReference<>();
        AtomicReference<Thread> worker = new AtomicReference<>();
        try (NetNamespace ns = NetNamespace.open(name)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> impatient.open(ns, fds -> {
                worker.set(Thread.currentThread());
                int fd = fds.add(Sockets.openUdp4());
                socket.set(Files.readSymbolicLink(Paths.get("/proc/thread-self/fd/" + fd)).toString());
                Thread.sleep(1000);
                return fd;
            }).get(10, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("took longer than PT0.2S"), e.getCause().getMessage());
            worker.get().join(10_000);
            assertFalse(worker.get().isAlive());
        }
        assertEquals(List.of(), TestNamespaces.fdsLinkingTo(socket.get()), "the late socket was closed");
    }

    @Test
    void closedNamespaceIsRefused() {
        String name = namespaces.create("closed");
        NetNamespace ns = NetNamespace.open(name);
        ns.close();
        ns.close(); // idempotent
        assertFalse(ns.isOpen());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> opener.open(ns, fds -> 1).get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(e.getCause().getMessage().endsWith("is closed"), e.getCause().getMessage());
    }

    @Test
    void closeDuringUseWaitsForTheUser() throws Exception {
        String name = namespaces.create("inuse");
        NetNamespace ns = NetNamespace.open(name);
        int fd = ns.acquire();
        ns.close();
        assertFalse(ns.isOpen());
        assertEquals(List.of(String.valueOf(fd)), TestNamespaces.fdsReferringTo(ns.identity()), "still held by the user");
        ns.release();
        assertEquals(List.of(), TestNamespaces.fdsReferringTo(ns.identity()), "released by the last user");
    }

    @Test
    void openingSomethingElseFailsWithoutLeaking() {
        for (int round = 0; round < 2; round++) {
            // Round 0 warms up whatever the JDK opens lazily; round 1 must not change the fd count.
            int before = TestNamespaces.openFds().size();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> NetNamespace.open(Paths.get("/proc/self/ns/uts")));
            assertEquals("/proc/self/ns/uts is not a network namespace (NS_GET_NSTYPE: 0x4000000, expected: "
                    + "CLONE_NEWNET 0x40000000)", e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> NetNamespace.open(Paths.get("/proc/self/status")));
            assertTrue(e.getMessage().startsWith("/proc/self/status is not a network namespace (ioctl(fd="), e.getMessage());
            assertTrue(e.getMessage().endsWith(", NS_GET_NSTYPE): Inappropriate ioctl for device (errno 25))"),
                    e.getMessage());
            NativeException missing = assertThrows(NativeException.class,
                    () -> NetNamespace.open(TestNamespaces.PREFIX + "-none"));
            assertEquals(NativeException.ENOENT, missing.errno());
            assertEquals("open(/run/netns/" + TestNamespaces.PREFIX + "-none, O_RDONLY|O_CLOEXEC): "
                    + "No such file or directory (errno 2)", missing.getMessage());
            if (round == 1) {
                assertEquals(before, TestNamespaces.openFds().size());
            }
        }
    }

    @Test
    void currentAndInitialAreTheSameOnTheTestThread() {
        try (NetNamespace current = NetNamespace.current()) {
            assertTrue(current.sameAs(NetNamespace.initial()));
        }
        NetNamespace.initial().close(); // a no-op: the opener needs it
        assertTrue(NetNamespace.initial().isOpen());
    }
}
