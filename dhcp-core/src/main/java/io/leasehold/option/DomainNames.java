package io.leasehold.option;

import io.leasehold.wire.MalformedPacketException;
import io.netty.buffer.ByteBuf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Domain names in the RFC 1035 §3.1 wire form, with and without §4.1.4 compression pointers.
 *
 * <p>Text form: labels joined by dots, without the root's trailing dot for a fully qualified
 * name. A byte that would be ambiguous in text (dot, backslash, comma, quote, space, control or
 * non-ASCII) is written as {@code \DDD} (decimal), the zone-file escape, so every wire name has a
 * text form that parses back to the same bytes.
 *
 * <p>Compressed names (option 119, RFC 3397) are read with loop protection: a pointer must point
 * strictly before the label it appears in, so every jump goes backwards and the walk ends.
 */
public final class DomainNames {

    /** RFC 1035 §2.3.4: a name is at most 255 octets on the wire, a label at most 63. */
    public static final int MAX_NAME_OCTETS = 255;
    public static final int MAX_LABEL_OCTETS = 63;

    private DomainNames() {
    }

    /**
     * A domain search list (option 119, RFC 3397): names written compressed, read with pointers
     * relative to the start of the (concatenated) option value.
     */
    public static final OptionCodec<List<String>> SEARCH_LIST_COMPRESSED = searchList("domain-list", true);

    /**
     * A domain list that must not be compressed (DHCPv6 options 24 and others, RFC 8415 §10: "domain
     * names MUST NOT be stored in compressed form").
     */
    public static final OptionCodec<List<String>> SEARCH_LIST = searchList("domain-list", false);

    /** One uncompressed, fully qualified name filling the whole value. */
    public static final OptionCodec<String> NAME = OptionCodecs.codec("domain-name",
            buf -> {
                Name n = read(buf, buf.readerIndex(), false);
                if (!n.absolute) {
                    throw malformed("domain name: no root label");
                }
                return n.text;
            },
            (v, out) -> write(parseLabels(v), true, out, null, 0),
            text -> toText(parseLabels(text)),
            v -> v);

    private static OptionCodec<List<String>> searchList(String type, boolean compressed) {
        return OptionCodecs.codec(type,
                buf -> {
                    int base = buf.readerIndex();
                    List<String> names = new ArrayList<>();
                    while (buf.isReadable()) {
                        Name n = read(buf, base, compressed);
                        if (!n.absolute) {
                            throw malformed("domain list: a name without its root label");
                        }
                        names.add(n.text);
                    }
                    return List.copyOf(names);
                },
                (v, out) -> {
                    Map<String, Integer> suffixes = compressed ? new HashMap<>() : null;
                    int base = out.writerIndex();
                    for (String name : v) {
                        write(parseLabels(name), true, out, suffixes, base);
                    }
                },
                text -> {
                    List<String> names = new ArrayList<>();
                    for (String item : OptionCodecs.splitList(text)) {
                        names.add(toText(parseLabels(item)));
                    }
                    return List.copyOf(names);
                },
                v -> String.join(",", v));
    }

    /** A name read from the wire: its text, and whether it ended with the root label. */
    public static final class Name {
        public final String text;
        public final boolean absolute;

        Name(String text, boolean absolute) {
            this.text = text;
            this.absolute = absolute;
        }
    }

    /**
     * Reads one name starting at the reader index; the reader index ends after the name's last byte
     * in place (a pointer ends it). A name that runs to the end of the buffer without a root label is
     * partial (RFC 4702 §4, RFC 4704 §4.2 allow that for the FQDN options).
     *
     * @param base           the index compression pointers are relative to
     * @param allowPointers  whether compression pointers may appear
     */
    public static Name read(ByteBuf buf, int base, boolean allowPointers) {
        List<byte[]> labels = new ArrayList<>();
        int octets = 0;
        int pos = buf.readerIndex();
        int end = buf.writerIndex();
        int resumeAt = -1;          // where the reader continues after the first pointer
        int labelStart = pos;       // pointers must point before the label that holds them
        boolean absolute = false;
        while (pos < end) {
            int len = buf.getUnsignedByte(pos);
            if (len == 0) {
                pos++;
                octets++;
                absolute = true;
                break;
            }
            if ((len & 0xc0) == 0xc0) {
                if (!allowPointers) {
                    throw malformed("domain name: compression pointer where none is allowed");
                }
                if (pos + 1 >= end) {
                    throw malformed("domain name: pointer cut short");
                }
                int target = base + (((len & 0x3f) << 8) | buf.getUnsignedByte(pos + 1));
                if (target >= labelStart || target < base) {
                    throw malformed("domain name: pointer to offset " + (target - base) + " does not point backwards");
                }
                if (resumeAt < 0) {
                    resumeAt = pos + 2;
                }
                pos = target;
                labelStart = target;
                continue;
            }
            if ((len & 0xc0) != 0) {
                throw malformed("domain name: label type 0x" + Integer.toHexString(len & 0xc0) + " (expected: 0x00 or 0xc0)");
            }
            if (pos + 1 + len > end) {
                throw malformed("domain name: label of " + len + " bytes runs past the value");
            }
            octets += 1 + len;
            if (octets + 1 > MAX_NAME_OCTETS) {
                throw malformed("domain name: longer than " + MAX_NAME_OCTETS + " octets");
            }
            byte[] label = new byte[len];
            buf.getBytes(pos + 1, label);
            labels.add(label);
            pos += 1 + len;
            if (resumeAt < 0) {
                labelStart = pos;
            }
        }
        buf.readerIndex(resumeAt >= 0 ? resumeAt : pos);
        return new Name(toText(labels), absolute);
    }

