package io.leasehold.v6;

import io.leasehold.option.OptionCodec;
import io.leasehold.option.OptionCodecs;
import io.leasehold.option.SubOption;
import io.leasehold.wire.IpAddresses;
import io.netty.buffer.ByteBuf;

import java.net.Inet6Address;
import java.util.List;
import java.util.Objects;

/**
 * The IA Prefix option (26, RFC 8415 §21.22): a delegated prefix of an IA_PD, its lifetimes, and
 * the options nested in it.
 *
 * <pre>
 * +-------------------------------+-------------------------------+
 * |        OPTION_IAPREFIX        |          option-len           |
 * +-------------------------------+-------------------------------+
 * |                      preferred-lifetime (4)                   |
 * |                        valid-lifetime (4)                     |
 * +---------------+-----------------------------------------------+
 * | prefix-length |                                               |
 * +---------------+          IPv6-prefix (16)                     |
 * |                                                               |
 * +---------------------------------------------------------------+
 * .                       IAprefix-options                        .
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The prefix bytes are kept as sent, bits beyond the length included, so a value encodes back
 * to its bytes. A prefix length over 128, a nested Status Code that does not decode, or a nested
 * length that runs past the value makes the IAPREFIX malformed. Text form:
 * {@code prefix/length,preferred,valid}, then {@code ;} and nested options as {@code code=hex,...}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8415#section-21.22">RFC 8415 §21.22</a>
 */
public record IaPrefix(long preferredLifetime, long validLifetime, int prefixLength, Inet6Address prefix,
                       List<SubOption> options) {

    /** The lifetimes, the prefix length and the prefix, before any nested option. */
    public static final int FIXED_LENGTH = 25;

    public IaPrefix {
        OptionCodecs.checkRange(preferredLifetime, 0, Dhcp6Codecs.U32_MAX, "preferred lifetime");
        OptionCodecs.checkRange(validLifetime, 0, Dhcp6Codecs.U32_MAX, "valid lifetime");
        OptionCodecs.checkRange(prefixLength, 0, 128, "prefix length");
        Objects.requireNonNull(prefix, "prefix");
        options = List.copyOf(options);
    }

    /** A prefix with no nested options. */
    public IaPrefix(long preferredLifetime, long validLifetime, int prefixLength, Inet6Address prefix) {
        this(preferredLifetime, validLifetime, prefixLength, prefix, List.of());
    }

    /** The nested Status Code, or null. */
    public StatusCode status() {
        return Dhcp6Codecs.decodeFirst(options, Dhcp6Options.STATUS_CODE);
    }

    public static final OptionCodec<IaPrefix> CODEC = OptionCodecs.codec("iaprefix",
            IaPrefix::read,
            IaPrefix::write,
            IaPrefix::parse,
            v -> Dhcp6Codecs.format(IpAddresses.text(v.prefix) + "/" + v.prefixLength + ","
                    + OptionCodecs.SECONDS.format(v.preferredLifetime) + ","
                    + OptionCodecs.SECONDS.format(v.validLifetime), v.options));

    private static IaPrefix read(ByteBuf buf) {
        if (buf.readableBytes() < FIXED_LENGTH) {
            throw OptionCodecs.malformed("IA prefix: " + buf.readableBytes() + " bytes (expected: at least "
                    + FIXED_LENGTH + ")");
        }
        long preferred = buf.readUnsignedInt();
        long valid = buf.readUnsignedInt();
        int length = buf.readUnsignedByte();
        if (length > 128) {
            throw OptionCodecs.malformed("IA prefix: prefix length " + length + " (expected: 0..128)");
        }
        Inet6Address prefix = IpAddresses.readIpv6(buf);
        return new IaPrefix(preferred, valid, length, prefix,
                Dhcp6Codecs.readOptions(buf, "IA prefix", Dhcp6Options.STATUS_CODE));
    }

    private static void write(IaPrefix v, ByteBuf out) {
        out.writeInt((int) v.preferredLifetime);
        out.writeInt((int) v.validLifetime);
        out.writeByte(v.prefixLength);
        out.writeBytes(v.prefix.getAddress());
        Dhcp6Codecs.writeOptions(v.options, out);
    }

    private static IaPrefix parse(String text) {
        List<String> f = Dhcp6Codecs.fields(Dhcp6Codecs.head(text), 3, "IA prefix", "prefix/length,preferred,valid");
        String p = f.get(0);
        int slash = p.lastIndexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("IA prefix: '" + p + "' (expected: prefix/length)");
        }
        int length = (int) OptionCodecs.checkRange(OptionCodecs.parseLong(p.substring(slash + 1), "prefix length"),
                0, 128, "prefix length");
        return new IaPrefix(OptionCodecs.parseSeconds(f.get(1)), OptionCodecs.parseSeconds(f.get(2)), length,
                IpAddresses.parseIpv6(p.substring(0, slash)), Dhcp6Codecs.nestedText(text));
    }

    @Override
    public String toString() {
        return IpAddresses.text(prefix) + "/" + prefixLength + " pl " + preferredLifetime + " vl " + validLifetime
                + (options.isEmpty() ? "" : " options " + options);
    }
}
