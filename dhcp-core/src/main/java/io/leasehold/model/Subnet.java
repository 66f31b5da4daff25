package io.leasehold.model;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A subnet of a network, as Neutron describes it.
 *
 * <p>The engines read the CIDR, mode, lease times, tags and pools. Gateway, DNS servers and host
 * routes are what Neutron's agent turns into option lines ({@link NeutronOptions}); in
 * dnsmasq-compatible mode those lines come from the opts file instead, and the attributes may be
 * absent.
 *
 * @param id           Neutron's subnet id
 * @param cidr         the subnet's prefix
 * @param gateway      the gateway, or null
 * @param dnsServers   the subnet's DNS servers; empty means none configured (the server then
 *                     advertises itself, as dnsmasq does)
 * @param hostRoutes   Neutron host routes
 * @param dhcpEnabled  whether DHCP serves this subnet at all
 * @param mode         DHCPv4, or the IPv6 address mode
 * @param leaseSeconds lease time in seconds, {@link #INFINITE} for infinite leases
 * @param t1Seconds    renewal time, or {@link #DEFAULT_TIME} for half the lease
 * @param t2Seconds    rebinding time, or {@link #DEFAULT_TIME} for 7/8 of the lease
 * @param tags         tags a client on this subnet gets ({@code subnet-<id>} by Neutron's convention)
 * @param pools        dynamic IPv4 ranges; empty for a static-only subnet (Neutron's {@code static})
 */
public record Subnet(String id, IpPrefix cidr, InetAddress gateway, List<InetAddress> dnsServers,
                     List<HostRoute> hostRoutes, boolean dhcpEnabled, AddressMode mode, long leaseSeconds,
                     long t1Seconds, long t2Seconds, Set<String> tags, List<AddressRange> pools) {

    /** Lease, T1 or T2 of infinite length (RFC 2131 §3.3: 0xffffffff). */
    public static final long INFINITE = 0xffffffffL;

    /** T1/T2 not configured: derived from the lease time. */
    public static final long DEFAULT_TIME = -1;

    /** Neutron's default lease time, {@code dhcp_lease_duration = 86400}. */
    public static final long DEFAULT_LEASE_SECONDS = 86400;

    public Subnet {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(cidr, "cidr");
        Objects.requireNonNull(mode, "mode");
        dnsServers = List.copyOf(dnsServers);
        hostRoutes = List.copyOf(hostRoutes);
        tags = Set.copyOf(tags);
        pools = List.copyOf(pools);
        if ((mode == AddressMode.DHCPV4) != cidr.isIpv4()) {
            throw new IllegalArgumentException("subnet " + id + ": mode " + mode + " does not fit " + cidr);
        }
        if (leaseSeconds <= 0 || leaseSeconds > INFINITE) {
            throw new IllegalArgumentException("subnet " + id + ": lease time " + leaseSeconds
                    + " (expected: 1.." + INFINITE + ", " + INFINITE + " for infinite)");
        }
        for (AddressRange r : pools) {
            if (!cidr.contains(r.first()) || !cidr.contains(r.last())) {
                throw new IllegalArgumentException("subnet " + id + ": pool " + r + " is outside " + cidr);
            }
        }
    }

    /** A subnet with Neutron's defaults: DHCP on, tag {@code subnet-<id>}, no pools, default lease. */
    public static Subnet of(String id, IpPrefix cidr, AddressMode mode) {
        return new Subnet(id, cidr, null, List.of(), List.of(), true, mode, DEFAULT_LEASE_SECONDS,
                DEFAULT_TIME, DEFAULT_TIME, Set.of("subnet-" + id), List.of());
    }

    public boolean isIpv4() {
        return cidr.isIpv4();
    }

    /** True when the subnet gives DHCPv6 addresses. */
    public boolean isStateful() {
        return mode == AddressMode.DHCPV6_STATEFUL;
    }

    /** True when clients of this subnet get an answer at all (DHCP on, and not SLAAC-only). */
    public boolean isServed() {
        return dhcpEnabled && mode != AddressMode.SLAAC;
    }

    /** True when only reserved clients get addresses (no dynamic pool). */
    public boolean isStaticOnly() {
        return pools.isEmpty();
    }

    /** The renewal time for a lease of {@code lease} seconds: configured, else half (RFC 2131 §4.4.5). */
    public long t1For(long lease) {
        if (lease == INFINITE) {
            return INFINITE;
        }
        return t1Seconds != DEFAULT_TIME ? Math.min(t1Seconds, lease) : lease / 2;
    }

    /** The rebinding time for a lease of {@code lease} seconds: configured, else 7/8 (RFC 2131 §4.4.5). */
    public long t2For(long lease) {
        if (lease == INFINITE) {
            return INFINITE;
        }
        return t2Seconds != DEFAULT_TIME ? Math.min(t2Seconds, lease) : lease * 7 / 8;
    }

    public Subnet withPools(List<AddressRange> newPools) {
        return new Subnet(id, cidr, gateway, dnsServers, hostRoutes, dhcpEnabled, mode, leaseSeconds, t1Seconds,
                t2Seconds, tags, newPools);
    }

    public Subnet withLease(long lease, long t1, long t2) {
        return new Subnet(id, cidr, gateway, dnsServers, hostRoutes, dhcpEnabled, mode, lease, t1, t2, tags, pools);
    }

    public Subnet withGateway(InetAddress newGateway) {
        return new Subnet(id, cidr, newGateway, dnsServers, hostRoutes, dhcpEnabled, mode, leaseSeconds, t1Seconds,
                t2Seconds, tags, pools);
    }

    public Subnet withDnsServers(List<InetAddress> servers) {
        return new Subnet(id, cidr, gateway, servers, hostRoutes, dhcpEnabled, mode, leaseSeconds, t1Seconds,
                t2Seconds, tags, pools);
    }

    public Subnet withHostRoutes(List<HostRoute> routes) {
        return new Subnet(id, cidr, gateway, dnsServers, routes, dhcpEnabled, mode, leaseSeconds, t1Seconds,
                t2Seconds, tags, pools);
    }

    public Subnet withDhcpEnabled(boolean enabled) {
        return new Subnet(id, cidr, gateway, dnsServers, hostRoutes, enabled, mode, leaseSeconds, t1Seconds,
                t2Seconds, tags, pools);
    }
}
