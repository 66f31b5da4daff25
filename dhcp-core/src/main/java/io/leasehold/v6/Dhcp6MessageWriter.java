package io.leasehold.v6;

import io.leasehold.option.OptionCodecs;
import io.leasehold.option.OptionDef;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;

import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;

/**
 * Writes DHCPv6 messages straight into a caller's buffer, in wire order, without staging or
 * allocating: the header, then options as they are given.
 *
 * <p>A container option (IA_NA, IA_PD, IAADDR, IAPREFIX, RELAY_MSG, or any option by
 * {@link #openOption}) is opened with its length left blank, filled in when it is closed
 * ({@link #close}, or {@link #finish} for everything still open). Relay envelopes are containers
 * too: {@link #relayReplies} writes one RELAY-REPL per relay the request came through, copying each
 * one's hop count, link-address and peer-address and echoing its Interface-Id (RFC 8415 §19.3,
 * §21.18), and leaves their Relay Message options open for the reply inside.
 *
 * <pre>
 * w.begin(out).relayReplies(chain)
 *  .replyTo(chain.message(), Dhcp6MessageType.REPLY.code())
 *  .echo(chain.message(), CLIENT_ID).option(SERVER_ID, serverDuid)
 *  .openIaNa(iaid, t1, t2).iaAddress(high, low, preferred, valid).close()
 *  .option(DNS_SERVERS, dnsBytes)
 *  .finish();
 * </pre>
 *
 * <p>Nothing is copied from a received message but the ranges its view indexed, so a reply never
 * echoes bytes beyond what was received. A writer is reusable ({@link #begin}) and not thread-safe;
 * keep one per thread.
 */
public final class Dhcp6MessageWriter {

    /** Open containers: every relay envelope, then an IA, an address and one more level. */
    static final int MAX_OPEN = Dhcp6RelayChain.HOP_COUNT_LIMIT + 8;

    private final int[] openAt = new int[MAX_OPEN];      // writer index of each open length field
    private final int[] openCode = new int[MAX_OPEN];
    private int depth;
    private ByteBuf out;
    private int start = -1;
    // A header must come first, and first again inside a Relay Message option.
    private boolean headerDue;

    /**
     * Starts a message at {@code out}'s writer index; anything not finished before is forgotten.
     *
     * @return this writer
     */
    public Dhcp6MessageWriter begin(ByteBuf out) {
        this.out = out;
        this.start = out.writerIndex();
        this.depth = 0;
        this.headerDue = true;
        return this;
    }

    // ---- headers -------------------------------------------------------------------------------

    /** Writes a client/server message header (RFC 8415 §8). */
    public Dhcp6MessageWriter header(int messageType, int xid) {
        if (messageType < 0 || messageType > 255 || Dhcp6MessageType.isRelay(messageType)) {
            throw new IllegalArgumentException("message type: " + messageType
                    + " (expected: 0..255, not RELAY-FORW or RELAY-REPL)");
        }
        if (xid < 0 || xid > Dhcp6Message.MAX_XID) {
            throw new IllegalArgumentException("xid: " + xid + " (expected: 0.." + Dhcp6Message.MAX_XID + ")");
        }
        expectHeader();
        out.writeInt(messageType << 24 | xid);
        return this;
    }

    /** Writes the header of a reply to {@code request}: its transaction id (RFC 8415 §18.3). */
    public Dhcp6MessageWriter replyTo(Dhcp6Message request, int messageType) {
        return header(messageType, request.xid());
    }

    /** Writes a relay message header (RFC 8415 §9) with the addresses as two longs each. */
    public Dhcp6MessageWriter relayHeader(int messageType, int hopCount, long linkHigh, long linkLow,
                                          long peerHigh, long peerLow) {
        checkRelay(messageType, hopCount);
        expectHeader();
        out.writeByte(messageType).writeByte(hopCount);
        out.writeLong(linkHigh).writeLong(linkLow).writeLong(peerHigh).writeLong(peerLow);
        return this;
    }

    /** Writes a relay message header, copying the 16-byte addresses from {@code src}. */
    public Dhcp6MessageWriter relayHeader(int messageType, int hopCount, ByteBuf src, int linkIndex, int peerIndex) {
        checkRelay(messageType, hopCount);
        expectHeader();
        out.writeByte(messageType).writeByte(hopCount);
        out.writeBytes(src, linkIndex, 16).writeBytes(src, peerIndex, 16);
        return this;
    }

