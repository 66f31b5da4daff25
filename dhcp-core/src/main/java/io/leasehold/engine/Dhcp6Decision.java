package io.leasehold.engine;

import io.leasehold.lease.LeaseChange;

import java.util.List;
import java.util.Objects;

/**
 * What the DHCPv6 engine decided for one message: an outcome, whether a reply was written (it goes
 * back to where the request came from: the client's port 546, or the relay's 547), and the lease
 * changes that must be durable before it leaves.
 */
public record Dhcp6Decision(Outcome outcome, String detail, List<LeaseChange> changes) {

    /** The outcome of a message; every message ends in exactly one. */
    public enum Outcome {
        /** ADVERTISE with addresses. */
        ADVERTISE(true),
        /** ADVERTISE with NoAddrsAvail. */
        ADVERTISE_NO_ADDRESS(true),
        /** REPLY committing bindings (Request, rapid-commit Solicit, Renew, Rebind). */
        REPLY(true),
        /** REPLY without any binding (NoAddrsAvail, NoBinding, a failed Confirm). */
        REPLY_NO_BINDING(true),
        /** REPLY to a Confirm. */
        CONFIRMED(true),
        /** REPLY to a Release. */
        RELEASED(true),
        /** REPLY to a Decline. */
        DECLINED(true),
        /** REPLY to an Information-request. */
        INFORMED(true),
        /** A message a server does not answer (Advertise, Reply, Reconfigure...). */
        IGNORED_MESSAGE_TYPE(false),
        /** No Client Identifier where one is required (RFC 8415 §16). */
        IGNORED_NO_CLIENT_ID(false),
        /** A Server Identifier where none may be, or another server's (RFC 8415 §16). */
        IGNORED_SERVER_ID(false),
        /** No served IPv6 subnet on the link. */
        IGNORED_NO_SUBNET(false),
        /** A Confirm without addresses. */
        IGNORED_NOTHING_TO_CONFIRM(false),
        /** An Information-request carrying IA options (RFC 8415 §16.12). */
        IGNORED_BAD_INFORMATION_REQUEST(false);

        private final boolean replies;

        Outcome(boolean replies) {
            this.replies = replies;
        }

        public boolean replies() {
            return replies;
        }
    }

    public Dhcp6Decision {
        Objects.requireNonNull(outcome, "outcome");
        changes = List.copyOf(changes);
    }

    static Dhcp6Decision ignored(Outcome outcome, String detail) {
        return new Dhcp6Decision(outcome, detail, List.of());
    }

    /** True when a reply was written and must be sent. */
    public boolean replies() {
        return outcome.replies();
    }
}
