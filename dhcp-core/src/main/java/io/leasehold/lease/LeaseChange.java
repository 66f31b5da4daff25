package io.leasehold.lease;

import java.util.Objects;

/**
 * One change to a network's leases, as the journal records it and replays it. Changes are
 * absolute (the whole lease, or the key that went away), so replaying a change that the base lease
 * file already reflects changes nothing.
 *
 * @param networkId the network the lease belongs to
 * @param kind      what happened
 * @param lease4    the lease of a {@code PUT4}/{@code DELETE4}, else null
 * @param lease6    the lease of a {@code PUT6}/{@code DELETE6}, else null
 */
public record LeaseChange(String networkId, Kind kind, Lease4 lease4, Lease6 lease6) {

    /** What a change does. */
    public enum Kind {
        /** Adds or replaces a DHCPv4 lease (keyed by address). */
        PUT4,
        /** Removes the DHCPv4 lease of the address (release, expiry noticed, reservation removed). */
        DELETE4,
        /** Adds or replaces a DHCPv6 lease (keyed by address/prefix). */
        PUT6,
        /** Removes the DHCPv6 lease of the address/prefix. */
        DELETE6,
        /**
         * The network's lease file was replaced from outside (Neutron's agent seeds it before every
         * spawn): every earlier change of this network is void; the file is the new base.
         */
        RESET
    }

    public LeaseChange {
        Objects.requireNonNull(networkId, "networkId");
        Objects.requireNonNull(kind, "kind");
        boolean v4 = kind == Kind.PUT4 || kind == Kind.DELETE4;
        boolean v6 = kind == Kind.PUT6 || kind == Kind.DELETE6;
        if (v4 != (lease4 != null) || v6 != (lease6 != null)) {
            throw new IllegalArgumentException(kind + ": needs " + (v4 ? "a Lease4" : v6 ? "a Lease6" : "no lease"));
        }
    }

    public static LeaseChange put(String networkId, Lease4 lease) {
        return new LeaseChange(networkId, Kind.PUT4, lease, null);
    }

    public static LeaseChange delete(String networkId, Lease4 lease) {
        return new LeaseChange(networkId, Kind.DELETE4, lease, null);
    }

    public static LeaseChange put(String networkId, Lease6 lease) {
        return new LeaseChange(networkId, Kind.PUT6, null, lease);
    }

    public static LeaseChange delete(String networkId, Lease6 lease) {
        return new LeaseChange(networkId, Kind.DELETE6, null, lease);
    }

    public static LeaseChange reset(String networkId) {
        return new LeaseChange(networkId, Kind.RESET, null, null);
    }
}
