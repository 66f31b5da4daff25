package io.leasehold.lease;

import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;

/**
 * A DHCPv4 lease: an address bound to a client until a time.
 *
 * <p>A client is identified by its client identifier (option 61) when it sent one, else by its
 * hardware address (RFC 2131 §4.2); both are kept, as dnsmasq keeps them in its lease file.
 *
 * @param address   the leased address, network order
 * @param mac       the client's Ethernet address in the low 48 bits, or {@link #NO_MAC}
 * @param clientId  the client identifier, or null when the client sent none
 * @param hostname  the host name recorded for the lease (a reservation's, or a legal name the
 *                  client gave), or null
 * @param expiresAt when the lease ends, in seconds since the epoch; {@link #NEVER} for an infinite
 *                  lease (dnsmasq writes 0)
 * @param state     offered, bound or declined
 */
public record Lease4(int address, long mac, Octets clientId, String hostname, long expiresAt, LeaseState state) {

    /** {@code expiresAt} of an infinite lease. */
    public static final long NEVER = 0;

    /** {@code mac} when no Ethernet address is known. */
    public static final long NO_MAC = -1;

    public Lease4 {
        if (mac != NO_MAC && (mac & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("mac: 0x" + Long.toHexString(mac) + " (expected: 48 bits or -1)");
        }
        if (expiresAt < 0) {
            throw new IllegalArgumentException("expiresAt: " + expiresAt + " (expected: >= 0)");
        }
        if (state == null) {
            throw new NullPointerException("state");
        }
    }

    /** True when the lease has ended at {@code nowSeconds}. */
    public boolean expiredAt(long nowSeconds) {
        return expiresAt != NEVER && expiresAt <= nowSeconds;
    }

    /** Seconds left at {@code nowSeconds}, 0 when expired, {@code 0xffffffff} when infinite. */
    public long remainingAt(long nowSeconds) {
        if (expiresAt == NEVER) {
            return 0xffffffffL;
        }
        return Math.max(0, expiresAt - nowSeconds);
    }

    /** This lease with another expiry and state. */
    public Lease4 with(long newExpiresAt, LeaseState newState) {
        return new Lease4(address, mac, clientId, hostname, newExpiresAt, newState);
    }

    @Override
    public String toString() {
        return IpAddresses.ipv4Text(address) + " " + (mac == NO_MAC ? "-" : String.format("%012x", mac))
                + (clientId != null ? " id=" + clientId.toHex() : "") + (hostname != null ? " " + hostname : "")
                + " " + state + " until " + (expiresAt == NEVER ? "never" : Long.toString(expiresAt));
    }
}
