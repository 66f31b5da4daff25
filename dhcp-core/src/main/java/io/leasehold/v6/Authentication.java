package io.leasehold.v6;

import io.leasehold.option.OptionCodec;
import io.leasehold.option.OptionCodecs;
import io.leasehold.wire.Octets;

import java.util.List;
import java.util.Objects;

/**
 * The Authentication option (11, RFC 8415 §21.11), parsed so that it can be logged and relayed
 * untouched; this server neither checks nor produces authentication (RFC 8415 §20: reconfigure key
 * authentication is only meaningful with Reconfigure, which it does not send).
 *
 * <pre>
 * +-------------------------------+-------------------------------+
 * |          OPTION_AUTH          |          option-len           |
 * +---------------+---------------+---------------+---------------+
 * |   protocol    |   algorithm   |      RDM      |               |
 * +---------------+---------------+---------------+               |
 * |                    replay detection (64 bits)                 |
 * |                                               +---------------+
 * |                                               |               |
 * +-----------------------------------------------+               |
 * .                   authentication information                  .
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Text form: {@code protocol,algorithm,rdm,0xreplay,hex}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8415#section-21.11">RFC 8415 §21.11</a>
 */
public record Authentication(int protocol, int algorithm, int rdm, long replayDetection, Octets information) {

    /** Protocol, algorithm, RDM and replay detection, before the information. */
    public static final int FIXED_LENGTH = 11;

    public Authentication {
        OptionCodecs.checkRange(protocol, 0, 255, "protocol");
        OptionCodecs.checkRange(algorithm, 0, 255, "algorithm");
        OptionCodecs.checkRange(rdm, 0, 255, "rdm");
        Objects.requireNonNull(information, "information");
    }

    public static final OptionCodec<Authentication> CODEC = OptionCodecs.codec("authentication",
            buf -> {
                if (buf.readableBytes() < FIXED_LENGTH) {
                    throw OptionCodecs.malformed("authentication: " + buf.readableBytes() + " bytes (expected: at least "
                            + FIXED_LENGTH + ")");
                }
                return new Authentication(buf.readUnsignedByte(), buf.readUnsignedByte(), buf.readUnsignedByte(),
                        buf.readLong(), Octets.read(buf, buf.readableBytes()));
            },
            (v, out) -> {
                out.writeByte(v.protocol).writeByte(v.algorithm).writeByte(v.rdm).writeLong(v.replayDetection);
                v.information.writeTo(out);
            },
            Authentication::parse,
            v -> v.protocol + "," + v.algorithm + "," + v.rdm + ",0x" + Long.toHexString(v.replayDetection) + ","
                    + v.information.toHex());

    private static Authentication parse(String text) {
        List<String> f = OptionCodecs.splitList(text);
        if (f.size() != 4 && f.size() != 5) {
            throw new IllegalArgumentException("authentication: '" + text
                    + "' (expected: protocol,algorithm,rdm,replay,hex)");
        }
        String replay = f.get(3);
        long value;
        try {
            // The replay detection field is a full unsigned 64-bit counter.
            value = replay.startsWith("0x") || replay.startsWith("0X")
                    ? Long.parseUnsignedLong(replay.substring(2), 16) : Long.parseUnsignedLong(replay);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("replay detection: '" + replay + "' (expected: a 64-bit number)");
        }
        return new Authentication((int) OptionCodecs.parseLong(f.get(0), "protocol"),
                (int) OptionCodecs.parseLong(f.get(1), "algorithm"), (int) OptionCodecs.parseLong(f.get(2), "rdm"),
                value, f.size() == 5 ? Octets.parseHex(f.get(4)) : Octets.EMPTY);
    }
}
