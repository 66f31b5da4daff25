package io.leasehold.control;

import io.leasehold.server.LeaseholdServer;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * What the control socket operates on: the running server, plus what only its owner can do
 * durably (release a lease through the lease store, reload the configuration file, keep
 * reservation changes). The daemon implements it; {@link #inMemory} serves a bare server.
 */
public interface ControlTarget {

    /** The server whose networks, leases and namespaces are inspected and changed. */
    LeaseholdServer server();

    /**
     * Releases the lease of {@code address} in {@code network}, with the same effect as the
     * client's RELEASE: the lease is removed and the removal is durable before the future
     * completes.
     *
     * @return true when a lease was released, false when the network had no lease of the address
     */
    default CompletableFuture<Boolean> release(String network, InetAddress address) {
        LeaseholdServer s = server();
        return address instanceof Inet4Address ? s.release4(network, (Inet4Address) address)
                : s.release6(network, (Inet6Address) address, 128);
    }

    /**
     * Re-reads the configuration and applies the difference. MAY block; the control server calls
     * it off its event loop.
     *
     * @return a one-line summary of what changed
     * @throws ControlException UNAVAILABLE when there is nothing to reload, INVALID_CONFIG when
     *         the file is refused (the message lists the problems)
     */
    String reload();

    /** Where live reservation changes are kept across restarts, or null when they are not. */
    ReservationOverlay reservations();

    /**
     * A target over a server built without a configuration file (embedding, the demo, tests): a
     * release goes through the server's own persistence; there is nothing to reload; reservation
     * changes last until the server stops unless {@code overlay} is given.
     */
    static ControlTarget inMemory(LeaseholdServer server, ReservationOverlay overlay) {
        return new ControlTarget() {
            @Override
            public LeaseholdServer server() {
                return server;
            }

            @Override
            public String reload() {
                throw new ControlException(ControlProtocol.ErrorCode.UNAVAILABLE,
                        "reload: this server was not started from a configuration file");
            }

            @Override
            public ReservationOverlay reservations() {
                return overlay;
            }
        };
    }
}
