package io.leasehold.option;

import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One sub-option of an encapsulating option: relay agent information (82, RFC 3046), iPXE's
 * encapsulated options (175), a vendor's options (125, RFC 3925; DHCPv6 17, RFC 8415 §21.17).
 *
 * <p>Text form of a list: {@code code=hex} items separated by commas, in wire order, such as
 * {@code 1=65:74:68:30,2=00:16:3e:aa:bb:cc}.
 */
public record SubOption(int code, Octets data) {

    public SubOption {
        if (code < 0 || code > 0xffff) {
            throw new IllegalArgumentException("sub-option code: " + code + " (expected: 0..65535)");
        }
        Objects.requireNonNull(data, "data");
    }

    /** Sub-options with one-octet codes and lengths (DHCPv4). */
    public static final OptionCodec<List<SubOption>> LIST_U8 = listCodec("suboptions", 1);

    /** Sub-options with two-octet codes and lengths (DHCPv6 vendor options). */
    public static final OptionCodec<List<SubOption>> LIST_U16 = listCodec("suboptions16", 2);

    /** The first sub-option with {@code code} in {@code list}, or null. */
    public static SubOption find(List<SubOption> list, int code) {
        for (SubOption s : list) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }

    static OptionCodec<List<SubOption>> listCodec(String type, int width) {
        int max = width == 1 ? 0xff : 0xffff;
        return OptionCodecs.codec(type,
                buf -> readList(buf, width),
                (v, out) -> writeList(v, width, out),
                text -> parseList(text, max),
                SubOption::formatList);
    }

    /** Reads sub-options until the buffer's end; a length running past the end is malformed. */
    static List<SubOption> readList(ByteBuf buf, int width) {
        List<SubOption> out = new ArrayList<>();
        while (buf.isReadable()) {
            if (buf.readableBytes() < 2 * width) {
                throw OptionCodecs.malformed("sub-option: header cut short (" + buf.readableBytes() + " bytes)");
            }
            int code = width == 1 ? buf.readUnsignedByte() : buf.readUnsignedShort();
            int len = width == 1 ? buf.readUnsignedByte() : buf.readUnsignedShort();
            if (len > buf.readableBytes()) {
                throw OptionCodecs.malformed("sub-option " + code + ": length " + len + " runs past the option ("
                        + buf.readableBytes() + " bytes left)");
            }
            out.add(new SubOption(code, Octets.read(buf, len)));
        }
        return List.copyOf(out);
    }

    static void writeList(List<SubOption> list, int width, ByteBuf out) {
        int max = width == 1 ? 0xff : 0xffff;
        for (SubOption s : list) {
            if (s.code > max || s.data.length() > max) {
                throw new IllegalArgumentException("sub-option " + s.code + ": " + s.data.length()
                        + " bytes (expected: code and length at most " + max + ")");
            }
            if (width == 1) {
                out.writeByte(s.code).writeByte(s.data.length());
            } else {
                out.writeShort(s.code).writeShort(s.data.length());
            }
            s.data.writeTo(out);
        }
    }

    static List<SubOption> parseList(String text, int maxCode) {
        List<SubOption> out = new ArrayList<>();
        for (String item : OptionCodecs.splitList(text)) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("sub-option: '" + item + "' (expected: code=hex)");
            }
            int code = (int) OptionCodecs.checkRange(OptionCodecs.parseLong(item.substring(0, eq), "sub-option code"),
                    0, maxCode, "sub-option code");
            out.add(new SubOption(code, Octets.parseHex(item.substring(eq + 1))));
        }
        return List.copyOf(out);
    }

    static String formatList(List<SubOption> list) {
        StringBuilder sb = new StringBuilder();
        for (SubOption s : list) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(s);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return code + "=" + data.toHex();
    }
}
