package io.leasehold.dnsmasq;

import io.leasehold.frame.Ipv4UdpFrame;
import io.leasehold.frame.Ipv6UdpFrame;
import io.leasehold.frame.PcapFile;
import io.leasehold.lab.Lab;
import io.leasehold.v4.Dhcp4Message;
import io.leasehold.v6.Dhcp6Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The issue's acceptance: Debian's python3-neutron Dnsmasq driver writes the files and command
 * line for a network with a v4, a stateful v6 and a stateless v6 subnet and ports with
 * extra_dhcp_opts (PXE/iPXE included) ({@link NeutronBed#generated()}); dnsmasq 2.90 serves it,
 * then the Leasehold front serves the same command line and files; dhclient, udhcpc and dhcpcd ask
 * the same questions of both, and the replies they got, captured in their namespace and decoded,
 * must be the same header field by header field and option by option.
 *
 * <p>What is not compared, and why: the transaction id (the client's, random); v6 option 1 (the
 * client's own DUID, echoed; dhclient makes a fresh one per lease file); v4 {@code secs} and
 * {@code hops} (see the README's intended differences). Everything else, option values byte for
 * byte, is.
 */
class NeutronSideBySideIT {

    private NeutronBed bed;

    @AfterEach
    void tearDown() {
        if (bed != null) {
            bed.close();
        }
    }

    /** One client run: its MAC, its command, and whether it speaks DHCPv6. */
    private record Scenario(String name, String mac, boolean v6, List<String> command) {
    }

    private List<Scenario> scenarios() {
        Path d = bed.lab.dir();
        String eth = bed.eth;
        List<String> udhcpc = List.of("busybox", "udhcpc", "-i", eth, "-n", "-q", "-f", "-t", "4", "-T", "2", "-s",
                "/bin/true", "-O", "mtu", "-O", "staticroutes", "-O", "search", "-O", "ntpsrv", "-O", "tftp", "-O",
                "bootfile");
        List<Scenario> s = new ArrayList<>();
        s.add(new Scenario("udhcpc, VM", "fa:16:3e:00:20:11", false, udhcpc));
        s.add(new Scenario("udhcpc, PXE", "fa:16:3e:00:20:21", false, udhcpc));
        List<String> ipxe = new ArrayList<>(udhcpc);
        ipxe.addAll(List.of("-x", "0xaf:01"));   // option 175: the client is iPXE (tag ipxe)
        s.add(new Scenario("udhcpc, iPXE", "fa:16:3e:00:20:21", false, ipxe));
        s.add(new Scenario("dhclient -4, PXE", "fa:16:3e:00:20:21", false, List.of("dhclient", "-4", "-1", "-v", "-sf",
                "/bin/true", "-pf", d.resolve("dh4.pid").toString(), "-lf", "@LEASES@", eth)));
        s.add(new Scenario("dhcpcd -4, client-id port", "fa:16:3e:00:20:41", false, List.of("dhcpcd", "-4", "-1", "-B",
                "--noipv4ll", "-c", "/bin/true", "-t", "15", eth)));
        s.add(new Scenario("dhclient -6, VM", "fa:16:3e:00:20:11", true, List.of("dhclient", "-6", "-1", "-v", "-sf",
                "/bin/true", "-pf", d.resolve("dh6.pid").toString(), "-lf", "@LEASES@", eth)));
        s.add(new Scenario("dhclient -6, PXE", "fa:16:3e:00:20:21", true, List.of("dhclient", "-6", "-1", "-v", "-sf",
                "/bin/true", "-pf", d.resolve("dh6.pid").toString(), "-lf", "@LEASES@", eth)));
        s.add(new Scenario("dhclient -6 -S (stateless)", "fa:16:3e:00:20:11", true, List.of("dhclient", "-6", "-S", "-1",
                "-v", "-sf", "/bin/true", "-pf", d.resolve("dh6.pid").toString(), "-lf", "@LEASES@", eth)));
        return s;
    }

    @Test
    void clientsGetTheSameRepliesFromLeaseholdAsFromDnsmasq() throws Exception {
        Lab.assumeAvailable();
        Lab.assumeCommand("dnsmasq", "dnsmasq-base");
        Lab.assumeCommand("busybox", "busybox");
        Lab.assumeCommand("dhclient", "isc-dhcp-client");
        Lab.assumeCommand("dhcpcd", "dhcpcd-base");
        Lab.assumeCommand("tcpdump", "tcpdump");
        bed = NeutronBed.generated();
        bed.lab.resolvConf(bed.cli);
        List<String> args = new ArrayList<>(bed.args());
        args.add("-k");

        Process dnsmasq = bed.lab.spawn(bed.srv, bed.lab.dir().resolve("dnsmasq.log"),
                with(List.of("dnsmasq"), args).toArray(new String[0]));
        Map<String, Map<String, String>> fromDnsmasq;
        try {
            assertTrue(Lab.await(Duration.ofSeconds(10), this::serving), bed.log("dnsmasq.log"));
            fromDnsmasq = runAll("dnsmasq");
        } finally {
            dnsmasq.destroy();
            dnsmasq.waitFor(5, TimeUnit.SECONDS);
        }
        bed.seedLeases();
        Process front = bed.front(args, "front.log");
        Map<String, Map<String, String>> fromLeasehold;
        try {
            assertTrue(Lab.await(Duration.ofSeconds(40), () -> bed.pid() == front.pid() && serving()),
                    bed.log("front.log"));
            fromLeasehold = runAll("leasehold");
        } finally {
            front.destroy();
            front.waitFor(10, TimeUnit.SECONDS);
        }

        StringBuilder diff = new StringBuilder();
        for (String scenario : fromDnsmasq.keySet()) {
            Map<String, String> a = fromDnsmasq.get(scenario);
            Map<String, String> b = fromLeasehold.get(scenario);
            System.out.println("== " + scenario + "\n   dnsmasq   " + a + "\n   Leasehold " + b);
            for (String k : union(a.keySet(), b.keySet())) {
                if (!java.util.Objects.equals(a.get(k), b.get(k))) {
                    diff.append(scenario).append(": ").append(k).append(" dnsmasq=").append(a.get(k))
                            .append(" leasehold=").append(b.get(k)).append('\n');
                }
            }
        }
        assertEquals("", diff.toString());
        for (Map<String, String> r : fromLeasehold.values()) {
            assertTrue(r.size() > 3, "each client got a reply: " + fromLeasehold);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new java.util.TreeSet<>(a);
        s.addAll(b);
        return s;
    }

    private static List<String> with(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private boolean serving() {
        try {
            return bed.listening(67) && bed.listening(547);
        } catch (Exception e) {
            return false;
        }
    }

    private Map<String, Map<String, String>> runAll(String server) throws Exception {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        int n = 0;
        for (Scenario s : scenarios()) {
            out.put(s.name(), run(s, server + "-" + n++));
        }
        return out;
    }

    /** Runs one client once with a capture in its namespace; the last reply it got, decoded. */
    private Map<String, String> run(Scenario s, String tag) throws Exception {
        // A new MAC with its own link-local address (down drops the old one), and no neighbour
        // entry left on the server side: the client looks like a different machine, as it is.
        Lab.run("ip", "-n", bed.cli, "link", "set", bed.eth, "down").orThrow("down");
        Lab.run("ip", "-n", bed.cli, "addr", "flush", "dev", bed.eth).orThrow("flush");
        Lab.run("ip", "-n", bed.cli, "link", "set", bed.eth, "address", s.mac()).orThrow("mac");
        Lab.run("ip", "-n", bed.cli, "link", "set", bed.eth, "up").orThrow("up");
        Lab.run("ip", "-n", bed.srv, "neigh", "flush", "dev", bed.tap).orThrow("neigh flush");
        bed.lab.awaitLinkLocal(bed.cli, bed.eth);
        Path pcap = bed.lab.dir().resolve(tag + ".pcap");
        Process dump = bed.lab.spawn(bed.cli, bed.lab.dir().resolve(tag + ".tcpdump.log"), "tcpdump", "--immediate-mode", "-i", bed.eth,
                "-U", "-n", "-w", pcap.toString(), s.v6() ? "udp port 546" : "udp port 68");
        assertTrue(Lab.await(Duration.ofSeconds(10), () -> bed.log(tag + ".tcpdump.log").contains("listening on")),
                bed.log(tag + ".tcpdump.log"));
        List<String> cmd = new ArrayList<>(List.of("unshare", "--uts"));
        for (String c : s.command()) {
            cmd.add(c.replace("@LEASES@", bed.lab.dir().resolve(tag + ".leases").toString()));
        }
        Lab.Result r = bed.lab.exec(bed.cli, Duration.ofSeconds(30), cmd.toArray(new String[0]));
        for (String pidFile : new String[] {"dh4.pid", "dh6.pid"}) {
            Path p = bed.lab.dir().resolve(pidFile);
            if (Files.exists(p)) {
                bed.kill(Long.parseLong(Files.readString(p).trim()), "TERM");
                Files.delete(p);
            }
        }
        Lab.run("ip", "netns", "exec", bed.cli, "dhcpcd", "-x", bed.eth);   // a dhcpcd left running, if any
        Thread.sleep(300);
        bed.kill(dump.pid(), "INT");
        dump.waitFor(5, TimeUnit.SECONDS);
        byte[] captured = Files.readAllBytes(pcap);
        Map<String, String> reply = lastReply(captured, s.v6());
        assertTrue(!reply.isEmpty(), s.name() + " (" + tag + ") got no reply: " + r + "; captured "
                + PcapFile.parse(captured).size() + " frames; " + bed.log(tag + ".tcpdump.log"));
        return reply;
    }

    /** The last server-to-client DHCP message of the capture, as header fields and options. */
    static Map<String, String> lastReply(byte[] pcap, boolean v6) {
        Map<String, String> last = new TreeMap<>();
        for (PcapFile.Packet p : PcapFile.parse(pcap)) {
            ByteBuf frame = Unpooled.wrappedBuffer(p.frame());
            if (!v6) {
                Ipv4UdpFrame f = Ipv4UdpFrame.wrap(frame);
                if (f.srcPort() != 67) {
                    continue;
                }
                Dhcp4Message m = Dhcp4Message.wrap(ByteBufUtil.getBytes(f.payload()));
                Map<String, String> out = new TreeMap<>();
                out.put("op", Integer.toString(m.op()));
                out.put("yiaddr", io.leasehold.wire.IpAddresses.text(io.leasehold.wire.IpAddresses.ipv4(m.yiaddr())));
                out.put("siaddr", io.leasehold.wire.IpAddresses.text(io.leasehold.wire.IpAddresses.ipv4(m.siaddr())));
                out.put("ciaddr", io.leasehold.wire.IpAddresses.text(io.leasehold.wire.IpAddresses.ipv4(m.ciaddr())));
                out.put("flags", Integer.toString(m.flags()));
                out.put("sname", m.sname());
                out.put("file", m.file());
                out.put("ip.dst", io.leasehold.wire.IpAddresses.text(io.leasehold.wire.IpAddresses.ipv4(f.dstIp())));
                for (int i = 0; i < m.optionCount(); i++) {
                    out.put(String.format("opt%03d", m.optionCode(i)),
                            ByteBufUtil.hexDump(m.buffer(), m.optionValueIndex(i), m.optionLength(i)));
                }
                last = out;
            } else {
                Ipv6UdpFrame f = Ipv6UdpFrame.wrap(frame);
                if (f.srcPort() != 547) {
                    continue;
                }
                byte[] payload = new byte[f.payloadLength()];
                frame.getBytes(f.payloadIndex(), payload);
                Dhcp6Message m = Dhcp6Message.wrap(payload);
                Map<String, String> out = new TreeMap<>();
                out.put("type", Integer.toString(m.messageType()));
                for (int i = 0; i < m.optionCount(); i++) {
                    if (m.optionCode(i) == 1) {
                        continue;   // the client's DUID, echoed
                    }
                    out.put(String.format("opt%03d", m.optionCode(i)),
                            ByteBufUtil.hexDump(m.buffer(), m.optionValueIndex(i), m.optionLength(i)));
                }
                last = out;
            }
        }
        return last;
    }
}
