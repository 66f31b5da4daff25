package io.leasehold.option;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The DHCPv4 client FQDN option (81, RFC 4702): flags, two deprecated RCODE octets, and a name.
 *
 * <p>With the E flag the name is in DNS wire form and may be partial (no root label); without it
 * the name is deprecated ASCII, kept byte for byte. Text form:
 * {@code flags,rcode1,rcode2,name}, where an absolute wire-form name ends with a dot.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4702#section-2">RFC 4702 §2</a>
 */
public record ClientFqdn(int flags, int rcode1, int rcode2, String name, boolean absolute) {

    /** S: the server should perform the A record update. */
    public static final int FLAG_S = 0x01;
    /** O: the server overrode the client's S flag. */
    public static final int FLAG_O = 0x02;
    /** E: the name is in canonical wire form. */
    public static final int FLAG_E = 0x04;
    /** N: the server should perform no updates. */
    public static final int FLAG_N = 0x08;

    public ClientFqdn {
        OptionCodecs.checkRange(flags, 0, 255, "flags");
        OptionCodecs.checkRange(rcode1, 0, 255, "rcode1");
        OptionCodecs.checkRange(rcode2, 0, 255, "rcode2");
        if (name == null) {
            throw new NullPointerException("name");
        }
        if ((flags & FLAG_E) == 0 && absolute) {
            throw new IllegalArgumentException("absolute: an ASCII-encoded name (no E flag) has no root label");
        }
    }

    /** True when the name is in wire form. */
    public boolean wireEncoded() {
        return (flags & FLAG_E) != 0;
    }

    public static final OptionCodec<ClientFqdn> CODEC = OptionCodecs.codec("client-fqdn",
            ClientFqdn::read,
            ClientFqdn::write,
            ClientFqdn::parse,
            ClientFqdn::format);

    private static ClientFqdn read(ByteBuf buf) {
        if (buf.readableBytes() < 3) {
            throw OptionCodecs.malformed("client FQDN: " + buf.readableBytes() + " bytes (expected: at least 3)");
        }
        int flags = buf.readUnsignedByte();
        int rcode1 = buf.readUnsignedByte();
        int rcode2 = buf.readUnsignedByte();
        if ((flags & FLAG_E) != 0) {
            if (!buf.isReadable()) {
                return new ClientFqdn(flags, rcode1, rcode2, "", false);
            }
            DomainNames.Name n = DomainNames.read(buf, buf.readerIndex(), false);
            if (buf.isReadable()) {
                throw OptionCodecs.malformed("client FQDN: bytes after the root label");
            }
            return new ClientFqdn(flags, rcode1, rcode2, n.text, n.absolute);
        }
        String ascii = buf.readCharSequence(buf.readableBytes(), StandardCharsets.ISO_8859_1).toString();
        return new ClientFqdn(flags, rcode1, rcode2, ascii, false);
    }

    private static void write(ClientFqdn v, ByteBuf out) {
        out.writeByte(v.flags).writeByte(v.rcode1).writeByte(v.rcode2);
        if (v.wireEncoded()) {
            DomainNames.write(DomainNames.parseLabels(v.name), v.absolute, out, null, 0);
        } else {
            out.writeCharSequence(v.name, StandardCharsets.ISO_8859_1);
        }
    }

    private static ClientFqdn parse(String text) {
        String[] parts = text.split(",", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("client FQDN: '" + text + "' (expected: flags,rcode1,rcode2,name)");
        }
        int flags = (int) OptionCodecs.checkRange(OptionCodecs.parseLong(parts[0], "flags"), 0, 255, "flags");
        int r1 = (int) OptionCodecs.checkRange(OptionCodecs.parseLong(parts[1], "rcode1"), 0, 255, "rcode1");
        int r2 = (int) OptionCodecs.checkRange(OptionCodecs.parseLong(parts[2], "rcode2"), 0, 255, "rcode2");
        String name = parts[3];
        if ((flags & FLAG_E) == 0) {
            return new ClientFqdn(flags, r1, r2, name, false);
        }
        boolean absolute = name.endsWith(".");
        List<byte[]> labels = DomainNames.parseLabels(name);
        return new ClientFqdn(flags, r1, r2, DomainNames.toText(labels), absolute);
    }

    private static String format(ClientFqdn v) {
        return "0x" + Integer.toHexString(v.flags) + "," + v.rcode1 + "," + v.rcode2 + ","
                + v.name + (v.absolute ? "." : "");
    }
}
