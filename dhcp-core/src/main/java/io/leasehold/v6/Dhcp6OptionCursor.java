package io.leasehold.v6;

import io.leasehold.wire.MalformedPacketException;
import io.leasehold.wire.MalformedPacketException.Reason;
import io.netty.buffer.ByteBuf;

/**
 * Walks the options nested in a container option (IA_NA, IA_TA, IA_PD, IAADDR, IAPREFIX) one at a
 * time, without allocating: the packet path reads IAIDs, addresses and lifetimes from the received
 * bytes directly.
 *
 * <pre>
 * Dhcp6OptionCursor ia = new Dhcp6OptionCursor();      // one per thread, reused
 * for (int i = m.indexOf(IA_NA); i &gt;= 0; i = m.indexOf(IA_NA, i + 1)) {
 *     m.nested(i, ia);
 *     while (ia.next()) {
 *         if (ia.code() == IAADDR &amp;&amp; ia.length() &gt;= 24) { ... ia.valueIndex() ... }
 *     }
 * }
 * </pre>
 *
 * <p>The framing is checked as the cursor goes: a nested header cut short or a nested length
 * running past the container throws {@link Reason#BAD_OPTION_VALUE}, which costs the container
 * option (the caller skips that IA), not the message. The cursor never reads outside the area it
 * was given.
 */
public final class Dhcp6OptionCursor {

    private ByteBuf buf;
    private int pos;
    private int end;
    private int code = -1;
    private int valueIndex = -1;
    private int length = -1;
    private int container = -1;

    /**
     * Points the cursor before the first option of the {@code length} bytes of {@code buf} at
     * {@code index}, an area of DHCPv6 options.
     *
     * @return this cursor
     */
    public Dhcp6OptionCursor reset(ByteBuf buf, int index, int length) {
        if (index < 0 || length < 0 || index > buf.writerIndex() - length) {
            throw new IllegalArgumentException("range: " + index + "+" + length + " (expected: within 0.."
                    + buf.writerIndex() + ")");
        }
        this.buf = buf;
        this.pos = index;
        this.end = index + length;
        this.code = -1;
        this.valueIndex = -1;
        this.length = -1;
        this.container = -1;
        return this;
    }

    /** Points the cursor at the options nested in a container option's value. */
    Dhcp6OptionCursor resetNested(ByteBuf buf, int containerCode, int valueIndex, int valueLength) {
        int offset = Dhcp6Options.nestedOptionsOffset(containerCode);
        if (offset < 0) {
            throw new IllegalArgumentException("option " + containerCode + ": holds no options");
        }
        if (valueLength < offset) {
            throw new MalformedPacketException(Reason.BAD_OPTION_VALUE, Dhcp6Options.TABLE.byCode(containerCode).label()
                    + ": " + valueLength + " bytes (expected: at least " + offset + ")");
        }
        reset(buf, valueIndex + offset, valueLength - offset);
        this.container = containerCode;
        return this;
    }

    /**
     * Points {@code into} at the options nested in the current option, itself a container (an
     * IAADDR inside an IA_NA).
     *
     * @return {@code into}
     * @throws MalformedPacketException ({@link Reason#BAD_OPTION_VALUE}) when the value is shorter
     *         than the container's fixed part
     */
    public Dhcp6OptionCursor nested(Dhcp6OptionCursor into) {
        if (valueIndex < 0) {
            throw new IllegalStateException("no current option");
        }
        return into.resetNested(buf, code, valueIndex, length);
    }

    /**
     * Moves to the next option.
     *
     * @return false at the end of the area
     * @throws MalformedPacketException ({@link Reason#BAD_OPTION_VALUE}) when the next option's
     *         header or value runs past the area; the cursor then stays at the end
     */
    public boolean next() {
        if (pos >= end) {
            code = -1;
            valueIndex = -1;
            length = -1;
            return false;
        }
        int left = end - pos;
        if (left < Dhcp6Message.OPTION_HEADER_LENGTH) {
            pos = end;
            throw lie("nested option header cut short (" + left + " bytes)");
        }
        int header = buf.getInt(pos);
        int c = header >>> 16;
        int len = header & 0xffff;
        if (len > left - Dhcp6Message.OPTION_HEADER_LENGTH) {
            pos = end;
            throw lie("nested option " + c + " of " + len + " bytes runs past it ("
                    + (left - Dhcp6Message.OPTION_HEADER_LENGTH) + " bytes left)");
        }
        code = c;
        length = len;
        valueIndex = pos + Dhcp6Message.OPTION_HEADER_LENGTH;
        pos = valueIndex + len;
        return true;
    }

    /**
     * Moves to the next option with {@code code}.
     *
     * @return false when there is none before the end of the area
     */
    public boolean next(int code) {
        while (next()) {
            if (this.code == code) {
                return true;
            }
        }
        return false;
    }

    private MalformedPacketException lie(String message) {
        String where = container < 0 ? "options" : Dhcp6Options.TABLE.byCode(container).label();
        return new MalformedPacketException(Reason.BAD_OPTION_VALUE, where + ": " + message);
    }

    /** The buffer the cursor reads. */
    public ByteBuf buffer() {
        return buf;
    }

    /** The current option's code, or -1 before the first or after the last. */
    public int code() {
        return code;
    }

    /** The absolute index of the current option's value, or -1. */
    public int valueIndex() {
        return valueIndex;
    }

    /** The current option's value length, or -1. */
    public int length() {
        return length;
    }
}
