package io.leasehold.lease;

import java.net.Inet6Address;

/**
 * The table's cell for one lease key (an IPv4 address, or an IPv6 address/prefix): the current
 * lease under that key and its place in the {@link ExpiryQueue}. A renewal replaces the lease in
 * the slot and moves the slot in the queue, so renewing allocates nothing but the new lease.
 *
 * <p>The sort key {@code (family, hi, lo, prefixLength)} is computed once per slot, so ordering by
 * (expiry, key) never copies an {@link Inet6Address}'s bytes.
 */
final class LeaseSlot {

    static final int V4 = 4;
    static final int V6 = 6;

    final int family;
    /** IPv4: the address, unsigned; IPv6: the high 64 bits of the address. */
    final long hi;
    /** IPv6: the low 64 bits; 0 for IPv4. */
    final long lo;
    /** IPv6: the prefix length; 0 for IPv4. */
    final int prefixLength;

    Lease4 lease4;
    Lease6 lease6;
    long expiresAt;
    /** Position in the expiry queue's heap, -1 when not queued (infinite lease). */
    int heapIndex = -1;

    private LeaseSlot(int family, long hi, long lo, int prefixLength) {
        this.family = family;
        this.hi = hi;
        this.lo = lo;
        this.prefixLength = prefixLength;
    }

    static LeaseSlot of(Lease4 lease) {
        LeaseSlot s = new LeaseSlot(V4, lease.address() & 0xffffffffL, 0, 0);
        s.lease4 = lease;
        s.expiresAt = lease.expiresAt();
        return s;
    }

    static LeaseSlot of(Lease6 lease) {
        byte[] b = lease.address().getAddress();
        LeaseSlot s = new LeaseSlot(V6, bigEndianLong(b, 0), bigEndianLong(b, 8), lease.prefixLength());
        s.lease6 = lease;
        s.expiresAt = lease.expiresAt();
        return s;
    }

    static long bigEndianLong(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[offset + i] & 0xff);
        }
        return v;
    }

    /** Expiry order: earlier expiry first, then IPv4 before IPv6, then by address and prefix length. */
    static int compare(LeaseSlot a, LeaseSlot b) {
        int c = Long.compare(a.expiresAt, b.expiresAt);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(a.family, b.family);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(a.hi, b.hi);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(a.lo, b.lo);
        if (c != 0) {
            return c;
        }
        return Integer.compare(a.prefixLength, b.prefixLength);
    }
}
