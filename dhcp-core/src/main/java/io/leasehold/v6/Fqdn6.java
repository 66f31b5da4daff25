package io.leasehold.v6;

import io.leasehold.option.DomainNames;
import io.leasehold.option.OptionCodec;
import io.leasehold.option.OptionCodecs;
import io.netty.buffer.ByteBuf;

import java.util.List;
import java.util.Objects;

/**
 * The DHCPv6 Client FQDN option (39, RFC 4704 §4): a flags octet and a domain name in the
 * uncompressed wire form, which may be partial (no root label) when the client proposes only a
 * host name. Unlike the DHCPv4 option ({@link io.leasehold.option.ClientFqdn}) there are no RCODE
 * octets and no ASCII encoding.
 *
 * <pre>
 * +-------------------------------+-------------------------------+
 * |       OPTION_CLIENT_FQDN      |          option-len           |
 * +---------------+---------------+-------------------------------+
 * |   flags (1)   |                                               |
 * +---------------+                                               |
 * .                     domain-name (partial or fully qualified)  .
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>What clients send: dhcpcd flags S with {@code vm-dhcpcd} (partial); udhcpc6 flags 0 with the
 * root name alone (one zero octet). Reserved flag bits are kept. Text form: {@code flags,name}, the
 * name ending with a dot when it is fully qualified ({@code 0x0,.} for the root name alone).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4704#section-4">RFC 4704 §4</a>
 */
public record Fqdn6(int flags, String name, boolean absolute) {

    /** S: the server should perform the AAAA record update. */
    public static final int FLAG_S = 0x01;
    /** O: the server overrode the client's S flag. */
    public static final int FLAG_O = 0x02;
    /** N: the server should perform no updates. */
    public static final int FLAG_N = 0x04;

    public Fqdn6 {
        OptionCodecs.checkRange(flags, 0, 255, "flags");
        Objects.requireNonNull(name, "name");
    }

    public static final OptionCodec<Fqdn6> CODEC = OptionCodecs.codec("fqdn6",
            Fqdn6::read,
            (v, out) -> {
                out.writeByte(v.flags);
                DomainNames.write(DomainNames.parseLabels(v.name), v.absolute, out, null, 0);
            },
            Fqdn6::parse,
            v -> "0x" + Integer.toHexString(v.flags) + "," + v.name + (v.absolute ? "." : ""));

    private static Fqdn6 read(ByteBuf buf) {
        if (!buf.isReadable()) {
            throw OptionCodecs.malformed("client FQDN: empty (expected: a flags octet)");
        }
        int flags = buf.readUnsignedByte();
        if (!buf.isReadable()) {
            return new Fqdn6(flags, "", false);
        }
        DomainNames.Name n = DomainNames.read(buf, buf.readerIndex(), false);
        if (buf.isReadable()) {
            throw OptionCodecs.malformed("client FQDN: " + buf.readableBytes() + " bytes after the root label");
        }
        return new Fqdn6(flags, n.text, n.absolute);
    }

    private static Fqdn6 parse(String text) {
        int comma = text.indexOf(',');
        if (comma < 0) {
            throw new IllegalArgumentException("client FQDN: '" + text + "' (expected: flags,name)");
        }
        int flags = (int) OptionCodecs.checkRange(OptionCodecs.parseLong(text.substring(0, comma), "flags"),
                0, 255, "flags");
        String name = text.substring(comma + 1).trim();
        // The text form escapes a dot inside a label (\046), so a final plain dot is the root label.
        boolean absolute = name.endsWith(".") && !name.endsWith("\\.");
        List<byte[]> labels = DomainNames.parseLabels(name);
        return new Fqdn6(flags, DomainNames.toText(labels), absolute);
    }

    @Override
    public String toString() {
        return "flags 0x" + Integer.toHexString(flags) + " name '" + name + (absolute ? "." : "") + "'";
    }
}
