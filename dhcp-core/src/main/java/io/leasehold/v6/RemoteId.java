package io.leasehold.v6;

import io.leasehold.option.OptionCodec;
import io.leasehold.option.OptionCodecs;
import io.leasehold.wire.Octets;

import java.util.Objects;

/**
 * The Relay Agent Remote-ID option (37, RFC 4649 §3): the enterprise number of the vendor that
 * defines the identifier's format, and the identifier. A relay agent adds it; a server reads it and
 * echoes nothing.
 *
 * <p>Text form: {@code enterprise:hex}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4649#section-3">RFC 4649 §3</a>
 */
public record RemoteId(long enterpriseNumber, Octets id) {

    public RemoteId {
        OptionCodecs.checkRange(enterpriseNumber, 0, Dhcp6Codecs.U32_MAX, "enterprise number");
        Objects.requireNonNull(id, "id");
    }

    public static final OptionCodec<RemoteId> CODEC = OptionCodecs.codec("remote-id",
            buf -> {
                if (buf.readableBytes() < 4) {
                    throw OptionCodecs.malformed("remote id: " + buf.readableBytes() + " bytes (expected: at least 4)");
                }
                return new RemoteId(buf.readUnsignedInt(), Octets.read(buf, buf.readableBytes()));
            },
            (v, out) -> {
                out.writeInt((int) v.enterpriseNumber);
                v.id.writeTo(out);
            },
            text -> {
                int colon = text.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("remote id: '" + text + "' (expected: enterprise:hex)");
                }
                return new RemoteId(Dhcp6Codecs.u32(text.substring(0, colon), "enterprise number"),
                        Octets.parseHex(text.substring(colon + 1)));
            },
            v -> v.enterpriseNumber + ":" + v.id.toHex());
}
