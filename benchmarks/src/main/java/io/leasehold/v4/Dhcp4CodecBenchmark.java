package io.leasehold.v4;

import io.leasehold.frame.Ipv4UdpFrame;
import io.leasehold.option.ClasslessRoute;
import io.leasehold.testing.Captures;
import io.leasehold.testing.Pcap;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The DHCPv4 codec on real packets: decoding dhclient's DISCOVER and REQUEST from the shared
 * captures, and encoding an ACK with the options Neutron gives every port (lease times, netmask,
 * broadcast, domain, hostname, router, classless routes, MTU, search list, DNS).
 *
 * <p>Option values are staged from pre-encoded bytes, as the server keeps them in its network
 * snapshot; the output is a direct buffer, as the raw socket sends it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Dhcp4CodecBenchmark {

    private ByteBuf discover;
    private ByteBuf request;
    private final Dhcp4Message view = new Dhcp4Message();
    private final Dhcp4Message requestView = new Dhcp4Message();
    private final Dhcp4MessageWriter writer = new Dhcp4MessageWriter();

    private ByteBuf out;
    private Octets leaseTime;
    private Octets netmask;
    private Octets broadcast;
    private Octets domain;
    private Octets hostname;
    private Octets router;
    private Octets routes;
    private Octets mtu;
    private Octets search;
    private Octets dns;

    @Setup(Level.Trial)
    public void setUp() {
        List<Pcap.Packet> acquire = Captures.packets("dhclient-v4-acquire.pcap");
        discover = payload(acquire.get(0).frame());
        request = payload(acquire.get(2).frame());
        requestView.reset(request);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(Dhcp4MessageWriter.DEFAULT_MAX_LENGTH);

        leaseTime = encoded(Dhcp4Options.LEASE_TIME, 86400L);
        netmask = encoded(Dhcp4Options.SUBNET_MASK, IpAddresses.parseIpv4("255.255.255.0"));
        broadcast = encoded(Dhcp4Options.BROADCAST_ADDRESS, IpAddresses.parseIpv4("10.77.0.255"));
        domain = encoded(Dhcp4Options.DOMAIN_NAME, "openstacklocal");
        hostname = encoded(Dhcp4Options.HOST_NAME, "host-10-77-0-11");
        router = encoded(Dhcp4Options.ROUTERS, List.of(IpAddresses.parseIpv4("10.77.0.1")));
        routes = encoded(Dhcp4Options.CLASSLESS_STATIC_ROUTE,
                ClasslessRoute.parseList("169.254.169.254/32,10.77.0.2,172.31.128.0/17,10.77.0.1,0.0.0.0/0,10.77.0.1"));
        mtu = encoded(Dhcp4Options.INTERFACE_MTU, 1450);
        search = encoded(Dhcp4Options.DOMAIN_SEARCH, List.of("openstacklocal", "lab.example"));
        dns = encoded(Dhcp4Options.DOMAIN_NAME_SERVERS,
                List.of(IpAddresses.parseIpv4("10.77.0.3"), IpAddresses.parseIpv4("10.77.0.4")));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        discover.release();
        request.release();
        out.release();
    }

    private static ByteBuf payload(byte[] frame) {
        ByteBuf p = Ipv4UdpFrame.wrap(Unpooled.wrappedBuffer(frame)).payload();
        ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(p.readableBytes());
        direct.writeBytes(p);
        return direct;
    }

    private static <T> Octets encoded(io.leasehold.option.OptionDef<T> def, T value) {
        return Octets.of(def.encode(value));
    }

    /** What the engine reads of a DISCOVER: type, xid, MAC, client id, requested address, PRL. */
    @Benchmark
    public long decodeDiscover() {
        return read(view.reset(discover));
    }

    /** The same of a REQUEST in SELECTING state, which also carries a server identifier. */
    @Benchmark
    public long decodeRequest() {
        return read(view.reset(request)) + view.ipv4Option(54);
    }

    private static long read(Dhcp4Message m) {
        long h = m.messageType();
        h = 31 * h + m.xid();
        h = 31 * h + m.macAddress();
        h = 31 * h + m.indexOf(61);
        h = 31 * h + m.ipv4Option(50);
        h = 31 * h + m.u16Option(57, 576);
        h = 31 * h + (m.requests(121) ? 1 : 0);
        return h;
    }

    /** An ACK to dhclient's REQUEST with Neutron's options, into a pooled direct buffer. */
    @Benchmark
    public int encodeAck() {
        return writeAck(requestView);
    }

    /** The whole codec part of answering a REQUEST: decode it, encode the ACK. */
    @Benchmark
    public int decodeRequestEncodeAck() {
        view.reset(request);
        return writeAck(view);
    }

    private int writeAck(Dhcp4Message req) {
        Dhcp4MessageWriter w = writer.replyTo(req).yiaddr(0x0a4d000b);
        w.optionU8(53, Dhcp4MessageType.ACK.code());
        w.optionU32(54, 0x0a4d0002);
        w.option(51, leaseTime);
        w.optionU32(58, 43200);
        w.optionU32(59, 75600);
        w.option(1, netmask);
        w.option(28, broadcast);
        w.option(15, domain);
        w.option(12, hostname);
        w.option(3, router);
        w.option(121, routes);
        w.option(26, mtu);
        w.option(119, search);
        w.option(6, dns);
        // The output buffer is reused: on an event loop thread the pooled allocator recycles
        // buffer objects, but JMH's threads are not Netty threads, so a per-op allocation here
        // would measure the allocator's fallback path, not the codec.
        out.clear();
        return w.write(out, Dhcp4MessageWriter.DEFAULT_MAX_LENGTH);
    }
}