    /**
     * Writes {@code labels}, followed by the root label when {@code absolute}. With a
     * {@code suffixes} map, reuses earlier suffixes as pointers (relative to {@code base}) and records
     * the new ones.
     */
    public static void write(List<byte[]> labels, boolean absolute, ByteBuf out,
                             Map<String, Integer> suffixes, int base) {
        for (int i = 0; i < labels.size(); i++) {
            if (suffixes != null && absolute) {
                String key = suffixKey(labels, i);
                Integer at = suffixes.get(key);
                if (at != null) {
                    out.writeShort(0xc000 | at);
                    return;
                }
                int offset = out.writerIndex() - base;
                if (offset <= 0x3fff) {
                    suffixes.put(key, offset);
                }
            }
            byte[] label = labels.get(i);
            out.writeByte(label.length);
            out.writeBytes(label);
        }
        if (absolute) {
            out.writeByte(0);
        }
    }

    private static String suffixKey(List<byte[]> labels, int from) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < labels.size(); i++) {
            // Names compare case-insensitively (RFC 1035 §2.3.3), but compression must not change
            // the case the operator wrote, so the key keeps the bytes as they are.
            sb.append(new String(labels.get(i), StandardCharsets.ISO_8859_1)).append('\0');
        }
        return sb.toString();
    }

    /**
     * Parses a name's text form into labels. A trailing dot is allowed and ignored; an empty label
     * elsewhere, a label over 63 octets or a name over 255 octets is refused.
     */
    public static List<byte[]> parseLabels(String text) {
        String t = OptionCodecs.unquote(text.trim());
        if (t.endsWith(".") && !t.endsWith("\\.")) {
            t = t.substring(0, t.length() - 1);
        }
        List<byte[]> labels = new ArrayList<>();
        if (t.isEmpty()) {
            return labels;
        }
        ByteArrayOutputStream label = new ByteArrayOutputStream();
        int octets = 1;
        byte[] utf8 = t.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            int c = utf8[i] & 0xff;
            if (c == '\\') {
                if (i + 3 < utf8.length && isDigit(utf8[i + 1]) && isDigit(utf8[i + 2]) && isDigit(utf8[i + 3])) {
                    int v = (utf8[i + 1] - '0') * 100 + (utf8[i + 2] - '0') * 10 + (utf8[i + 3] - '0');
                    if (v > 255) {
                        throw new IllegalArgumentException("domain name: '" + text + "' (escape \\" + v + " is over 255)");
                    }
                    label.write(v);
                    i += 3;
                } else if (i + 1 < utf8.length) {
                    label.write(utf8[++i]);
                } else {
                    throw new IllegalArgumentException("domain name: '" + text + "' (ends with a lone backslash)");
                }
            } else if (c == '.') {
                octets += closeLabel(label, labels, text);
            } else {
                label.write(c);
            }
        }
        octets += closeLabel(label, labels, text);
        if (octets > MAX_NAME_OCTETS) {
            throw new IllegalArgumentException("domain name: '" + text + "' (expected: at most 255 octets on the wire)");
        }
        return labels;
    }

    private static int closeLabel(ByteArrayOutputStream label, List<byte[]> labels, String text) {
        int n = label.size();
        if (n == 0) {
            throw new IllegalArgumentException("domain name: '" + text + "' (empty label)");
        }
        if (n > MAX_LABEL_OCTETS) {
            throw new IllegalArgumentException("domain name: '" + text + "' (a label is longer than 63 octets)");
        }
        labels.add(label.toByteArray());
        label.reset();
        return 1 + n;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** The text form of labels, without a trailing dot. */
    public static String toText(List<byte[]> labels) {
        StringBuilder sb = new StringBuilder();
        for (byte[] label : labels) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            appendLabel(sb, label);
        }
        return sb.toString();
    }

    private static void appendLabel(StringBuilder sb, byte[] label) {
        for (byte b : label) {
            int c = b & 0xff;
            boolean plain = c > 0x20 && c < 0x7f && c != '.' && c != '\\' && c != ',' && c != '"' && c != ';';
            if (plain) {
                sb.append((char) c);
            } else {
                sb.append('\\');
                if (c < 100) {
                    sb.append('0');
                }
                if (c < 10) {
                    sb.append('0');
                }
                sb.append(c);
            }
        }
    }

    private static MalformedPacketException malformed(String message) {
        return OptionCodecs.malformed(message);
    }
}
