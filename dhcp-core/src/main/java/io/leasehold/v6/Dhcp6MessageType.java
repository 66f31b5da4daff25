package io.leasehold.v6;

import io.leasehold.option.OptionCodec;
import io.leasehold.option.OptionCodecs;

import java.util.Locale;

/**
 * DHCPv6 message types, the first octet of every message (RFC 8415 §7.3 and the IANA registry:
 * RFC 5007, 5460, 7341, 7653, 8156, 9686). Codes are {@code int}s on the packet path; this enum
 * names them for people. Every type except {@link #RELAY_FORW} and {@link #RELAY_REPL} uses the
 * client/server message format (RFC 8415 §8), so a code without a name is still readable.
 */
public enum Dhcp6MessageType {
    SOLICIT(1), ADVERTISE(2), REQUEST(3), CONFIRM(4), RENEW(5), REBIND(6), REPLY(7), RELEASE(8),
    DECLINE(9), RECONFIGURE(10), INFORMATION_REQUEST(11), RELAY_FORW(12), RELAY_REPL(13),
    LEASEQUERY(14), LEASEQUERY_REPLY(15), LEASEQUERY_DONE(16), LEASEQUERY_DATA(17),
    RECONFIGURE_REQUEST(18), RECONFIGURE_REPLY(19), DHCPV4_QUERY(20), DHCPV4_RESPONSE(21),
    ACTIVELEASEQUERY(22), STARTTLS(23), BNDUPD(24), BNDREPLY(25), POOLREQ(26), POOLRESP(27),
    UPDREQ(28), UPDREQALL(29), UPDDONE(30), CONNECT(31), CONNECTREPLY(32), DISCONNECT(33),
    STATE(34), CONTACT(35), ADDR_REG_INFORM(36), ADDR_REG_REPLY(37);

    private static final Dhcp6MessageType[] BY_CODE = new Dhcp6MessageType[38];

    static {
        for (Dhcp6MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final String label;

    Dhcp6MessageType(int code) {
        this.code = code;
        // The RFC spells the names with hyphens (INFORMATION-REQUEST, RELAY-FORW).
        this.label = name().replace('_', '-');
    }

    public int code() {
        return code;
    }

    /** The RFC's name, such as {@code INFORMATION-REQUEST}. */
    public String label() {
        return label;
    }

    /** True for RELAY-FORW and RELAY-REPL, whose format is the relay agent/server one (RFC 8415 §9). */
    public static boolean isRelay(int code) {
        return code == RELAY_FORW.code || code == RELAY_REPL.code;
    }

    /** The type of {@code code}, or null for a code with no name. */
    public static Dhcp6MessageType of(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The RFC name of {@code code} ({@code SOLICIT}), or the number for a code with no name. */
    public static String label(int code) {
        Dhcp6MessageType t = of(code);
        return t != null ? t.label : Integer.toString(code);
    }

    /**
     * A one-octet message type (the Reconfigure Message option, RFC 8415 §21.19). Text: the RFC name,
     * any case, with hyphens or underscores, or a number.
     */
    static final OptionCodec<Integer> CODEC = OptionCodecs.codec("message-type6",
            buf -> (int) buf.readUnsignedByte(),
            (v, out) -> out.writeByte((int) OptionCodecs.checkRange(v, 0, 255, "message type")),
            text -> {
                String t = text.trim().toUpperCase(Locale.ROOT).replace('_', '-');
                for (Dhcp6MessageType m : values()) {
                    if (m.label.equals(t)) {
                        return m.code;
                    }
                }
                return OptionCodecs.U8.parse(text);
            },
            Dhcp6MessageType::label);
}
