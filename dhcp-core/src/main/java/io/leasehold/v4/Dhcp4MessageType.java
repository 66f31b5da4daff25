package io.leasehold.v4;

import io.leasehold.option.OptionCodec;
import io.leasehold.option.OptionCodecs;

import java.util.Locale;

/**
 * DHCPv4 message types, the value of option 53 (RFC 2132 §9.6, RFC 4388, RFC 6926, RFC 7724).
 * Codes are {@code int}s on the packet path; this enum names them for people.
 */
public enum Dhcp4MessageType {
    DISCOVER(1), OFFER(2), REQUEST(3), DECLINE(4), ACK(5), NAK(6), RELEASE(7), INFORM(8),
    FORCERENEW(9), LEASEQUERY(10), LEASEUNASSIGNED(11), LEASEUNKNOWN(12), LEASEACTIVE(13),
    BULKLEASEQUERY(14), LEASEQUERYDONE(15), ACTIVELEASEQUERY(16), LEASEQUERYSTATUS(17), TLS(18);

    /** Option 53 missing: a BOOTP message. */
    public static final int BOOTP = 0;

    private static final Dhcp4MessageType[] BY_CODE = new Dhcp4MessageType[19];

    static {
        for (Dhcp4MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    Dhcp4MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type of {@code code}, or null for a code with no name. */
    public static Dhcp4MessageType of(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The name of {@code code} ({@code DISCOVER}; {@code BOOTP} for 0), or the number for a code with no name. */
    public static String label(int code) {
        Dhcp4MessageType t = of(code);
        return t != null ? t.name() : code == BOOTP ? "BOOTP" : Integer.toString(code);
    }

    /** Option 53's codec: one octet; text is the type name ({@code DHCPDISCOVER} also accepted) or number. */
    static final OptionCodec<Integer> CODEC = OptionCodecs.codec("message-type",
            buf -> (int) buf.readUnsignedByte(),
            (v, out) -> out.writeByte(v),
            text -> {
                String t = text.trim().toUpperCase(Locale.ROOT);
                if (t.startsWith("DHCP")) {
                    t = t.substring(4);
                }
                for (Dhcp4MessageType m : values()) {
                    if (m.name().equals(t)) {
                        return m.code;
                    }
                }
                return OptionCodecs.U8.parse(text);
            },
            code -> {
                Dhcp4MessageType t = of(code);
                return t != null ? t.name() : Integer.toString(code);
            });
}
