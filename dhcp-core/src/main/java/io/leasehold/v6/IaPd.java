package io.leasehold.v6;

import io.leasehold.option.OptionCodec;
import io.leasehold.option.OptionCodecs;
import io.leasehold.option.SubOption;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * The Identity Association for Prefix Delegation option (25, RFC 8415 §21.21): an IAID, T1, T2,
 * and nested IA Prefix options (26) and a Status Code (13). The layout is that of
 * {@link IaNa}; nested options are kept as they came, and a nested lie costs this option only.
 *
 * <p>Text form: {@code iaid,t1,t2}, then {@code ;} and the nested options as {@code code=hex,...}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8415#section-21.21">RFC 8415 §21.21</a>
 */
public record IaPd(long iaid, long t1, long t2, List<SubOption> options) {

    /** IAID, T1 and T2, before any nested option. */
    public static final int FIXED_LENGTH = 12;

    public IaPd {
        OptionCodecs.checkRange(iaid, 0, Dhcp6Codecs.U32_MAX, "iaid");
        OptionCodecs.checkRange(t1, 0, Dhcp6Codecs.U32_MAX, "t1");
        OptionCodecs.checkRange(t2, 0, Dhcp6Codecs.U32_MAX, "t2");
        options = List.copyOf(options);
    }

    /** An IA_PD holding {@code prefixes} and, when not null, {@code status}, in that order. */
    public static IaPd of(long iaid, long t1, long t2, List<IaPrefix> prefixes, StatusCode status) {
        List<SubOption> nested = new ArrayList<>(prefixes.size() + 1);
        for (IaPrefix p : prefixes) {
            nested.add(Dhcp6Codecs.nested(Dhcp6Options.IAPREFIX, p));
        }
        if (status != null) {
            nested.add(Dhcp6Codecs.nested(Dhcp6Options.STATUS_CODE, status));
        }
        return new IaPd(iaid, t1, t2, nested);
    }

    /** The nested IA Prefix options, in order. */
    public List<IaPrefix> prefixes() {
        return Dhcp6Codecs.decodeAll(options, Dhcp6Options.IAPREFIX);
    }

    /** The nested Status Code, or null. */
    public StatusCode status() {
        return Dhcp6Codecs.decodeFirst(options, Dhcp6Options.STATUS_CODE);
    }

    public static final OptionCodec<IaPd> CODEC = OptionCodecs.codec("ia-pd",
            IaPd::read,
            IaPd::write,
            IaPd::parse,
            v -> Dhcp6Codecs.format(String.format("0x%08x", v.iaid) + "," + OptionCodecs.SECONDS.format(v.t1) + ","
                    + OptionCodecs.SECONDS.format(v.t2), v.options));

    private static IaPd read(ByteBuf buf) {
        if (buf.readableBytes() < FIXED_LENGTH) {
            throw OptionCodecs.malformed("IA_PD: " + buf.readableBytes() + " bytes (expected: at least "
                    + FIXED_LENGTH + ")");
        }
        long iaid = buf.readUnsignedInt();
        long t1 = buf.readUnsignedInt();
        long t2 = buf.readUnsignedInt();
        return new IaPd(iaid, t1, t2,
                Dhcp6Codecs.readOptions(buf, "IA_PD", Dhcp6Options.IAPREFIX, Dhcp6Options.STATUS_CODE));
    }

    private static void write(IaPd v, ByteBuf out) {
        out.writeInt((int) v.iaid);
        out.writeInt((int) v.t1);
        out.writeInt((int) v.t2);
        Dhcp6Codecs.writeOptions(v.options, out);
    }

    private static IaPd parse(String text) {
        List<String> f = Dhcp6Codecs.fields(Dhcp6Codecs.head(text), 3, "IA_PD", "iaid,t1,t2");
        return new IaPd(Dhcp6Codecs.u32(f.get(0), "iaid"), OptionCodecs.parseSeconds(f.get(1)),
                OptionCodecs.parseSeconds(f.get(2)), Dhcp6Codecs.nestedText(text));
    }

    @Override
    public String toString() {
        return String.format("IA_PD IAID 0x%08x T1 %d T2 %d", iaid, t1, t2) + (options.isEmpty() ? "" : " " + options);
    }
}
