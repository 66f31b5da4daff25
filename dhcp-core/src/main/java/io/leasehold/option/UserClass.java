package io.leasehold.option;

import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * User class data: DHCPv4 option 77 (RFC 3004) and DHCPv6 option 15 (RFC 8415 §21.15), a list of
 * length-prefixed opaque items.
 *
 * <p>Some DHCPv4 clients (iPXE among them) send option 77 as one bare string without the RFC 3004
 * length prefix. Such a value is kept as one item with {@code rfc3004 = false} and written back the
 * same way, so the tag {@code ipxe} still matches and nothing is lost.
 *
 * <p>Text form: items separated by commas; an item of printable text is written as text, any other
 * item as {@code 0x} and hex digits (an item of text that could be read as hex is written as hex
 * too, so that parsing gives back the same bytes). Colon-separated hex is accepted when parsing. A
 * bare-string value is written with a leading {@code raw:}.
 */
public record UserClass(List<Octets> items, boolean rfc3004) {

    public UserClass {
        items = List.copyOf(items);
        if (!rfc3004 && items.size() != 1) {
            throw new IllegalArgumentException("user class: a bare-string value has exactly one item, not " + items.size());
        }
    }

    /** An RFC 3004 user class of text items. */
    public static UserClass of(String... items) {
        List<Octets> list = new ArrayList<>();
        for (String s : items) {
            list.add(Octets.of(s.getBytes(StandardCharsets.UTF_8)));
        }
        return new UserClass(list, true);
    }

    /** True when some item's bytes equal {@code text} (UTF-8). */
    public boolean contains(String text) {
        Octets wanted = Octets.of(text.getBytes(StandardCharsets.UTF_8));
        return items.contains(wanted);
    }

    /** DHCPv4 option 77: one-octet lengths, with the bare-string fallback. */
    public static final OptionCodec<UserClass> CODEC_V4 = codec(1);

    /** DHCPv6 option 15: two-octet lengths. */
    public static final OptionCodec<UserClass> CODEC_V6 = codec(2);

    private static OptionCodec<UserClass> codec(int width) {
        return OptionCodecs.codec(width == 1 ? "user-class" : "user-class6",
                buf -> read(buf, width),
                (v, out) -> write(v, width, out),
                text -> parse(text, width),
                UserClass::format);
    }

    private static UserClass read(ByteBuf buf, int width) {
        if (!buf.isReadable()) {
            throw OptionCodecs.malformed("user class: empty");
        }
        int start = buf.readerIndex();
        List<Octets> items = new ArrayList<>();
        boolean wellFormed = true;
        while (buf.isReadable()) {
            if (buf.readableBytes() < width) {
                wellFormed = false;
                break;
            }
            int len = width == 1 ? buf.readUnsignedByte() : buf.readUnsignedShort();
            if (len == 0 || len > buf.readableBytes()) {
                wellFormed = false;
                break;
            }
            items.add(Octets.read(buf, len));
        }
        if (wellFormed) {
            return new UserClass(items, true);
        }
        if (width == 2) {
            throw OptionCodecs.malformed("user class: an item's length runs past the option");
        }
        buf.readerIndex(start);
        return new UserClass(List.of(Octets.read(buf, buf.readableBytes())), false);
    }

    private static void write(UserClass v, int width, ByteBuf out) {
        if (!v.rfc3004) {
            v.items.get(0).writeTo(out);
            return;
        }
        int max = width == 1 ? 255 : 65535;
        for (Octets item : v.items) {
            if (item.isEmpty() || item.length() > max) {
                throw new IllegalArgumentException("user class item: " + item.length() + " bytes (expected: 1.." + max + ")");
            }
            if (width == 1) {
                out.writeByte(item.length());
            } else {
                out.writeShort(item.length());
            }
            item.writeTo(out);
        }
    }

    private static UserClass parse(String text, int width) {
        boolean raw = width == 1 && text.startsWith("raw:");
        String body = raw ? text.substring(4) : text;
        List<Octets> items = new ArrayList<>();
        for (String s : raw ? List.of(body) : OptionCodecs.splitList(body)) {
            items.add(parseItem(s));
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("user class: '" + text + "' (expected: at least one item)");
        }
        return new UserClass(items, !raw);
    }

    /** An item's bytes: {@code 0x} hex or colon-hex when it is that, else the UTF-8 bytes of the text. */
    public static Octets parseItem(String s) {
        if (isHexItem(s)) {
            return Octets.parseHex(s.startsWith("0x") ? s.substring(2) : s);
        }
        return Octets.of(OptionCodecs.unquote(s).getBytes(StandardCharsets.UTF_8));
    }

    /** An item's text: itself when printable and unambiguous, else colon-hex. */
    public static String formatItem(Octets item) {
        byte[] b = item.toByteArray();
        boolean printable = b.length > 0;
        for (byte x : b) {
            if (x < 0x21 || x > 0x7e || x == ',' || x == '"' || x == ';') {
                printable = false;
                break;
            }
        }
        String text = new String(b, StandardCharsets.US_ASCII);
        if (printable && !isHexItem(text) && !text.startsWith("raw:")) {
            return text;
        }
        return "0x" + item.toHex((char) 0);
    }

    private static boolean isHexItem(String s) {
        if (Octets.looksLikeColonHex(s)) {
            return true;
        }
        if (!s.startsWith("0x") || (s.length() & 1) != 0) {
            return false;
        }
        for (int i = 2; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String format(UserClass v) {
        StringBuilder sb = new StringBuilder(v.rfc3004 ? "" : "raw:");
        for (Octets item : v.items) {
            if (sb.length() > (v.rfc3004 ? 0 : 4)) {
                sb.append(',');
            }
            sb.append(formatItem(item));
        }
        return sb.toString();
    }
}
