package io.leasehold.v6;

import io.leasehold.option.OptionCodec;
import io.leasehold.option.OptionCodecs;

import java.util.Locale;
import java.util.Objects;

/**
 * The Status Code option (13, RFC 8415 §21.13): a two-octet status and a UTF-8 message for people.
 * It appears at the top level of a reply and inside IA_NA, IA_TA, IA_PD, IAADDR and IAPREFIX.
 *
 * <p>Text form: the status name ({@code NoAddrsAvail}) or number, then a comma and the message when
 * there is one: {@code NoAddrsAvail,no addresses available}. The message is everything after the
 * first comma, verbatim.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8415#section-21.13">RFC 8415 §21.13</a>
 */
public record StatusCode(int code, String message) {

    /** RFC 8415 §21.13 and the IANA registry; 0..6 are the ones a server of RFC 8415 sends. */
    public static final int SUCCESS = 0;
    public static final int UNSPEC_FAIL = 1;
    public static final int NO_ADDRS_AVAIL = 2;
    public static final int NO_BINDING = 3;
    public static final int NOT_ON_LINK = 4;
    public static final int USE_MULTICAST = 5;
    public static final int NO_PREFIX_AVAIL = 6;
    /** RFC 5007 (leasequery). */
    public static final int UNKNOWN_QUERY_TYPE = 7;
    public static final int MALFORMED_QUERY = 8;
    public static final int NOT_CONFIGURED = 9;
    public static final int NOT_ALLOWED = 10;

    private static final String[] NAMES = {"Success", "UnspecFail", "NoAddrsAvail", "NoBinding", "NotOnLink",
        "UseMulticast", "NoPrefixAvail", "UnknownQueryType", "MalformedQuery", "NotConfigured", "NotAllowed"};

    public StatusCode {
        OptionCodecs.checkRange(code, 0, 0xffff, "status code");
        Objects.requireNonNull(message, "message");
    }

    /** A status without a message. */
    public static StatusCode of(int code) {
        return new StatusCode(code, "");
    }

    /** True for {@link #SUCCESS}. */
    public boolean isSuccess() {
        return code == SUCCESS;
    }

    /** The RFC name of {@code code} ({@code NoAddrsAvail}), or its number. */
    public static String name(int code) {
        return code >= 0 && code < NAMES.length ? NAMES[code] : Integer.toString(code);
    }

    public static final OptionCodec<StatusCode> CODEC = OptionCodecs.codec("status-code",
            buf -> {
                if (buf.readableBytes() < 2) {
                    throw OptionCodecs.malformed("status code: " + buf.readableBytes() + " bytes (expected: at least 2)");
                }
                int code = buf.readUnsignedShort();
                return new StatusCode(code, OptionCodecs.UTF8.decode(buf));
            },
            (v, out) -> {
                out.writeShort(v.code);
                OptionCodecs.UTF8.encode(v.message, out);
            },
            StatusCode::parse,
            v -> v.message.isEmpty() ? name(v.code) : name(v.code) + "," + v.message);

    private static StatusCode parse(String text) {
        int comma = text.indexOf(',');
        String name = (comma < 0 ? text : text.substring(0, comma)).trim();
        String message = comma < 0 ? "" : text.substring(comma + 1);
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return new StatusCode(i, message);
            }
        }
        return new StatusCode((int) OptionCodecs.checkRange(OptionCodecs.parseLong(name, "status code"), 0, 0xffff,
                "status code"), message);
    }

    @Override
    public String toString() {
        return message.isEmpty() ? name(code) : name(code) + " '" + message + "'";
    }
}
