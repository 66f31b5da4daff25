package io.leasehold.v6;

import io.leasehold.option.Duid;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.MalformedPacketException;
import io.leasehold.wire.MalformedPacketException.Reason;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.leasehold.v6.Dhcp6Fixtures.hex;
import static io.leasehold.v6.Dhcp6Fixtures.message;
import static io.leasehold.v6.Dhcp6Fixtures.option;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DHCPv6 view, relay chain, cursor and writer, one behaviour at a time; hostile inputs
 * first, since a server reads what anyone on the link sends.
 */
class Dhcp6MessageTest {

    private static final byte[] DUID_LLT = hex("0001000132951309fa163e000013");
    private static final byte[] IAADDR = hex("fd000077000100000000000000000013" + "00000078" + "00000078");

    // ---- framing ---------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void aClientMessageNeedsItsFourOctetHeader(int length) {
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> Dhcp6Message.wrap(new byte[length]));
        assertEquals(Reason.TOO_SHORT, e.reason());
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 17, 33})
    void aRelayMessageNeedsItsThirtyFourOctetHeader(int length) {
        byte[] b = new byte[length];
        b[0] = 12;
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> Dhcp6Message.wrap(b));
        assertEquals(Reason.TOO_SHORT, e.reason());
        assertTrue(e.getMessage().startsWith("RELAY-FORW: " + length + " bytes"), e.getMessage());
    }

    @Test
    void anOuterLengthThatLiesCostsThePacket() {
        // The second option claims 9 bytes where 8 remain: nothing after it can be framed.
        byte[] b = message(1, 0x123456, option(8, hex("0000")), option(1, 9, hex("0001000132951309")));
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> Dhcp6Message.wrap(b));
        assertEquals(Reason.OPTION_OVERRUN, e.reason());
        byte[] cut = message(1, 0x123456, option(8, hex("0000")), hex("0001"));
        assertEquals(Reason.OPTION_OVERRUN, assertThrows(MalformedPacketException.class, () -> Dhcp6Message.wrap(cut)).reason());
    }

    @Test
    void theViewNeverReadsPastItsRange() {
        // A message in the middle of a buffer whose last option's length would reach into the bytes
        // after it: those bytes were not received as part of this message.
        byte[] inner = message(11, 1, option(8, hex("0000")), option(6, 4, hex("0017")));
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(hex("ffffffff")).writeBytes(inner).writeBytes(hex("00180027"));
        Dhcp6Message m = new Dhcp6Message();
        assertEquals(Reason.OPTION_OVERRUN, assertThrows(MalformedPacketException.class,
                () -> m.reset(buf, 4, inner.length)).reason());
        assertThrows(IllegalArgumentException.class, () -> m.reset(buf, 4, buf.writerIndex()));
        // The same message with honest lengths reads fine at its offset, and the buffer's indexes stay.
        byte[] honest = message(11, 1, option(8, hex("0000")), option(6, hex("00170018")));
        ByteBuf b2 = Unpooled.buffer().writeBytes(hex("ffff")).writeBytes(honest).writeBytes(hex("0102"));
        m.reset(b2, 2, honest.length);
        assertEquals(0, b2.readerIndex());
        assertEquals(2, m.baseIndex());
        assertEquals(List.of(23, 24), m.option(Dhcp6Options.ORO));
        assertEquals(honest.length, m.length());
    }

    @Test
    void aMessageLargerThanADatagramIsRefused() {
        byte[] big = new byte[Dhcp6Message.MAX_LENGTH + 1];
        big[0] = 1;
        assertEquals(Reason.BAD_HEADER, assertThrows(MalformedPacketException.class, () -> Dhcp6Message.wrap(big)).reason());
    }

    @Test
    void unknownTypesAndCodesAreReadAndKept() {
        byte[] b = message(200, 0xabcdef, option(300, hex("0102")), option(65535, new byte[0]), option(0, hex("ff")));
        Dhcp6Message m = Dhcp6Message.wrap(b);
        assertEquals(200, m.messageType());
        assertNull(Dhcp6MessageType.of(200));
        assertEquals("200", Dhcp6MessageType.label(200));
        assertEquals(0xabcdef, m.xid());
        assertTrue(m.hasOption(300));
        assertTrue(m.hasOption(65535));
        assertTrue(m.hasOption(0));
        assertFalse(m.hasOption(301));
        assertEquals(1, m.count(300));
        assertEquals(Octets.parseHex("01:02"), m.option(Dhcp6Options.TABLE.byCode(300)));
        assertArrayEquals(b, Dhcp6Fixtures.reencode(Dhcp6RelayChain.wrap(b)));
    }

    @Test
    void aRelayHopCountPastTheLimitIsALie() {
        byte[] b = Dhcp6Fixtures.relayForw(message(1, 1), 1);
        b[1] = 33;
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> Dhcp6Message.wrap(b));
        assertEquals(Reason.BAD_HEADER, e.reason());
        assertEquals("RELAY-FORW: hop count: 33 (expected: 0..32)", e.getMessage());
    }

    // ---- a bad option costs that option ----------------------------------------------------------

    @Test
    void aNestedLengthThatLiesCostsTheIaNaOnly() {
        // IAADDR claims 40 bytes inside an IA_NA that holds 24 of them.
        byte[] ia = concat(hex("3e000013" + "0000003c" + "00000069"), option(5, 40, IAADDR));
        byte[] b = message(7, 0xc6f91a, option(1, DUID_LLT), option(3, ia), option(13, hex("0000")));
        Dhcp6Message m = Dhcp6Message.wrap(b);
        assertEquals(3, m.optionCount());
        assertNull(m.option(Dhcp6Options.IA_NA));
        assertEquals(List.of(), m.options(Dhcp6Options.IA_NA));
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> m.optionOrThrow(Dhcp6Options.IA_NA));
        assertEquals(Reason.BAD_OPTION_VALUE, e.reason());
        assertTrue(e.getMessage().startsWith("ia-na(3): "), e.getMessage());
        // Everything else still reads, and so do the IA_NA's fixed fields.
        assertEquals(Duid.of(Octets.of(DUID_LLT)), m.option(Dhcp6Options.CLIENT_ID));
        assertEquals(StatusCode.of(0), m.option(Dhcp6Options.STATUS_CODE));
        assertEquals(0x3e000013L, m.iaid(1));
        assertEquals(60, m.t1(1));
        assertEquals(105, m.t2(1));
        Dhcp6OptionCursor c = m.nested(1, new Dhcp6OptionCursor());
        e = assertThrows(MalformedPacketException.class, c::next);
        assertEquals(Reason.BAD_OPTION_VALUE, e.reason());
        assertFalse(c.next(), "the cursor stays at the end after a lie");
    }

    @Test
    void aLieTwoLevelsDownCostsTheOutermostOption() {
        // A Status Code inside an IAADDR inside an IA_NA, whose message is not UTF-8.
        byte[] addr = concat(IAADDR, option(13, hex("0000ff")));
        byte[] ia = concat(hex("00000001" + "00000000" + "00000000"), option(5, addr));
        Dhcp6Message m = Dhcp6Message.wrap(message(3, 1, option(3, ia)));
        assertNull(m.option(Dhcp6Options.IA_NA));
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> m.optionOrThrow(Dhcp6Options.IA_NA));
        assertTrue(e.getMessage().contains("iaaddr(5)") && e.getMessage().contains("status-code(13)"), e.getMessage());
        // Walking without decoding sees the structure; only the decoding of the text fails.
        Dhcp6OptionCursor outer = m.nested(0, new Dhcp6OptionCursor());
        assertTrue(outer.next(Dhcp6Options.IAADDR.code()));
        Dhcp6OptionCursor inner = outer.nested(new Dhcp6OptionCursor());
        assertTrue(inner.next());
        assertEquals(13, inner.code());
        assertEquals(3, inner.length());
    }

    @Test
    void aShortContainerCostsTheContainer() {
        Dhcp6Message m = Dhcp6Message.wrap(message(3, 1, option(3, hex("0000000100000000"))));
        assertNull(m.option(Dhcp6Options.IA_NA));
        assertEquals(-1, m.iaid(0));
        assertEquals(-1, m.t1(0));
        assertEquals(Reason.BAD_OPTION_VALUE,
                assertThrows(MalformedPacketException.class, () -> m.nested(0, new Dhcp6OptionCursor())).reason());
        assertThrows(IllegalArgumentException.class,
                () -> Dhcp6Message.wrap(message(3, 1, option(8, hex("0000")))).nested(0, new Dhcp6OptionCursor()));
    }

    @ParameterizedTest(name = "DUID of {0} bytes")
    @ValueSource(ints = {0, 1, 2, 3, 128, 130, 131, 255, 300})
    void aClientIdOfAnyLengthCostsAtMostItself(int length) {
        byte[] duid = Dhcp6Fixtures.duidOfLength(length);
        Dhcp6Message m = Dhcp6Message.wrap(Dhcp6Fixtures.solicit(duid));
        boolean valid = length >= Duid.MIN_LENGTH && length <= Duid.MAX_LENGTH;
        assertEquals(valid, m.option(Dhcp6Options.CLIENT_ID) != null, "RFC 8415 §11.1: 3..130 octets");
        // The raw range is there either way, for the engine to judge.
        assertEquals(length, m.clientIdLength());
        assertEquals(Octets.of(duid), Octets.copyOf(m.buffer(), m.clientIdIndex(), m.clientIdLength()));
        assertEquals(-1, m.clientIdMac(), "an EN DUID carries no MAC");
        assertTrue(m.rapidCommit());
        assertEquals(0, m.elapsedTime());
        assertEquals(1, m.count(Dhcp6Options.IA_NA.code()));
    }

    // ---- relay messages --------------------------------------------------------------------------

    @Test
    void aRelayMessageShowsItsHeaderAndItsPayload() {
        byte[] solicit = Dhcp6Fixtures.solicit(DUID_LLT);
        byte[] relayed = concat(hex("0c01" + "fd000077000100000000000000000001" + "fe80000000000000f8163efffe000013"),
                option(18, hex("657468302e313030")),
                option(79, hex("0001fa163e000013")),
                option(9, solicit));
        Dhcp6Message r = Dhcp6Message.wrap(relayed);
        assertTrue(r.isRelay());
        assertEquals(-1, r.xid());
        assertEquals(1, r.hopCount());
        assertEquals(IpAddresses.parseIpv6("fd00:77:1::1"), r.linkAddress());
        assertEquals(IpAddresses.parseIpv6("fe80::f816:3eff:fe00:13"), r.peerAddress());
        assertEquals(0xfd00007700010000L, r.linkAddressHigh());
        assertEquals(1L, r.linkAddressLow());
        assertEquals(0xfe80000000000000L, r.peerAddressHigh());
        assertEquals(0xf8163efffe000013L, r.peerAddressLow());
        assertEquals(0xfa163e000013L, r.linkLayerMac());
        assertEquals("RELAY-FORW hops=1 link=fd00:77:1::1 peer=fe80::f816:3eff:fe00:13", r.label());
        Dhcp6Message inner = r.relayMessage(new Dhcp6Message());
        assertEquals(0xc6f91a, inner.xid());
        assertEquals(0xfa163e000013L, inner.clientIdMac());
        assertEquals(-1, inner.linkAddressIndex());
        assertEquals(0, inner.linkAddressHigh());
        assertNull(inner.peerAddress());
        assertEquals("SOLICIT xid=0xc6f91a duid=00:01:00:01:32:95:13:09:fa:16:3e:00:00:13", inner.label());
        assertThrows(IllegalStateException.class, () -> inner.relayMessage(new Dhcp6Message()));

        // The reply goes back in a RELAY-REPL that echoes the Interface-Id, and nothing else of the relay's.
        Dhcp6RelayChain chain = Dhcp6RelayChain.wrap(relayed);
        ByteBuf out = Unpooled.buffer();
        new Dhcp6MessageWriter().begin(out).relayReplies(chain)
                .replyTo(chain.message(), Dhcp6MessageType.ADVERTISE.code())
                .echo(chain.message(), Dhcp6Options.CLIENT_ID.code())
                .finish();
        byte[] expected = concat(hex("0d01" + "fd000077000100000000000000000001" + "fe80000000000000f8163efffe000013"),
                option(18, hex("657468302e313030")),
                option(9, message(2, 0xc6f91a, option(1, DUID_LLT))));
        assertEquals(ByteBufUtil.hexDump(expected), ByteBufUtil.hexDump(out));
    }

    @Test
    void aRelayWithoutExactlyOneRelayMessageIsMalformed() {
        byte[] header = hex("0c00" + "00".repeat(32));
        byte[] none = concat(header, option(18, hex("01")));
        byte[] two = concat(header, option(9, message(1, 1)), option(9, message(1, 2)));
        for (byte[] b : List.of(none, two)) {
            // The envelope itself reads; the chain cannot tell what was relayed.
            Dhcp6Message.wrap(b);
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> Dhcp6RelayChain.wrap(b));
            assertEquals(Reason.BAD_RELAY_MESSAGE, e.reason());
        }
        // A relayed message that is itself unreadable costs the packet: it is all the relay carried.
        byte[] broken = concat(header, option(9, hex("01ab")));
        assertEquals(Reason.TOO_SHORT, assertThrows(MalformedPacketException.class, () -> Dhcp6RelayChain.wrap(broken)).reason());
    }

    @Test
    void theChainReportsMisuse() {
        Dhcp6RelayChain chain = Dhcp6RelayChain.wrap(Dhcp6Fixtures.solicit(DUID_LLT));
        assertFalse(chain.isRelayed());
        assertThrows(IndexOutOfBoundsException.class, () -> chain.relay(0));
        assertEquals(chain.message(), chain.received());
        assertEquals("SOLICIT xid=0xc6f91a duid=00:01:00:01:32:95:13:09:fa:16:3e:00:00:13", chain.toString());
        assertThrows(IllegalStateException.class, () -> new Dhcp6RelayChain().depth());
    }

    // ---- the writer ------------------------------------------------------------------------------

    @Test
    void theWriterBuildsDnsmasqsReplyByteForByte() {
        // dhcp6c-v6-acquire.pcap #7: dnsmasq's Reply, less its host name, rebuilt with the helpers.
        ByteBuf out = Unpooled.buffer();
        ByteBuf address = Unpooled.wrappedBuffer(hex("fd000077000100000000000000000014"));
        int n = new Dhcp6MessageWriter().begin(out)
                .header(Dhcp6MessageType.REPLY.code(), 0x9fcc5f)
                .option(Dhcp6Options.CLIENT_ID.code(), hex("0001000132951316fa163e000014"))
                .option(Dhcp6Options.SERVER_ID, Duid.parse("00:01:00:01:32:95:12:82:fa:16:3e:00:00:02"))
                .openIaNa(1, 60, 105).iaAddress(address.getLong(0), address.getLong(8), 120, 120).close()
                .statusCode(StatusCode.SUCCESS, "success")
                .option(Dhcp6Options.DOMAIN_SEARCH, List.of("openstacklocal"))
                .option(Dhcp6Options.DNS_SERVERS, List.of(IpAddresses.parseIpv6("fd00:77:1::53")))
                .finish();
        assertEquals(out.readableBytes(), n);
        assertEquals("07" + "9fcc5f"
                + "0001000e0001000132951316fa163e000014"
                + "0002000e0001000132951282fa163e000002"
                + "00030028000000010000003c00000069" + "00050018fd0000770001000000000000000000140000007800000078"
                + "000d0009000073756363657373"
                + "001800100e6f70656e737461636b6c6f63616c00"
                + "00170010fd000077000100000000000000000053", ByteBufUtil.hexDump(out));
    }

    @Test
    void theWriterChecksItsArguments() {
        Dhcp6MessageWriter w = new Dhcp6MessageWriter();
        assertEquals("begin() first", assertThrows(IllegalStateException.class, () -> w.header(1, 1)).getMessage());
        w.begin(Unpooled.buffer());
        assertEquals("a message header must come before options",
                assertThrows(IllegalStateException.class, () -> w.emptyOption(14)).getMessage());
        assertEquals("xid: 16777216 (expected: 0..16777215)",
                assertThrows(IllegalArgumentException.class, () -> w.header(1, 0x1000000)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.header(12, 1));
        assertThrows(IllegalArgumentException.class, () -> w.relayHeader(7, 0, 0, 0, 0, 0));
        w.header(7, 1);
        assertEquals("iaid: -1 (expected: 0..4294967295)",
                assertThrows(IllegalArgumentException.class, () -> w.openIaNa(-1, 0, 0)).getMessage());
        assertEquals("option code: 65536 (expected: 0..65535)",
                assertThrows(IllegalArgumentException.class, () -> w.emptyOption(65536)).getMessage());
        assertEquals("prefix length: 129 (expected: 0..128)",
                assertThrows(IllegalArgumentException.class, () -> w.iaPrefix(0, 0, 129, 0, 0)).getMessage());
        assertThrows(IllegalStateException.class, w::close);
        assertThrows(IllegalArgumentException.class, () -> w.option(3, new byte[70000]));
        w.openOption(17).option(1, new byte[60000]).option(2, new byte[6000]);
        assertEquals("option 17: 66008 bytes (expected: at most 65535)",
                assertThrows(IllegalArgumentException.class, w::close).getMessage());
    }

    @Test
    void finishClosesWhatIsStillOpen() {
        ByteBuf out = Unpooled.buffer();
        Dhcp6MessageWriter w = new Dhcp6MessageWriter().begin(out).header(7, 1)
                .openIaPd(9, 10, 20).openIaPrefix(30, 40, 56, 0xfd00000100000000L, 0);
        assertEquals(2, w.openCount());
        w.statusCode(StatusCode.NO_PREFIX_AVAIL, "");
        w.finish();
        Dhcp6Message m = Dhcp6Message.wrap(out);
        IaPd pd = m.option(Dhcp6Options.IA_PD);
        assertEquals(9, pd.iaid());
        IaPrefix p = pd.prefixes().get(0);
        assertEquals(56, p.prefixLength());
        assertEquals(IpAddresses.parseIpv6("fd00:1::"), p.prefix());
        assertEquals(StatusCode.of(StatusCode.NO_PREFIX_AVAIL), p.status());
        assertNull(pd.status());
        // The writer is reusable.
        ByteBuf again = Unpooled.buffer();
        assertEquals(4, w.begin(again).header(11, 2).finish());
        assertThrows(IllegalStateException.class, w::finish);
    }

    @Test
    void iaTaAndTheTypedBuildersAgreeWithTheWriter() {
        IaTa ta = IaTa.of(5, List.of(new IaAddress(IpAddresses.parseIpv6("fd00::5"), 1, 2)), StatusCode.of(0));
        ByteBuf out = Unpooled.buffer();
        ByteBuf a = Unpooled.wrappedBuffer(IpAddresses.parseIpv6("fd00::5").getAddress());
        new Dhcp6MessageWriter().begin(out).header(7, 1).openIaTa(5).iaAddress(a, 0, 1, 2).statusCode(0, "").finish();
        assertEquals(ta, Dhcp6Message.wrap(out).option(Dhcp6Options.IA_TA));
        assertEquals(5, Dhcp6Message.wrap(out).iaid(0));
        assertEquals(-1, Dhcp6Message.wrap(out).t1(0), "an IA_TA has no T1");
    }

    @Test
    void everyOccurrenceIsReachable() {
        byte[] ia1 = hex("00000001" + "00000000" + "00000000");
        byte[] ia2 = hex("00000002" + "00000000" + "00000000");
        Dhcp6Message m = Dhcp6Message.wrap(message(3, 1, option(3, ia1), option(8, hex("0005")), option(3, ia2),
                option(6, hex("0017")), option(6, hex("0018"))));
        assertEquals(2, m.count(3));
        assertEquals(0, m.indexOf(3));
        assertEquals(2, m.indexOf(3, 1));
        assertEquals(-1, m.indexOf(3, 3));
        assertEquals(List.of(1L, 2L), m.options(Dhcp6Options.IA_NA).stream().map(IaNa::iaid).toList());
        assertTrue(m.requests(23) && m.requests(24), "every ORO counts");
        assertEquals(5, m.elapsedTime());
        assertEquals(-1, m.u32Option(8, -1), "not four octets");
        assertNotNull(m.optionValue(8));
        assertNull(m.optionValue(9));
        assertEquals(-1, m.valueIndex(9));
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuf b = Unpooled.buffer();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return ByteBufUtil.getBytes(b);
    }
}
