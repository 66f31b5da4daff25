package io.leasehold.v6;

import io.leasehold.option.OptionCodec;
import io.leasehold.option.OptionCodecs;
import io.leasehold.option.SubOption;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * The Identity Association for Temporary Addresses option (4, RFC 8415 §21.5): an IAID and nested
 * IA Address options (5) and a Status Code (13). Temporary addresses have no T1 or T2. Nested
 * options are kept as they came, and a nested lie costs this option only.
 *
 * <p>Text form: the IAID in hex, then {@code ;} and the nested options as {@code code=hex,...}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8415#section-21.5">RFC 8415 §21.5</a>
 */
public record IaTa(long iaid, List<SubOption> options) {

    /** The IAID, before any nested option. */
    public static final int FIXED_LENGTH = 4;

    public IaTa {
        OptionCodecs.checkRange(iaid, 0, Dhcp6Codecs.U32_MAX, "iaid");
        options = List.copyOf(options);
    }

    /** An IA_TA holding {@code addresses} and, when not null, {@code status}, in that order. */
    public static IaTa of(long iaid, List<IaAddress> addresses, StatusCode status) {
        List<SubOption> nested = new ArrayList<>(addresses.size() + 1);
        for (IaAddress a : addresses) {
            nested.add(Dhcp6Codecs.nested(Dhcp6Options.IAADDR, a));
        }
        if (status != null) {
            nested.add(Dhcp6Codecs.nested(Dhcp6Options.STATUS_CODE, status));
        }
        return new IaTa(iaid, nested);
    }

    /** The nested IA Address options, in order. */
    public List<IaAddress> addresses() {
        return Dhcp6Codecs.decodeAll(options, Dhcp6Options.IAADDR);
    }

    /** The nested Status Code, or null. */
    public StatusCode status() {
        return Dhcp6Codecs.decodeFirst(options, Dhcp6Options.STATUS_CODE);
    }

    public static final OptionCodec<IaTa> CODEC = OptionCodecs.codec("ia-ta",
            IaTa::read,
            IaTa::write,
            IaTa::parse,
            v -> Dhcp6Codecs.format(String.format("0x%08x", v.iaid), v.options));

    private static IaTa read(ByteBuf buf) {
        if (buf.readableBytes() < FIXED_LENGTH) {
            throw OptionCodecs.malformed("IA_TA: " + buf.readableBytes() + " bytes (expected: at least "
                    + FIXED_LENGTH + ")");
        }
        long iaid = buf.readUnsignedInt();
        return new IaTa(iaid, Dhcp6Codecs.readOptions(buf, "IA_TA", Dhcp6Options.IAADDR, Dhcp6Options.STATUS_CODE));
    }

    private static void write(IaTa v, ByteBuf out) {
        out.writeInt((int) v.iaid);
        Dhcp6Codecs.writeOptions(v.options, out);
    }

    private static IaTa parse(String text) {
        return new IaTa(Dhcp6Codecs.u32(Dhcp6Codecs.head(text), "iaid"), Dhcp6Codecs.nestedText(text));
    }

    @Override
    public String toString() {
        return String.format("IA_TA IAID 0x%08x", iaid) + (options.isEmpty() ? "" : " " + options);
    }
}
