package io.leasehold.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.leasehold.lease.Lease4;
import io.leasehold.lease.Lease6;
import io.leasehold.lease.LeaseState;
import io.leasehold.lease.LeaseTable;
import io.leasehold.option.Duid;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which leases a {@code leases} request wants: every field is optional and they combine with AND.
 * The daemon applies it on the network's loop with the lease table's indexes (by address, by MAC);
 * the CLI's offline mode applies the same filter to a lease file, so both answer alike.
 *
 * @param network  a network id, or null for every network
 * @param mac      an Ethernet address ({@link Lease4#NO_MAC} for any); an IPv6 lease matches when
 *                 its client's DUID is a link-layer one (LL, LLT) with that address
 * @param address  an IPv4 or IPv6 address, or null
 * @param hostname a host name, case-insensitive, {@code *} matching any run of characters; or null
 * @param state    a lease state, or null
 */
public record LeaseFilter(String network, long mac, InetAddress address, String hostname, LeaseState state) {

    /** Every lease. */
    public static final LeaseFilter ALL = new LeaseFilter(null, Lease4.NO_MAC, null, null, null);

    /**
     * Reads a filter from a request's arguments ({@code network}, {@code mac}, {@code ip},
     * {@code hostname}, {@code state}, each a string).
     *
     * @throws ControlException BAD_REQUEST naming a malformed MAC, address or state
     */
    public static LeaseFilter fromArgs(JsonNode args) {
        String network = Requests.optionalText(args, "network");
        String mac = Requests.optionalText(args, "mac");
        String ip = Requests.optionalText(args, "ip");
        String state = Requests.optionalText(args, "state");
        return new LeaseFilter(network, mac == null ? Lease4.NO_MAC : Requests.mac(mac),
                ip == null ? null : Requests.address(ip), Requests.optionalText(args, "hostname"),
                state == null ? null : parseState(state));
    }

    /**
     * A state by its name, any case.
     *
     * @throws ControlException BAD_REQUEST for another word
     */
    public static LeaseState parseState(String text) {
        for (LeaseState s : LeaseState.values()) {
            if (s.name().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw ControlException.badRequest("state '" + text + "' (expected: offered, bound or declined)");
    }

    /** True when the filter names one network only, and it is not {@code id}. */
    public boolean excludesNetwork(String id) {
        return network != null && !network.equals(id);
    }

    public boolean matches(Lease4 l) {
        return (mac == Lease4.NO_MAC || l.mac() == mac)
                && (address == null || (address instanceof Inet4Address
                        && IpAddresses.toInt((Inet4Address) address) == l.address()))
                && hostnameMatches(l.hostname())
                && (state == null || l.state() == state);
    }

    public boolean matches(Lease6 l) {
        return (mac == Lease4.NO_MAC || macOf(l.duid()) == mac)
                && (address == null || address.equals(l.address()))
                && hostnameMatches(l.hostname())
                && (state == null || l.state() == state);
    }

    /** The Ethernet address in a link-layer DUID (LL or LLT, hardware type 1), or {@link Lease4#NO_MAC}. */
    static long macOf(Duid duid) {
        Octets ll = duid.hardwareType() == 1 ? duid.linkLayerAddress() : null;
        if (ll == null || ll.length() != 6) {
            return Lease4.NO_MAC;
        }
        long m = 0;
        for (int i = 0; i < 6; i++) {
            m = m << 8 | ll.unsignedByte(i);
        }
        return m;
    }

    private boolean hostnameMatches(String name) {
        if (hostname == null) {
            return true;
        }
        return name != null && glob(hostname.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
    }

    /** {@code *} matches any run of characters; everything else matches itself. */
    static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == text.charAt(t) && pattern.charAt(p) != '*') {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /**
     * The matching leases of one table, using its indexes when the filter names an address or a
     * MAC. MUST run on the loop that owns the table; the leases are immutable, so the lists may
     * leave it.
     */
    public void collect(LeaseTable table, List<Lease4> out4, List<Lease6> out6) {
        if (address instanceof Inet4Address) {
            Lease4 l = table.v4(IpAddresses.toInt((Inet4Address) address));
            if (l != null && matches(l)) {
                out4.add(l);
            }
            return;
        }
        if (address instanceof Inet6Address) {
            Lease6 l = table.v6((Inet6Address) address);
            if (l != null && matches(l)) {
                out6.add(l);
            }
            return;
        }
        if (mac != Lease4.NO_MAC) {
            for (Lease4 l : table.v4ByMac(mac)) {
                if (matches(l)) {
                    out4.add(l);
                }
            }
        } else {
            table.forEach4(l -> {
                if (matches(l)) {
                    out4.add(l);
                }
            });
        }
        table.forEach6(l -> {
            if (matches(l)) {
                out6.add(l);
            }
        });
    }

    /** The matching leases of lists (the offline mode's lease file). */
    public void collect(List<Lease4> leases4, List<Lease6> leases6, List<Lease4> out4, List<Lease6> out6) {
        for (Lease4 l : leases4) {
            if (matches(l)) {
                out4.add(l);
            }
        }
        for (Lease6 l : leases6) {
            if (matches(l)) {
                out6.add(l);
            }
        }
    }

    /** A copy of both lists, sorted by address (IPv4 numerically, IPv6 bytewise, then prefix length). */
    static List<Lease4> sorted4(List<Lease4> in) {
        List<Lease4> l = new ArrayList<>(in);
        l.sort((a, b) -> Integer.compareUnsigned(a.address(), b.address()));
        return l;
    }

    static List<Lease6> sorted6(List<Lease6> in) {
        List<Lease6> l = new ArrayList<>(in);
        l.sort((a, b) -> {
            int c = java.util.Arrays.compareUnsigned(a.address().getAddress(), b.address().getAddress());
            return c != 0 ? c : Integer.compare(a.prefixLength(), b.prefixLength());
        });
        return l;
    }
}
