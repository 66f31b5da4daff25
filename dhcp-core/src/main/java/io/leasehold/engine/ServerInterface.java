package io.leasehold.engine;

import io.leasehold.wire.IpAddresses;

import java.net.Inet6Address;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the engines know of the interface a request arrived on: its name (a tag, as in dnsmasq's
 * log), its hardware address, and its addresses, from which the server picks its own address on
 * the client's subnet (server identifier, default router and DNS server, {@code 0.0.0.0}
 * substitution).
 *
 * @param name          the interface name inside its namespace (e.g. {@code tap1a2b3c4d-5e})
 * @param mac           its Ethernet address, low 48 bits
 * @param ipv4          its IPv4 addresses, network order
 * @param ipv4Prefixes  the prefix length of each IPv4 address
 * @param ipv6          its IPv6 addresses, link-local and global
 */
public record ServerInterface(String name, long mac, int[] ipv4, int[] ipv4Prefixes, List<Inet6Address> ipv6) {

    public ServerInterface {
        Objects.requireNonNull(name, "name");
        ipv4 = ipv4.clone();
        ipv4Prefixes = ipv4Prefixes.clone();
        ipv6 = List.copyOf(ipv6);
        if (ipv4.length != ipv4Prefixes.length) {
            throw new IllegalArgumentException("ipv4 prefixes: " + ipv4Prefixes.length + " (expected: one per address, "
                    + ipv4.length + ")");
        }
    }

    /** The interface's IPv4 address inside the network {@code network/mask}, or 0. */
    public int ipv4In(int network, int mask) {
        for (int a : ipv4) {
            if ((a & mask) == network) {
                return a;
            }
        }
        return 0;
    }

    /** True when {@code address} is one of the interface's IPv4 addresses. */
    public boolean hasIpv4(int address) {
        for (int a : ipv4) {
            if (a == address) {
                return true;
            }
        }
        return false;
    }

    /** The first global (non-link-local) IPv6 address inside {@code prefix}, or null. */
    public Inet6Address ipv6In(io.leasehold.model.IpPrefix prefix) {
        for (Inet6Address a : ipv6) {
            if (!a.isLinkLocalAddress() && prefix.contains(a)) {
                return a;
            }
        }
        return null;
    }

    /**
     * The address dnsmasq falls back to for its own DNS server address when no subnet of the reply
     * gives one: the last global address in the kernel's order (dnsmasq keeps the last one its
     * address enumeration saw, dhcp6.c {@code complete_context6}); the link-local one when there
     * is no global address; null when there is neither.
     */
    public Inet6Address fallbackIpv6() {
        Inet6Address last = null;
        for (Inet6Address a : ipv6) {
            if (!a.isLinkLocalAddress()) {
                last = a;
            }
        }
        return last != null ? last : linkLocal();
    }

    /** The link-local IPv6 address, or null. */
    public Inet6Address linkLocal() {
        for (Inet6Address a : ipv6) {
            if (a.isLinkLocalAddress()) {
                return a;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerInterface s && s.name.equals(name) && s.mac == mac && Arrays.equals(s.ipv4, ipv4)
                && Arrays.equals(s.ipv4Prefixes, ipv4Prefixes) && s.ipv6.equals(ipv6);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, mac, Arrays.hashCode(ipv4), ipv6);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(' ');
        for (int i = 0; i < ipv4.length; i++) {
            sb.append(IpAddresses.ipv4Text(ipv4[i])).append('/').append(ipv4Prefixes[i]).append(' ');
        }
        ipv6.forEach(a -> sb.append(IpAddresses.text(a)).append(' '));
        return sb.toString().trim();
    }
}
