package io.leasehold.v6;

import io.leasehold.option.OptionCodec;
import io.leasehold.option.OptionCodecs;
import io.leasehold.wire.Octets;

import java.util.Objects;

/**
 * The Client Link-Layer Address option (79, RFC 6939 §4): the hardware type (IANA ARP hardware
 * types; 1 = Ethernet) and the link-layer address of the client, added by the first relay agent.
 * A server behind relays needs it to match reservations by MAC, as dnsmasq does for direct clients
 * through its neighbour table.
 *
 * <p>Text form: {@code type,hex}, such as {@code 1,fa:16:3e:00:00:11}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6939#section-4">RFC 6939 §4</a>
 */
public record LinkLayerAddress(int type, Octets address) {

    /** ARP hardware type of Ethernet. */
    public static final int ETHERNET = 1;

    public LinkLayerAddress {
        OptionCodecs.checkRange(type, 0, 0xffff, "link-layer type");
        Objects.requireNonNull(address, "address");
    }

    /** The Ethernet address as the low 48 bits of a long, or -1 when this is not a 6-octet Ethernet address. */
    public long macAddress() {
        if (type != ETHERNET || address.length() != 6) {
            return -1;
        }
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = mac << 8 | address.unsignedByte(i);
        }
        return mac;
    }

    public static final OptionCodec<LinkLayerAddress> CODEC = OptionCodecs.codec("link-layer-address",
            buf -> {
                if (buf.readableBytes() < 2) {
                    throw OptionCodecs.malformed("link-layer address: " + buf.readableBytes()
                            + " bytes (expected: at least 2)");
                }
                return new LinkLayerAddress(buf.readUnsignedShort(), Octets.read(buf, buf.readableBytes()));
            },
            (v, out) -> {
                out.writeShort(v.type);
                v.address.writeTo(out);
            },
            text -> {
                int comma = text.indexOf(',');
                if (comma <= 0) {
                    throw new IllegalArgumentException("link-layer address: '" + text + "' (expected: type,hex)");
                }
                return new LinkLayerAddress((int) OptionCodecs.checkRange(
                        OptionCodecs.parseLong(text.substring(0, comma), "link-layer type"), 0, 0xffff, "link-layer type"),
                        Octets.parseHex(text.substring(comma + 1)));
            },
            v -> v.type + "," + v.address.toHex());
}
