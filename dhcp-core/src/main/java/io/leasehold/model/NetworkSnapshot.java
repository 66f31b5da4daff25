package io.leasehold.model;

import io.leasehold.lease.Lease4;
import io.leasehold.option.Duid;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Everything the engines need to know about one network, immutable: its settings, subnets,
 * reservations, option lines and tag rules, with the indexes the packet path looks things up by.
 *
 * <p>A change to one reservation, option line or subnet makes a new snapshot that shares all the
 * rest with this one ({@link PersistentMap}), in O(log n) for n reservations: the engines keep
 * reading the old snapshot until the new one is swapped in, and never wait for a lock.
 * {@link #revision()} increases with every change.
 */
public final class NetworkSnapshot {

    /** dnsmasq's default lease cap when none is given ({@code --dhcp-lease-max}, 1000); Neutron passes 2^24. */
    public static final int DEFAULT_LEASE_MAX = 1000;

    private final String id;
    private final long revision;
    private final Settings settings;
    private final List<Subnet> subnets;
    private final PersistentMap<String, Reservation> reservations;
    private final PersistentMap<Long, List<Reservation>> byMac;
    private final PersistentMap<Octets, List<Reservation>> byClientId;
    private final PersistentMap<Duid, List<Reservation>> byDuid;
    private final PersistentMap<Integer, Reservation> byIpv4;
    private final PersistentMap<Inet6Address, Reservation> byIpv6;
    private final OptionLines options;
    private final List<MatchRule> matchRules;

    /**
     * Network-wide settings: what dnsmasq takes from its command line.
     *
     * @param mtu              the network MTU, 0 when unknown (Neutron forces option 26 with it)
     * @param domain           the DNS domain ({@code --domain}), or null
     * @param authoritative    whether wrong or unknown addresses are NAKed ({@code --dhcp-authoritative})
     * @param leaseMax         the most leases the network may hold ({@code --dhcp-lease-max})
     * @param rapidCommit4     whether DHCPv4 rapid commit (RFC 4039) is honoured ({@code --dhcp-rapid-commit})
     * @param broadcastReplies whether DHCPv4 replies are always broadcast ({@code --dhcp-broadcast},
     *                         Neutron's {@code dhcp_broadcast_reply})
     * @param dnsService       whether this server answers DNS on the network, which makes its own address
     *                         the default DNS server (dnsmasq: DNS on port 53)
     */
    public record Settings(int mtu, String domain, boolean authoritative, int leaseMax, boolean rapidCommit4,
                           boolean broadcastReplies, boolean dnsService) {
        public Settings {
            if (mtu < 0 || mtu > 65535) {
                throw new IllegalArgumentException("mtu: " + mtu + " (expected: 0..65535)");
            }
            if (leaseMax < 0) {
                throw new IllegalArgumentException("lease max: " + leaseMax + " (expected: >= 0)");
            }
        }

        /** dnsmasq's defaults as Neutron runs it: non-authoritative, no MTU, no domain, DNS served. */
        public static final Settings DEFAULT = new Settings(0, null, false, DEFAULT_LEASE_MAX, false, false, true);

        public Settings withDomain(String newDomain) {
            return new Settings(mtu, newDomain, authoritative, leaseMax, rapidCommit4, broadcastReplies, dnsService);
        }

        public Settings withMtu(int newMtu) {
            return new Settings(newMtu, domain, authoritative, leaseMax, rapidCommit4, broadcastReplies, dnsService);
        }

        public Settings withAuthoritative(boolean value) {
            return new Settings(mtu, domain, value, leaseMax, rapidCommit4, broadcastReplies, dnsService);
        }

        public Settings withLeaseMax(int value) {
            return new Settings(mtu, domain, authoritative, value, rapidCommit4, broadcastReplies, dnsService);
        }

        public Settings withRapidCommit4(boolean value) {
            return new Settings(mtu, domain, authoritative, leaseMax, value, broadcastReplies, dnsService);
        }

        public Settings withBroadcastReplies(boolean value) {
            return new Settings(mtu, domain, authoritative, leaseMax, rapidCommit4, value, dnsService);
        }

        public Settings withDnsService(boolean value) {
            return new Settings(mtu, domain, authoritative, leaseMax, rapidCommit4, broadcastReplies, value);
        }
    }

    private NetworkSnapshot(String id, long revision, Settings settings, List<Subnet> subnets,
                            PersistentMap<String, Reservation> reservations, PersistentMap<Long, List<Reservation>> byMac,
                            PersistentMap<Octets, List<Reservation>> byClientId, PersistentMap<Duid, List<Reservation>> byDuid,
                            PersistentMap<Integer, Reservation> byIpv4, PersistentMap<Inet6Address, Reservation> byIpv6,
                            OptionLines options, List<MatchRule> matchRules) {
        this.id = id;
        this.revision = revision;
        this.settings = settings;
        this.subnets = subnets;
        this.reservations = reservations;
        this.byMac = byMac;
        this.byClientId = byClientId;
        this.byDuid = byDuid;
        this.byIpv4 = byIpv4;
        this.byIpv6 = byIpv6;
        this.options = options;
        this.matchRules = matchRules;
    }

    /** An empty network with default settings and Neutron's two match rules. */
    public static NetworkSnapshot empty(String id) {
        Objects.requireNonNull(id, "id");
        return new NetworkSnapshot(id, 0, Settings.DEFAULT, List.of(), PersistentMap.empty(), PersistentMap.empty(),
                PersistentMap.empty(), PersistentMap.empty(), PersistentMap.empty(), PersistentMap.empty(),
                OptionLines.EMPTY, List.of(MatchRule.NEUTRON_IPXE, MatchRule.NEUTRON_IPXE6));
    }

    private NetworkSnapshot next(Settings s, List<Subnet> sn, PersistentMap<String, Reservation> r,
                                 PersistentMap<Long, List<Reservation>> mac, PersistentMap<Octets, List<Reservation>> cid,
                                 PersistentMap<Duid, List<Reservation>> duid, PersistentMap<Integer, Reservation> v4,
                                 PersistentMap<Inet6Address, Reservation> v6, OptionLines o, List<MatchRule> rules) {
        return new NetworkSnapshot(id, revision + 1, s, sn, r, mac, cid, duid, v4, v6, o, rules);
    }

    public String id() {
        return id;
    }

    /** Increases by one with every change. */
    public long revision() {
        return revision;
    }

    public Settings settings() {
        return settings;
    }

    /** Subnets in the order they were given (Neutron sorts them by id). */
    public List<Subnet> subnets() {
        return subnets;
    }

    public List<MatchRule> matchRules() {
        return matchRules;
    }

    public OptionLines options() {
        return options;
    }

    // ---- settings and subnets ------------------------------------------------------------------

    public NetworkSnapshot withSettings(Settings newSettings) {
        return next(Objects.requireNonNull(newSettings), subnets, reservations, byMac, byClientId, byDuid, byIpv4,
                byIpv6, options, matchRules);
    }

    public NetworkSnapshot withMatchRules(List<MatchRule> rules) {
        return next(settings, subnets, reservations, byMac, byClientId, byDuid, byIpv4, byIpv6, options,
                List.copyOf(rules));
    }

    /** This network with {@code subnet} added, or replacing the subnet of the same id in place. */
    public NetworkSnapshot withSubnet(Subnet subnet) {
        List<Subnet> list = new ArrayList<>(subnets);
        int at = indexOfSubnet(subnet.id());
        if (at >= 0) {
            list.set(at, subnet);
        } else {
            list.add(subnet);
        }
        return next(settings, List.copyOf(list), reservations, byMac, byClientId, byDuid, byIpv4, byIpv6, options,
                matchRules);
    }

    /** This network without the subnet {@code subnetId}; itself when there is none. */
    public NetworkSnapshot withoutSubnet(String subnetId) {
        int at = indexOfSubnet(subnetId);
        if (at < 0) {
            return this;
        }
        List<Subnet> list = new ArrayList<>(subnets);
        list.remove(at);
        return next(settings, List.copyOf(list), reservations, byMac, byClientId, byDuid, byIpv4, byIpv6, options,
                matchRules);
    }

    private int indexOfSubnet(String subnetId) {
        for (int i = 0; i < subnets.size(); i++) {
            if (subnets.get(i).id().equals(subnetId)) {
                return i;
            }
        }
        return -1;
    }

    /** The subnet with {@code subnetId}, or null. */
    public Subnet subnet(String subnetId) {
        int at = indexOfSubnet(subnetId);
        return at < 0 ? null : subnets.get(at);
    }

    /** The served IPv4 subnet containing {@code address}, or null. */
    public Subnet ipv4SubnetOf(int address) {
        for (Subnet s : subnets) {
            if (s.isIpv4() && s.isServed() && s.cidr().contains(address)) {
                return s;
            }
        }
        return null;
    }

    /** The served IPv6 subnet containing {@code address}, or null. */
    public Subnet ipv6SubnetOf(InetAddress address) {
        for (Subnet s : subnets) {
            if (!s.isIpv4() && s.isServed() && s.cidr().contains(address)) {
                return s;
            }
        }
        return null;
    }

    // ---- reservations --------------------------------------------------------------------------

    public int reservationCount() {
        return reservations.size();
    }

    /** The reservation with {@code reservationId}, or null. */
    public Reservation reservation(String reservationId) {
        return reservations.get(reservationId);
    }

    /** Calls {@code action} for every reservation, in no particular order. */
    public void forEachReservation(Consumer<Reservation> action) {
        reservations.forEach((k, v) -> action.accept(v));
    }

    /** The reservations naming this MAC, in no particular order; empty when none. */
    public List<Reservation> reservationsByMac(long mac) {
        return byMac.getOrDefault(mac, List.of());
    }

    /** The reservations naming this DHCPv4 client identifier; empty when none. */
    public List<Reservation> reservationsByClientId(Octets clientId) {
        return byClientId.getOrDefault(clientId, List.of());
    }

    /** The reservations naming this DUID; empty when none. */
    public List<Reservation> reservationsByDuid(Duid duid) {
        return byDuid.getOrDefault(duid, List.of());
    }

    /** The reservation holding this IPv4 address, or null. */
    public Reservation reservationOf(int ipv4) {
        return byIpv4.get(ipv4);
    }

    /** The reservation holding this IPv6 address, or null. */
    public Reservation reservationOf(Inet6Address ipv6) {
        return byIpv6.get(ipv6);
    }

    /**
     * This network with {@code r} added, or replacing the reservation with the same id. Every index
     * changes by the entries of the old and new reservation only.
     */
    public NetworkSnapshot withReservation(Reservation r) {
        NetworkSnapshot base = this;
        Reservation old = reservations.get(r.id());
        if (old != null) {
            if (old.equals(r)) {
                return this;
            }
            base = withoutReservation(r.id());
        }
        PersistentMap<Long, List<Reservation>> mac = base.byMac;
        if (r.mac() != Lease4.NO_MAC) {
            mac = mac.plus(r.mac(), plus(mac.get(r.mac()), r));
        }
        PersistentMap<Octets, List<Reservation>> cid = base.byClientId;
        if (r.clientId() != null) {
            cid = cid.plus(r.clientId(), plus(cid.get(r.clientId()), r));
        }
        PersistentMap<Duid, List<Reservation>> duid = base.byDuid;
        if (r.duid() != null) {
            duid = duid.plus(r.duid(), plus(duid.get(r.duid()), r));
        }
        PersistentMap<Integer, Reservation> v4 = base.byIpv4;
        PersistentMap<Inet6Address, Reservation> v6 = base.byIpv6;
        for (InetAddress a : r.addresses()) {
            if (a instanceof Inet4Address) {
                v4 = v4.plus(IpAddresses.toInt((Inet4Address) a), r);
            } else {
                v6 = v6.plus((Inet6Address) a, r);
            }
        }
        return new NetworkSnapshot(id, revision + 1, settings, subnets, base.reservations.plus(r.id(), r), mac, cid,
                duid, v4, v6, options, matchRules);
    }

    /** This network without the reservation {@code reservationId}; itself when there is none. */
    public NetworkSnapshot withoutReservation(String reservationId) {
        Reservation r = reservations.get(reservationId);
        if (r == null) {
            return this;
        }
        PersistentMap<Long, List<Reservation>> mac = r.mac() == Lease4.NO_MAC ? byMac : minus(byMac, r.mac(), r);
        PersistentMap<Octets, List<Reservation>> cid = r.clientId() == null ? byClientId : minus(byClientId, r.clientId(), r);
        PersistentMap<Duid, List<Reservation>> duid = r.duid() == null ? byDuid : minus(byDuid, r.duid(), r);
        PersistentMap<Integer, Reservation> v4 = byIpv4;
        PersistentMap<Inet6Address, Reservation> v6 = byIpv6;
        for (InetAddress a : r.addresses()) {
            // Only unmap an address this reservation holds: another line may claim it too.
            if (a instanceof Inet4Address) {
                int key = IpAddresses.toInt((Inet4Address) a);
                if (r.equals(v4.get(key))) {
                    v4 = v4.minus(key);
                }
            } else if (r.equals(v6.get(a))) {
                v6 = v6.minus(a);
            }
        }
        return next(settings, subnets, reservations.minus(reservationId), mac, cid, duid, v4, v6, options, matchRules);
    }

    private static List<Reservation> plus(List<Reservation> list, Reservation r) {
        if (list == null) {
            return List.of(r);
        }
        List<Reservation> out = new ArrayList<>(list.size() + 1);
        out.addAll(list);
        out.add(r);
        return Collections.unmodifiableList(out);
    }

    private static <K> PersistentMap<K, List<Reservation>> minus(PersistentMap<K, List<Reservation>> map, K key,
                                                                 Reservation r) {
        List<Reservation> list = map.get(key);
        if (list == null) {
            return map;
        }
        List<Reservation> out = new ArrayList<>(list);
        out.removeIf(x -> x.id().equals(r.id()));
        return out.isEmpty() ? map.minus(key) : map.plus(key, Collections.unmodifiableList(out));
    }

    // ---- option lines --------------------------------------------------------------------------

    /** This network with {@code line} added (after every line already there); itself when present. */
    public NetworkSnapshot withOption(OptionLine line) {
        OptionLines o = options.plus(line);
        return o == options ? this : next(settings, subnets, reservations, byMac, byClientId, byDuid, byIpv4, byIpv6,
                o, matchRules);
    }

    /**
     * This network with {@code line} added at position {@code seq} of the option sequence
     * ({@link OptionLines#plus(OptionLine, long)}); itself when present. Configuration reloads use
     * it to keep the file's order, on which dnsmasq's "last line read wins" and the reply's option
     * order depend.
     */
    public NetworkSnapshot withOption(OptionLine line, long seq) {
        OptionLines o = options.plus(line, seq);
        return o == options ? this : next(settings, subnets, reservations, byMac, byClientId, byDuid, byIpv4, byIpv6,
                o, matchRules);
    }

    /** This network without {@code line}; itself when absent. */
    public NetworkSnapshot withoutOption(OptionLine line) {
        OptionLines o = options.minus(line);
        return o == options ? this : next(settings, subnets, reservations, byMac, byClientId, byDuid, byIpv4, byIpv6,
                o, matchRules);
    }

    @Override
    public String toString() {
        return "network " + id + " rev " + revision + ": " + subnets.size() + " subnets, " + reservations.size()
                + " reservations, " + options.size() + " option lines";
    }

    /** A new network built from scratch; for configuration loaders and tests. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** Builds a snapshot; each call is an incremental change of the one being built. */
    public static final class Builder {
        private NetworkSnapshot snapshot;

        private Builder(String id) {
            snapshot = empty(id);
        }

        public Builder settings(Settings settings) {
            snapshot = snapshot.withSettings(settings);
            return this;
        }

        public Builder subnet(Subnet subnet) {
            snapshot = snapshot.withSubnet(subnet);
            return this;
        }

        public Builder reservation(Reservation reservation) {
            snapshot = snapshot.withReservation(reservation);
            return this;
        }

        public Builder option(OptionLine line) {
            snapshot = snapshot.withOption(line);
            return this;
        }

        public Builder matchRules(List<MatchRule> rules) {
            snapshot = snapshot.withMatchRules(rules);
            return this;
        }

        public NetworkSnapshot build() {
            return snapshot;
        }
    }

    /** Reservations that claim an address another reservation claims, for configuration checks. */
    public static Set<String> conflicts(NetworkSnapshot s, Reservation r) {
        Set<String> out = new java.util.TreeSet<>();
        for (InetAddress a : r.addresses()) {
            Reservation other = a instanceof Inet4Address ? s.reservationOf(IpAddresses.toInt((Inet4Address) a))
                    : s.reservationOf((Inet6Address) a);
            if (other != null && !other.id().equals(r.id())) {
                out.add(other.id());
            }
        }
        return out;
    }
}
