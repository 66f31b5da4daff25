package io.leasehold.engine;

import io.leasehold.lease.LeaseTable;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.option.Duid;

import java.util.Objects;

/**
 * What a DHCPv6 decision depends on besides the request.
 *
 * @param network      the network's current snapshot
 * @param leases       the network's lease table (owned by the calling thread)
 * @param iface        the receiving interface
 * @param serverDuid   this server's DUID on the network, stable across restarts (the lease file's
 *                     {@code duid} line)
 * @param nowSeconds   the current time, seconds since the epoch
 * @param linkLayerMac the client's MAC as the transport learned it (the neighbour entry or the
 *                     EUI-64 of its link-local source address), or -1 when unknown
 */
public record Dhcp6Context(NetworkSnapshot network, LeaseTable leases, ServerInterface iface, Duid serverDuid,
                           long nowSeconds, long linkLayerMac) {

    public Dhcp6Context {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(leases, "leases");
        Objects.requireNonNull(iface, "iface");
        Objects.requireNonNull(serverDuid, "serverDuid");
    }
}
