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
 * The IA Address option (5, RFC 8415 §21.6): an address of an IA_NA or IA_TA, its lifetimes, and
 * the options nested in it (a Status Code, RFC 8415 §21.13, is the one the RFC defines).
 *
 * <pre>
 * +-------------------------------+-------------------------------+
 * |          OPTION_IAADDR        |          option-len           |
 * +-------------------------------+-------------------------------+
 * |                     IPv6-address (16)                         |
 * +---------------------------------------------------------------+
 * |                      preferred-lifetime (4)                   |
 * |                        valid-lifetime (4)                     |
 * +---------------------------------------------------------------+
 * .                        IAaddr-options                         .
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Nested options are kept as they came, so a value encodes back to its bytes; a nested Status
 * Code that does not decode, or a nested length that runs past the value, makes the whole IAADDR
 * malformed. Text form: {@code address,preferred,valid}, lifetimes as {@code 120s} or
 * {@code infinite}, then {@code ;} and nested options as {@code code=hex,...} when there are any.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8415#section-21.6">RFC 8415 §21.6</a>
 */
public record IaAddress(Inet6Address address, long preferredLifetime, long validLifetime, List<SubOption> options) {

    /** The address and the two lifetimes, before any nested option. */
    public static final int FIXED_LENGTH = 24;

    public IaAddress {
        Objects.requireNonNull(address, "address");
        OptionCodecs.checkRange(preferredLifetime, 0, Dhcp6Codecs.U32_MAX, "preferred lifetime");
        OptionCodecs.checkRange(validLifetime, 0, Dhcp6Codecs.U32_MAX, "valid lifetime");
        options = List.copyOf(options);
    }

    /** An address with no nested options. */
    public IaAddress(Inet6Address address, long preferredLifetime, long validLifetime) {
        this(address, preferredLifetime, validLifetime, List.of());
    }

    /** An address whose nested options are {@code status}. */
    public static IaAddress of(Inet6Address address, long preferredLifetime, long validLifetime, StatusCode status) {
        return new IaAddress(address, preferredLifetime, validLifetime,
                List.of(Dhcp6Codecs.nested(Dhcp6Options.STATUS_CODE, status)));
    }

    /** The nested Status Code, or null. */
    public StatusCode status() {
        return Dhcp6Codecs.decodeFirst(options, Dhcp6Options.STATUS_CODE);
    }

    public static final OptionCodec<IaAddress> CODEC = OptionCodecs.codec("iaaddr",
            IaAddress::read,
            IaAddress::write,
            IaAddress::parse,
            v -> Dhcp6Codecs.format(IpAddresses.text(v.address) + "," + OptionCodecs.SECONDS.format(v.preferredLifetime)
                    + "," + OptionCodecs.SECONDS.format(v.validLifetime), v.options));

    private static IaAddress read(ByteBuf buf) {
        if (buf.readableBytes() < FIXED_LENGTH) {
            throw OptionCodecs.malformed("IA address: " + buf.readableBytes() + " bytes (expected: at least "
                    + FIXED_LENGTH + ")");
        }
        Inet6Address address = IpAddresses.readIpv6(buf);
        long preferred = buf.readUnsignedInt();
        long valid = buf.readUnsignedInt();
        return new IaAddress(address, preferred, valid,
                Dhcp6Codecs.readOptions(buf, "IA address", Dhcp6Options.STATUS_CODE));
    }

    private static void write(IaAddress v, ByteBuf out) {
        out.writeBytes(v.address.getAddress());
        out.writeInt((int) v.preferredLifetime);
        out.writeInt((int) v.validLifetime);
        Dhcp6Codecs.writeOptions(v.options, out);
    }

    private static IaAddress parse(String text) {
        List<String> f = Dhcp6Codecs.fields(Dhcp6Codecs.head(text), 3, "IA address", "address,preferred,valid");
        return new IaAddress(IpAddresses.parseIpv6(f.get(0)), OptionCodecs.parseSeconds(f.get(1)),
                OptionCodecs.parseSeconds(f.get(2)), Dhcp6Codecs.nestedText(text));
    }

    @Override
    public String toString() {
        StatusCode status = options.isEmpty() ? null : status();
        return IpAddresses.text(address) + " pl " + preferredLifetime + " vl " + validLifetime
                + (status != null ? " status " + status : "")
                + (options.size() > (status != null ? 1 : 0) ? " options " + options : "");
    }
}
