package io.leasehold.daemon;

import io.leasehold.config.ConfigException;
import io.leasehold.lab.Lab;
import io.leasehold.lab.LabNetwork;
import io.leasehold.lease.DnsmasqLeaseFile;
import io.leasehold.lease.Lease4;
import io.leasehold.option.Duid;
import io.leasehold.wire.IpAddresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon of {@code leasehold serve}: a native configuration file served to a real client
 * (busybox udhcpc) in a namespace; leases that survive a clean restart and a SIGKILL; a reload that
 * applies a new port and a changed DNS server without touching a lease; a bad file that changes
 * nothing; a release that rewrites the lease file at once.
 */
class DaemonIT {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private static final String NET = "3a0e6c1d-77aa-4b1c-9d2e-000000000077";

    private Lab lab;
    private Daemon daemon;
    private Process child;
    private String cli;
    private String c;

    @AfterEach
    void tearDown() throws Exception {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (daemon != null) {
            daemon.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    /** The configuration: the DHCP port, and one instance port per client index given. */
    private String config(String srv, String s, Path dataDir, String dns, int... clients) {
        return config(NET, srv, s, dataDir, dns, clients);
    }

    /** The same for network {@code net}. */
    private String config(String net, String srv, String s, Path dataDir, String dns, int... clients) {
        StringBuilder ports = new StringBuilder();
        ports.append("      - {id: dhcp-port, macAddress: '" + LabNetwork.SERVER_MAC + "', deviceOwner: 'network:dhcp',\n"
                + "         fixedIps: [{subnetId: s4, ipAddress: 10.77.0.2}]}\n");
        for (int i : clients) {
            String h = Integer.toHexString(i);
            ports.append("      - {id: vm-" + h + ", macAddress: '" + LabNetwork.clientMac(i) + "', deviceOwner: 'compute:nova',\n"
                    + "         fixedIps: [{subnetId: s4, ipAddress: 10.77.0." + i + "}]}\n");
        }
        return "dataDir: " + dataDir + "\n"
                + "fsync: always\n"
                + "namespaces:\n"
                + "  " + srv + ":\n"
                + "    - {interface: " + s + ", network: " + net + "}\n"
                + "networks:\n"
                + "  - id: " + net + "\n"
                + "    mtu: 1450\n"
                + "    subnets:\n"
                + "      - {id: s4, cidr: 10.77.0.0/24, gateway: 10.77.0.1, dnsNameservers: [" + dns + "]}\n"
                + "    ports:\n"
                + ports;
    }

    /** One DHCP exchange by busybox udhcpc with the client interface's MAC set to that of client {@code i}. */
    private Lab.Result lease(int i) throws Exception {
        Lab.run("ip", "-n", cli, "link", "set", c, "address", LabNetwork.clientMac(i)).orThrow("set MAC");
        return lab.exec(cli, CLIENT_TIMEOUT, "busybox", "udhcpc", "-i", c, "-n", "-q", "-f", "-t", "10", "-T", "1",
                "-s", "/bin/true");
    }

    private static boolean holds(Daemon d, String address) {
        return holds(d, NET, address);
    }

    private static boolean holds(Daemon d, String net, String address) {
        return d.server().leases4(net).stream().anyMatch(l -> IpAddresses.ipv4Text(l.address()).equals(address));
    }

    @Test
    void servesAFileKeepsLeasesAcrossRestartCrashAndReload() throws Exception {
        Lab.assumeCommand("busybox", "busybox");
        lab = Lab.create();
        String srv = lab.namespace("srv");
        cli = lab.namespace("cli");
        String s = lab.prefix() + "s";
        c = lab.prefix() + "c";
        lab.veth(srv, s, LabNetwork.SERVER_MAC, cli, c, LabNetwork.clientMac(0x21));
        lab.address(srv, s, LabNetwork.SERVER_V4);
        Path dataDir = lab.dir().resolve("data");
        Path file = lab.dir().resolve("leasehold.yaml");
        Path leaseFile = Daemon.leaseFile(dataDir, NET);
        Files.writeString(file, config(srv, s, dataDir, "10.77.0.3", 0x21));

        daemon = Daemon.start(file);
        assertTrue(daemon.server().awaitServing(srv, s, Duration.ofSeconds(10)));
        Lab.Result first = lease(0x21);
        assertTrue(first.ok(), "udhcpc got a lease: " + first);
        assertTrue(holds(daemon, "10.77.0.33"), daemon.server().leases4(NET).toString());

        // Reload: a new port and a changed DNS server apply; the lease held stays.
        Files.writeString(file, config(srv, s, dataDir, "10.77.0.4", 0x21, 0x22));
        Daemon.ReloadReport report = daemon.reload();
        assertEquals(1, report.networksChanged(), report.toString());
        assertTrue(holds(daemon, "10.77.0.33"), "the lease survived the reload");
        Lab.Result second = lease(0x22);
        assertTrue(second.ok(), "the port added by the reload is served: " + second);
        assertTrue(holds(daemon, "10.77.0.34"));

        // A file with a problem changes nothing, and says where the problem is.
        var served = daemon.server().network(NET).snapshot();
        Files.writeString(file, config(srv, s, dataDir, "10.77.0.999", 0x21, 0x22));
        ConfigException bad = assertThrows(ConfigException.class, daemon::reload);
        assertTrue(bad.getMessage().contains("dnsNameservers"), bad.getMessage());
        assertSame(served, daemon.server().network(NET).snapshot(), "the last good configuration is still served");
        Files.writeString(file, config(srv, s, dataDir, "10.77.0.4", 0x21, 0x22));

        // A clean restart: the leases and the server DUID come back from disk.
        Duid duid = daemon.server().network(NET).serverDuid();
        assertNotNull(duid, "a server DUID was made when the interface was served");
        daemon.close();
        daemon = null;
        assertTrue(fileHolds(leaseFile, "10.77.0.33") && fileHolds(leaseFile, "10.77.0.34"), Files.readString(leaseFile));
        daemon = Daemon.start(file);
        assertTrue(holds(daemon, "10.77.0.33") && holds(daemon, "10.77.0.34"),
                "loaded after restart: " + daemon.server().leases4(NET));
        assertEquals(duid, daemon.server().network(NET).serverDuid());

        // An operator's release: gone from the table and from the lease file at once.
        assertTrue(daemon.server().release4(NET, IpAddresses.parseIpv4("10.77.0.34")).get(5, TimeUnit.SECONDS));
        assertFalse(holds(daemon, "10.77.0.34"));
        assertTrue(Lab.await(Duration.ofSeconds(5), () -> !fileHolds(leaseFile, "10.77.0.34")),
                "the lease file was rewritten after the release: " + Files.readString(leaseFile));
        assertTrue(fileHolds(leaseFile, "10.77.0.33"));
        assertFalse(daemon.server().release4(NET, IpAddresses.parseIpv4("10.77.0.34")).get(5, TimeUnit.SECONDS),
                "releasing again finds nothing");
        daemon.close();
        daemon = null;

        // A crash: the daemon in its own process is killed (SIGKILL) right after it granted a lease;
        // the grant was committed to the journal before the ACK left, so it is there at the next start.
        child = new ProcessBuilder(javaCommand(file)).redirectErrorStream(true)
                .redirectOutput(lab.dir().resolve("child.log").toFile()).start();
        Path childLog = lab.dir().resolve("child.log");
        assertTrue(Lab.await(Duration.ofSeconds(60), () -> read(childLog).contains(DaemonProcess.READY)),
                "the child daemon started: " + read(childLog));
        Lab.Result third = lease(0x22);
        assertTrue(third.ok(), "the child daemon granted a lease: " + third + Files.readString(lab.dir().resolve("child.log")));
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        daemon = Daemon.start(file);
        List<Lease4> after = daemon.server().leases4(NET);
        assertTrue(holds(daemon, "10.77.0.34") && holds(daemon, "10.77.0.33"), "after SIGKILL: " + after);
    }

    @Test
    void aReloadSwapsTheNetworkOfAnInterfaceAndBringsBackItsLeases() throws Exception {
        Lab.assumeCommand("busybox", "busybox");
        lab = Lab.create();
        String srv = lab.namespace("srv");
        cli = lab.namespace("cli");
        String s = lab.prefix() + "s";
        c = lab.prefix() + "c";
        lab.veth(srv, s, LabNetwork.SERVER_MAC, cli, c, LabNetwork.clientMac(0x21));
        lab.address(srv, s, LabNetwork.SERVER_V4);
        Path dataDir = lab.dir().resolve("data");
        Path file = lab.dir().resolve("leasehold.yaml");
        String other = "3a0e6c1d-77aa-4b1c-9d2e-000000000078";
        Files.writeString(file, config(srv, s, dataDir, "10.77.0.3", 0x21));
        daemon = Daemon.start(file);
        assertTrue(daemon.server().awaitServing(srv, s, Duration.ofSeconds(10)));
        assertTrue(lease(0x21).ok());
        assertTrue(holds(daemon, "10.77.0.33"));

        // The interface now serves another network: the first is stopped, its leases kept on disk.
        Files.writeString(file, config(other, srv, s, dataDir, "10.77.0.3", 0x22));
        Daemon.ReloadReport swapped = daemon.reload();
        assertEquals(List.of(1, 1, 1, 1), List.of(swapped.networksAdded(), swapped.networksRemoved(), swapped.attached(),
                swapped.detached()), swapped.toString());
        assertThrows(IllegalArgumentException.class, () -> daemon.server().network(NET));
        assertTrue(daemon.server().awaitServing(srv, s, Duration.ofSeconds(10)));
        Lab.Result r = lease(0x22);
        assertTrue(r.ok(), r.toString());
        assertTrue(holds(daemon, other, "10.77.0.34"));

        // And back: the first network returns with the lease it had.
        Files.writeString(file, config(srv, s, dataDir, "10.77.0.3", 0x21));
        daemon.reload();
        assertTrue(holds(daemon, "10.77.0.33"), "the lease came back with its network: " + daemon.server().leases4(NET));
        assertTrue(daemon.server().awaitServing(srv, s, Duration.ofSeconds(10)));
        assertTrue(lease(0x21).ok(), "served again");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static boolean fileHolds(Path leaseFile, String address) {
        try {
            return DnsmasqLeaseFile.parse(Files.readAllBytes(leaseFile)).leases4().stream()
                    .anyMatch(l -> IpAddresses.ipv4Text(l.address()).equals(address));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** This JVM's java and test class path, running {@link DaemonProcess} on {@code file}. */
    private static List<String> javaCommand(Path file) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(java, "-cp", cp, DaemonProcess.class.getName(), file.toString());
    }
}
