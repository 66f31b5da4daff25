package io.leasehold.option;

import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.MalformedPacketException;
import io.leasehold.wire.MalformedPacketException.Reason;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The codecs shared by many options: integers, flags, addresses, strings, raw bytes and lists of
 * them. Structured values (routes, domain lists, FQDNs, DUIDs, sub-options) have codecs of their own
 * next to their value types.
 */
public final class OptionCodecs {

    private OptionCodecs() {
    }

    /** A zero-length option whose presence is the value (rapid commit, RFC 4039). Text: empty. */
    public static final OptionCodec<Boolean> PRESENT = codec("flag",
            buf -> Boolean.TRUE,
            (v, out) -> {
                if (!v) {
                    throw new IllegalArgumentException("flag: false (a flag option is present or absent)");
                }
            },
            text -> {
                String t = text.trim();
                if (!t.isEmpty() && !t.equalsIgnoreCase("true")) {
                    throw new IllegalArgumentException("flag: '" + text + "' (expected: no value)");
                }
                return Boolean.TRUE;
            },
            v -> "");

    /** One octet, 0 or 1 (RFC 2132 booleans). Text: {@code 0}/{@code 1}, also {@code true}/{@code false}. */
    public static final OptionCodec<Boolean> BOOLEAN = codec("boolean",
            buf -> {
                int v = buf.readUnsignedByte();
                if (v > 1) {
                    throw malformed("boolean: " + v + " (expected: 0 or 1)");
                }
                return v == 1;
            },
            (v, out) -> out.writeByte(v ? 1 : 0),
            text -> {
                switch (text.trim().toLowerCase(Locale.ROOT)) {
                    case "1": case "true": case "on": case "yes": return true;
                    case "0": case "false": case "off": case "no": return false;
                    default: throw new IllegalArgumentException("boolean: '" + text + "' (expected: 0 or 1)");
                }
            },
            v -> v ? "1" : "0");

    /** An unsigned octet. */
    public static final OptionCodec<Integer> U8 = unsigned("u8", 1);

    /** An unsigned 16-bit integer. */
    public static final OptionCodec<Integer> U16 = unsigned("u16", 2);

    /** An unsigned 32-bit integer. */
    public static final OptionCodec<Long> U32 = codec("u32",
            ByteBuf::readUnsignedInt,
            (v, out) -> out.writeInt((int) checkRange(v, 0, 0xffffffffL, "u32")),
            text -> checkRange(parseLong(text, "u32"), 0, 0xffffffffL, "u32"),
            v -> Long.toString(v));

    /** A signed 32-bit integer (time offset, RFC 2132 §3.4). */
    public static final OptionCodec<Integer> S32 = codec("s32",
            ByteBuf::readInt,
            (v, out) -> out.writeInt(v),
            text -> (int) checkRange(parseLong(text, "s32"), Integer.MIN_VALUE, Integer.MAX_VALUE, "s32"),
            v -> Integer.toString(v));

    /** Seconds that fit 32 bits, where {@code 0xffffffff} is infinity (lease time, T1, T2). */
    public static final OptionCodec<Long> SECONDS = codec("seconds",
            ByteBuf::readUnsignedInt,
            (v, out) -> out.writeInt((int) checkRange(v, 0, 0xffffffffL, "seconds")),
            OptionCodecs::parseSeconds,
            v -> v == 0xffffffffL ? "infinite" : v + "s");

    /** A list of unsigned octets (parameter request list). */
    public static final OptionCodec<List<Integer>> U8_LIST = list(U8, 1);

    /** A list of unsigned 16-bit integers (MTU plateau table, client architectures). */
    public static final OptionCodec<List<Integer>> U16_LIST = list(U16, 2);

    /** One IPv4 address. */
    public static final OptionCodec<Inet4Address> IPV4 = codec("ipv4",
            IpAddresses::readIpv4,
            (v, out) -> out.writeBytes(v.getAddress()),
            IpAddresses::parseIpv4,
            Inet4Address::getHostAddress);

    /** One or more IPv4 addresses. */
    public static final OptionCodec<List<Inet4Address>> IPV4_LIST = nonEmpty(list(IPV4, 4));

    /** Pairs of IPv4 addresses (policy filter: address and mask; static routes: destination and router). */
    public static final OptionCodec<List<Inet4Address>> IPV4_PAIRS = pairs(nonEmpty(list(IPV4, 4)));

