package io.leasehold.wire;

/**
 * The one exception for bytes that cannot be read as the protocol unit they claim to be: a packet,
 * a frame, or a single option value.
 *
 * <p>It is thrown by the codecs only, caught once at the pipeline boundary, counted under its
 * {@link #reason()} and logged at debug level. Policy outcomes (ignore, NAK) are never exceptions.
 * Malformed input is expected on a network, so the exception carries no stack trace: throwing it
 * for every packet of a hostile flood costs no more than returning a value.
 */
public final class MalformedPacketException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the bytes could not be read; each reason is a named drop counter in the server. */
    public enum Reason {
        /** Fewer bytes than the fixed part of the unit needs. */
        TOO_SHORT,
        /** DHCPv4 magic cookie is not 99.130.83.99 (RFC 2131 §3). */
        BAD_MAGIC_COOKIE,
        /** DHCPv4 {@code hlen} larger than the 16-byte {@code chaddr} field. */
        BAD_HLEN,
        /** An option's length runs past the end of its area. */
        OPTION_OVERRUN,
        /** Option overload (52) is malformed or appears where it would make the areas loop. */
        BAD_OVERLOAD,
        /** An option value that its definition cannot read (wrong length, bad encoding). */
        BAD_OPTION_VALUE,
        /** DHCPv6 relay messages nested beyond the hop limit (RFC 8415 §7.6). */
        RELAY_TOO_DEEP,
        /** A DHCPv6 relay message without exactly one Relay Message option (RFC 8415 §9, §21.10). */
        BAD_RELAY_MESSAGE,
        /** A header field with an impossible value (IP version, header length, UDP length). */
        BAD_HEADER,
        /** An IPv4 header or UDP checksum that does not verify. */
        BAD_CHECKSUM,
        /** The frame is not the protocol this decoder reads (not IPv4, not UDP, a fragment). */
        NOT_DHCP
    }

    private final Reason reason;

    public MalformedPacketException(Reason reason, String message) {
        // No cause, no suppression, no stack trace: the reason and message say everything.
        super(message, null, false, false);
        if (reason == null) {
            throw new NullPointerException("reason");
        }
        this.reason = reason;
    }

    /** The named reason, used as the drop counter's key. */
    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "MalformedPacketException(" + reason + "): " + getMessage();
    }
}
