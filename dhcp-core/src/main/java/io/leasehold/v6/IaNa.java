package io.leasehold.v6;

import io.leasehold.option.OptionCodec;
import io.leasehold.option.OptionCodecs;
import io.leasehold.option.SubOption;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * The Identity Association for Non-temporary Addresses option (3, RFC 8415 §21.4): the IAID that
 * names the IA, the renewal times T1 and T2, and the nested options: IA Address options (5) and a
 * Status Code (13).
 *
 * <pre>
 * +-------------------------------+-------------------------------+
 * |          OPTION_IA_NA         |          option-len           |
 * +-------------------------------+-------------------------------+
 * |                        IAID (4 octets)                        |
 * |                         T1 (4 octets)                         |
 * |                         T2 (4 octets)                         |
 * +---------------------------------------------------------------+
 * .                         IA_NA-options                         .
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Nested options are kept as they came, in order, so a value encodes back to its bytes; the
 * typed ones are read through {@link #addresses()} and {@link #status()}. A nested length that runs
 * past the value, or a nested IAADDR or Status Code that does not decode, makes the IA_NA malformed
 * and so costs this option only. Text form: {@code iaid,t1,t2} (IAID in hex, times as {@code 60s}
 * or {@code infinite}), then {@code ;} and the nested options as {@code code=hex,...}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8415#section-21.4">RFC 8415 §21.4</a>
 */
public record IaNa(long iaid, long t1, long t2, List<SubOption> options) {

    /** IAID, T1 and T2, before any nested option. */
    public static final int FIXED_LENGTH = 12;

    public IaNa {
        OptionCodecs.checkRange(iaid, 0, Dhcp6Codecs.U32_MAX, "iaid");
        OptionCodecs.checkRange(t1, 0, Dhcp6Codecs.U32_MAX, "t1");
        OptionCodecs.checkRange(t2, 0, Dhcp6Codecs.U32_MAX, "t2");
        options = List.copyOf(options);
    }

    /** An IA_NA holding {@code addresses} and, when not null, {@code status}, in that order. */
    public static IaNa of(long iaid, long t1, long t2, List<IaAddress> addresses, StatusCode status) {
        List<SubOption> nested = new ArrayList<>(addresses.size() + 1);
        for (IaAddress a : addresses) {
            nested.add(Dhcp6Codecs.nested(Dhcp6Options.IAADDR, a));
        }
        if (status != null) {
            nested.add(Dhcp6Codecs.nested(Dhcp6Options.STATUS_CODE, status));
        }
        return new IaNa(iaid, t1, t2, nested);
    }

    /** The nested IA Address options, in order. */
    public List<IaAddress> addresses() {
        return Dhcp6Codecs.decodeAll(options, Dhcp6Options.IAADDR);
    }

    /** The nested Status Code, or null. */
    public StatusCode status() {
        return Dhcp6Codecs.decodeFirst(options, Dhcp6Options.STATUS_CODE);
    }

    public static final OptionCodec<IaNa> CODEC = OptionCodecs.codec("ia-na",
            IaNa::read,
            IaNa::write,
            IaNa::parse,
            v -> Dhcp6Codecs.format(String.format("0x%08x", v.iaid) + "," + OptionCodecs.SECONDS.format(v.t1) + ","
                    + OptionCodecs.SECONDS.format(v.t2), v.options));

    private static IaNa read(ByteBuf buf) {
        if (buf.readableBytes() < FIXED_LENGTH) {
            throw OptionCodecs.malformed("IA_NA: " + buf.readableBytes() + " bytes (expected: at least "
                    + FIXED_LENGTH + ")");
        }
        long iaid = buf.readUnsignedInt();
        long t1 = buf.readUnsignedInt();
        long t2 = buf.readUnsignedInt();
        return new IaNa(iaid, t1, t2,
                Dhcp6Codecs.readOptions(buf, "IA_NA", Dhcp6Options.IAADDR, Dhcp6Options.STATUS_CODE));
    }

    private static void write(IaNa v, ByteBuf out) {
        out.writeInt((int) v.iaid);
        out.writeInt((int) v.t1);
        out.writeInt((int) v.t2);
        Dhcp6Codecs.writeOptions(v.options, out);
    }

    private static IaNa parse(String text) {
        List<String> f = Dhcp6Codecs.fields(Dhcp6Codecs.head(text), 3, "IA_NA", "iaid,t1,t2");
        return new IaNa(Dhcp6Codecs.u32(f.get(0), "iaid"), OptionCodecs.parseSeconds(f.get(1)),
                OptionCodecs.parseSeconds(f.get(2)), Dhcp6Codecs.nestedText(text));
    }

    @Override
    public String toString() {
        return String.format("IA_NA IAID 0x%08x T1 %d T2 %d", iaid, t1, t2) + (options.isEmpty() ? "" : " " + options);
    }
}