    /** Writes a relay message header. */
    public Dhcp6MessageWriter relayHeader(int messageType, int hopCount, Inet6Address link, Inet6Address peer) {
        checkRelay(messageType, hopCount);
        expectHeader();
        out.writeByte(messageType).writeByte(hopCount);
        out.writeBytes(link.getAddress()).writeBytes(peer.getAddress());
        return this;
    }

    private static void checkRelay(int messageType, int hopCount) {
        if (!Dhcp6MessageType.isRelay(messageType)) {
            throw new IllegalArgumentException("relay message type: " + messageType + " (expected: 12 or 13)");
        }
        if (hopCount < 0 || hopCount > Dhcp6RelayChain.HOP_COUNT_LIMIT) {
            throw new IllegalArgumentException("hop count: " + hopCount + " (expected: 0.."
                    + Dhcp6RelayChain.HOP_COUNT_LIMIT + ")");
        }
    }

    /**
     * Opens the Relay Message option (9) of the relay message just written; the next thing written
     * is the header of the message it carries.
     */
    public Dhcp6MessageWriter openRelayMessage() {
        openOption(Dhcp6Options.RELAY_MSG.code());
        headerDue = true;
        return this;
    }

    /**
     * Writes the RELAY-REPL envelope answering {@code relayForw}: its hop count, link-address and
     * peer-address, its Interface-Id option when it has one (RFC 8415 §21.18: the server MUST copy
     * it), and an open Relay Message option.
     */
    public Dhcp6MessageWriter relayReply(Dhcp6Message relayForw) {
        if (!relayForw.isRelay()) {
            throw new IllegalArgumentException(relayForw.label() + ": not a relay message");
        }
        relayHeader(Dhcp6MessageType.RELAY_REPL.code(), relayForw.hopCount(), relayForw.buffer(),
                relayForw.linkAddressIndex(), relayForw.peerAddressIndex());
        int i = relayForw.indexOf(Dhcp6Options.INTERFACE_ID.code());
        if (i >= 0) {
            copyOption(relayForw, i);
        }
        return openRelayMessage();
    }

    /**
     * Writes a RELAY-REPL envelope for every relay {@code chain}'s message came through, outermost
     * first; the reply message goes inside, and {@link #finish} closes them.
     */
    public Dhcp6MessageWriter relayReplies(Dhcp6RelayChain chain) {
        for (int level = 0; level < chain.depth(); level++) {
            relayReply(chain.relay(level));
        }
        return this;
    }

    // ---- options -------------------------------------------------------------------------------

    /** Writes option {@code code} with {@code length} value bytes of {@code src} at {@code index}. */
    public Dhcp6MessageWriter option(int code, ByteBuf src, int index, int length) {
        optionHeader(code, length);
        out.writeBytes(src, index, length);
        return this;
    }

    /** Writes option {@code code} with the readable bytes of {@code value} (indexes untouched). */
    public Dhcp6MessageWriter option(int code, ByteBuf value) {
        return option(code, value, value.readerIndex(), value.readableBytes());
    }

    /** Writes option {@code code} with {@code value}. */
    public Dhcp6MessageWriter option(int code, Octets value) {
        optionHeader(code, value.length());
        value.writeTo(out);
        return this;
    }

    /** Writes option {@code code} with {@code value}, an encoded value kept by the caller. */
    public Dhcp6MessageWriter option(int code, byte[] value) {
        optionHeader(code, value.length);
        out.writeBytes(value);
        return this;
    }

    /** Writes {@code def}'s option with {@code value}, encoded by its codec. */
    public <T> Dhcp6MessageWriter option(OptionDef<T> def, T value) {
        openOption(def.code());
        def.encode(value, out);
        return close();
    }

    /** Writes a zero-length option, whose presence is the value (Rapid Commit, Reconfigure Accept). */
    public Dhcp6MessageWriter emptyOption(int code) {
        optionHeader(code, 0);
        return this;
    }

    /** Writes a one-octet option (Preference). */
    public Dhcp6MessageWriter optionU8(int code, int value) {
        optionHeader(code, 1);
        out.writeByte(value);
        return this;
    }

    /** Writes a two-octet option (Elapsed Time). */
    public Dhcp6MessageWriter optionU16(int code, int value) {
        optionHeader(code, 2);
        out.writeShort(value);
        return this;
    }