    /** One IPv6 address. Text: with or without brackets; formatted without. */
    public static final OptionCodec<Inet6Address> IPV6 = codec("ipv6",
            IpAddresses::readIpv6,
            (v, out) -> out.writeBytes(v.getAddress()),
            IpAddresses::parseIpv6,
            IpAddresses::text);

    /** One or more IPv6 addresses. */
    public static final OptionCodec<List<Inet6Address>> IPV6_LIST = nonEmpty(list(IPV6, 16));

    /**
     * Text: UTF-8 on the wire, read back as ISO-8859-1 when the bytes are not UTF-8, so that any
     * received bytes still have a text form. Surrounding double quotes in the text form are removed,
     * as dnsmasq removes them.
     */
    public static final OptionCodec<String> STRING = codec("string",
            OptionCodecs::readString,
            (v, out) -> out.writeCharSequence(v, StandardCharsets.UTF_8),
            OptionCodecs::unquote,
            OptionCodecs::quoteIfQuoted);

    /**
     * Text that must be valid UTF-8 on the wire (DHCPv6 strings: RFC 8415 §21.13 status messages,
     * RFC 5970 boot file URLs, RFC 4833 time zones). Unlike {@link #STRING}, bytes that are not UTF-8
     * make the value malformed instead of being read as ISO-8859-1, so a decoded value always
     * encodes back to the bytes it came from. Text form as {@link #STRING}.
     */
    public static final OptionCodec<String> UTF8 = codec("utf8",
            OptionCodecs::readUtf8,
            (v, out) -> out.writeCharSequence(v, StandardCharsets.UTF_8),
            OptionCodecs::unquote,
            OptionCodecs::quoteIfQuoted);

    /** Raw bytes. Text: colon-separated hex. */
    public static final OptionCodec<Octets> OCTETS = codec("hex",
            buf -> Octets.read(buf, buf.readableBytes()),
            Octets::writeTo,
            Octets::parseHex,
            Octets::toHex);

    /** A codec from four functions. */
    public static <T> OptionCodec<T> codec(String type, Function<ByteBuf, T> decode, BiConsumer<T, ByteBuf> encode,
                                           Function<String, T> parse, Function<T, String> format) {
        return new OptionCodec<>() {
            @Override
            public T decode(ByteBuf value) {
                return decode.apply(value);
            }

            @Override
            public void encode(T value, ByteBuf out) {
                encode.accept(value, out);
            }

            @Override
            public T parse(String text) {
                return parse.apply(text);
            }

            @Override
            public String format(T value) {
                return format.apply(value);
            }

            @Override
            public String type() {
                return type;
            }
        };
    }

    /**
     * A list of fixed-width elements; the value length must be a multiple of {@code width}. Text:
     * the elements' text forms separated by commas.
     */
    public static <T> OptionCodec<List<T>> list(OptionCodec<T> element, int width) {
        return codec(element.type() + "-list",
                buf -> {
                    if (buf.readableBytes() % width != 0) {
                        throw malformed(element.type() + " list: " + buf.readableBytes()
                                + " bytes (expected: a multiple of " + width + ")");
                    }
                    List<T> out = new ArrayList<>(buf.readableBytes() / width);
                    while (buf.isReadable()) {
                        out.add(element.decode(buf));
                    }
                    return List.copyOf(out);
                },
                (v, out) -> v.forEach(e -> element.encode(e, out)),
                text -> {
                    List<T> out = new ArrayList<>();
                    for (String item : splitList(text)) {
                        out.add(element.parse(item));
                    }
                    return List.copyOf(out);
                },
                v -> {
                    StringBuilder sb = new StringBuilder();
                    for (T e : v) {
                        if (sb.length() > 0) {
                            sb.append(',');
                        }
                        sb.append(element.format(e));
                    }
                    return sb.toString();
                });
    }

    /** {@code codec}, refusing an empty list in either form. */
    public static <T> OptionCodec<List<T>> nonEmpty(OptionCodec<List<T>> codec) {
        return codec(codec.type(),
                buf -> {
                    if (!buf.isReadable()) {
                        throw malformed(codec.type() + ": empty (expected: at least one element)");
                    }
                    return codec.decode(buf);
                },
                (v, out) -> {
                    if (v.isEmpty()) {
                        throw new IllegalArgumentException(codec.type() + ": empty (expected: at least one element)");
                    }
                    codec.encode(v, out);
                },
                text -> {
                    List<T> v = codec.parse(text);
                    if (v.isEmpty()) {
                        throw new IllegalArgumentException(codec.type() + ": empty (expected: at least one element)");
                    }
                    return v;
                },
                codec::format);
    }

