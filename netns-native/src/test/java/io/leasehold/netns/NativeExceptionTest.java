package io.leasehold.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Error messages of native calls and argument checks; none of these needs privileges. */
class NativeExceptionTest {

    @Test
    void messageNamesCallTextAndNumber() {
        NativeException e = NativeException.of("setns(fd=12, CLONE_NEWNET)", NativeException.EPERM);
        assertEquals("setns(fd=12, CLONE_NEWNET): Operation not permitted (errno 1)", e.getMessage());
        assertEquals("setns(fd=12, CLONE_NEWNET)", e.call());
        assertEquals(1, e.errno());
    }

    @Test
    void realFailureCarriesErrno() {
        NativeException e = assertThrows(NativeException.class, () -> Sockets.close(-1));
        assertEquals("close(fd=-1): Bad file descriptor (errno 9)", e.getMessage());
        assertEquals(NativeException.EBADF, e.errno());
    }

    @Test
    void unknownInterfaceIsEnodev() {
        NativeException e = assertThrows(NativeException.class, () -> Sockets.ifNameToIndex("lh-absent0"));
        assertEquals("if_nametoindex(\"lh-absent0\"): No such device (errno 19)", e.getMessage());
        assertEquals(NativeException.ENODEV, e.errno());
    }

    @Test
    void argumentErrorsSayWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sockets.bindPacket(3, Sockets.ETH_P_IP, -1));
        assertEquals("ifindex: -1 (expected: > 0)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sockets.ifNameToIndex("a-name-longer-than-15"));
        assertEquals("name: \"a-name-longer-than-15\" (expected: 1..15 bytes, no NUL)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sockets.receiveBufferSize(3, 0));
        assertEquals("bytes: 0 (expected: > 0)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Sockets.bind(3, InetSocketAddress.createUnresolved("example.invalid", 67)));
        assertEquals("address: example.invalid/<unresolved>:67 (expected: resolved)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NetNamespace.open("../etc"));
        assertEquals("name: \"../etc\" (expected: a file name in /run/netns)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NamespaceOpener(java.time.Duration.ZERO));
        assertEquals("timeout: PT0S (expected: > 0)", e.getMessage());
    }
}