    /** Writes a four-octet option (Information Refresh Time, SOL_MAX_RT). */
    public Dhcp6MessageWriter optionU32(int code, long value) {
        u32(value, "value");
        optionHeader(code, 4);
        out.writeInt((int) value);
        return this;
    }

    /** Copies occurrence {@code i} of {@code m}, code, length and value, exactly as received. */
    public Dhcp6MessageWriter copyOption(Dhcp6Message m, int i) {
        return option(m.optionCode(i), m.buffer(), m.optionValueIndex(i), m.optionLength(i));
    }

    /** Copies every occurrence of option {@code code} of {@code m} (the Client Identifier, RFC 8415 §18.3). */
    public Dhcp6MessageWriter echo(Dhcp6Message m, int code) {
        for (int i = m.indexOf(code); i >= 0; i = m.indexOf(code, i + 1)) {
            copyOption(m, i);
        }
        return this;
    }

    /** Writes a Status Code option (13, RFC 8415 §21.13). */
    public Dhcp6MessageWriter statusCode(int code, CharSequence message) {
        if (code < 0 || code > 0xffff) {
            throw new IllegalArgumentException("status code: " + code + " (expected: 0..65535)");
        }
        openOption(Dhcp6Options.STATUS_CODE.code());
        out.writeShort(code);
        out.writeCharSequence(message, StandardCharsets.UTF_8);
        return close();
    }

    // ---- containers ----------------------------------------------------------------------------

    /** Opens option {@code code}; what is written until {@link #close} is its value. */
    public Dhcp6MessageWriter openOption(int code) {
        checkCode(code);
        checkBody();
        if (depth == MAX_OPEN) {
            throw new IllegalStateException("more than " + MAX_OPEN + " options open");
        }
        openCode[depth] = code;
        openAt[depth] = out.writerIndex() + 2;
        depth++;
        out.writeInt(code << 16);
        return this;
    }

    /** Opens an IA_NA (RFC 8415 §21.4) and writes its IAID, T1 and T2; nested options follow. */
    public Dhcp6MessageWriter openIaNa(long iaid, long t1, long t2) {
        checkTimes(iaid, t1, t2);
        openOption(Dhcp6Options.IA_NA.code());
        return times(iaid, t1, t2);
    }

    /** Opens an IA_PD (RFC 8415 §21.21) and writes its IAID, T1 and T2; nested options follow. */
    public Dhcp6MessageWriter openIaPd(long iaid, long t1, long t2) {
        checkTimes(iaid, t1, t2);
        openOption(Dhcp6Options.IA_PD.code());
        return times(iaid, t1, t2);
    }

    /** Opens an IA_TA (RFC 8415 §21.5) and writes its IAID; nested options follow. */
    public Dhcp6MessageWriter openIaTa(long iaid) {
        u32(iaid, "iaid");
        openOption(Dhcp6Options.IA_TA.code());
        out.writeInt((int) iaid);
        return this;
    }

    // Arguments are checked before anything is written, so a refused call leaves nothing half open.
    private static void checkTimes(long iaid, long t1, long t2) {
        u32(iaid, "iaid");
        u32(t1, "t1");
        u32(t2, "t2");
    }

    private Dhcp6MessageWriter times(long iaid, long t1, long t2) {
        out.writeInt((int) iaid).writeInt((int) t1).writeInt((int) t2);
        return this;
    }

    /** Opens an IAADDR (RFC 8415 §21.6) of the address in two longs; nested options follow. */
    public Dhcp6MessageWriter openIaAddress(long addressHigh, long addressLow, long preferred, long valid) {
        checkLifetimes(preferred, valid);
        openOption(Dhcp6Options.IAADDR.code());
        out.writeLong(addressHigh).writeLong(addressLow);
        return lifetimes(preferred, valid);
    }

    /** Opens an IAADDR of the 16-byte address at {@code index} of {@code src}; nested options follow. */
    public Dhcp6MessageWriter openIaAddress(ByteBuf src, int index, long preferred, long valid) {
        checkLifetimes(preferred, valid);
        openOption(Dhcp6Options.IAADDR.code());
        out.writeBytes(src, index, 16);
        return lifetimes(preferred, valid);
    }

