package io.leasehold.v4;

import io.leasehold.option.OptionDef;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds a DHCPv4 message and lays it out into a buffer within a size limit.
 *
 * <p>Header fields and options are staged first, in the order the caller wants them on the wire;
 * {@link #write} then places them. When everything fits the options field, that is all. When not,
 * it overloads (option 52, RFC 2131 §4.1) {@code file} and then {@code sname}, unless the caller
 * put a boot file or server name there, placing each option in the first area where it fits whole.
 * Values over 255 octets are split into consecutive occurrences (RFC 3396 §6). An option that fits
 * nowhere is dropped and recorded ({@link #droppedCount}, {@link #wasDropped}), never silently.
 *
 * <p>The size limit is the caller's: {@code min(client's option 57, link MTU) - 28} (IP and UDP
 * headers), and {@value #DEFAULT_MAX_LENGTH} when the client gave no size (RFC 2131 §2: a client
 * must accept a 576-octet datagram). Messages are padded to {@value #BOOTP_MIN_LENGTH} octets, the
 * BOOTP minimum some relays and old clients still insist on (RFC 1542 §2.1).
 *
 * <p>A writer is reusable ({@link #reset}) and not thread-safe; keep one per thread. Staged option
 * values are copied into a private scratch buffer, so sources may be released after staging.
 */
public final class Dhcp4MessageWriter {

    /** 576-octet datagram minus the IPv4 (20) and UDP (8) headers. */
    public static final int DEFAULT_MAX_LENGTH = 576 - 28;

    /** RFC 1542 §2.1: the minimum BOOTP message. */
    public static final int BOOTP_MIN_LENGTH = 300;

    private static final int HEADER_LENGTH = Dhcp4Message.COOKIE_OFFSET;
    private static final int FILE_CAPACITY = Dhcp4Message.FILE_LENGTH - 1;    // minus END
    private static final int SNAME_CAPACITY = Dhcp4Message.SNAME_LENGTH - 1;
    private static final int AREA_MAIN = 0;
    private static final int AREA_FILE = 1;
    private static final int AREA_SNAME = 2;
    private static final int DROPPED = -1;

    private final byte[] header = new byte[HEADER_LENGTH];
    private boolean fileHoldsName;
    private boolean snameHoldsName;

    // Staged option values, back to back; a plain array so that staging and layout are array
    // copies, and the message reaches the caller's (direct) buffer in one bulk copy.
    private byte[] values = new byte[1024];
    private int valuesLength;
    private final ByteBuf typed = Unpooled.buffer(256);
    private byte[] message = new byte[DEFAULT_MAX_LENGTH];
    private int[] codes = new int[32];
    private int[] offsets = new int[32];
    private int[] lengths = new int[32];
    private int[] areas = new int[32];
    private int count;

    private final long[] dropped = new long[4];
    private int droppedCount;
    private int minimumLength = BOOTP_MIN_LENGTH;

    /** Clears everything staged; the minimum length stays. */
    public Dhcp4MessageWriter reset() {
        Arrays.fill(header, (byte) 0);
        fileHoldsName = false;
        snameHoldsName = false;
        valuesLength = 0;
        count = 0;
        Arrays.fill(dropped, 0);
        droppedCount = 0;
        return this;
    }

    /** Pads written messages to at least {@code length} octets (0 for no padding). */
    public Dhcp4MessageWriter minimumLength(int length) {
        if (length < 0 || length > 0xffff) {
            throw new IllegalArgumentException("minimum length: " + length + " (expected: 0..65535)");
        }
        this.minimumLength = length;
        return this;
    }

    // ---- header --------------------------------------------------------------------------------

    public Dhcp4MessageWriter op(int op) {
        header[Dhcp4Message.OP_OFFSET] = (byte) op;
        return this;
    }

    public Dhcp4MessageWriter htype(int htype) {
        header[Dhcp4Message.HTYPE_OFFSET] = (byte) htype;
        return this;
    }

    public Dhcp4MessageWriter hlen(int hlen) {
        if (hlen < 0 || hlen > Dhcp4Message.CHADDR_LENGTH) {
            throw new IllegalArgumentException("hlen: " + hlen + " (expected: 0..16)");
        }
        header[Dhcp4Message.HLEN_OFFSET] = (byte) hlen;
        return this;
    }

    public Dhcp4MessageWriter hops(int hops) {
        header[Dhcp4Message.HOPS_OFFSET] = (byte) hops;
        return this;
    }

    public Dhcp4MessageWriter xid(int xid) {
        putInt(Dhcp4Message.XID_OFFSET, xid);
        return this;
    }

    public Dhcp4MessageWriter secs(int secs) {
        putShort(Dhcp4Message.SECS_OFFSET, secs);
        return this;
    }

    public Dhcp4MessageWriter flags(int flags) {
        putShort(Dhcp4Message.FLAGS_OFFSET, flags);
        return this;
    }

    public Dhcp4MessageWriter ciaddr(int address) {
        putInt(Dhcp4Message.CIADDR_OFFSET, address);
        return this;
    }

    public Dhcp4MessageWriter yiaddr(int address) {
        putInt(Dhcp4Message.YIADDR_OFFSET, address);
        return this;
    }

    public Dhcp4MessageWriter siaddr(int address) {
        putInt(Dhcp4Message.SIADDR_OFFSET, address);
        return this;
    }

    public Dhcp4MessageWriter giaddr(int address) {
        putInt(Dhcp4Message.GIADDR_OFFSET, address);
        return this;
    }

    /** Sets the whole 16-byte {@code chaddr} field from {@code src} at {@code index} (zero-filled past {@code length}). */
    public Dhcp4MessageWriter chaddr(ByteBuf src, int index, int length) {
        if (length < 0 || length > Dhcp4Message.CHADDR_LENGTH) {
            throw new IllegalArgumentException("chaddr length: " + length + " (expected: 0..16)");
        }
        Arrays.fill(header, Dhcp4Message.CHADDR_OFFSET, Dhcp4Message.SNAME_OFFSET, (byte) 0);
        src.getBytes(index, header, Dhcp4Message.CHADDR_OFFSET, length);
        return this;
    }

    /** Sets {@code chaddr} to {@code address} (zero-filled to 16 bytes). */
    public Dhcp4MessageWriter chaddr(Octets address) {
        if (address.length() > Dhcp4Message.CHADDR_LENGTH) {
            throw new IllegalArgumentException("chaddr length: " + address.length() + " (expected: 0..16)");
        }
        Arrays.fill(header, Dhcp4Message.CHADDR_OFFSET, Dhcp4Message.SNAME_OFFSET, (byte) 0);
        System.arraycopy(address.toByteArray(), 0, header, Dhcp4Message.CHADDR_OFFSET, address.length());
        return this;
    }

    /**
     * Puts a server host name in {@code sname}; the field is then not used for overflow options.
     *
     * @throws IllegalArgumentException when the name does not fit 63 octets plus the terminating NUL
     */
    public Dhcp4MessageWriter sname(String name) {
        snameHoldsName = putText(Dhcp4Message.SNAME_OFFSET, Dhcp4Message.SNAME_LENGTH, name, "sname");
        return this;
    }

    /**
     * Puts a boot file name in {@code file}; the field is then not used for overflow options.
     *
     * @throws IllegalArgumentException when the name does not fit 127 octets plus the terminating NUL
     */
    public Dhcp4MessageWriter file(String name) {
        fileHoldsName = putText(Dhcp4Message.FILE_OFFSET, Dhcp4Message.FILE_LENGTH, name, "file");
        return this;
    }

    /** Sets the raw 64-byte {@code sname} field, as received; it is then not used for overflow options. */
    public Dhcp4MessageWriter snameField(Octets raw) {
        putRaw(Dhcp4Message.SNAME_OFFSET, Dhcp4Message.SNAME_LENGTH, raw, "sname");
        snameHoldsName = true;
        return this;
    }

    /** Sets the raw 128-byte {@code file} field, as received; it is then not used for overflow options. */
    public Dhcp4MessageWriter fileField(Octets raw) {
        putRaw(Dhcp4Message.FILE_OFFSET, Dhcp4Message.FILE_LENGTH, raw, "file");
        fileHoldsName = true;
        return this;
    }

    /**
     * Starts a reply to {@code request}: BOOTREPLY with the request's {@code htype}, {@code hlen},
     * {@code xid}, {@code flags}, {@code giaddr} and {@code chaddr} (RFC 2131 §4.3.1, table 3).
     */
    public Dhcp4MessageWriter replyTo(Dhcp4Message request) {
        reset();
        op(Dhcp4Message.OP_BOOTREPLY).htype(request.htype()).hlen(request.hlen()).xid(request.xid())
                .flags(request.flags()).giaddr(request.giaddr());
        return chaddr(request.buffer(), request.baseIndex() + Dhcp4Message.CHADDR_OFFSET, Dhcp4Message.CHADDR_LENGTH);
    }

    // ---- options -------------------------------------------------------------------------------

    /** Stages option {@code code} with {@code length} value bytes of {@code src} at {@code index}. */
    public Dhcp4MessageWriter option(int code, ByteBuf src, int index, int length) {
        int at = beginOption(code, length);
        src.getBytes(index, values, at, length);
        return endOption(at, length);
    }

    /** Stages option {@code code} with the readable bytes of {@code value} (indexes untouched). */
    public Dhcp4MessageWriter option(int code, ByteBuf value) {
        return option(code, value, value.readerIndex(), value.readableBytes());
    }

    /** Stages option {@code code} with {@code value}. */
    public Dhcp4MessageWriter option(int code, Octets value) {
        int at = beginOption(code, value.length());
        value.copyTo(values, at);
        return endOption(at, value.length());
    }

    /** Stages {@code def}'s option with {@code value}, encoded by its codec. */
    public <T> Dhcp4MessageWriter option(OptionDef<T> def, T value) {
        typed.clear();
        def.encode(value, typed);
        return option(def.code(), typed);
    }

    /** Stages a one-octet option. */
    public Dhcp4MessageWriter optionU8(int code, int value) {
        int at = beginOption(code, 1);
        values[at] = (byte) value;
        return endOption(at, 1);
    }

    /** Stages a two-octet option. */
    public Dhcp4MessageWriter optionU16(int code, int value) {
        int at = beginOption(code, 2);
        putShort(values, at, value);
        return endOption(at, 2);
    }

    /** Stages a four-octet option: an unsigned time, or an IPv4 address as a network-order int. */
    public Dhcp4MessageWriter optionU32(int code, int value) {
        int at = beginOption(code, 4);
        putInt(values, at, value);
        return endOption(at, 4);
    }

    /** True when option {@code code} is staged. */
    public boolean hasOption(int code) {
        for (int i = 0; i < count; i++) {
            if (codes[i] == code) {
                return true;
            }
        }
        return false;
    }

    /** The number of staged options. */
    public int optionCount() {
        return count;
    }

    /** Records option {@code code} and returns where its {@code length} value bytes go. */
    private int beginOption(int code, int length) {
        if (code <= 0 || code >= 255) {
            throw new IllegalArgumentException("option code: " + code + " (expected: 1..254; pad and end are the writer's)");
        }
        if (count == codes.length) {
            int n = count * 2;
            codes = Arrays.copyOf(codes, n);
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
            areas = Arrays.copyOf(areas, n);
        }
        if (valuesLength + length > values.length) {
            values = Arrays.copyOf(values, Math.max(values.length * 2, valuesLength + length));
        }
        codes[count] = code;
        offsets[count] = valuesLength;
        return valuesLength;
    }

    private Dhcp4MessageWriter endOption(int at, int length) {
        lengths[count] = length;
        valuesLength = at + length;
        count++;
        return this;
    }

    // ---- layout --------------------------------------------------------------------------------

    /**
     * Writes the message to {@code out} at its writer index.
     *
     * @param maxLength the largest message the recipient accepts, at least {@value #BOOTP_MIN_LENGTH}
     * @return the number of bytes written
     */
    public int write(ByteBuf out, int maxLength) {
        if (maxLength < BOOTP_MIN_LENGTH || maxLength > 0xffff) {
            throw new IllegalArgumentException("max length: " + maxLength + " (expected: 300..65535)");
        }
        Arrays.fill(dropped, 0);
        droppedCount = 0;
        int mainCapacity = maxLength - Dhcp4Message.OPTIONS_OFFSET - 1;  // minus END

        int overload = 0;
        if (totalSize(0, count) <= mainCapacity) {
            Arrays.fill(areas, 0, count, AREA_MAIN);
        } else {
            overload = assignAreas(mainCapacity - 3);  // option 52 takes three octets
        }
        if (message.length < maxLength) {
            message = new byte[maxLength];
        }
        byte[] m = message;
        System.arraycopy(header, 0, m, 0, HEADER_LENGTH);
        putInt(m, Dhcp4Message.COOKIE_OFFSET, Dhcp4Message.MAGIC_COOKIE);
        int pos = Dhcp4Message.OPTIONS_OFFSET;
        if (overload != 0) {
            m[pos++] = (byte) Dhcp4Options.OPTION_OVERLOAD.code();
            m[pos++] = 1;
            m[pos++] = (byte) overload;
        }
        pos = writeArea(m, pos, AREA_MAIN);
        m[pos++] = (byte) Dhcp4Options.END.code();
        int length = Math.max(pos, Math.min(minimumLength, maxLength));
        Arrays.fill(m, pos, length, (byte) 0);
        // The fields now hold options: any text staged for them is replaced (they were free).
        if ((overload & Dhcp4Message.OVERLOAD_FILE) != 0) {
            writeField(m, Dhcp4Message.FILE_OFFSET, Dhcp4Message.FILE_LENGTH, AREA_FILE);
        }
        if ((overload & Dhcp4Message.OVERLOAD_SNAME) != 0) {
            writeField(m, Dhcp4Message.SNAME_OFFSET, Dhcp4Message.SNAME_LENGTH, AREA_SNAME);
        }
        out.writeBytes(m, 0, length);
        return length;
    }

    /** First fit, in staging order: the options field, then {@code file}, then {@code sname}. */
    private int assignAreas(int mainCapacity) {
        int[] free = {mainCapacity, fileHoldsName ? -1 : FILE_CAPACITY, snameHoldsName ? -1 : SNAME_CAPACITY};
        int overload = 0;
        for (int i = 0; i < count; i++) {
            int size = encodedSize(lengths[i]);
            areas[i] = DROPPED;
            for (int a = AREA_MAIN; a <= AREA_SNAME; a++) {
                if (size <= free[a]) {
                    free[a] -= size;
                    areas[i] = a;
                    overload |= a == AREA_FILE ? Dhcp4Message.OVERLOAD_FILE : a == AREA_SNAME ? Dhcp4Message.OVERLOAD_SNAME : 0;
                    break;
                }
            }
            if (areas[i] == DROPPED) {
                int code = codes[i];
                if ((dropped[code >>> 6] & (1L << (code & 63))) == 0) {
                    droppedCount++;
                }
                dropped[code >>> 6] |= 1L << (code & 63);
            }
        }
        return overload;
    }

    /** Writes the options assigned to {@code area} at {@code pos}; returns the position after them. */
    private int writeArea(byte[] m, int pos, int area) {
        for (int i = 0; i < count; i++) {
            if (areas[i] == area) {
                pos = writeOption(m, pos, i);
            }
        }
        return pos;
    }

    private void writeField(byte[] m, int offset, int length, int area) {
        Arrays.fill(m, offset, offset + length, (byte) 0);
        int pos = writeArea(m, offset, area);
        m[pos] = (byte) Dhcp4Options.END.code();
    }

    /** Writes occurrence {@code i}, split into 255-octet pieces when longer (RFC 3396 §6). */
    private int writeOption(byte[] m, int pos, int i) {
        int code = codes[i];
        int offset = offsets[i];
        int remaining = lengths[i];
        do {
            int piece = Math.min(remaining, 255);
            m[pos] = (byte) code;
            m[pos + 1] = (byte) piece;
            System.arraycopy(values, offset, m, pos + 2, piece);
            pos += 2 + piece;
            offset += piece;
            remaining -= piece;
        } while (remaining > 0);
        return pos;
    }

    private int totalSize(int from, int to) {
        int total = 0;
        for (int i = from; i < to; i++) {
            total += encodedSize(lengths[i]);
        }
        return total;
    }

    /** Octets an option of {@code length} value octets takes on the wire, split if needed. */
    static int encodedSize(int length) {
        int pieces = length == 0 ? 1 : (length + 254) / 255;
        return length + 2 * pieces;
    }

    /** How many distinct option codes the last {@link #write} dropped for want of room. */
    public int droppedCount() {
        return droppedCount;
    }

    /** True when the last {@link #write} dropped option {@code code} for want of room. */
    public boolean wasDropped(int code) {
        return code >= 0 && code < 256 && (dropped[code >>> 6] & (1L << (code & 63))) != 0;
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void putInt(int offset, int v) {
        putInt(header, offset, v);
    }

    private void putShort(int offset, int v) {
        putShort(header, offset, v);
    }

    private static void putInt(byte[] a, int offset, int v) {
        a[offset] = (byte) (v >>> 24);
        a[offset + 1] = (byte) (v >>> 16);
        a[offset + 2] = (byte) (v >>> 8);
        a[offset + 3] = (byte) v;
    }

    private static void putShort(byte[] a, int offset, int v) {
        a[offset] = (byte) (v >>> 8);
        a[offset + 1] = (byte) v;
    }

    private boolean putText(int offset, int length, String text, String field) {
        Arrays.fill(header, offset, offset + length, (byte) 0);
        if (text == null || text.isEmpty()) {
            return false;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= length) {
            throw new IllegalArgumentException(field + ": " + bytes.length + " bytes (expected: at most " + (length - 1) + ")");
        }
        System.arraycopy(bytes, 0, header, offset, bytes.length);
        return true;
    }

    private void putRaw(int offset, int length, Octets raw, String field) {
        if (raw.length() != length) {
            throw new IllegalArgumentException(field + " field: " + raw.length() + " bytes (expected: " + length + ")");
        }
        System.arraycopy(raw.toByteArray(), 0, header, offset, length);
    }
}
