package io.leasehold.lease;

/** Where a lease stands. */
public enum LeaseState {
    /**
     * Offered (DHCPv4 OFFER, DHCPv6 ADVERTISE) and held briefly so that no one else is offered the
     * same address; not yet granted, so never journaled.
     */
    OFFERED,
    /** Granted to the client (ACK, REPLY) until it expires, is released or declined. */
    BOUND,
    /**
     * Declined by a client because it found the address in use (RFC 2131 §4.3.3, RFC 8415 §18.3.8):
     * quarantined, offered to no one until it expires.
     */
    DECLINED
}
