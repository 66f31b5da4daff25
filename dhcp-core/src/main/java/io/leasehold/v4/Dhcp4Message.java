package io.leasehold.v4;

import io.leasehold.option.OptionDef;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.MalformedPacketException;
import io.leasehold.wire.MalformedPacketException.Reason;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A read-only view of a DHCPv4 message (RFC 2131 §2) over a {@link ByteBuf}, without copying.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+---------------+---------------+
 * |     op (1)    |   htype (1)   |   hlen (1)    |   hops (1)    |
 * +---------------+---------------+---------------+---------------+
 * |                            xid (4)                            |
 * +-------------------------------+-------------------------------+
 * |           secs (2)            |           flags (2)           |
 * +-------------------------------+-------------------------------+
 * |          ciaddr (4)  |  yiaddr (4)  |  siaddr (4)  |  giaddr (4)|
 * +---------------------------------------------------------------+
 * |                          chaddr (16)                          |
 * |                          sname  (64)                          |
 * |                          file   (128)                         |
 * +---------------------------------------------------------------+
 * |  magic cookie 99.130.83.99 (4)  |  options (variable)         |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>{@link #wrap} checks the fixed part and walks the options once, recording where each one is
 * (in the options field, then {@code file} and {@code sname} when option 52 overloads them, the
 * order RFC 3396 concatenates in). Values are read only when asked for. The view keeps the buffer's
 * indexes untouched and holds no reference count: the caller owns the buffer and must keep it
 * alive while the view is used.
 *
 * <p>A view is reusable ({@link #reset}) and not thread-safe; a packet handler keeps one per thread
 * so that reading a packet allocates nothing.
 */
public final class Dhcp4Message {

    public static final int OP_OFFSET = 0;
    public static final int HTYPE_OFFSET = 1;
    public static final int HLEN_OFFSET = 2;
    public static final int HOPS_OFFSET = 3;
    public static final int XID_OFFSET = 4;
    public static final int SECS_OFFSET = 8;
    public static final int FLAGS_OFFSET = 10;
    public static final int CIADDR_OFFSET = 12;
    public static final int YIADDR_OFFSET = 16;
    public static final int SIADDR_OFFSET = 20;
    public static final int GIADDR_OFFSET = 24;
    public static final int CHADDR_OFFSET = 28;
    public static final int SNAME_OFFSET = 44;
    public static final int FILE_OFFSET = 108;
    public static final int COOKIE_OFFSET = 236;
    public static final int OPTIONS_OFFSET = 240;

    public static final int CHADDR_LENGTH = 16;
    public static final int SNAME_LENGTH = 64;
    public static final int FILE_LENGTH = 128;

    /** The fixed header and the magic cookie: the smallest readable DHCP message. */
    public static final int MIN_LENGTH = OPTIONS_OFFSET;

    /** RFC 2131 §3: 99.130.83.99. */
    public static final int MAGIC_COOKIE = 0x63825363;

    public static final int OP_BOOTREQUEST = 1;
    public static final int OP_BOOTREPLY = 2;

    /** RFC 2131 §2: the leftmost bit of {@code flags}. */
    public static final int FLAG_BROADCAST = 0x8000;

    /** Option 52's bits: which header fields hold options. */
    public static final int OVERLOAD_FILE = 1;
    public static final int OVERLOAD_SNAME = 2;

    // An index entry packs an option occurrence into one int: value offset (16 bits, relative to
    // the message start), code (8 bits), length (8 bits). A DHCPv4 message fits a UDP datagram, so
    // offsets fit 16 bits.
    private int[] entries = new int[64];
    private int count;
    // Bitmaps over codes 0..255: present at all, and present more than once (RFC 3396 split).
    private final long[] present = new long[4];
    private final long[] repeated = new long[4];

    private ByteBuf buf;
    private int base;
    private int length;
    private int overload;

    /** A view with no message; call {@link #reset} before use. */
    public Dhcp4Message() {
    }

    /**
     * A new view of the readable bytes of {@code buf}.
     *
     * @throws MalformedPacketException when the bytes are not a readable DHCPv4 message
     */
    public static Dhcp4Message wrap(ByteBuf buf) {
        return new Dhcp4Message().reset(buf);
    }

    /** A new view of a copy of {@code bytes}; for tests and tools. */
    public static Dhcp4Message wrap(byte[] bytes) {
        return wrap(Unpooled.wrappedBuffer(bytes));
    }

    /**
     * Points this view at the readable bytes of {@code buf} and indexes its options.
     *
     * @return this view
     * @throws MalformedPacketException when the bytes are not a readable DHCPv4 message; the view is
     *         then empty
     */
    public Dhcp4Message reset(ByteBuf buf) {
        clear();
        int len = buf.readableBytes();
        if (len < MIN_LENGTH) {
            throw new MalformedPacketException(Reason.TOO_SHORT,
                    "DHCPv4 message: " + len + " bytes (expected: at least " + MIN_LENGTH + ")");
        }
        if (len > 0xffff) {
            throw new MalformedPacketException(Reason.BAD_HEADER,
                    "DHCPv4 message: " + len + " bytes (expected: at most 65535)");
        }
        int b = buf.readerIndex();
        int hlen = buf.getUnsignedByte(b + HLEN_OFFSET);
        if (hlen > CHADDR_LENGTH) {
            throw new MalformedPacketException(Reason.BAD_HLEN, "hlen: " + hlen + " (expected: 0..16)");
        }
        int cookie = buf.getInt(b + COOKIE_OFFSET);
        if (cookie != MAGIC_COOKIE) {
            throw new MalformedPacketException(Reason.BAD_MAGIC_COOKIE,
                    "magic cookie: 0x" + Integer.toHexString(cookie) + " (expected: 0x63825363)");
        }
        this.buf = buf;
        this.base = b;
        this.length = len;
        try {
            indexArea(OPTIONS_OFFSET, len, true);
            // RFC 2131 §4.1: after the options field, 'file' then 'sname' when overloaded.
            if ((overload & OVERLOAD_FILE) != 0) {
                indexArea(FILE_OFFSET, FILE_OFFSET + FILE_LENGTH, false);
            }
            if ((overload & OVERLOAD_SNAME) != 0) {
                indexArea(SNAME_OFFSET, SNAME_OFFSET + SNAME_LENGTH, false);
            }
        } catch (MalformedPacketException e) {
            clear();
            throw e;
        }
        return this;
    }

    private void clear() {
        buf = null;
        count = 0;
        overload = 0;
        length = 0;
        Arrays.fill(present, 0);
        Arrays.fill(repeated, 0);
    }

    /** Records every option of the area [from, to) (offsets relative to the message). */
    private void indexArea(int from, int to, boolean mainArea) {
        int pos = from;
        while (pos < to) {
            int code = buf.getUnsignedByte(base + pos);
            if (code == 0) {            // pad
                pos++;
                continue;
            }
            if (code == 255) {          // end: the rest of the area is padding
                return;
            }
            if (pos + 1 >= to) {
                throw new MalformedPacketException(Reason.OPTION_OVERRUN,
                        "option " + code + " at offset " + pos + ": no length octet before the area ends");
            }
            int len = buf.getUnsignedByte(base + pos + 1);
            int value = pos + 2;
            if (value + len > to) {
                throw new MalformedPacketException(Reason.OPTION_OVERRUN,
                        "option " + code + " at offset " + pos + ": length " + len + " runs past the area ("
                                + (to - value) + " bytes left)");
            }
            if (code == Dhcp4Options.OPTION_OVERLOAD.code()) {
                recordOverload(mainArea, value, len);
            }
            add(code, value, len);
            pos = value + len;
        }
    }

    private void recordOverload(boolean mainArea, int value, int len) {
        // Option 52 only means something in the options field; anywhere else it would make the
        // areas refer to each other (RFC 2131 §4.1 forbids it), so the message is unreadable.
        if (!mainArea) {
            throw new MalformedPacketException(Reason.BAD_OVERLOAD, "option overload inside an overloaded field");
        }
        if (len != 1) {
            throw new MalformedPacketException(Reason.BAD_OVERLOAD, "option overload: length " + len + " (expected: 1)");
        }
        int v = buf.getUnsignedByte(base + value);
        if (v < 1 || v > 3 || (overload != 0 && overload != v)) {
            throw new MalformedPacketException(Reason.BAD_OVERLOAD, "option overload: " + v + " (expected: 1..3, once)");
        }
        overload = v;
    }

    private void add(int code, int value, int len) {
        if (count == entries.length) {
            entries = Arrays.copyOf(entries, count * 2);
        }
        entries[count++] = value << 16 | code << 8 | len;
        long bit = 1L << (code & 63);
        if ((present[code >>> 6] & bit) != 0) {
            repeated[code >>> 6] |= bit;
        }
        present[code >>> 6] |= bit;
    }

    // ---- the fixed header ----------------------------------------------------------------------

    /** The buffer this view reads; its indexes are the caller's. */
    public ByteBuf buffer() {
        return buf;
    }

    /** The absolute index of the message's first byte in {@link #buffer()}. */
    public int baseIndex() {
        return base;
    }

    /** The message length in bytes. */
    public int length() {
        return length;
    }

    public int op() {
        return buf.getUnsignedByte(base + OP_OFFSET);
    }

    public int htype() {
        return buf.getUnsignedByte(base + HTYPE_OFFSET);
    }

    public int hlen() {
        return buf.getUnsignedByte(base + HLEN_OFFSET);
    }

    public int hops() {
        return buf.getUnsignedByte(base + HOPS_OFFSET);
    }

    public int xid() {
        return buf.getInt(base + XID_OFFSET);
    }

    public int secs() {
        return buf.getUnsignedShort(base + SECS_OFFSET);
    }

    public int flags() {
        return buf.getUnsignedShort(base + FLAGS_OFFSET);
    }

    /** True when the client asked for broadcast replies (RFC 2131 §4.1). */
    public boolean broadcast() {
        return (flags() & FLAG_BROADCAST) != 0;
    }

    /** Client address, network order as an int (0 = none). */
    public int ciaddr() {
        return buf.getInt(base + CIADDR_OFFSET);
    }

    public int yiaddr() {
        return buf.getInt(base + YIADDR_OFFSET);
    }

    public int siaddr() {
        return buf.getInt(base + SIADDR_OFFSET);
    }

    /** Relay agent address (0 = not relayed). */
    public int giaddr() {
        return buf.getInt(base + GIADDR_OFFSET);
    }

    /** The first {@code hlen} bytes of {@code chaddr}, copied. */
    public Octets chaddr() {
        return Octets.copyOf(buf, base + CHADDR_OFFSET, hlen());
    }

    /** All 16 bytes of the {@code chaddr} field, copied. */
    public Octets chaddrField() {
        return Octets.copyOf(buf, base + CHADDR_OFFSET, CHADDR_LENGTH);
    }

    /**
     * The client's Ethernet address as the low 48 bits of a long, or -1 when {@code htype}/{@code hlen}
     * are not Ethernet (1/6). Allocation-free, for the packet path.
     */
    public long macAddress() {
        if (htype() != 1 || hlen() != 6) {
            return -1;
        }
        return (long) buf.getUnsignedShort(base + CHADDR_OFFSET) << 32 | buf.getUnsignedInt(base + CHADDR_OFFSET + 2);
    }

    /** The raw 64-byte {@code sname} field, copied. */
    public Octets snameField() {
        return Octets.copyOf(buf, base + SNAME_OFFSET, SNAME_LENGTH);
    }

    /** The raw 128-byte {@code file} field, copied. */
    public Octets fileField() {
        return Octets.copyOf(buf, base + FILE_OFFSET, FILE_LENGTH);
    }

    /** The server host name: the NUL-terminated text of {@code sname}, or null when it holds options. */
    public String sname() {
        return (overload & OVERLOAD_SNAME) != 0 ? null : cString(SNAME_OFFSET, SNAME_LENGTH);
    }

    /** The boot file name: the NUL-terminated text of {@code file}, or null when it holds options. */
    public String file() {
        return (overload & OVERLOAD_FILE) != 0 ? null : cString(FILE_OFFSET, FILE_LENGTH);
    }

    private String cString(int offset, int max) {
        int n = 0;
        while (n < max && buf.getByte(base + offset + n) != 0) {
            n++;
        }
        return buf.toString(base + offset, n, StandardCharsets.ISO_8859_1);
    }

    /** Option 52's value (0 when absent): {@link #OVERLOAD_FILE}, {@link #OVERLOAD_SNAME} or both. */
    public int overload() {
        return overload;
    }

    // ---- options --------------------------------------------------------------------------------

    /** The number of option occurrences (pads and ends excluded), in wire order. */
    public int optionCount() {
        return count;
    }

    /** The code of occurrence {@code i}. */
    public int optionCode(int i) {
        return (entry(i) >>> 8) & 0xff;
    }

    /** The absolute buffer index of occurrence {@code i}'s value. */
    public int optionValueIndex(int i) {
        return base + (entry(i) >>> 16);
    }

    /** The value length of occurrence {@code i}. */
    public int optionLength(int i) {
        return entry(i) & 0xff;
    }

    private int entry(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("option index: " + i + " (expected: 0.." + (count - 1) + ")");
        }
        return entries[i];
    }

    /** True when the message carries option {@code code}. */
    public boolean hasOption(int code) {
        return code >= 0 && code < 256 && (present[code >>> 6] & (1L << (code & 63))) != 0;
    }

    /** True when option {@code code} appears more than once and is concatenated (RFC 3396). */
    public boolean isSplit(int code) {
        return code >= 0 && code < 256 && (repeated[code >>> 6] & (1L << (code & 63))) != 0;
    }

    /** The index of the first occurrence of {@code code}, or -1. */
    public int indexOf(int code) {
        if (!hasOption(code)) {
            return -1;
        }
        for (int i = 0; i < count; i++) {
            if (((entries[i] >>> 8) & 0xff) == code) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The value of option {@code code}: a slice of the message for a single occurrence, or a new
     * buffer holding the concatenation of all occurrences (RFC 3396 §5). Null when absent. The
     * returned buffer shares the message's lifetime.
     */
    public ByteBuf optionValue(int code) {
        int first = indexOf(code);
        if (first < 0) {
            return null;
        }
        if (!isSplit(code)) {
            return buf.slice(optionValueIndex(first), optionLength(first));
        }
        int total = 0;
        for (int i = first; i < count; i++) {
            if (optionCode(i) == code) {
                total += optionLength(i);
            }
        }
        ByteBuf joined = Unpooled.buffer(total, total);
        for (int i = first; i < count; i++) {
            if (optionCode(i) == code) {
                joined.writeBytes(buf, optionValueIndex(i), optionLength(i));
            }
        }
        return joined;
    }

    /**
     * The decoded value of {@code def}'s option, or null when it is absent or its value is malformed:
     * a bad option costs that option, not the packet (RFC 2131 leaves a bad value unusable, not the
     * message). Use {@link #optionOrThrow} to learn why a value did not decode.
     */
    public <T> T option(OptionDef<T> def) {
        try {
            return optionOrThrow(def);
        } catch (MalformedPacketException e) {
            return null;
        }
    }

    /**
     * The decoded value of {@code def}'s option, or null when absent.
     *
     * @throws MalformedPacketException when the value is malformed
     */
    public <T> T optionOrThrow(OptionDef<T> def) {
        ByteBuf value = optionValue(def.code());
        return value == null ? null : def.decode(value);
    }

    /** The message type (option 53), or {@link Dhcp4MessageType#BOOTP} (0) when absent or not one octet. */
    public int messageType() {
        int i = indexOf(Dhcp4Options.MESSAGE_TYPE.code());
        if (i < 0 || optionLength(i) != 1 || isSplit(Dhcp4Options.MESSAGE_TYPE.code())) {
            return Dhcp4MessageType.BOOTP;
        }
        return buf.getUnsignedByte(optionValueIndex(i));
    }

    /**
     * A four-octet option as a network-order int (requested address, server identifier), or 0 when
     * absent or not exactly four octets. Allocation-free, for the packet path.
     */
    public int ipv4Option(int code) {
        int i = indexOf(code);
        if (i < 0 || optionLength(i) != 4 || isSplit(code)) {
            return 0;
        }
        return buf.getInt(optionValueIndex(i));
    }

    /** A two-octet option's value, or {@code absent} when absent or not exactly two octets. */
    public int u16Option(int code, int absent) {
        int i = indexOf(code);
        if (i < 0 || optionLength(i) != 2 || isSplit(code)) {
            return absent;
        }
        return buf.getUnsignedShort(optionValueIndex(i));
    }

    /** True when the parameter request list (55) asks for {@code code}. */
    public boolean requests(int code) {
        int prl = Dhcp4Options.PARAMETER_REQUEST_LIST.code();
        if (!hasOption(prl)) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (optionCode(i) == prl) {
                int at = optionValueIndex(i);
                for (int j = 0; j < optionLength(i); j++) {
                    if (buf.getUnsignedByte(at + j) == code) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * A short label for logs (kea's {@code makeLabel}): message type, xid and the client's hardware
     * address, e.g. {@code DISCOVER xid=0x0f1c8d0b chaddr=fa:16:3e:00:00:11}.
     */
    public String label() {
        if (buf == null) {
            return "(no message)";
        }
        return Dhcp4MessageType.label(messageType()) + " xid=0x" + String.format("%08x", xid())
                + " chaddr=" + chaddr().toHex()
                + (giaddr() != 0 ? " giaddr=" + IpAddresses.ipv4Text(giaddr()) : "");
    }

    @Override
    public String toString() {
        return label();
    }
}
