package io.leasehold.server;

import io.leasehold.frame.Ipv4UdpFrame;
import io.leasehold.frame.PcapFile;
import io.leasehold.lab.Lab;
import io.leasehold.model.AddressMode;
import io.leasehold.model.IpPrefix;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.wire.IpAddresses;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One daemon, many namespaces: overlapping networks stay apart, namespaces come and go, interfaces
 * are recreated, and the frames clients receive carry checksums computed by the server.
 */
class NamespacesIT {

    private static final String CLIENT_MAC = "fa:16:3e:00:00:42";
    private static final long CLIENT = 0xfa163e000042L;

    private Lab lab;
    private LeaseholdServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop();
        }
        if (lab != null) {
            lab.close();
        }
    }

    /** Network {@code i}: 10.50.0.0/24 like every other, the same client MAC, a different address. */
    private static NetworkSnapshot network(int i) {
        return NetworkSnapshot.builder("net" + i)
                .subnet(Subnet.of("s", IpPrefix.parse("10.50.0.0/24"), AddressMode.DHCPV4))
                .reservation(Reservation.of("p", CLIENT, "vm" + i, IpAddresses.parse("10.50.0." + (100 + i))))
                .build();
    }

    private Lab.Result udhcpc(String ns, String ifname, Path script) throws Exception {
        return lab.exec(ns, Duration.ofSeconds(20), "busybox", "udhcpc", "-i", ifname, "-n", "-q", "-f", "-t", "5", "-T",
                "1", "-s", script.toString());
    }

    private Path envScript(String name) throws Exception {
        Path env = lab.dir().resolve(name + ".env");
        Path script = lab.dir().resolve(name + ".sh");
        Files.writeString(script, "#!/bin/sh\n[ \"$1\" = bound ] && env > " + env + "\nexit 0\n");
        script.toFile().setExecutable(true);
        return script;
    }

    private static String env(Path script) throws Exception {
        Path env = Path.of(script.toString().replace(".sh", ".env"));
        return Files.exists(env) ? Files.readString(env) : "";
    }

    @Test
    void twentyOverlappingNetworksEachAnswerOnlyTheirOwnClient() throws Exception {
        Lab.assumeCommand("busybox", "busybox");
        lab = Lab.create();
        int n = 20;
        LeaseholdServer.Builder b = LeaseholdServer.builder().watchNamespaces(false).eventLoopThreads(2);
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String srv = lab.namespace("s" + i);
            String cli = lab.namespace("c" + i);
            String s = lab.prefix() + "s" + i;
            String c = lab.prefix() + "c" + i;
            lab.veth(srv, s, "fa:16:3e:00:01:01", cli, c, CLIENT_MAC);
            lab.address(srv, s, "10.50.0.1/24");
            b.network(network(i)).serve(srv, s, "net" + i);
            pairs.add(new String[] {srv, s, cli, c});
        }
        server = b.build().start();
        for (String[] p : pairs) {
            assertTrue(server.awaitServing(p[0], p[1], Duration.ofSeconds(10)), p[0]);
        }
        for (int i = 0; i < n; i++) {
            Path script = envScript("c" + i);
            Lab.Result r = udhcpc(pairs.get(i)[2], pairs.get(i)[3], script);
            assertTrue(r.ok(), "client " + i + ": " + r);
            assertTrue(env(script).contains("ip=10.50.0." + (100 + i)), "client " + i + " got its own network's address: "
                    + env(script));
        }
        for (int i = 0; i < n; i++) {
            Map<String, Long> c = server.network("net" + i).counters().snapshot();
            // DISCOVER and REQUEST from its own client, and nothing from any other namespace.
            assertEquals(2, c.get("dhcp4.received"), "net" + i + ": " + c);
            assertEquals(2, c.get("dhcp4.replied"), "net" + i + ": " + c);
            assertEquals(1, server.leases4("net" + i).size());
            assertEquals(IpAddresses.toInt(IpAddresses.parseIpv4("10.50.0." + (100 + i))),
                    server.leases4("net" + i).get(0).address());
        }
    }

    @Test
    void theClientSeesValidChecksumsWithoutAnyIptablesRule() throws Exception {
        Lab.assumeCommand("busybox", "busybox");
        Lab.assumeCommand("tcpdump", "tcpdump");
        lab = Lab.create();
        String srv = lab.namespace("srv");
        String cli = lab.namespace("cli");
        String s = lab.prefix() + "s";
        String c = lab.prefix() + "c";
        lab.veth(srv, s, "fa:16:3e:00:01:01", cli, c, CLIENT_MAC);
        lab.address(srv, s, "10.50.0.1/24");
        assertFalse(Lab.run("ip", "netns", "exec", srv, "iptables-save").out().contains("CHECKSUM"), "no CHECKSUM rule");
        server = LeaseholdServer.builder().network(network(7)).serve(srv, s, "net7").watchNamespaces(false)
                .eventLoopThreads(1).build().start();
        assertTrue(server.awaitServing(srv, s, Duration.ofSeconds(10)));
        Path pcap = lab.dir().resolve("client.pcap");
        Process dump = lab.spawn(cli, lab.dir().resolve("tcpdump.log"), "tcpdump", "-Z", "root", "-i", c, "-U", "-w", pcap.toString(),
                "udp", "port", "67", "or", "udp", "port", "68");
        Path dumpLog = lab.dir().resolve("tcpdump.log");
        assertTrue(Lab.await(Duration.ofSeconds(5), () -> read(dumpLog).contains("listening")), "tcpdump started");
        assertTrue(udhcpc(cli, c, envScript("c")).ok());
        // tcpdump reads the kernel's capture ring a block at a time, and a block is handed over when
        // full or after its timeout (about a second): give it that before stopping it.
        Thread.sleep(2000);
        // TERM, not INT: a JVM started in the background has SIGINT ignored, and so do its children.
        lab.signal(dump, "TERM");
        assertTrue(dump.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "tcpdump stopped");
        int replies = 0;
        for (PcapFile.Packet p : PcapFile.parse(Files.readAllBytes(pcap))) {
            Ipv4UdpFrame f = Ipv4UdpFrame.wrap(Unpooled.wrappedBuffer(p.frame()));
            if (f.srcPort() == 67) {
                replies++;
                assertTrue(f.ipChecksumValid(), "IPv4 header checksum of reply " + replies);
                assertEquals(Ipv4UdpFrame.ChecksumState.VALID, f.udpChecksumState(), "UDP checksum of reply " + replies);
            }
        }
        assertEquals(2, replies, "OFFER and ACK captured on the client side: "
                + PcapFile.parse(Files.readAllBytes(pcap)).size() + " frames; exit " + dump.exitValue() + "; "
                + Files.size(pcap) + " bytes; " + Files.readString(lab.dir().resolve("tcpdump.log")));
    }

    @Test
    void aNamespaceDeletedWhileServedIsFreedAndOneAddedLaterIsServed() throws Exception {
        Lab.assumeCommand("busybox", "busybox");
        lab = Lab.create();
        String late = lab.prefix() + "-late";
        String cli = lab.namespace("cli");
        String srv = lab.namespace("srv");
        String s = lab.prefix() + "s";
        String c = lab.prefix() + "c";
        lab.veth(srv, s, "fa:16:3e:00:01:01", cli, c, CLIENT_MAC);
        lab.address(srv, s, "10.50.0.1/24");
        server = LeaseholdServer.builder().network(network(1)).network(network(2))
                .serve(srv, s, "net1").serve(late, "late0", "net2").eventLoopThreads(1).build().start();
        assertTrue(server.awaitServing(srv, s, Duration.ofSeconds(10)));
        assertFalse(server.attachedNamespaces().contains(late), "not there yet");

        // Deleting the served namespace: the daemon lets go of it, so the kernel destroys it, and
        // with it the veth pair, whose other end vanishes from the client's namespace.
        lab.deleteNamespace(srv);
        assertTrue(Lab.await(Duration.ofSeconds(10), () -> !server.attachedNamespaces().contains(srv)), "detached");
        assertTrue(Lab.await(Duration.ofSeconds(10), () -> {
            try {
                return !Lab.run("ip", "-n", cli, "link", "show", c).ok();
            } catch (Exception e) {
                return false;
            }
        }), "the namespace was freed: its veth peer is gone");

        // A namespace the daemon was told about appears: it is attached and serves.
        String lateNs = lab.namespace("late");
        assertEquals(late, lateNs);
        String c2 = lab.prefix() + "c2";
        lab.veth(lateNs, "late0", "fa:16:3e:00:01:02", cli, c2, CLIENT_MAC);
        lab.address(lateNs, "late0", "10.50.0.1/24");
        assertTrue(server.awaitServing(lateNs, "late0", Duration.ofSeconds(15)), "attached when it appeared");
        Path script = envScript("late");
        assertTrue(udhcpc(cli, c2, script).ok());
        assertTrue(env(script).contains("ip=10.50.0.102"), env(script));
    }

    @Test
    void anInterfaceDeletedAndRecreatedUnderItsNameIsServedAgain() throws Exception {
        Lab.assumeCommand("busybox", "busybox");
        lab = Lab.create();
        String srv = lab.namespace("srv");
        String cli = lab.namespace("cli");
        String s = lab.prefix() + "s";
        String c = lab.prefix() + "c";
        lab.veth(srv, s, "fa:16:3e:00:01:01", cli, c, CLIENT_MAC);
        lab.address(srv, s, "10.50.0.1/24");
        server = LeaseholdServer.builder().network(network(3)).serve(srv, s, "net3").watchNamespaces(false)
                .eventLoopThreads(1).build().start();
        assertTrue(server.awaitServing(srv, s, Duration.ofSeconds(10)));
        long fdsBefore = openFds();
        for (int round = 0; round < 3; round++) {
            Lab.run("ip", "-n", srv, "link", "del", s).orThrow("link del");
            assertTrue(Lab.await(Duration.ofSeconds(5), () -> !servedNow(srv, s)), "round " + round + ": closed");
            lab.veth(srv, s, "fa:16:3e:00:01:01", cli, c, CLIENT_MAC);
            lab.address(srv, s, "10.50.0.1/24");
            assertTrue(server.awaitServing(srv, s, Duration.ofSeconds(10)), "round " + round + ": served again");
            Path script = envScript("r" + round);
            Lab.Result r = udhcpc(cli, c, script);
            assertTrue(r.ok(), "round " + round + ": " + r + " " + server.network("net3").counters().snapshot());
            assertTrue(env(script).contains("ip=10.50.0.103"));
        }
        // Pipes of the commands just run close a moment later; sockets of the old interfaces must not stay.
        assertTrue(Lab.await(Duration.ofSeconds(5), () -> openFds() <= fdsBefore),
                "no fd leaked: " + fdsBefore + " before, " + openFds() + " after");
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private boolean servedNow(String ns, String ifname) {
        return server.servedInterfaces(ns).contains(ifname);
    }

    private static long openFds() {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (java.io.IOException e) {
            return Long.MAX_VALUE;
        }
    }
}