    /** Writes a whole IAADDR without nested options. */
    public Dhcp6MessageWriter iaAddress(long addressHigh, long addressLow, long preferred, long valid) {
        return openIaAddress(addressHigh, addressLow, preferred, valid).close();
    }

    /** Writes a whole IAADDR of the 16-byte address at {@code index} of {@code src}, without nested options. */
    public Dhcp6MessageWriter iaAddress(ByteBuf src, int index, long preferred, long valid) {
        return openIaAddress(src, index, preferred, valid).close();
    }

    /** Opens an IAPREFIX (RFC 8415 §21.22); nested options follow. */
    public Dhcp6MessageWriter openIaPrefix(long preferred, long valid, int prefixLength, long prefixHigh, long prefixLow) {
        if (prefixLength < 0 || prefixLength > 128) {
            throw new IllegalArgumentException("prefix length: " + prefixLength + " (expected: 0..128)");
        }
        checkLifetimes(preferred, valid);
        openOption(Dhcp6Options.IAPREFIX.code());
        out.writeInt((int) preferred).writeInt((int) valid);
        out.writeByte(prefixLength);
        out.writeLong(prefixHigh).writeLong(prefixLow);
        return this;
    }

    /** Writes a whole IAPREFIX without nested options. */
    public Dhcp6MessageWriter iaPrefix(long preferred, long valid, int prefixLength, long prefixHigh, long prefixLow) {
        return openIaPrefix(preferred, valid, prefixLength, prefixHigh, prefixLow).close();
    }

    private static void checkLifetimes(long preferred, long valid) {
        u32(preferred, "preferred lifetime");
        u32(valid, "valid lifetime");
    }

    private Dhcp6MessageWriter lifetimes(long preferred, long valid) {
        out.writeInt((int) preferred).writeInt((int) valid);
        return this;
    }

    /**
     * Closes the innermost open option, filling in its length.
     *
     * @throws IllegalArgumentException when its value grew past 65535 bytes
     */
    public Dhcp6MessageWriter close() {
        if (depth == 0) {
            throw new IllegalStateException("no open option to close");
        }
        if (headerDue) {
            throw new IllegalStateException("a Relay Message option must hold a message header");
        }
        depth--;
        int lengthAt = openAt[depth];
        int len = out.writerIndex() - lengthAt - 2;
        if (len > 0xffff) {
            throw new IllegalArgumentException("option " + openCode[depth] + ": " + len
                    + " bytes (expected: at most 65535)");
        }
        out.setShort(lengthAt, len);
        return this;
    }

    /**
     * Closes every open option and relay envelope.
     *
     * @return the number of bytes of the whole message
     * @throws IllegalArgumentException when the message grew past 65535 bytes, more than a UDP
     *         datagram holds
     */
    public int finish() {
        if (start < 0) {
            throw new IllegalStateException("begin() first");
        }
        while (depth > 0) {
            close();
        }
        if (headerDue) {
            throw new IllegalStateException("no message header written");
        }
        int length = out.writerIndex() - start;
        if (length > Dhcp6Message.MAX_LENGTH) {
            throw new IllegalArgumentException("message: " + length + " bytes (expected: at most "
                    + Dhcp6Message.MAX_LENGTH + ")");
        }
        start = -1;
        return length;
    }

    /** The number of options (and relay envelopes' Relay Message options) still open. */
    public int openCount() {
        return depth;
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void expectHeader() {
        if (!headerDue) {
            throw new IllegalStateException(start < 0 ? "begin() first" : "a header was already written here");
        }
        headerDue = false;
    }

    private void optionHeader(int code, int length) {
        checkCode(code);
        checkBody();
        if (length > 0xffff) {
            throw new IllegalArgumentException("option " + code + ": " + length + " bytes (expected: at most 65535)");
        }
        out.writeInt(code << 16 | length);
    }

    private void checkBody() {
        if (start < 0) {
            throw new IllegalStateException("begin() first");
        }
        if (headerDue) {
            throw new IllegalStateException("a message header must come before options");
        }
    }

    private static void checkCode(int code) {
        if (code < 0 || code > 0xffff) {
            throw new IllegalArgumentException("option code: " + code + " (expected: 0..65535)");
        }
    }

    private static long u32(long v, String what) {
        return OptionCodecs.checkRange(v, 0, Dhcp6Codecs.U32_MAX, what);
    }
}
