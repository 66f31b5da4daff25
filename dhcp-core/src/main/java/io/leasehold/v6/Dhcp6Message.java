package io.leasehold.v6;

import io.leasehold.option.Duid;
import io.leasehold.option.OptionDef;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.MalformedPacketException;
import io.leasehold.wire.MalformedPacketException.Reason;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A read-only view of one DHCPv6 message over a {@link ByteBuf}, without copying: a client/server
 * message (RFC 8415 §8) or a relay agent/server message (RFC 8415 §9), told apart by the type.
 *
 * <pre>
 * client/server message                      relay agent/server message
 * +-------------+-------------------------+  +-------------+-------------+------------------+
 * | msg-type(1) | transaction-id (3)      |  | msg-type(1) | hop-count(1)| link-address (16)|
 * +-------------+-------------------------+  +-------------+-------------+------------------+
 * .  options (variable)                   .  |                  peer-address (16)           |
 * +---------------------------------------+  +----------------------------------------------+
 *                                            .  options (variable, one of them RELAY_MSG)   .
 * each option (RFC 8415 §21.1)               +----------------------------------------------+
 * +-------------------------------+-------------------------------+
 * |          option-code (2)      |          option-len (2)       |
 * +-------------------------------+-------------------------------+
 * .                      option-data (option-len)                 .
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>{@link #reset} checks the fixed part and walks the options once, recording each one's code,
 * length and value offset in two int arrays: DHCPv6 codes and lengths are 16-bit, so an option's
 * four-octet header is its index entry as it stands, and the offset has an array of its own. An option whose length runs past the message
 * makes the message malformed: past that point nothing can be framed. Values are read only when
 * asked for, and a value that does not decode costs that option only ({@link #option} returns
 * null). Options nested in a value (IA_NA, IAADDR...) are not walked here; {@link #nested} and
 * {@link Dhcp6OptionCursor} walk them without allocating.
 *
 * <p>A relay message's payload is another message, read by {@link #relayMessage} into a second
 * view; {@link Dhcp6RelayChain} walks a whole chain with its depth bounded. The view keeps the
 * buffer's indexes untouched, holds no reference count, and never reads outside the range it was
 * given. It is reusable and not thread-safe; a packet handler keeps one per thread.
 */
public final class Dhcp6Message {

    public static final int MSG_TYPE_OFFSET = 0;
    public static final int XID_OFFSET = 1;
    public static final int OPTIONS_OFFSET = 4;

    public static final int HOP_COUNT_OFFSET = 1;
    public static final int LINK_ADDRESS_OFFSET = 2;
    public static final int PEER_ADDRESS_OFFSET = 18;
    public static final int RELAY_OPTIONS_OFFSET = 34;

    /** The smallest client/server message: type and transaction id. */
    public static final int MIN_LENGTH = OPTIONS_OFFSET;
    /** The smallest relay message: type, hop count and the two addresses. */
    public static final int MIN_RELAY_LENGTH = RELAY_OPTIONS_OFFSET;
    /** Option code and option length. */
    public static final int OPTION_HEADER_LENGTH = 4;
    /** A transaction id is 24 bits. */
    public static final int MAX_XID = 0xffffff;
    /** A message must fit one UDP datagram, so offsets fit 16 bits. */
    public static final int MAX_LENGTH = 0xffff;

    // Per occurrence: the option header (code << 16 | length), and the value's offset from the message start.
    private int[] codeLengths = new int[32];
    private int[] offsets = new int[32];
    private int count;
    // Codes 0..255 (every code of RFC 8415 and its companions) as a bitmap; larger codes are scanned.
    private final long[] present = new long[4];
    private boolean largeCodes;

    private ByteBuf buf;
    private int base;
    private int length;
    private int type;

    /** A view with no message; call {@link #reset} before use. */
    public Dhcp6Message() {
    }

    /**
     * A new view of the readable bytes of {@code buf}.
     *
     * @throws MalformedPacketException when the bytes are not a readable DHCPv6 message
     */
    public static Dhcp6Message wrap(ByteBuf buf) {
        return new Dhcp6Message().reset(buf);
    }

    /** A new view of {@code bytes}; for tests and tools. */
    public static Dhcp6Message wrap(byte[] bytes) {
        return wrap(Unpooled.wrappedBuffer(bytes));
    }

    /**
     * Points this view at the readable bytes of {@code buf} and indexes its options.
     *
     * @return this view
     * @throws MalformedPacketException when the bytes are not a readable DHCPv6 message; the view is
     *         then empty
     */
    public Dhcp6Message reset(ByteBuf buf) {
        return reset(buf, buf.readerIndex(), buf.readableBytes());
    }

    /**
     * Points this view at the {@code length} bytes of {@code buf} at {@code index} and indexes their
     * options. The range must lie within the buffer's written bytes.
     *
     * @return this view
     * @throws MalformedPacketException when the bytes are not a readable DHCPv6 message; the view is
     *         then empty
     */
    public Dhcp6Message reset(ByteBuf buf, int index, int length) {
        clear();
        if (index < 0 || length < 0 || index > buf.writerIndex() - length) {
            throw new IllegalArgumentException("range: " + index + "+" + length + " (expected: within 0.."
                    + buf.writerIndex() + ")");
        }
        if (length < MIN_LENGTH) {
            throw new MalformedPacketException(Reason.TOO_SHORT,
                    "DHCPv6 message: " + length + " bytes (expected: at least " + MIN_LENGTH + ")");
        }
        if (length > MAX_LENGTH) {
            throw new MalformedPacketException(Reason.BAD_HEADER,
                    "DHCPv6 message: " + length + " bytes (expected: at most " + MAX_LENGTH + ")");
        }
        int t = buf.getUnsignedByte(index);
        boolean relay = Dhcp6MessageType.isRelay(t);
        if (relay) {
            if (length < MIN_RELAY_LENGTH) {
                throw new MalformedPacketException(Reason.TOO_SHORT, Dhcp6MessageType.label(t) + ": " + length
                        + " bytes (expected: at least " + MIN_RELAY_LENGTH + ")");
            }
            // A relay agent discards what reaches it with hop count 32 or more (RFC 8415 §19.1.2),
            // so no envelope can carry more than 32.
            int hops = buf.getUnsignedByte(index + HOP_COUNT_OFFSET);
            if (hops > Dhcp6RelayChain.HOP_COUNT_LIMIT) {
                throw new MalformedPacketException(Reason.BAD_HEADER, Dhcp6MessageType.label(t) + ": hop count: "
                        + hops + " (expected: 0.." + Dhcp6RelayChain.HOP_COUNT_LIMIT + ")");
            }
        }
        this.buf = buf;
        this.base = index;
        this.length = length;
        this.type = t;
        try {
            indexOptions(relay ? RELAY_OPTIONS_OFFSET : OPTIONS_OFFSET);
        } catch (MalformedPacketException e) {
            clear();
            throw e;
        }
        return this;
    }

    private void clear() {
        buf = null;
        count = 0;
        length = 0;
        type = 0;
        largeCodes = false;
        Arrays.fill(present, 0);
    }

    private void indexOptions(int from) {
        int pos = from;
        while (pos < length) {
            if (length - pos < OPTION_HEADER_LENGTH) {
                throw new MalformedPacketException(Reason.OPTION_OVERRUN, "option header at offset " + pos
                        + ": cut short (" + (length - pos) + " bytes left)");
            }
            // The option header, code then length, is the index entry itself.
            int header = buf.getInt(base + pos);
            int code = header >>> 16;
            int len = header & 0xffff;
            int value = pos + OPTION_HEADER_LENGTH;
            if (len > length - value) {
                throw new MalformedPacketException(Reason.OPTION_OVERRUN, "option " + code + " at offset " + pos
                        + ": length " + len + " runs past the message (" + (length - value) + " bytes left)");
            }
            add(header, value);
            pos = value + len;
        }
    }

    private void add(int header, int value) {
        if (count == offsets.length) {
            codeLengths = Arrays.copyOf(codeLengths, count * 2);
            offsets = Arrays.copyOf(offsets, count * 2);
        }
        codeLengths[count] = header;
        offsets[count] = value;
        count++;
        int code = header >>> 16;
        if (code < 256) {
            present[code >>> 6] |= 1L << (code & 63);
        } else {
            largeCodes = true;
        }
    }

    // ---- the fixed part ------------------------------------------------------------------------

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

    /** The message type ({@link Dhcp6MessageType} names the known ones). */
    public int messageType() {
        return type;
    }

    /** True for RELAY-FORW and RELAY-REPL, which have the relay format and no transaction id. */
    public boolean isRelay() {
        return Dhcp6MessageType.isRelay(type);
    }

    /** The 24-bit transaction id, or -1 for a relay message, which has none. */
    public int xid() {
        return isRelay() ? -1 : buf.getUnsignedMedium(base + XID_OFFSET);
    }

    /** A relay message's hop count, or -1 for a client/server message. */
    public int hopCount() {
        return isRelay() ? buf.getUnsignedByte(base + HOP_COUNT_OFFSET) : -1;
    }

    /** The absolute index of a relay message's 16-byte link-address, or -1 for a client/server message. */
    public int linkAddressIndex() {
        return isRelay() ? base + LINK_ADDRESS_OFFSET : -1;
    }

    /** The absolute index of a relay message's 16-byte peer-address, or -1 for a client/server message. */
    public int peerAddressIndex() {
        return isRelay() ? base + PEER_ADDRESS_OFFSET : -1;
    }

    /** The upper 64 bits of the link-address (the prefix a server matches subnets by), or 0 when not a relay. */
    public long linkAddressHigh() {
        return isRelay() ? buf.getLong(base + LINK_ADDRESS_OFFSET) : 0;
    }

    /** The lower 64 bits of the link-address, or 0 when not a relay. */
    public long linkAddressLow() {
        return isRelay() ? buf.getLong(base + LINK_ADDRESS_OFFSET + 8) : 0;
    }

    /** The upper 64 bits of the peer-address, or 0 when not a relay. */
    public long peerAddressHigh() {
        return isRelay() ? buf.getLong(base + PEER_ADDRESS_OFFSET) : 0;
    }

    /** The lower 64 bits of the peer-address, or 0 when not a relay. */
    public long peerAddressLow() {
        return isRelay() ? buf.getLong(base + PEER_ADDRESS_OFFSET + 8) : 0;
    }

    /** The link-address of a relay message, or null. Allocates; for tools and logs. */
    public Inet6Address linkAddress() {
        return isRelay() ? address(base + LINK_ADDRESS_OFFSET) : null;
    }

    /** The peer-address of a relay message, or null. Allocates; for tools and logs. */
    public Inet6Address peerAddress() {
        return isRelay() ? address(base + PEER_ADDRESS_OFFSET) : null;
    }

    private Inet6Address address(int index) {
        byte[] b = new byte[16];
        buf.getBytes(index, b);
        return IpAddresses.ipv6(b);
    }

    // ---- options --------------------------------------------------------------------------------

    /** The number of option occurrences, in wire order. */
    public int optionCount() {
        return count;
    }

    /** The code of occurrence {@code i}. */
    public int optionCode(int i) {
        checkIndex(i);
        return codeLengths[i] >>> 16;
    }

    /** The value length of occurrence {@code i}. */
    public int optionLength(int i) {
        checkIndex(i);
        return codeLengths[i] & 0xffff;
    }

    /** The absolute buffer index of occurrence {@code i}'s value. */
    public int optionValueIndex(int i) {
        checkIndex(i);
        return base + offsets[i];
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("option index: " + i + " (expected: 0.." + (count - 1) + ")");
        }
    }

    /** True when the message carries option {@code code} at its top level. */
    public boolean hasOption(int code) {
        if (code >= 0 && code < 256) {
            return (present[code >>> 6] & (1L << (code & 63))) != 0;
        }
        return largeCodes && indexOf(code, 0) >= 0;
    }

    /** The index of the first occurrence of {@code code}, or -1. */
    public int indexOf(int code) {
        if (code >= 0 && code < 256 && (present[code >>> 6] & (1L << (code & 63))) == 0) {
            return -1;
        }
        return indexOf(code, 0);
    }

    /** The index of the first occurrence of {@code code} at or after {@code from}, or -1. */
    public int indexOf(int code, int from) {
        for (int i = Math.max(from, 0); i < count; i++) {
            if (codeLengths[i] >>> 16 == code) {
                return i;
            }
        }
        return -1;
    }

    /** How many times option {@code code} occurs (several IA_NA options are several IAs). */
    public int count(int code) {
        if (!hasOption(code)) {
            return 0;
        }
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (codeLengths[i] >>> 16 == code) {
                n++;
            }
        }
        return n;
    }

    /** The absolute index of the first {@code code} option's value, or -1 when absent. */
    public int valueIndex(int code) {
        int i = indexOf(code);
        return i < 0 ? -1 : base + offsets[i];
    }

    /** The length of the first {@code code} option's value, or -1 when absent. */
    public int valueLength(int code) {
        int i = indexOf(code);
        return i < 0 ? -1 : codeLengths[i] & 0xffff;
    }

    /**
     * The value of the first occurrence of {@code code} as a slice sharing the message's memory and
     * lifetime, or null when absent.
     */
    public ByteBuf optionValue(int code) {
        int i = indexOf(code);
        return i < 0 ? null : optionValueAt(i);
    }

    /** The value of occurrence {@code i} as a slice sharing the message's memory and lifetime. */
    public ByteBuf optionValueAt(int i) {
        return buf.slice(optionValueIndex(i), optionLength(i));
    }

    /**
     * The decoded value of {@code def}'s first option, or null when it is absent or its value is
     * malformed: a bad option costs that option, not the packet (RFC 8415 §16 lets a recipient use
     * what it can of a message). Use {@link #optionOrThrow} to learn why a value did not decode.
     */
    public <T> T option(OptionDef<T> def) {
        int i = indexOf(def.code());
        return i < 0 ? null : optionAt(i, def);
    }

    /**
     * The decoded value of {@code def}'s first option, or null when absent.
     *
     * @throws MalformedPacketException when the value is malformed
     */
    public <T> T optionOrThrow(OptionDef<T> def) {
        int i = indexOf(def.code());
        return i < 0 ? null : def.decode(optionValueAt(i));
    }

    /** Occurrence {@code i} decoded by {@code def}, or null when its value is malformed. */
    public <T> T optionAt(int i, OptionDef<T> def) {
        try {
            return def.decode(optionValueAt(i));
        } catch (MalformedPacketException e) {
            return null;
        }
    }

    /** Every occurrence of {@code def}'s option that decodes, in wire order; malformed ones are left out. */
    public <T> List<T> options(OptionDef<T> def) {
        List<T> out = new ArrayList<>(1);
        for (int i = indexOf(def.code()); i >= 0; i = indexOf(def.code(), i + 1)) {
            T v = optionAt(i, def);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /**
     * Points {@code cursor} at the options nested in occurrence {@code i}, a container option (IA_NA,
     * IA_TA, IA_PD, IAADDR, IAPREFIX: {@link Dhcp6Options#nestedOptionsOffset}).
     *
     * @return the cursor
     * @throws MalformedPacketException ({@link Reason#BAD_OPTION_VALUE}) when the value is shorter
     *         than the container's fixed part
     * @throws IllegalArgumentException when the option is not a container
     */
    public Dhcp6OptionCursor nested(int i, Dhcp6OptionCursor cursor) {
        return cursor.resetNested(buf, optionCode(i), optionValueIndex(i), optionLength(i));
    }

    // ---- allocation-free accessors for the packet path ------------------------------------------

    /** A one-octet option's value, or {@code absent} when absent or not exactly one octet. */
    public int u8Option(int code, int absent) {
        int i = indexOf(code);
        return i < 0 || (codeLengths[i] & 0xffff) != 1 ? absent : buf.getUnsignedByte(base + offsets[i]);
    }

    /** A two-octet option's value, or {@code absent} when absent or not exactly two octets. */
    public int u16Option(int code, int absent) {
        int i = indexOf(code);
        return i < 0 || (codeLengths[i] & 0xffff) != 2 ? absent : buf.getUnsignedShort(base + offsets[i]);
    }

    /** A four-octet option's value, or {@code absent} when absent or not exactly four octets. */
    public long u32Option(int code, long absent) {
        int i = indexOf(code);
        return i < 0 || (codeLengths[i] & 0xffff) != 4 ? absent : buf.getUnsignedInt(base + offsets[i]);
    }

    /** The Elapsed Time option (8) in hundredths of a second, or -1 when absent or malformed. */
    public int elapsedTime() {
        return u16Option(Dhcp6Options.ELAPSED_TIME.code(), -1);
    }

    /** True when the client asked for Rapid Commit (14, RFC 8415 §18.3.1). */
    public boolean rapidCommit() {
        return hasOption(Dhcp6Options.RAPID_COMMIT.code());
    }

    /** The absolute index of the Client Identifier's DUID, or -1 when absent. */
    public int clientIdIndex() {
        return valueIndex(Dhcp6Options.CLIENT_ID.code());
    }

    /** The length of the Client Identifier's DUID, or -1 when absent. */
    public int clientIdLength() {
        return valueLength(Dhcp6Options.CLIENT_ID.code());
    }

    /** The absolute index of the Server Identifier's DUID, or -1 when absent. */
    public int serverIdIndex() {
        return valueIndex(Dhcp6Options.SERVER_ID.code());
    }

    /** The length of the Server Identifier's DUID, or -1 when absent. */
    public int serverIdLength() {
        return valueLength(Dhcp6Options.SERVER_ID.code());
    }

    /**
     * The Ethernet address in the client's DUID-LLT or DUID-LL (hardware type 1, six octets) as the
     * low 48 bits of a long, or -1 when the client sent no such DUID. dnsmasq matches reservations
     * by this address.
     */
    public long clientIdMac() {
        int i = indexOf(Dhcp6Options.CLIENT_ID.code());
        if (i < 0) {
            return -1;
        }
        int at = base + offsets[i];
        int len = codeLengths[i] & 0xffff;
        if (len < 2) {
            return -1;
        }
        int duidType = buf.getUnsignedShort(at);
        int macAt;
        if (duidType == Duid.TYPE_LLT && len == 14) {
            macAt = at + 8;
        } else if (duidType == Duid.TYPE_LL && len == 10) {
            macAt = at + 4;
        } else {
            return -1;
        }
        return buf.getUnsignedShort(at + 2) != 1 ? -1
                : (long) buf.getUnsignedShort(macAt) << 32 | buf.getUnsignedInt(macAt + 2);
    }

    /**
     * The Ethernet address of a Client Link-Layer Address option (79, RFC 6939) as the low 48 bits
     * of a long, or -1 when absent or not Ethernet. A relay agent adds it to its RELAY-FORW.
     */
    public long linkLayerMac() {
        int i = indexOf(Dhcp6Options.CLIENT_LINKLAYER_ADDR.code());
        if (i < 0 || (codeLengths[i] & 0xffff) != 8) {
            return -1;
        }
        int at = base + offsets[i];
        return buf.getUnsignedShort(at) != 1 ? -1
                : (long) buf.getUnsignedShort(at + 2) << 32 | buf.getUnsignedInt(at + 4);
    }

    /** True when an Option Request option (6) asks for {@code code}. */
    public boolean requests(int code) {
        int oro = Dhcp6Options.ORO.code();
        if (!hasOption(oro)) {
            return false;
        }
        for (int i = indexOf(oro); i >= 0; i = indexOf(oro, i + 1)) {
            int at = base + offsets[i];
            int end = at + ((codeLengths[i] & 0xffff) & ~1);
            for (int p = at; p < end; p += 2) {
                if (buf.getUnsignedShort(p) == code) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The IAID of occurrence {@code i}, an IA_NA, IA_TA or IA_PD option with at least its fixed part,
     * or -1.
     */
    public long iaid(int i) {
        int code = optionCode(i);
        boolean ia = code == Dhcp6Options.IA_NA.code() || code == Dhcp6Options.IA_TA.code()
                || code == Dhcp6Options.IA_PD.code();
        if (!ia || optionLength(i) < Dhcp6Options.nestedOptionsOffset(code)) {
            return -1;
        }
        return buf.getUnsignedInt(base + offsets[i]);
    }

    /** T1 of occurrence {@code i}, an IA_NA or IA_PD with at least its fixed part, or -1. */
    public long t1(int i) {
        return hasTimes(i) ? buf.getUnsignedInt(base + offsets[i] + 4) : -1;
    }

    /** T2 of occurrence {@code i}, an IA_NA or IA_PD with at least its fixed part, or -1. */
    public long t2(int i) {
        return hasTimes(i) ? buf.getUnsignedInt(base + offsets[i] + 8) : -1;
    }

    private boolean hasTimes(int i) {
        int code = optionCode(i);
        return (code == Dhcp6Options.IA_NA.code() || code == Dhcp6Options.IA_PD.code())
                && optionLength(i) >= IaNa.FIXED_LENGTH;
    }

    // ---- relay payload --------------------------------------------------------------------------

    /**
     * Points {@code into} at this relay message's Relay Message option (9), the message it carries.
     *
     * @return {@code into}
     * @throws MalformedPacketException ({@link Reason#BAD_RELAY_MESSAGE}) when this relay message
     *         carries no Relay Message option or more than one (RFC 8415 §9: exactly one, and two
     *         would let us and the client's server disagree on what was relayed), or the reason the
     *         relayed message is unreadable
     * @throws IllegalStateException when this is not a relay message
     */
    public Dhcp6Message relayMessage(Dhcp6Message into) {
        if (!isRelay()) {
            throw new IllegalStateException(Dhcp6MessageType.label(type) + ": not a relay message");
        }
        int code = Dhcp6Options.RELAY_MSG.code();
        int i = indexOf(code);
        if (i < 0 || indexOf(code, i + 1) >= 0) {
            throw new MalformedPacketException(Reason.BAD_RELAY_MESSAGE, Dhcp6MessageType.label(type) + ": "
                    + count(code) + " relay-msg options (expected: exactly 1)");
        }
        return into.reset(buf, base + offsets[i], codeLengths[i] & 0xffff);
    }

    /**
     * A short label for logs (kea's {@code makeLabel}): type, transaction id and client DUID, such as
     * {@code SOLICIT xid=0xc6f91a duid=00:01:00:01:32:95:13:09:fa:16:3e:00:00:13}, or a relay's
     * hop count and addresses.
     */
    public String label() {
        if (buf == null) {
            return "(no message)";
        }
        if (isRelay()) {
            return Dhcp6MessageType.label(type) + " hops=" + hopCount() + " link=" + IpAddresses.text(linkAddress())
                    + " peer=" + IpAddresses.text(peerAddress());
        }
        int id = indexOf(Dhcp6Options.CLIENT_ID.code());
        return Dhcp6MessageType.label(type) + " xid=0x" + String.format("%06x", xid())
                + (id >= 0 ? " duid=" + Octets.copyOf(buf, base + offsets[id], codeLengths[id] & 0xffff).toHex() : "");
    }

    @Override
    public String toString() {
        return label();
    }
}
