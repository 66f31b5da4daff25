package io.leasehold.v6;

import io.leasehold.option.OptionCodec;
import io.leasehold.option.OptionCodecs;
import io.leasehold.option.OptionDef;
import io.leasehold.option.SubOption;
import io.leasehold.option.UserClass;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;

/**
 * What the DHCPv6 value types share: the options nested in IA_NA, IA_TA, IA_PD, IAADDR and
 * IAPREFIX (RFC 8415 §21.1 framing inside another option's value), and lists of opaque items with
 * two-octet lengths.
 */
final class Dhcp6Codecs {

    private Dhcp6Codecs() {
    }

    static final long U32_MAX = 0xffffffffL;

    /**
     * Opaque items, each preceded by a two-octet length (vendor class data, RFC 8415 §21.16; boot
     * file parameters, RFC 5970 §3.2). An item may be empty. Text: items as {@link UserClass} writes
     * them, separated by commas.
     */
    static final OptionCodec<List<Octets>> OPAQUE_LIST = OptionCodecs.codec("opaque16-list",
            buf -> readItems(buf, "item list"),
            Dhcp6Codecs::writeItems,
            Dhcp6Codecs::parseItems,
            Dhcp6Codecs::formatItems);

    /**
     * Reads the options nested in a container's value until its end. A length that runs past the
     * container makes the container malformed, and so does a nested option of one of the
     * {@code checked} definitions whose value does not decode: the lie costs the enclosing option
     * (RFC 8415 §21.1 gives every option, nested or not, the same framing).
     */
    static List<SubOption> readOptions(ByteBuf buf, String what, OptionDef<?>... checked) {
        if (!buf.isReadable()) {
            return List.of();
        }
        List<SubOption> out = new ArrayList<>(2);
        while (buf.isReadable()) {
            if (buf.readableBytes() < Dhcp6Message.OPTION_HEADER_LENGTH) {
                throw OptionCodecs.malformed(what + ": nested option header cut short ("
                        + buf.readableBytes() + " bytes)");
            }
            int code = buf.readUnsignedShort();
            int len = buf.readUnsignedShort();
            if (len > buf.readableBytes()) {
                throw OptionCodecs.malformed(what + ": nested option " + code + " of " + len
                        + " bytes runs past it (" + buf.readableBytes() + " bytes left)");
            }
            ByteBuf value = buf.readSlice(len);
            for (OptionDef<?> def : checked) {
                if (def.code() == code) {
                    def.decode(value);
                }
            }
            out.add(new SubOption(code, Octets.copyOf(value)));
        }
        return List.copyOf(out);
    }

    /** Writes nested options, each with a two-octet code and length. */
    static void writeOptions(List<SubOption> options, ByteBuf out) {
        SubOption.LIST_U16.encode(options, out);
    }

    /** The nested option of {@code def}'s value, encoded. */
    static <T> SubOption nested(OptionDef<T> def, T value) {
        return new SubOption(def.code(), Octets.of(def.encode(value)));
    }

    /**
     * The values of every nested option of {@code def}, in order.
     *
     * @throws io.leasehold.wire.MalformedPacketException when one does not decode (never for a
     *         value that itself came from the wire: its nested options were checked then)
     */
    static <T> List<T> decodeAll(List<SubOption> options, OptionDef<T> def) {
        List<T> out = new ArrayList<>(1);
        for (SubOption s : options) {
            if (s.code() == def.code()) {
                out.add(def.decode(Unpooled.wrappedBuffer(s.data().toByteArray())));
            }
        }
        return List.copyOf(out);
    }

    /** The value of the first nested option of {@code def}, or null. */
    static <T> T decodeFirst(List<SubOption> options, OptionDef<T> def) {
        SubOption s = SubOption.find(options, def.code());
        return s == null ? null : def.decode(Unpooled.wrappedBuffer(s.data().toByteArray()));
    }

    /** {@code head}, then {@code ;} and the nested options as {@code code=hex,...} when there are any. */
    static String format(String head, List<SubOption> options) {
        return options.isEmpty() ? head : head + ";" + SubOption.LIST_U16.format(options);
    }

    /** The text before the first {@code ;}. */
    static String head(String text) {
        int semi = text.indexOf(';');
        return semi < 0 ? text : text.substring(0, semi);
    }

    /** The nested options written after the first {@code ;}, or none. */
    static List<SubOption> nestedText(String text) {
        int semi = text.indexOf(';');
        return semi < 0 ? List.of() : SubOption.LIST_U16.parse(text.substring(semi + 1));
    }

    /** Splits {@code text} at commas into exactly {@code n} fields, or throws naming {@code expected}. */
    static List<String> fields(String text, int n, String what, String expected) {
        List<String> parts = OptionCodecs.splitList(text);
        if (parts.size() != n) {
            throw new IllegalArgumentException(what + ": '" + text + "' (expected: " + expected + ")");
        }
        return parts;
    }

    static long u32(String text, String what) {
        return OptionCodecs.checkRange(OptionCodecs.parseLong(text, what), 0, U32_MAX, what);
    }

    static List<Octets> readItems(ByteBuf buf, String what) {
        List<Octets> items = new ArrayList<>();
        while (buf.isReadable()) {
            if (buf.readableBytes() < 2) {
                throw OptionCodecs.malformed(what + ": item length cut short");
            }
            int len = buf.readUnsignedShort();
            if (len > buf.readableBytes()) {
                throw OptionCodecs.malformed(what + ": item of " + len + " bytes runs past the value ("
                        + buf.readableBytes() + " bytes left)");
            }
            items.add(Octets.read(buf, len));
        }
        return List.copyOf(items);
    }

    static void writeItems(List<Octets> items, ByteBuf out) {
        for (Octets item : items) {
            if (item.length() > 0xffff) {
                throw new IllegalArgumentException("item: " + item.length() + " bytes (expected: at most 65535)");
            }
            out.writeShort(item.length());
            item.writeTo(out);
        }
    }

    static List<Octets> parseItems(String text) {
        List<Octets> items = new ArrayList<>();
        for (String s : OptionCodecs.splitList(text)) {
            items.add(UserClass.parseItem(s));
        }
        return List.copyOf(items);
    }

    static String formatItems(List<Octets> items) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(UserClass.formatItem(items.get(i)));
        }
        return sb.toString();
    }
}
