package io.leasehold.dns;

import io.leasehold.dnsmasq.AddnHostsFile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRecordEncoder;
import io.netty.handler.codec.dns.DnsRecordType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the DNS side answers itself, refuses or forwards, decoded back with Netty's codec. */
class DnsMessagesTest {

    /** Neutron's addn_hosts lines (neutron-compat §2.2). */
    private static final LocalNames NAMES = LocalNames.of(List.of(AddnHostsFile.parse("addn_hosts",
            "10.20.0.21\thost-10-20-0-21.openstacklocal. host-10-20-0-21\n"
                    + "fd00:20:1::21\thost-fd00-20-1--21.openstacklocal. host-fd00-20-1--21\n"
                    + "10.20.0.31\thost-10-20-0-31.openstacklocal host-10-20-0-31\n")));

    private static ByteBuf query(int id, int flags, String name, DnsRecordType type) throws Exception {
        ByteBuf b = Unpooled.buffer();
        b.writeShort(id).writeShort(flags).writeShort(1).writeShort(0).writeShort(0).writeShort(0);
        DnsRecordEncoder.DEFAULT.encodeQuestion(new DefaultDnsQuestion(name, type), b);
        return b;
    }

    /** A decoded response: header words, question, answers. */
    private record Response(int id, int flags, DnsQuestion question, List<DnsRecord> answers) {
        int rcode() {
            return flags & 0xf;
        }

        boolean flag(int bit) {
            return (flags & bit) != 0;
        }
    }

    private static Response decode(ByteBuf r) throws Exception {
        int id = r.readUnsignedShort();
        int flags = r.readUnsignedShort();
        int qd = r.readUnsignedShort();
        int an = r.readUnsignedShort();
        r.skipBytes(4);
        DnsQuestion q = qd == 1 ? DnsRecordDecoder.DEFAULT.decodeQuestion(r) : null;
        List<DnsRecord> answers = new ArrayList<>();
        for (int i = 0; i < an; i++) {
            answers.add(DnsRecordDecoder.DEFAULT.decodeRecord(r));
        }
        assertEquals(0, r.readableBytes(), "nothing after the answers");
        r.release();
        return new Response(id, flags, q, answers);
    }

    private static DnsMessages.Decision decide(ByteBuf q, boolean canForward) {
        DnsMessages.Decision d = DnsMessages.decide(q, NAMES, canForward, ByteBufAllocator.DEFAULT);
        q.release();
        return d;
    }

    @Test
    void aLocalNameIsAnsweredWithItsAddressesAuthoritativelyWithTtlZero() throws Exception {
        DnsMessages.Decision d = decide(query(0x1234, 0x0100, "HOST-10-20-0-21.openstacklocal.", DnsRecordType.A), true);
        assertEquals(DnsMessages.Action.ANSWER, d.action());
        Response r = decode(d.response());
        assertEquals(0x1234, r.id());
        assertTrue(r.flag(0x8000) && r.flag(0x0400) && r.flag(0x0100) && r.flag(0x0080), "QR AA RD RA: " + r.flags());
        assertEquals(0, r.rcode());
        assertEquals("HOST-10-20-0-21.openstacklocal.", r.question().name(), "the question is echoed as asked");
        assertEquals(1, r.answers().size());
        DnsRawRecord a = (DnsRawRecord) r.answers().get(0);
        assertEquals(DnsRecordType.A, a.type());
        assertEquals(0, a.timeToLive());
        assertArrayEquals(new byte[] {10, 20, 0, 21}, ByteBufUtil.getBytes(a.content()));
        a.release();
    }

    @Test
    void theShortNameAndAaaaAnswerToo() throws Exception {
        Response r = decode(decide(query(7, 0, "host-fd00-20-1--21", DnsRecordType.AAAA), true).response());
        assertEquals(1, r.answers().size());
        DnsRawRecord a = (DnsRawRecord) r.answers().get(0);
        assertEquals(DnsRecordType.AAAA, a.type());
        assertEquals(16, a.content().readableBytes());
        assertEquals(0, r.flags() & 0x0100, "RD as the query had it");
        a.release();
    }

    @Test
    void aLocalNameWithoutAnAddressOfTheTypeIsForwardedAsDnsmasqDoes() throws Exception {
        assertEquals(DnsMessages.Action.FORWARD,
                decide(query(7, 0x100, "host-10-20-0-21", DnsRecordType.AAAA), true).action());
        assertEquals(DnsMessages.Action.FORWARD, decide(query(7, 0x100, "host-10-20-0-21", DnsRecordType.MX), true).action());
        Response r = decode(decide(query(7, 0x100, "host-10-20-0-21", DnsRecordType.AAAA), false).response());
        assertEquals(5, r.rcode());
    }

    @Test
    void ptrAnswersTheFirstNameOfTheLine() throws Exception {
        Response r = decode(decide(query(9, 0x100, "21.0.20.10.in-addr.arpa", DnsRecordType.PTR), true).response());
        DnsPtrRecord p = (DnsPtrRecord) r.answers().get(0);
        assertEquals("host-10-20-0-21.openstacklocal.", p.hostname());
        Response r6 = decode(decide(query(9, 0x100, LocalNames.reverseName(
                io.leasehold.wire.IpAddresses.parse("fd00:20:1::21")), DnsRecordType.PTR), true).response());
        assertEquals("host-fd00-20-1--21.openstacklocal.", ((DnsPtrRecord) r6.answers().get(0)).hostname());
    }

    @Test
    void otherNamesAreForwardedOrRefusedWithoutUpstreams() throws Exception {
        DnsMessages.Decision f = decide(query(1, 0x100, "example.org", DnsRecordType.A), true);
        assertEquals(DnsMessages.Action.FORWARD, f.action());
        assertNull(f.response());
        DnsMessages.Decision n = decide(query(2, 0x100, "example.org", DnsRecordType.A), false);
        assertEquals(DnsMessages.Action.REFUSE, n.action());
        Response r = decode(n.response());
        assertEquals(5, r.rcode());
        assertEquals(0, r.flags() & 0x0400, "not authoritative");
        assertEquals("example.org.", r.question().name());
        // An unknown address's PTR is not ours either.
        assertEquals(DnsMessages.Action.FORWARD,
                decide(query(3, 0x100, "99.0.20.10.in-addr.arpa", DnsRecordType.PTR), true).action());
    }

    @Test
    void responsesAndGarbageAreDropped() throws Exception {
        assertEquals(DnsMessages.Action.DROP, decide(query(1, 0x8100, "example.org", DnsRecordType.A), true).action());
        assertEquals(DnsMessages.Action.DROP, decide(Unpooled.wrappedBuffer(new byte[5]), true).action());
        ByteBuf bad = Unpooled.buffer().writeShort(1).writeShort(0x100).writeShort(1).writeZero(6).writeByte(63);
        assertEquals(DnsMessages.Action.DROP, decide(bad, true).action());
    }
}
