package io.leasehold.v6;

import io.leasehold.frame.Ipv6UdpFrame;
import io.leasehold.option.Duid;
import io.leasehold.testing.Captures;
import io.leasehold.testing.Pcap;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The DHCPv6 codec on the packet path: reading a client's SOLICIT and REQUEST from the shared
 * captures (dhcpcd's Solicit with rapid commit and FQDN, dhclient's Request with an IA_NA and its
 * address), and writing the REPLY dnsmasq sends (client and server id, IA_NA with IAADDR, status,
 * domain list and DNS servers). Both read what an engine reads: ids, elapsed time, rapid commit,
 * ORO, the IA_NA's IAID, T1, T2 and address, walked without allocating.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar 'io.leasehold.v6' -prof gc}. The target
 * is under 1 µs for {@link #decodeRequestEncodeReply} and no allocation per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Dhcp6MessageBenchmark {

    private ByteBuf solicit;
    private ByteBuf request;
    private ByteBuf out;

    private final Dhcp6RelayChain chain = new Dhcp6RelayChain();
    private final Dhcp6OptionCursor cursor = new Dhcp6OptionCursor();
    private final Dhcp6MessageWriter writer = new Dhcp6MessageWriter();

    // What an engine keeps per network, encoded once when the network's snapshot is built.
    private Octets serverId;
    private byte[] dnsServers;
    private byte[] domainSearch;
    private long addressHigh;
    private long addressLow;

    @Setup
    public void setup() {
        // Received datagrams arrive in pooled direct buffers; so do these.
        solicit = direct(payload("dhcpcd-v6-acquire.pcap", 2));
        request = direct(payload("dhclient-v6-acquire.pcap", 2));
        out = Unpooled.directBuffer(1500);
        serverId = Duid.parse("00:01:00:01:32:95:12:82:fa:16:3e:00:00:02").bytes();
        dnsServers = Dhcp6Options.DNS_SERVERS.encode(List.of(IpAddresses.parseIpv6("fd00:77:1::53")));
        domainSearch = Dhcp6Options.DOMAIN_SEARCH.encode(List.of("openstacklocal"));
        ByteBuf a = Unpooled.wrappedBuffer(IpAddresses.parseIpv6("fd00:77:1::11").getAddress());
        addressHigh = a.getLong(0);
        addressLow = a.getLong(8);
    }

    @TearDown
    public void tearDown() {
        solicit.release();
        request.release();
        out.release();
    }

    private static byte[] payload(String file, int index) {
        Pcap.Packet p = Captures.packets(file).get(index);
        ByteBuf payload = Ipv6UdpFrame.wrap(Unpooled.wrappedBuffer(p.frame())).payload();
        byte[] b = new byte[payload.readableBytes()];
        payload.getBytes(payload.readerIndex(), b);
        return b;
    }

    private static ByteBuf direct(byte[] bytes) {
        return Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    }

    @Benchmark
    public long decodeSolicit() {
        Dhcp6Message m = chain.reset(solicit).message();
        return read(m);
    }

    @Benchmark
    public long decodeRequest() {
        Dhcp6Message m = chain.reset(request).message();
        return read(m) + m.serverIdLength();
    }

    @Benchmark
    public int encodeReply() {
        return reply(request, request.readerIndex() + 8, 14, 0xfe4c39, 0x3e000011L);
    }

    @Benchmark
    public int decodeRequestEncodeReply() {
        Dhcp6Message m = chain.reset(request).message();
        int ia = m.indexOf(Dhcp6Options.IA_NA.code());
        return reply(m.buffer(), m.clientIdIndex(), m.clientIdLength(), m.xid(), m.iaid(ia));
    }

    /** What an engine reads of a client's message before it decides. */
    private long read(Dhcp6Message m) {
        long acc = m.xid() + m.clientIdIndex() + m.clientIdLength() + m.elapsedTime();
        acc += m.clientIdMac();
        acc += m.rapidCommit() ? 1 : 0;
        acc += m.requests(Dhcp6Options.DNS_SERVERS.code()) ? 2 : 0;
        int ia = m.indexOf(Dhcp6Options.IA_NA.code());
        if (ia >= 0) {
            acc += m.iaid(ia) + m.t1(ia) + m.t2(ia);
            m.nested(ia, cursor);
            while (cursor.next()) {
                if (cursor.code() == Dhcp6Options.IAADDR.code() && cursor.length() >= IaAddress.FIXED_LENGTH) {
                    acc += cursor.buffer().getLong(cursor.valueIndex() + 8);
                }
            }
        }
        return acc;
    }

    /** dnsmasq's Reply: client id, server id, IA_NA with the address, status, domain list, DNS. */
    private int reply(ByteBuf clientIdSrc, int clientIdIndex, int clientIdLength, int xid, long iaid) {
        out.clear();
        return writer.begin(out)
                .header(Dhcp6MessageType.REPLY.code(), xid)
                .option(Dhcp6Options.CLIENT_ID.code(), clientIdSrc, clientIdIndex, clientIdLength)
                .option(Dhcp6Options.SERVER_ID.code(), serverId)
                .openIaNa(iaid, 60, 105).iaAddress(addressHigh, addressLow, 120, 120).close()
                .statusCode(StatusCode.SUCCESS, "success")
                .option(Dhcp6Options.DOMAIN_SEARCH.code(), domainSearch)
                .option(Dhcp6Options.DNS_SERVERS.code(), dnsServers)
                .finish();
    }
}
