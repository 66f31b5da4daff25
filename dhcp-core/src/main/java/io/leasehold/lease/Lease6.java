package io.leasehold.lease;

import io.leasehold.option.Duid;
import io.leasehold.wire.IpAddresses;

import java.net.Inet6Address;
import java.util.Objects;

/**
 * A DHCPv6 lease: an address (IA_NA, IA_TA) or a prefix (IA_PD) bound to one identity association
 * of a client, identified by its DUID and the IA's IAID (RFC 8415 §12).
 *
 * @param address        the leased address, or the delegated prefix
 * @param prefixLength   128 for an address, the prefix length for IA_PD
 * @param type           which kind of identity association holds it
 * @param duid           the client's DUID
 * @param iaid           the identity association's IAID (unsigned 32 bits)
 * @param hostname       the host name recorded for the lease, or null
 * @param expiresAt      end of the valid lifetime, seconds since the epoch; {@link Lease4#NEVER}
 *                       (0) when infinite
 * @param state          offered, bound or declined
 */
public record Lease6(Inet6Address address, int prefixLength, IaType type, Duid duid, long iaid, String hostname,
                     long expiresAt, LeaseState state) {

    /** The kind of identity association (RFC 8415 §12). */
    public enum IaType {
        /** Non-temporary addresses (IA_NA, option 3). */
        NA,
        /** Temporary addresses (IA_TA, option 4); dnsmasq marks them with a {@code T} before the IAID. */
        TA,
        /** Delegated prefixes (IA_PD, option 25). */
        PD
    }

    public Lease6 {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(duid, "duid");
        Objects.requireNonNull(state, "state");
        if (prefixLength < 0 || prefixLength > 128 || (type != IaType.PD && prefixLength != 128)) {
            throw new IllegalArgumentException("prefix length: " + prefixLength + " (expected: 128, or 0..128 for IA_PD)");
        }
        if (iaid < 0 || iaid > 0xffffffffL) {
            throw new IllegalArgumentException("iaid: " + iaid + " (expected: 0..4294967295)");
        }
        if (expiresAt < 0) {
            throw new IllegalArgumentException("expiresAt: " + expiresAt + " (expected: >= 0)");
        }
    }

    /** True when the lease has ended at {@code nowSeconds}. */
    public boolean expiredAt(long nowSeconds) {
        return expiresAt != Lease4.NEVER && expiresAt <= nowSeconds;
    }

    /** Seconds left at {@code nowSeconds}, 0 when expired, {@code 0xffffffff} when infinite. */
    public long remainingAt(long nowSeconds) {
        if (expiresAt == Lease4.NEVER) {
            return 0xffffffffL;
        }
        return Math.max(0, expiresAt - nowSeconds);
    }

    /** This lease with another expiry and state. */
    public Lease6 with(long newExpiresAt, LeaseState newState) {
        return new Lease6(address, prefixLength, type, duid, iaid, hostname, newExpiresAt, newState);
    }

    @Override
    public String toString() {
        return IpAddresses.text(address) + (prefixLength != 128 ? "/" + prefixLength : "") + " " + type
                + " iaid=" + iaid + " duid=" + duid + (hostname != null ? " " + hostname : "") + " " + state
                + " until " + (expiresAt == Lease4.NEVER ? "never" : Long.toString(expiresAt));
    }
}
