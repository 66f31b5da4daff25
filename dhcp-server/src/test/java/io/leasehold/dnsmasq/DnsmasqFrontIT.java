package io.leasehold.dnsmasq;

import io.leasehold.lab.Lab;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dnsmasq front run as Neutron's agent runs dnsmasq, on the command line and files Neutron's own
 * driver wrote ({@link NeutronBed}), with real clients and Debian's {@code dhcp_release} and
 * {@code dhcp_release6} (dnsmasq-utils).
 */
class DnsmasqFrontIT {

    private static final Duration START = Duration.ofSeconds(40);
    private NeutronBed bed;
    private NeutronBed second;

    @AfterEach
    void tearDown() {
        if (second != null) {
            second.close();
        }
        if (bed != null) {
            bed.close();
        }
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> out = new ArrayList<>(args);
        out.addAll(List.of(more));
        return out;
    }

    /** The lease line of {@code address}, or null. */
    private String leaseLine(NeutronBed b, String address) {
        for (String l : b.leases().split("\n")) {
            if (l.contains(" " + address + " ")) {
                return l;
            }
        }
        return null;
    }

    @Test
    void foregroundServesReleasesReloadsAndStops() throws Exception {
        Lab.assumeAvailable();
        Lab.assumeCommand("busybox", "busybox");
        Lab.assumeCommand("dhcp_release", "dnsmasq-utils");
        Lab.assumeCommand("dhclient", "isc-dhcp-client");
        bed = NeutronBed.create();
        Process front = bed.front(with(bed.args(), "-k"), "front.log");
        assertTrue(Lab.await(START, () -> bed.pid() == front.pid()), "pid file: " + bed.log("front.log"));

        // A VM gets its address; the file shows the lease with the host name, under the seeded duid.
        Lab.Result r = bed.udhcpc();
        assertTrue(r.err().contains("lease of 10.20.0.11 obtained from 10.20.0.2"), r.toString());
        assertTrue(Lab.await(Duration.ofSeconds(2), () -> {
            String l = leaseLine(bed, "10.20.0.11");
            return l != null && l.contains(" fa:16:3e:00:20:11 10.20.0.11 host-10-20-0-11 ");
        }), bed.leases());
        assertTrue(bed.leases().contains("duid " + NeutronBed.SEEDED_DUID + "\n"), bed.leases());

        // dhcp_release: a unicast datagram from the server's own address (it arrives on the UDP/67
        // socket, not the packet socket); the file no longer has the lease at once.
        Lab.Result rel = bed.lab.exec(bed.srv, Duration.ofSeconds(10), "dhcp_release", bed.tap, "10.20.0.11",
                NeutronBed.VM_MAC);
        assertTrue(rel.ok(), rel.toString());
        long t0 = System.nanoTime();
        assertTrue(Lab.await(Duration.ofSeconds(2), () -> leaseLine(bed, "10.20.0.11") == null), bed.leases());
        System.out.printf("lease file without the released lease after %.0f ms%n", (System.nanoTime() - t0) / 1e6);

        // DHCPv6: dhclient -6 gets the stateful address; dhcp_release6 exits 0 and the lease goes.
        Path pid6 = bed.lab.dir().resolve("dhclient6.pid");
        Lab.Result d6 = bed.lab.exec(bed.cli, Duration.ofSeconds(30), "unshare", "--uts", "dhclient", "-6", "-1", "-v",
                "-sf", "/bin/true", "-pf", pid6.toString(), "-lf", bed.lab.dir().resolve("dhclient6.leases").toString(),
                bed.eth);
        try {
            assertTrue(d6.ok(), d6.toString());
            assertTrue(Lab.await(Duration.ofSeconds(2), () -> leaseLine(bed, "fd00:20:1::11") != null), bed.leases());
            String[] f = leaseLine(bed, "fd00:20:1::11").split(" ");
            Lab.Result rel6 = bed.lab.exec(bed.srv, Duration.ofSeconds(15), "dhcp_release6", "--iface", bed.tap, "--ip",
                    "fd00:20:1::11", "--client-id", f[4], "--server-id", NeutronBed.SEEDED_DUID, "--iaid", f[1]);
            assertEquals(0, rel6.exit(), rel6.toString());
            assertTrue(Lab.await(Duration.ofSeconds(2), () -> leaseLine(bed, "fd00:20:1::11") == null), bed.leases());
        } finally {
            if (Files.exists(pid6)) {
                bed.kill(Long.parseLong(Files.readString(pid6).trim()), "TERM");
            }
        }

        // SIGHUP: a new host line (file renamed into place, as the agent writes it) is served.
        String hosts = Files.readString(bed.dir.resolve("host"));
        bed.replace("host", hosts.replace("fa:16:3e:00:20:11,host-10-20-0-11.openstacklocal,10.20.0.11",
                "fa:16:3e:00:20:11,host-10-20-0-99.openstacklocal,10.20.0.99"));
        bed.kill(front.pid(), "HUP");
        assertTrue(Lab.await(Duration.ofSeconds(10), () -> {
            try {
                return bed.udhcpc().err().contains("lease of 10.20.0.99 obtained");
            } catch (Exception e) {
                return false;
            }
        }), bed.log("front.log"));

        // SIGTERM: a clean stop, the lease file current and its duid line unchanged.
        bed.kill(front.pid(), "TERM");
        assertTrue(front.waitFor(15, TimeUnit.SECONDS), "stopped on SIGTERM");
        assertEquals(0, front.exitValue(), bed.log("front.log"));
        assertTrue(leaseLine(bed, "10.20.0.99") != null, bed.leases());
        assertTrue(bed.leases().contains("duid " + NeutronBed.SEEDED_DUID + "\n"), bed.leases());
    }

