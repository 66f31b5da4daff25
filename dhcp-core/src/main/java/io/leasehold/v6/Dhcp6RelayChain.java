package io.leasehold.v6;

import io.leasehold.wire.MalformedPacketException;
import io.leasehold.wire.MalformedPacketException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A received DHCPv6 datagram read down to the client's message: the relay envelopes, outermost
 * first, and the client/server message at the bottom. A message that came straight from a client
 * has no envelope.
 *
 * <pre>
 * level 0      RELAY-FORW (hop-count 1, from the relay next to the server) ── relay(0)
 *   RELAY_MSG  └─ RELAY-FORW (hop-count 0, from the relay next to the client) ── relay(1)
 *     RELAY_MSG   └─ SOLICIT ── message()
 * </pre>
 *
 * <p>The chain is walked iteratively, one view per level, and never deeper than
 * {@link #HOP_COUNT_LIMIT} envelopes: relay agents refuse to relay past that hop count (RFC 8415
 * §7.6, §19.1.2), so a deeper chain is malformed, and rejecting it before reading its payload bounds
 * the work any datagram can cause. (Counted exactly, hop counts 0 through 32 would allow a 33rd
 * envelope; issue #3 fixes the bound at 32 envelopes, far beyond any real relay topology.) Every
 * level is a view of the same buffer; nothing is copied.
 * The chain is reusable and allocation-free once its views exist; it is not thread-safe.
 */
public final class Dhcp6RelayChain {

    /** RFC 8415 §7.6 HOP_COUNT_LIMIT: the most relay envelopes a message may have. */
    public static final int HOP_COUNT_LIMIT = 32;

    private final Dhcp6Message[] levels = new Dhcp6Message[HOP_COUNT_LIMIT + 1];
    private int depth = -1;

    /** A chain with no message; call {@link #reset} before use. */
    public Dhcp6RelayChain() {
        levels[0] = new Dhcp6Message();
    }

    /**
     * A new chain of the readable bytes of {@code buf}.
     *
     * @throws MalformedPacketException when the bytes are not a readable DHCPv6 message
     */
    public static Dhcp6RelayChain wrap(ByteBuf buf) {
        return new Dhcp6RelayChain().reset(buf);
    }

    /** A new chain of {@code bytes}; for tests and tools. */
    public static Dhcp6RelayChain wrap(byte[] bytes) {
        return wrap(Unpooled.wrappedBuffer(bytes));
    }

    /**
     * Reads the readable bytes of {@code buf} down to the client's message.
     *
     * @return this chain
     * @throws MalformedPacketException when some level is unreadable, a relay carries no single
     *         Relay Message option ({@link Reason#BAD_RELAY_MESSAGE}), or there are more than
     *         {@value #HOP_COUNT_LIMIT} envelopes ({@link Reason#RELAY_TOO_DEEP}); the chain is
     *         then empty
     */
    public Dhcp6RelayChain reset(ByteBuf buf) {
        return reset(buf, buf.readerIndex(), buf.readableBytes());
    }

    /**
     * Reads the {@code length} bytes of {@code buf} at {@code index} down to the client's message.
     *
     * @return this chain
     * @throws MalformedPacketException as {@link #reset(ByteBuf)}
     */
    public Dhcp6RelayChain reset(ByteBuf buf, int index, int length) {
        depth = -1;
        Dhcp6Message m = levels[0].reset(buf, index, length);
        int d = 0;
        while (m.isRelay()) {
            if (d == HOP_COUNT_LIMIT) {
                throw new MalformedPacketException(Reason.RELAY_TOO_DEEP, "relay messages nested deeper than "
                        + HOP_COUNT_LIMIT + " (RFC 8415 HOP_COUNT_LIMIT)");
            }
            Dhcp6Message inner = levels[d + 1];
            if (inner == null) {
                inner = new Dhcp6Message();
                levels[d + 1] = inner;
            }
            m.relayMessage(inner);
            m = inner;
            d++;
        }
        depth = d;
        return this;
    }

    /** True when {@link #reset} succeeded. */
    public boolean isValid() {
        return depth >= 0;
    }

    /** The number of relay envelopes: 0 when the client's message came straight from the client. */
    public int depth() {
        checkValid();
        return depth;
    }

    /** True when the message came through at least one relay agent. */
    public boolean isRelayed() {
        return depth() > 0;
    }

    /**
     * Relay envelope {@code level}, 0 being the outermost (the one the server received) and
     * {@code depth() - 1} the one written by the relay next to the client.
     */
    public Dhcp6Message relay(int level) {
        checkValid();
        if (level < 0 || level >= depth) {
            throw new IndexOutOfBoundsException("relay level: " + level + " (expected: 0.." + (depth - 1) + ")");
        }
        return levels[level];
    }

    /** The datagram as received: the outermost envelope, or the client's message when not relayed. */
    public Dhcp6Message received() {
        checkValid();
        return levels[0];
    }

    /** The client/server message at the bottom of the chain. */
    public Dhcp6Message message() {
        checkValid();
        return levels[depth];
    }

    private void checkValid() {
        if (depth < 0) {
            throw new IllegalStateException("no message: reset() did not succeed");
        }
    }

    @Override
    public String toString() {
        if (depth < 0) {
            return "(no message)";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i <= depth; i++) {
            if (i > 0) {
                sb.append(" / ");
            }
            sb.append(levels[i].label());
        }
        return sb.toString();
    }
}
