package io.leasehold.engine;

import io.leasehold.lease.LeaseTable;
import io.leasehold.model.NetworkSnapshot;

import java.util.Objects;

/**
 * What a DHCPv4 decision depends on besides the request: the network as it is now, its leases,
 * the interface the request came in on, and the time. The engine reads the snapshot and changes
 * only the lease table.
 *
 * @param network    the network's current snapshot
 * @param leases     the network's lease table (owned by the calling thread)
 * @param iface      the receiving interface
 * @param nowSeconds the current time, seconds since the epoch
 * @param unicast    true when the request's IP destination was one of our addresses rather than
 *                   broadcast: a RENEWING client's REQUEST is unicast, a REBINDING one broadcast
 */
public record Dhcp4Context(NetworkSnapshot network, LeaseTable leases, ServerInterface iface, long nowSeconds,
                           boolean unicast) {

    public Dhcp4Context {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(leases, "leases");
        Objects.requireNonNull(iface, "iface");
    }
}