    @Test
    void handsEveryNetworkToOneDaemonAndLeavesASmallProcessPerNetwork() throws Exception {
        Lab.assumeAvailable();
        Lab.assumeCommand("busybox", "busybox");
        Lab.assumeCommand("dash", "dash");
        bed = NeutronBed.create();

        // Daemonizes: the front exits 0 once the network is served and the pid file written.
        Process front = bed.front(bed.args(), "front.log");
        assertTrue(front.waitFor(START.toSeconds(), TimeUnit.SECONDS), "the front returns");
        assertEquals(0, front.exitValue(), bed.log("front.log") + bed.log("state/daemon.log"));
        long stub = bed.pid();
        assertTrue(NeutronBed.alive(stub), "pid file names a live process: " + stub);
        String cmdline = Files.readString(Path.of("/proc/" + stub + "/cmdline")).replace('\0', ' ');
        assertTrue(cmdline.contains(NeutronBed.NETWORK), "Neutron's active check: " + cmdline);
        String exe = Files.readSymbolicLink(Path.of("/proc/" + stub + "/exe")).toString();
        assertFalse(exe.contains("java"), "not a JVM: " + exe);
        long rss = rssKb(stub);
        System.out.println("per-network process " + exe + ": VmRSS " + rss + " kB");
        assertTrue(rss < 4096, "small: " + rss + " kB");

        Lab.Result r = bed.udhcpc();
        assertTrue(r.err().contains("lease of 10.20.0.11 obtained from 10.20.0.2"), r + bed.log("state/daemon.log"));

        // The operator commands' control socket works on the networks handed over.
        String leases = control(bed, "{\"v\":1,\"op\":\"leases\"}");
        assertTrue(leases.contains("\"address\":\"10.20.0.11\"") && leases.contains(NeutronBed.NETWORK), leases);
        String released = control(bed, "{\"v\":1,\"op\":\"release\",\"args\":{\"ip\":\"10.20.0.11\"}}");
        assertTrue(released.contains("\"released\":true"), released);
        assertTrue(Lab.await(Duration.ofSeconds(2), () -> leaseLine(bed, "10.20.0.11") == null), bed.leases());

        // A second network goes to the same daemon.
        long daemon = Long.parseLong(Files.readString(DnsmasqDaemon.pidPath(bed.state)).trim());
        second = bed.another("0b0b0b0b-1111-4222-8333-444444444444", "b");
        Process front2 = second.front(second.args(), "front2.log");
        assertTrue(front2.waitFor(START.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, front2.exitValue(), second.log("front2.log"));
        assertEquals(daemon, Long.parseLong(Files.readString(DnsmasqDaemon.pidPath(bed.state)).trim()), "one daemon");
        assertTrue(second.udhcpc().err().contains("lease of 10.20.0.11 obtained"), bed.log("state/daemon.log"));

        // SIGHUP to the per-network process reloads that network in the daemon.
        String hosts = Files.readString(bed.dir.resolve("host"));
        bed.replace("host", hosts.replace("fa:16:3e:00:20:11,host-10-20-0-11.openstacklocal,10.20.0.11",
                "fa:16:3e:00:20:11,host-10-20-0-98.openstacklocal,10.20.0.98"));
        bed.kill(stub, "HUP");
        assertTrue(Lab.await(Duration.ofSeconds(10), () -> {
            try {
                return bed.udhcpc().err().contains("lease of 10.20.0.98 obtained");
            } catch (Exception e) {
                return false;
            }
        }), bed.log("state/daemon.log"));
        assertTrue(NeutronBed.alive(stub), "still running after SIGHUP");

        // SIGKILL (the agent's disable): the daemon stops serving that network, and only that one.
        bed.kill(stub, "KILL");
        assertTrue(Lab.await(Duration.ofSeconds(10), () -> {
            try {
                return !bed.listening(67);
            } catch (Exception e) {
                return false;
            }
        }), "sockets closed: " + bed.log("state/daemon.log"));
        assertTrue(second.listening(67), "the other network is still served");

        // A fresh start (the agent re-seeds the lease file first) is served again, by the same daemon.
        bed.replace("host", hosts);
        bed.seedLeases();
        Process again = bed.front(bed.args(), "front3.log");
        assertTrue(again.waitFor(START.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, again.exitValue(), bed.log("front3.log"));
        assertNotEquals(stub, bed.pid());
        assertTrue(bed.udhcpc().err().contains("lease of 10.20.0.11 obtained"), bed.log("state/daemon.log"));
        assertEquals(daemon, Long.parseLong(Files.readString(DnsmasqDaemon.pidPath(bed.state)).trim()));

        // The daemon dies: every per-network process ends with it (its standard input closes), so
        // Neutron's process monitor sees the networks down and respawns them, which starts a new daemon.
        long stub1 = bed.pid();
        long stub2 = second.pid();
        bed.kill(daemon, "KILL");
        assertTrue(Lab.await(Duration.ofSeconds(10), () -> !NeutronBed.alive(stub1) && !NeutronBed.alive(stub2)),
                "per-network processes end with the daemon");
        bed.seedLeases();
        Process respawn = bed.front(bed.args(), "front4.log");
        assertTrue(respawn.waitFor(START.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, respawn.exitValue(), bed.log("front4.log"));
        assertNotEquals(daemon, Long.parseLong(Files.readString(DnsmasqDaemon.pidPath(bed.state)).trim()), "a new daemon");
        assertTrue(bed.udhcpc().err().contains("lease of 10.20.0.11 obtained"), bed.log("state/daemon.log"));
    }

    /** One request on the daemon's control socket, its answer line. */
    private static String control(NeutronBed b, String request) throws Exception {
        try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            c.connect(java.net.UnixDomainSocketAddress.of(DnsmasqDaemon.controlSocketPath(b.state)));
            c.write(java.nio.ByteBuffer.wrap((request + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return new java.io.BufferedReader(new java.io.InputStreamReader(java.nio.channels.Channels.newInputStream(c),
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
        }
    }

    static long rssKb(long pid) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
