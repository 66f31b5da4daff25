package io.leasehold.engine;

import io.leasehold.lease.LeaseChange;

import java.util.List;
import java.util.Objects;

/**
 * What the DHCPv4 engine decided for one request: an outcome (always), where a reply goes (when
 * there is one), and the lease change that must be durable before the reply leaves (when a lease
 * was granted, extended, released or declined).
 *
 * <p>Policy outcomes are values, not exceptions: an ignored request is a decision like any other,
 * counted under its outcome by the server.
 *
 * @param outcome        what happened, which is also the counter it is counted under
 * @param detail         a short explanation for logs (dnsmasq's wording where it has one), or null
 * @param routing        where the reply goes, or null when there is no reply
 * @param destination    the reply's IPv4 destination (network order) for the routing, 0 for broadcast
 * @param serverAddress  this server's address on the client's subnet: the reply's source and its
 *                       server identifier (0 when there is no reply)
 * @param maxLength      the largest reply the client accepts
 * @param changes        the lease changes to journal before replying; empty when nothing durable changed
 */
public record Dhcp4Decision(Outcome outcome, String detail, Routing routing, int destination, int serverAddress,
                            int maxLength, List<LeaseChange> changes) {

    /** The outcome of a request; every request ends in exactly one. */
    public enum Outcome {
        OFFER(true), ACK(true), NAK(true), INFORM_ACK(true),
        /** A RELEASE that ended a lease. */
        RELEASED(false),
        /** A DECLINE that quarantined an address. */
        DECLINED(false),
        /** Not a BOOTREQUEST. */
        IGNORED_NOT_A_REQUEST(false),
        /** A message type a server does not answer (OFFER, ACK, LEASEQUERY...). */
        IGNORED_MESSAGE_TYPE(false),
        /** A BOOTP request (no option 53): not served. */
        IGNORED_BOOTP(false),
        /** No served subnet for the link the request came from. */
        IGNORED_NO_SUBNET(false),
        /** A client without a reservation on a static-only subnet: dnsmasq's "no address available". */
        IGNORED_NO_ADDRESS(false),
        /** The client selected another server's offer. */
        IGNORED_OTHER_SERVER(false),
        /** INIT-REBOOT or broadcast REBIND from a client without a lease: silent when not authoritative. */
        IGNORED_NO_LEASE(false),
        /** RELEASE or DECLINE naming another server, or missing what it needs. */
        IGNORED_NOT_FOR_US(false),
        /** RELEASE of a lease this server does not hold. */
        IGNORED_UNKNOWN_LEASE(false),
        /** INFORM without ciaddr. */
        IGNORED_BAD_INFORM(false);

        private final boolean replies;

        Outcome(boolean replies) {
            this.replies = replies;
        }

        /** True when this outcome sends a reply. */
        public boolean replies() {
            return replies;
        }
    }

    /** Where a reply goes (RFC 2131 §4.1). */
    public enum Routing {
        /** To the relay agent: {@code giaddr}, port 67. */
        RELAY,
        /** To {@code ciaddr}: port 68, or the request's source port when it came from ciaddr. */
        CIADDR,
        /** Back to the request's source address and port (INFORM). */
        SOURCE,
        /** Broadcast: 255.255.255.255:68, Ethernet broadcast. */
        BROADCAST,
        /** Unicast to {@code yiaddr}:68 at the client's hardware address, without ARP. */
        YIADDR
    }

    public Dhcp4Decision {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome.replies() != (routing != null)) {
            throw new IllegalArgumentException(outcome + ": routing " + routing);
        }
        changes = List.copyOf(changes);
    }

    /** A decision with no reply and no lease change. */
    public static Dhcp4Decision silent(Outcome outcome, String detail) {
        return new Dhcp4Decision(outcome, detail, null, 0, 0, 0, List.of());
    }

    /** A decision with no reply that changed leases. */
    public static Dhcp4Decision silent(Outcome outcome, String detail, List<LeaseChange> changes) {
        return new Dhcp4Decision(outcome, detail, null, 0, 0, 0, changes);
    }

    /** True when a reply was written and must be sent. */
    public boolean replies() {
        return outcome.replies();
    }
}
