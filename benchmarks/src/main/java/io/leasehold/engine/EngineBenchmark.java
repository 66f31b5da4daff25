package io.leasehold.engine;

import io.leasehold.lease.LeaseTable;
import io.leasehold.model.AddressMode;
import io.leasehold.model.IpPrefix;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.OptionLine;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.model.TagMatch;
import io.leasehold.option.ClasslessRoute;
import io.leasehold.option.Duid;
import io.leasehold.option.OptionDef;
import io.leasehold.v4.Dhcp4Message;
import io.leasehold.v4.Dhcp4MessageType;
import io.leasehold.v4.Dhcp4MessageWriter;
import io.leasehold.v4.Dhcp4Options;
import io.leasehold.v6.Dhcp6MessageType;
import io.leasehold.v6.Dhcp6MessageWriter;
import io.leasehold.v6.Dhcp6Options;
import io.leasehold.v6.Dhcp6RelayChain;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Engine decisions on a Neutron-shaped network of {@code hosts} ports, each with an IPv4 and an
 * IPv6 reservation (as the agent's hosts file lists them), a /16 and a stateful /64 subnet and
 * Neutron's options (MTU, DNS, search list, classless routes with the metadata route, router).
 *
 * <p>Each operation decodes one request (a view over a direct buffer, as the socket hands it
 * over), lets the engine decide, and lays the reply out into a reused direct buffer: everything a
 * packet costs between the socket's read and its write. Requests come from a pre-shuffled set of
 * {@value #PICKS} clients, so lookups see a random access pattern. The ACK and REPLY benchmarks
 * re-grant leases the table already holds, as renewals and repeated exchanges do; the clock moves
 * one second every {@value #OPS_PER_SECOND} operations so every grant is a real change.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EngineBenchmark {

    private static final int PICKS = 1 << 12;
    private static final int OPS_PER_SECOND = 1 << 14;
    private static final long T0 = 1_800_000_000L;
    private static final long MAC0 = 0xfa163e000000L;
    private static final String S4 = "b2c3d4e5-0000-4000-8000-000000000004";
    private static final String S6 = "b2c3d4e5-0000-4000-8000-000000000006";

    @Param({"50000"})
    public int hosts;

    private NetworkSnapshot network;
    private LeaseTable leases;
    private ServerInterface iface;
    private Duid serverDuid;
    private final Dhcp4Engine engine4 = new Dhcp4Engine();
    private final Dhcp6Engine engine6 = new Dhcp6Engine();
    private final Dhcp4Message view4 = new Dhcp4Message();
    private final Dhcp6RelayChain view6 = new Dhcp6RelayChain();
    private final Dhcp4MessageWriter writer4 = new Dhcp4MessageWriter();

    private ByteBuf[] discovers;
    private ByteBuf[] requests4;
    private ByteBuf[] solicits;
    private ByteBuf[] requests6;
    private ByteBuf out;
    private int i;

    static long mac(int k) {
        return MAC0 + k;
    }

    static int ipv4(int k) {
        return 0x0a000000 + 10 + k; // 10.0.0.10 upward in 10.0.0.0/16
    }

    static Inet6Address ipv6(int k) {
        byte[] b = new byte[16];
        b[0] = (byte) 0xfd;
        b[3] = 0x10;
        int v = k + 10; // fd00:10::a upward
        b[12] = (byte) (v >>> 24);
        b[13] = (byte) (v >>> 16);
        b[14] = (byte) (v >>> 8);
        b[15] = (byte) v;
        return IpAddresses.ipv6(b);
    }

    /** Host k's two lines of the agent's hosts file: its IPv4 and its (tag:dhcpv6) IPv6 allocation. */
    static NetworkSnapshot withHost(NetworkSnapshot s, int k) {
        String v4 = IpAddresses.ipv4Text(ipv4(k));
        s = s.withReservation(Reservation.of("p" + k + "-v4", mac(k),
                "host-" + v4.replace('.', '-') + ".openstacklocal", IpAddresses.parse(v4)));
        Inet6Address a6 = ipv6(k);
        return s.withReservation(new Reservation("p" + k + "-v6", mac(k), null, null,
                "host-" + a6.getHostAddress().replace(':', '-') + ".openstacklocal", List.of(a6), Set.of(),
                Set.of(Reservation.TAG_DHCPV6), Subnet.DEFAULT_TIME));
    }

    static Duid duid(int k) {
        long m = mac(k);
        byte[] b = new byte[6];
        for (int j = 0; j < 6; j++) {
            b[j] = (byte) (m >>> (40 - 8 * j));
        }
        return Duid.ll(1, Octets.of(b));
    }

    private static <T> OptionLine line(OptionDef<T> def, T value, boolean forced, String... tags) {
        List<TagMatch> t = new ArrayList<>();
        for (String s : tags) {
            t.add(TagMatch.parse(s));
        }
        return OptionLine.of(def, value, t, forced);
    }

    /** A Neutron-shaped network with {@code hosts} dual-stack ports. */
    static NetworkSnapshot network(int hosts) {
        Subnet s4 = Subnet.of(S4, IpPrefix.parse("10.0.0.0/16"), AddressMode.DHCPV4)
                .withGateway(IpAddresses.parse("10.0.0.1"));
        Subnet s6 = Subnet.of(S6, IpPrefix.parse("fd00:10::/64"), AddressMode.DHCPV6_STATEFUL);
        String st = "subnet-" + S4;
        String routes = "169.254.169.254/32,10.0.0.2,0.0.0.0/0,10.0.0.1";
        NetworkSnapshot.Builder b = NetworkSnapshot.builder("bench")
                .settings(NetworkSnapshot.Settings.DEFAULT.withDomain("openstacklocal").withMtu(1450)
                        .withLeaseMax(16777216))
                .subnet(s4).subnet(s6)
                .option(line(Dhcp4Options.INTERFACE_MTU, 1450, true))
                .option(line(Dhcp4Options.DOMAIN_NAME_SERVERS, List.of(IpAddresses.parseIpv4("10.0.0.3")), false, st))
                .option(line(Dhcp4Options.DOMAIN_SEARCH, List.of("openstacklocal"), false, st))
                .option(line(Dhcp4Options.CLASSLESS_STATIC_ROUTE, ClasslessRoute.parseList(routes), false, st))
                .option(line(Dhcp4Options.ROUTERS, List.of(IpAddresses.parseIpv4("10.0.0.1")), false, st))
                .option(line(Dhcp6Options.DNS_SERVERS, List.of(IpAddresses.parseIpv6("fd00:10::53")), false, "subnet-" + S6))
                .option(line(Dhcp6Options.DOMAIN_SEARCH, List.of("openstacklocal"), false, "subnet-" + S6));
        NetworkSnapshot s = b.build();
        for (int k = 0; k < hosts; k++) {
            s = withHost(s, k);
        }
        return s;
    }

    @Setup(Level.Trial)
    public void setUp() {
        network = network(hosts);
        leases = new LeaseTable("bench", 16777216);
        iface = new ServerInterface("ns-dhcp", 0xfa163effff02L, new int[] {0x0a000002}, new int[] {16},
                List.of(IpAddresses.parseIpv6("fe80::f816:3eff:feff:ff02"), IpAddresses.parseIpv6("fd00:10::2")));
        serverDuid = Duid.ll(1, Octets.parseHex("fa:16:3e:ff:ff:02"));
        Random r = new Random(7);
        discovers = new ByteBuf[PICKS];
        requests4 = new ByteBuf[PICKS];
        solicits = new ByteBuf[PICKS];
        requests6 = new ByteBuf[PICKS];
        for (int p = 0; p < PICKS; p++) {
            int k = r.nextInt(hosts);
            discovers[p] = v4(Dhcp4MessageType.DISCOVER, k, p);
            requests4[p] = v4(Dhcp4MessageType.REQUEST, k, p);
            solicits[p] = v6(Dhcp6MessageType.SOLICIT, k, p);
            requests6[p] = v6(Dhcp6MessageType.REQUEST, k, p);
        }
        out = PooledByteBufAllocator.DEFAULT.directBuffer(Dhcp4MessageWriter.DEFAULT_MAX_LENGTH);
        // Bind every picked client once, so the measured ACKs and REPLYs are steady-state grants.
        for (int p = 0; p < PICKS; p++) {
            ack();
        }
        for (int p = 0; p < PICKS; p++) {
            reply();
        }
        i = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (ByteBuf[] a : List.of(discovers, requests4, solicits, requests6)) {
            for (ByteBuf b : a) {
                b.release();
            }
        }
        out.release();
    }

    /** A DISCOVER or a SELECTING REQUEST as dhclient sends them, with its parameter request list. */
    private ByteBuf v4(Dhcp4MessageType type, int k, int xid) {
        long m = mac(k);
        byte[] chaddr = new byte[6];
        for (int j = 0; j < 6; j++) {
            chaddr[j] = (byte) (m >>> (40 - 8 * j));
        }
        Dhcp4MessageWriter w = new Dhcp4MessageWriter();
        w.op(Dhcp4Message.OP_BOOTREQUEST).htype(1).hlen(6).xid(xid).chaddr(Octets.of(chaddr))
                .optionU8(Dhcp4Options.MESSAGE_TYPE.code(), type.code());
        if (type == Dhcp4MessageType.REQUEST) {
            w.optionU32(Dhcp4Options.SERVER_IDENTIFIER.code(), 0x0a000002);
            w.optionU32(Dhcp4Options.REQUESTED_ADDRESS.code(), ipv4(k));
        }
        w.option(Dhcp4Options.PARAMETER_REQUEST_LIST.code(),
                Octets.of(new byte[] {1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42}));
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(576);
        w.write(b, 576);
        return b;
    }

    /** A Solicit (IA_NA, no address) or a Request (IA_NA with the reserved address, server id). */
    private ByteBuf v6(Dhcp6MessageType type, int k, int xid) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(256);
        Dhcp6MessageWriter w = new Dhcp6MessageWriter().begin(b).header(type.code(), xid & 0xffffff);
        w.option(Dhcp6Options.CLIENT_ID.code(), duid(k).bytes());
        if (type == Dhcp6MessageType.REQUEST) {
            w.option(Dhcp6Options.SERVER_ID.code(), serverDuid.bytes());
        }
        w.optionU16(Dhcp6Options.ELAPSED_TIME.code(), 0);
        w.option(Dhcp6Options.ORO.code(), new byte[] {0, 23, 0, 24});
        w.openIaNa(k, 0, 0);
        if (type == Dhcp6MessageType.REQUEST) {
            byte[] a = ipv6(k).getAddress();
            ByteBuf ab = io.netty.buffer.Unpooled.wrappedBuffer(a);
            w.iaAddress(ab.getLong(0), ab.getLong(8), 0, 0);
        }
        w.close();
        w.finish();
        return b;
    }

    private int next() {
        return i++ & (PICKS - 1);
    }

    private long now() {
        return T0 + (i >>> 14);
    }

    private int decide4(ByteBuf request) {
        Dhcp4Decision d = engine4.handle(view4.reset(request), new Dhcp4Context(network, leases, iface, now(), false), writer4);
        if (!d.replies()) {
            throw new IllegalStateException(d.toString());
        }
        out.clear();
        return writer4.write(out, d.maxLength());
    }

    private int decide6(ByteBuf request) {
        out.clear();
        Dhcp6Decision d = engine6.handle(view6.reset(request), new Dhcp6Context(network, leases, iface, serverDuid, now(), -1), out);
        if (!d.replies()) {
            throw new IllegalStateException(d.toString());
        }
        return out.writerIndex();
    }

    /** DHCPv4 DISCOVER → OFFER of the client's reservation. */
    @Benchmark
    public int offer() {
        return decide4(discovers[next()]);
    }

    /** DHCPv4 REQUEST (selecting) → ACK, the lease written to the table. */
    @Benchmark
    public int ack() {
        return decide4(requests4[next()]);
    }

    /** DHCPv6 SOLICIT → ADVERTISE of the client's reservation. */
    @Benchmark
    public int advertise() {
        return decide6(solicits[next()]);
    }

    /** DHCPv6 REQUEST → REPLY, the lease written to the table. */
    @Benchmark
    public int reply() {
        return decide6(requests6[next()]);
    }

    /** Checks the set-up by hand: {@code java -cp benchmarks.jar io.leasehold.engine.EngineBenchmark}. */
    public static void main(String[] args) {
        EngineBenchmark b = new EngineBenchmark();
        b.hosts = 1000;
        b.setUp();
        System.out.println(b.offer() + " " + b.ack() + " " + b.advertise() + " " + b.reply() + " leases4="
                + b.leases.size4() + " leases6=" + b.leases.size6());
        b.tearDown();
    }
}
