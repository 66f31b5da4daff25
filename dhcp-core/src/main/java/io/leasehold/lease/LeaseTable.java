package io.leasehold.lease;

import io.leasehold.option.Duid;
import io.leasehold.wire.Octets;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The leases of one network, with the indexes the engines look them up by. Kea's memfile backend
 * keeps the same named indexes over one lease container ({@code memfile_lease_storage.h}); here they
 * are:
 *
 * <ul>
 *   <li>DHCPv4 by address (the key), by hardware address and by client identifier. One client may
 *       hold leases on several subnets of the network, so the identity indexes map to lists;</li>
 *   <li>DHCPv6 by address or delegated prefix (the key: address and prefix length), and by client
 *       DUID with the identity association's type and IAID (RFC 8415 §12);</li>
 *   <li>both by expiry, ordered by (expiry time, key), so that {@link #expire} removes the leases
 *       that have ended without looking at the others, and {@link #nextExpiry} says when to wake.</li>
 * </ul>
 *
 * <p>A {@link #put} replaces the lease of the same key and keeps every index right when the
 * client's identity or the expiry changes. It never touches another key: a client moving to another
 * address is a put of the new lease and a removal of the old one, each journaled on its own, which
 * is what makes journal replay idempotent (see {@link LeaseChange}).
 *
 * <p>The table holds at most {@link #capacity()} leases of every state (offered, bound and declined
 * count alike: each holds an address). A put of a new key into a full table is refused with
 * {@link PutResult#FULL}, a value, not an exception: the engine answers the client accordingly.
 *
 * <p>Lookups allocate nothing: the IPv4 indexes are primitive-keyed, and the identity indexes hold
 * lists that are handed out as they are. Those lists hold the table's cells, not the leases, so a
 * renewal (same key, same client, later expiry: the commonest write) only replaces the lease in
 * its cell and moves the cell in the expiry heap; no identity index changes. A list returned by a
 * lookup is therefore valid until the table next changes, and reads the current leases.
 *
 * <p>Not thread-safe: a table is owned by the event loop its network is pinned to. It does no I/O;
 * the {@code LeaseStore} of the server makes changes durable.
 */
public final class LeaseTable {

    /** What a {@link #put} did. */
    public enum PutResult {
        /** The key was new; the lease was added. */
        ADDED,
        /** A lease of the same key was replaced. */
        REPLACED,
        /** The key was new and the table is at capacity; nothing changed. */
        FULL;

        /** True unless the put was refused. */
        public boolean accepted() {
            return this != FULL;
        }
    }

    /** The key of a delegated prefix shorter than 128 bits. */
    private record Prefix(Inet6Address address, int length) {
    }

    private final String networkId;
    private final int capacity;

    private final LongKeyMap<LeaseSlot> v4 = new LongKeyMap<>();
    private final LongKeyMap<SlotList<Lease4>> v4ByMac = new LongKeyMap<>();
    private final Map<Octets, SlotList<Lease4>> v4ByClientId = new HashMap<>();
    /** IPv6 leases of a whole address (IA_NA, IA_TA, and IA_PD /128), keyed by the address alone. */
    private final Map<Inet6Address, LeaseSlot> v6Addresses = new HashMap<>();
    /** Delegated prefixes shorter than /128. */
    private final Map<Prefix, LeaseSlot> v6Prefixes = new HashMap<>();
    /** Every IPv6 lease of a DUID, sorted by (IA type, IAID, address, prefix length). */
    private final Map<Duid, SlotList<Lease6>> v6ByDuid = new HashMap<>();
    private final ExpiryQueue expiry = new ExpiryQueue();
    private int size6;

    /**
     * An empty table.
     *
     * @param networkId the network it belongs to (changes it reports carry it)
     * @param capacity  the most leases it holds
     */
    public LeaseTable(String networkId, int capacity) {
        this.networkId = Objects.requireNonNull(networkId, "networkId");
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.capacity = capacity;
    }

    public String networkId() {
        return networkId;
    }

    /** The most leases the table holds, of both families and every state. */
    public int capacity() {
        return capacity;
    }

    /** The number of leases, of both families and every state. */
    public int size() {
        return v4.size() + size6;
    }

    public int size4() {
        return v4.size();
    }

    public int size6() {
        return size6;
    }

    public boolean isFull() {
        return size() >= capacity;
    }

    // ---------------------------------------------------------------------------------------- DHCPv4

    /** The lease of an address (network order), or null. */
    public Lease4 v4(int address) {
        LeaseSlot s = v4.get(address & 0xffffffffL);
        return s == null ? null : s.lease4;
    }

    /**
     * The leases held by a hardware address, ordered by address; empty for {@link Lease4#NO_MAC}.
     * Unmodifiable, valid until the table next changes; allocated by the change that made it, not by
     * this call.
     */
    public List<Lease4> v4ByMac(long mac) {
        if (mac == Lease4.NO_MAC) {
            return List.of();
        }
        List<Lease4> l = v4ByMac.get(mac);
        return l == null ? List.of() : l;
    }

    /** The leases held by a client identifier, ordered by address; empty for null. As {@link #v4ByMac}. */
    public List<Lease4> v4ByClientId(Octets clientId) {
        if (clientId == null) {
            return List.of();
        }
        List<Lease4> l = v4ByClientId.get(clientId);
        return l == null ? List.of() : l;
    }

    /**
     * Adds the lease, or replaces the lease of its address.
     *
     * @return {@link PutResult#FULL} when the address is new and the table is full (nothing
     *         changes), else whether it was added or replaced
     */
    public PutResult put(Lease4 lease) {
        long key = lease.address() & 0xffffffffL;
        LeaseSlot s = v4.get(key);
        if (s == null) {
            if (isFull()) {
                return PutResult.FULL;
            }
            s = LeaseSlot.of(lease);
            v4.put(key, s);
            index4(s, lease);
            expiry.update(s);
            return PutResult.ADDED;
        }
        Lease4 old = s.lease4;
        s.lease4 = lease;
        if (old.mac() != lease.mac()) {
            unindexMac(s, old.mac());
            indexMac(s, lease.mac());
        }
        if (!Objects.equals(old.clientId(), lease.clientId())) {
            unindexClientId(s, old.clientId());
            indexClientId(s, lease.clientId());
        }
        if (s.expiresAt != lease.expiresAt()) {
            s.expiresAt = lease.expiresAt();
            expiry.update(s);
        }
        return PutResult.REPLACED;
    }

    /** Removes the lease of an address and returns it, or null when there was none. */
    public Lease4 remove4(int address) {
        LeaseSlot s = v4.remove(address & 0xffffffffL);
        if (s == null) {
            return null;
        }
        unindexMac(s, s.lease4.mac());
        unindexClientId(s, s.lease4.clientId());
        expiry.remove(s);
        return s.lease4;
    }

    /** IPv4 identity lists are ordered by address, which is the slot's {@code hi}. */
    private static final Comparator<LeaseSlot> BY_ADDRESS = (a, b) -> Long.compare(a.hi, b.hi);

    private void index4(LeaseSlot s, Lease4 lease) {
        indexMac(s, lease.mac());
        indexClientId(s, lease.clientId());
    }

    private void indexMac(LeaseSlot s, long mac) {
        if (mac != Lease4.NO_MAC) {
            v4ByMac.put(mac, SlotList.with(v4ByMac.get(mac), s, BY_ADDRESS));
        }
    }

    private void unindexMac(LeaseSlot s, long mac) {
        if (mac != Lease4.NO_MAC) {
            SlotList<Lease4> rest = SlotList.without(v4ByMac.get(mac), s);
            if (rest == null) {
                v4ByMac.remove(mac);
            } else {
                v4ByMac.put(mac, rest);
            }
        }
    }

    private void indexClientId(LeaseSlot s, Octets id) {
        if (id != null) {
            v4ByClientId.put(id, SlotList.with(v4ByClientId.get(id), s, BY_ADDRESS));
        }
    }

    private void unindexClientId(LeaseSlot s, Octets id) {
        if (id != null) {
            SlotList<Lease4> rest = SlotList.without(v4ByClientId.get(id), s);
            if (rest == null) {
                v4ByClientId.remove(id);
            } else {
                v4ByClientId.put(id, rest);
            }
        }
    }

    // ---------------------------------------------------------------------------------------- DHCPv6

    /** The lease of a whole address (prefix length 128), or null. */
    public Lease6 v6(Inet6Address address) {
        LeaseSlot s = v6Addresses.get(address);
        return s == null ? null : s.lease6;
    }

    /** The lease of an address or delegated prefix, or null. */
    public Lease6 v6(Inet6Address prefix, int prefixLength) {
        LeaseSlot s = slot6(prefix, prefixLength);
        return s == null ? null : s.lease6;
    }

    private LeaseSlot slot6(Inet6Address address, int prefixLength) {
        return prefixLength == 128 ? v6Addresses.get(address) : v6Prefixes.get(new Prefix(address, prefixLength));
    }

    /**
     * The leases of one identity association of a client: its DUID, the IA's type and its IAID
     * (IAIDs are unique per type, RFC 8415 §12), ordered by address. As {@link #v4ByMac}.
     */
    public List<Lease6> v6ByClient(Duid duid, Lease6.IaType type, long iaid) {
        SlotList<Lease6> all = v6ByDuid.get(duid);
        if (all == null) {
            return List.of();
        }
        int from = 0;
        int n = all.size();
        while (from < n && !sameIa(all.get(from), type, iaid)) {
            from++;
        }
        int to = from;
        while (to < n && sameIa(all.get(to), type, iaid)) {
            to++;
        }
        if (from == 0 && to == n) {
            return all;  // the usual case: one IA per client, no copy
        }
        return from == to ? List.of() : all.subList(from, to);
    }

    private static boolean sameIa(Lease6 l, Lease6.IaType type, long iaid) {
        return l.type() == type && l.iaid() == iaid;
    }

    /** Every IPv6 lease of a client, ordered by (IA type, IAID, address). As {@link #v4ByMac}. */
    public List<Lease6> v6ByDuid(Duid duid) {
        SlotList<Lease6> all = v6ByDuid.get(duid);
        return all == null ? List.of() : all;
    }

    /**
     * Adds the lease, or replaces the lease of its address and prefix length.
     *
     * @return {@link PutResult#FULL} when the key is new and the table is full (nothing changes),
     *         else whether it was added or replaced
     */
    public PutResult put(Lease6 lease) {
        LeaseSlot s = slot6(lease.address(), lease.prefixLength());
        if (s == null) {
            if (isFull()) {
                return PutResult.FULL;
            }
            s = LeaseSlot.of(lease);
            if (lease.prefixLength() == 128) {
                v6Addresses.put(lease.address(), s);
            } else {
                v6Prefixes.put(new Prefix(lease.address(), lease.prefixLength()), s);
            }
            size6++;
            indexDuid(s, lease.duid());
            expiry.update(s);
            return PutResult.ADDED;
        }
        Lease6 old = s.lease6;
        boolean sameIa = old.duid().equals(lease.duid()) && old.type() == lease.type() && old.iaid() == lease.iaid();
        if (!sameIa) {
            unindexDuid(s, old.duid());
        }
        s.lease6 = lease;
        if (!sameIa) {
            indexDuid(s, lease.duid());
        }
        if (s.expiresAt != lease.expiresAt()) {
            s.expiresAt = lease.expiresAt();
            expiry.update(s);
        }
        return PutResult.REPLACED;
    }

    /** Removes the lease of an address or prefix and returns it, or null when there was none. */
    public Lease6 remove6(Inet6Address address, int prefixLength) {
        LeaseSlot s = prefixLength == 128 ? v6Addresses.remove(address)
                : v6Prefixes.remove(new Prefix(address, prefixLength));
        if (s == null) {
            return null;
        }
        size6--;
        unindexDuid(s, s.lease6.duid());
        expiry.remove(s);
        return s.lease6;
    }

    /** IPv6 client lists are ordered by (IA type, IAID, address, prefix length). */
    private static final Comparator<LeaseSlot> BY_IA = (a, b) -> {
        int c = a.lease6.type().compareTo(b.lease6.type());
        if (c == 0) {
            c = Long.compare(a.lease6.iaid(), b.lease6.iaid());
        }
        if (c == 0) {
            c = Long.compareUnsigned(a.hi, b.hi);
        }
        if (c == 0) {
            c = Long.compareUnsigned(a.lo, b.lo);
        }
        if (c == 0) {
            c = Integer.compare(a.prefixLength, b.prefixLength);
        }
        return c;
    };

    private void indexDuid(LeaseSlot s, Duid duid) {
        v6ByDuid.put(duid, SlotList.with(v6ByDuid.get(duid), s, BY_IA));
    }

    private void unindexDuid(LeaseSlot s, Duid duid) {
        SlotList<Lease6> rest = SlotList.without(v6ByDuid.get(duid), s);
        if (rest == null) {
            v6ByDuid.remove(duid);
        } else {
            v6ByDuid.put(duid, rest);
        }
    }

    // ---------------------------------------------------------------------------------------- expiry

    /**
     * The earliest expiry time of any lease, or {@link Lease4#NEVER} when no lease expires: the
     * owner schedules its next {@link #expire} call for then.
     */
    public long nextExpiry() {
        LeaseSlot s = expiry.peek();
        return s == null ? Lease4.NEVER : s.expiresAt;
    }

    /**
     * Removes every lease that has ended at {@code nowSeconds} (expiry not {@link Lease4#NEVER} and
     * at or before it) and reports each as a delete change, in expiry order (then IPv4 before IPv6,
     * then by address). Costs O(k log n) for k expired leases; the others are not looked at.
     *
     * @param expired receives a {@code DELETE4}/{@code DELETE6} change per removed lease; it MUST NOT
     *                modify the table
     * @return how many leases were removed
     */
    public int expire(long nowSeconds, Consumer<? super LeaseChange> expired) {
        int n = 0;
        LeaseSlot s;
        while ((s = expiry.peek()) != null && s.expiresAt <= nowSeconds) {
            if (s.family == LeaseSlot.V4) {
                Lease4 l = remove4(s.lease4.address());
                expired.accept(LeaseChange.delete(networkId, l));
            } else {
                Lease6 l = remove6(s.lease6.address(), s.lease6.prefixLength());
                expired.accept(LeaseChange.delete(networkId, l));
            }
            n++;
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------- whole table

    /**
     * Applies a journaled change: a put, a removal by key, or a reset that empties the table.
     *
     * @return false when a put was refused because the table is full, else true
     * @throws IllegalArgumentException when the change belongs to another network
     */
    public boolean apply(LeaseChange change) {
        if (!networkId.equals(change.networkId())) {
            throw new IllegalArgumentException("networkId: " + change.networkId() + " (expected: " + networkId + ")");
        }
        switch (change.kind()) {
            case PUT4:
                return put(change.lease4()).accepted();
            case DELETE4:
                remove4(change.lease4().address());
                return true;
            case PUT6:
                return put(change.lease6()).accepted();
            case DELETE6:
                remove6(change.lease6().address(), change.lease6().prefixLength());
                return true;
            case RESET:
                clear();
                return true;
            default:
                throw new AssertionError(change.kind());
        }
    }

    /** Removes every lease. */
    public void clear() {
        v4.clear();
        v4ByMac.clear();
        v4ByClientId.clear();
        v6Addresses.clear();
        v6Prefixes.clear();
        v6ByDuid.clear();
        expiry.clear();
        size6 = 0;
    }

    /** Calls {@code action} with every IPv4 lease, in no particular order; it MUST NOT modify the table. */
    public void forEach4(Consumer<? super Lease4> action) {
        v4.forEachValue(s -> action.accept(s.lease4));
    }

    /** Calls {@code action} with every IPv6 lease, in no particular order; it MUST NOT modify the table. */
    public void forEach6(Consumer<? super Lease6> action) {
        for (LeaseSlot s : v6Addresses.values()) {
            action.accept(s.lease6);
        }
        for (LeaseSlot s : v6Prefixes.values()) {
            action.accept(s.lease6);
        }
    }

    /** A copy of the IPv4 leases, in no particular order. */
    public List<Lease4> leases4() {
        List<Lease4> out = new ArrayList<>(v4.size());
        forEach4(out::add);
        return Collections.unmodifiableList(out);
    }

    /** A copy of the IPv6 leases, in no particular order. */
    public List<Lease6> leases6() {
        List<Lease6> out = new ArrayList<>(size6);
        forEach6(out::add);
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        return "LeaseTable(" + networkId + ": " + v4.size() + " v4, " + size6 + " v6, capacity " + capacity + ")";
    }
}
