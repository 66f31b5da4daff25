package io.leasehold.model;

import io.leasehold.lease.Lease4;
import io.leasehold.option.Duid;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A host reservation: a dnsmasq {@code dhcp-host} line, which is what Neutron makes of each fixed
 * IP of a port. It names a client (by MAC, by DHCPv4 client identifier, or by DHCPv6 DUID), the
 * addresses it gets, its host name, and tags.
 *
 * <p>How dnsmasq reads such lines, and so how the engines match them:
 * <ul>
 *   <li>a line with a client identifier matches on it; otherwise on the MAC;</li>
 *   <li>several lines may match one client: the one with an address in the request's subnet is
 *       used; a line with only tags and no address adds its tags;</li>
 *   <li>{@code requiredTags} restrict a line ({@code tag:dhcpv6} makes it DHCPv6-only), and such
 *       lines win over unrestricted ones;</li>
 *   <li>{@code setTags} ({@code set:port-<id>}) are added to the client's tags, selecting the port's
 *       options; any matching line also sets the tag {@code known}.</li>
 * </ul>
 *
 * @param id           a stable key (the port id and index, or the hosts-file line's identity)
 * @param mac          the Ethernet address in the low 48 bits, or {@link Lease4#NO_MAC}
 * @param clientId     the DHCPv4 client identifier to match (dnsmasq {@code id:}), or null
 * @param duid         the DHCPv6 DUID to match, or null
 * @param hostname     the host name or FQDN, or null
 * @param addresses    fixed addresses, IPv4 and IPv6, at most one IPv4 address per subnet used
 * @param setTags      tags the client gets when this line matches
 * @param requiredTags tags the client must have for this line to match
 * @param leaseSeconds a lease time for this host, or {@link Subnet#DEFAULT_TIME} for the subnet's
 */
public record Reservation(String id, long mac, Octets clientId, Duid duid, String hostname,
                          List<InetAddress> addresses, Set<String> setTags, Set<String> requiredTags,
                          long leaseSeconds) {

    /** The tag dnsmasq sets on every DHCPv6 transaction, which Neutron requires on v6 host lines. */
    public static final String TAG_DHCPV6 = "dhcpv6";

    public Reservation {
        Objects.requireNonNull(id, "id");
        addresses = List.copyOf(addresses);
        setTags = Set.copyOf(setTags);
        requiredTags = Set.copyOf(requiredTags);
        if (mac != Lease4.NO_MAC && (mac & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("mac: 0x" + Long.toHexString(mac) + " (expected: 48 bits or -1)");
        }
        if (mac == Lease4.NO_MAC && clientId == null && duid == null) {
            throw new IllegalArgumentException("reservation " + id + ": names no client (expected: a MAC, client id or DUID)");
        }
    }

    /** A reservation of {@code addresses} for {@code mac}, with a host name and no tags. */
    public static Reservation of(String id, long mac, String hostname, InetAddress... addresses) {
        return new Reservation(id, mac, null, null, hostname, List.of(addresses), Set.of(), Set.of(), Subnet.DEFAULT_TIME);
    }

    /** The IPv4 address of this line inside {@code subnet}, as an int, or 0. */
    public int ipv4In(IpPrefix subnet) {
        for (InetAddress a : addresses) {
            if (a instanceof Inet4Address) {
                int v = IpAddresses.toInt((Inet4Address) a);
                if (subnet.contains(v)) {
                    return v;
                }
            }
        }
        return 0;
    }

    /** True when the line reserves an IPv4 address. */
    public boolean hasIpv4() {
        return addresses.stream().anyMatch(a -> a instanceof Inet4Address);
    }

    /** True when the line reserves an IPv6 address. */
    public boolean hasIpv6() {
        return addresses.stream().anyMatch(a -> a instanceof Inet6Address);
    }

    /** The IPv6 addresses of this line inside {@code subnet}. */
    public List<Inet6Address> ipv6In(IpPrefix subnet) {
        return addresses.stream().filter(a -> a instanceof Inet6Address && subnet.contains(a))
                .map(a -> (Inet6Address) a).toList();
    }

    /** True when every required tag is in {@code tags}. */
    public boolean applies(Set<String> tags) {
        return tags.containsAll(requiredTags);
    }

    /** The short host name: the part before the first dot (dnsmasq splits the name there), or null. */
    public String shortName() {
        if (hostname == null) {
            return null;
        }
        int dot = hostname.indexOf('.');
        return dot < 0 ? hostname : hostname.substring(0, dot);
    }
}
