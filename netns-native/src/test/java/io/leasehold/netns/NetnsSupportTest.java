package io.leasehold.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The availability messages, from the pure builder, and the real check on this machine. */
class NetnsSupportTest {

    private static final String ROOT_STATUS = "Name:\tjava\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n";
    private static final String NO_CAPS = "Name:\tjava\nCapEff:\t0000000000000000\n";

    @Test
    void nothingMissing() {
        assertNull(NetnsSupport.cause("Linux", "amd64", ROOT_STATUS, null, null, null));
        assertNull(NetnsSupport.cause("Linux", "aarch64", ROOT_STATUS, null, null, null));
    }

    @Test
    void notLinux() {
        Throwable t = NetnsSupport.cause("Mac OS X", "aarch64", null, null, null, null);
        assertEquals("netns support unavailable: not Linux (os.name=Mac OS X)", t.getMessage());
    }

    @Test
    void listsBothMissingCapabilities() {
        Throwable t = NetnsSupport.cause("Linux", "amd64", NO_CAPS, null, null, null);
        assertEquals("netns support unavailable: no CAP_NET_RAW (bit 13 of CapEff 0); "
                + "no CAP_SYS_ADMIN (bit 21 of CapEff 0)", t.getMessage());
    }

    @Test
    void onlyCapNetRaw() {
        String status = "CapEff:\t" + Long.toHexString(1L << 13) + "\n";
        Throwable t = NetnsSupport.cause("Linux", "amd64", status, null, null, null);
        assertEquals("netns support unavailable: no CAP_SYS_ADMIN (bit 21 of CapEff 2000)", t.getMessage());
    }

    @Test
    void listsEverythingMissingWithCauses() {
        UnsatisfiedLinkError epoll = new UnsatisfiedLinkError("no netty_transport_native_epoll_x86_64");
        UnsatisfiedLinkError jna = new UnsatisfiedLinkError("Unable to load library 'jnidispatch'");
        Throwable t = NetnsSupport.cause("Linux", "riscv64", NO_CAPS, null, epoll, jna);
        assertEquals("netns support unavailable: unsupported architecture riscv64 (expected: amd64 or aarch64); "
                + "no CAP_NET_RAW (bit 13 of CapEff 0); no CAP_SYS_ADMIN (bit 21 of CapEff 0); "
                + "Netty epoll native library unavailable (java.lang.UnsatisfiedLinkError: "
                + "no netty_transport_native_epoll_x86_64); JNA native library unavailable "
                + "(java.lang.UnsatisfiedLinkError: Unable to load library 'jnidispatch')", t.getMessage());
        assertSame(epoll, t.getCause());
        assertSame(jna, t.getSuppressed()[0]);
    }

    @Test
    void unreadableStatus() {
        IOException failure = new IOException("Permission denied");
        Throwable t = NetnsSupport.cause("Linux", "amd64", null, failure, null, null);
        assertEquals("netns support unavailable: cannot read CapEff from /proc/self/status "
                + "(java.io.IOException: Permission denied)", t.getMessage());
        assertSame(failure, t.getCause());
        assertTrue(NetnsSupport.cause("Linux", "amd64", "Name:\tjava\n", null, null, null).getMessage()
                .contains("cannot read CapEff"));
    }

    @Test
    void parsesCapEff() {
        assertEquals(OptionalLong.of(0x1ffffffffffL), NetnsSupport.capEff(ROOT_STATUS));
        assertEquals(OptionalLong.empty(), NetnsSupport.capEff("CapEff:\tzz\n"));
        assertEquals(OptionalLong.empty(), NetnsSupport.capEff(""));
    }

    @Test
    void realCheckAgreesWithThisMachine() throws IOException {
        String status = Files.readString(Paths.get("/proc/self/status"));
        long capEff = NetnsSupport.capEff(status).orElse(0);
        boolean privileged = (capEff & 1L << 13) != 0 && (capEff & 1L << 21) != 0;
        if (privileged) {
            assertTrue(NetnsSupport.isAvailable(), () -> String.valueOf(NetnsSupport.unavailabilityCause()));
            NetnsSupport.ensureAvailability();
        } else {
            IllegalStateException e = assertThrows(IllegalStateException.class, NetnsSupport::ensureAvailability);
            assertTrue(e.getMessage().contains("CAP_"), e.getMessage());
        }
    }
}
