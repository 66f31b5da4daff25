package io.leasehold.control;

import io.leasehold.lease.Lease4;
import io.leasehold.lease.Lease6;
import io.leasehold.server.LeaseholdServer;
import io.leasehold.server.NetworkRuntime;
import io.leasehold.wire.IpAddresses;

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
    CompletableFuture<Boolean> release(String network, InetAddress address);

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
     * A target over a server whose leases live in memory only: a release removes the lease on the
     * network's loop; there is no configuration to reload and reservation changes last until the
     * server stops unless {@code overlay} is given.
     */
    static ControlTarget inMemory(LeaseholdServer server, ReservationOverlay overlay) {
        return new ControlTarget() {
            @Override
            public LeaseholdServer server() {
                return server;
            }

            @Override
            public CompletableFuture<Boolean> release(String network, InetAddress address) {
                NetworkRuntime n = server.network(network);
                return Loops.onNetwork(n, () -> {
                    if (address instanceof Inet4Address) {
                        Lease4 l = n.leases().remove4(IpAddresses.toInt((Inet4Address) address));
                        return l != null;
                    }
                    Lease6 l = n.leases().remove6((Inet6Address) address, 128);
                    return l != null;
                });
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