    private static <T> OptionCodec<List<T>> pairs(OptionCodec<List<T>> codec) {
        return codec(codec.type().replace("-list", "-pairs"),
                buf -> {
                    List<T> v = codec.decode(buf);
                    if ((v.size() & 1) != 0) {
                        throw malformed("pairs: " + v.size() + " elements (expected: an even number)");
                    }
                    return v;
                },
                (v, out) -> {
                    if ((v.size() & 1) != 0) {
                        throw new IllegalArgumentException("pairs: " + v.size() + " elements (expected: an even number)");
                    }
                    codec.encode(v, out);
                },
                text -> {
                    List<T> v = codec.parse(text);
                    if ((v.size() & 1) != 0) {
                        throw new IllegalArgumentException("pairs: '" + text + "' (expected: an even number of addresses)");
                    }
                    return v;
                },
                codec::format);
    }

    private static OptionCodec<Integer> unsigned(String type, int width) {
        long max = (1L << (8 * width)) - 1;
        return codec(type,
                buf -> width == 1 ? buf.readUnsignedByte() : buf.readUnsignedShort(),
                (v, out) -> {
                    checkRange(v, 0, max, type);
                    if (width == 1) {
                        out.writeByte(v);
                    } else {
                        out.writeShort(v);
                    }
                },
                text -> (int) checkRange(parseLong(text, type), 0, max, type),
                v -> Integer.toString(v));
    }

    /**
     * Splits a comma-separated text list, trimming each element. An empty text is an empty list.
     * Brackets protect nothing here: IPv6 literals contain no commas.
     */
    public static List<String> splitList(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : t.split(",", -1)) {
            out.add(s.trim());
        }
        return out;
    }

    /**
     * Parses seconds the way dnsmasq reads lease times: a number with an optional unit
     * ({@code s}, {@code m}, {@code h}, {@code d}, {@code w}), or {@code infinite}.
     */
    public static long parseSeconds(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("infinite")) {
            return 0xffffffffL;
        }
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 's': unit = 1; break;
                case 'm': unit = 60; break;
                case 'h': unit = 3600; break;
                case 'd': unit = 86400; break;
                case 'w': unit = 604800; break;
                default: unit = 0;
            }
            if (unit != 0) {
                t = t.substring(0, t.length() - 1);
            } else {
                unit = 1;
            }
        }
        long n = parseLong(t, "seconds");
        if (n < 0 || n > 0xffffffffL / unit) {
            throw new IllegalArgumentException("seconds: '" + text + "' (expected: 0..4294967295s or infinite)");
        }
        return n * unit;
    }

    /** Parses a decimal or {@code 0x} hex integer; the error names {@code type} and the text. */
    public static long parseLong(String text, String type) {
        String t = text.trim();
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseLong(t.substring(2), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(type + ": '" + text + "' (expected: a number)");
        }
    }

    /** Returns {@code v}, or throws an argument error {@code "type: v (expected: min..max)"}. */
    public static long checkRange(long v, long min, long max, String type) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(type + ": " + v + " (expected: " + min + ".." + max + ")");
        }
        return v;
    }

    /** Reads the remaining bytes as UTF-8, or as ISO-8859-1 when they are not valid UTF-8. */
    static String readString(ByteBuf buf) {
        int n = buf.readableBytes();
        byte[] bytes = new byte[n];
        buf.readBytes(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** Reads the remaining bytes as strict UTF-8; malformed sequences make the value malformed. */
    static String readUtf8(ByteBuf buf) {
        int n = buf.readableBytes();
        byte[] bytes = new byte[n];
        buf.readBytes(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw malformed("text: " + n + " bytes that are not UTF-8");
        }
    }

    static String unquote(String text) {
        if (text.length() >= 2 && text.charAt(0) == '"' && text.charAt(text.length() - 1) == '"') {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }

    /** The text form of a string that itself starts and ends with a quote keeps one more pair. */
    static String quoteIfQuoted(String value) {
        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            return '"' + value + '"';
        }
        return value;
    }

    /** The exception a codec throws for a value it cannot read ({@link Reason#BAD_OPTION_VALUE}). */
    public static MalformedPacketException malformed(String message) {
        return new MalformedPacketException(Reason.BAD_OPTION_VALUE, message);
    }
}
