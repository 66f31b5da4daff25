package io.leasehold.server;

import io.leasehold.lab.Lab;
import io.leasehold.lab.LabNetwork;
import io.leasehold.lease.Lease4;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.wire.IpAddresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real DHCP clients (ISC dhclient, busybox udhcpc, dhcpcd, WIDE dhcp6c) in a namespace, served by
 * an in-process server in another namespace across a veth pair: each gets its reserved address and
 * applies what it was told (router, DNS, domain, MTU, classless routes including the metadata
 * route), renews and releases.
 *
 * <p>Clients run under {@code unshare --uts} (their scripts may set the host name) and with the
 * lab's own {@code resolv.conf} (so nothing of the machine changes).
 */
class RealClientsIT {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    private Lab lab;
    private LeaseholdServer server;
    private String srv;
    private String cli;
    private String s;
    private String c;
    private Path resolv;

    private void start(int client, NetworkSnapshot network) throws Exception {
        lab = Lab.create();
        srv = lab.namespace("srv");
        cli = lab.namespace("cli");
        s = lab.prefix() + "s";
        c = lab.prefix() + "c";
        lab.veth(srv, s, LabNetwork.SERVER_MAC, cli, c, LabNetwork.clientMac(client));
        lab.address(srv, s, LabNetwork.SERVER_V4);
        lab.address(srv, s, LabNetwork.SERVER_V6);
        resolv = lab.resolvConf(cli);
        server = LeaseholdServer.builder().network(network).serve(srv, s, network.id()).watchNamespaces(false)
                .eventLoopThreads(1).build().start();
        assertTrue(server.awaitServing(srv, s, Duration.ofSeconds(10)), "the server's interface is served");
        lab.awaitLinkLocal(cli, c);
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private String ip(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "ip";
        cmd[1] = "-n";
        cmd[2] = cli;
        System.arraycopy(args, 0, cmd, 3, args.length);
        return Lab.run(cmd).out();
    }

    private boolean hasAddress(String address) {
        try {
            return ip("addr", "show", "dev", c).contains(address);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private long count(String counter) {
        return server.network("net1").counters().get(counter);
    }

    private boolean shows(String what, String... args) {
        try {
            return ip(args).contains(what);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** What every v4 client must have applied once bound (clients apply in steps, so each is awaited). */
    private void assertApplied(String address) throws Exception {
        Duration t = Duration.ofSeconds(5);
        assertTrue(Lab.await(t, () -> shows(address + "/24", "-4", "addr", "show", "dev", c)), ip("-4", "addr"));
        assertTrue(Lab.await(t, () -> shows("default via 10.77.0.1", "-4", "route")), ip("-4", "route"));
        assertTrue(Lab.await(t, () -> shows("169.254.169.254 via 10.77.0.2", "-4", "route")),
                "the metadata route: " + ip("-4", "route"));
        assertTrue(Lab.await(t, () -> shows("172.31.128.0/17 via 10.77.0.1", "-4", "route")), ip("-4", "route"));
        // dhclient's script and udhcpc's set the link MTU; dhcpcd sets it on the routes it adds.
        assertTrue(Lab.await(t, () -> shows("mtu 1450", "link", "show", "dev", c) || shows("mtu 1450", "-4", "route")),
                ip("link", "show", "dev", c) + ip("-4", "route"));
        assertTrue(Lab.await(t, () -> read(resolv).contains("10.77.0.3")), read(resolv));
        String conf = read(resolv);
        assertTrue(conf.contains("nameserver 10.77.0.3") && conf.contains("nameserver 10.77.0.4"), conf);
        assertTrue(conf.contains("openstacklocal"), conf);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private Lease4 lease(String address) {
        int a = IpAddresses.toInt(IpAddresses.parseIpv4(address));
        return server.leases4("net1").stream().filter(l -> l.address() == a).findFirst().orElse(null);
    }

    // ---- DHCPv4 ---------------------------------------------------------------------------------

    @Test
    void dhclientBindsAppliesRenewsAtT1AndReleases() throws Exception {
        Lab.assumeCommand("dhclient", "isc-dhcp-client");
        start(0x11, LabNetwork.neutron("net1", 4));
        Path pid = lab.dir().resolve("dhclient.pid");
        Path leases = lab.dir().resolve("dhclient.leases");
        Path log = lab.dir().resolve("dhclient.log");
        Process p = lab.spawn(cli, log, "unshare", "--uts", "dhclient", "-4", "-d", "-v", "-sf", "/sbin/dhclient-script",
                "-pf", pid.toString(), "-lf", leases.toString(), c);
        assertTrue(Lab.await(CLIENT_TIMEOUT, () -> hasAddress("10.77.0.11")),
                "bound: " + read(log) + server.network("net1").counters().snapshot());
        assertApplied("10.77.0.11");
        long acks = count("dhcp4.outcome.ACK");
        long expiry = lease("10.77.0.11").expiresAt();

        // T1 is forced to 4 s: dhclient renews by itself, unicast.
        assertTrue(Lab.await(Duration.ofSeconds(15), () -> count("dhcp4.outcome.ACK") > acks), "renewed at T1: " + read(log));
        assertTrue(Lab.await(Duration.ofSeconds(5), () -> lease("10.77.0.11").expiresAt() > expiry));

        Lab.Result release = lab.exec(cli, CLIENT_TIMEOUT, "unshare", "--uts", "dhclient", "-4", "-r", "-sf",
                "/sbin/dhclient-script", "-pf", pid.toString(), "-lf", leases.toString(), c);
        assertTrue(release.ok(), release.toString());
        assertTrue(Lab.await(Duration.ofSeconds(5), () -> lease("10.77.0.11") == null), "released: " + server.leases4("net1"));
        assertTrue(count("dhcp4.outcome.RELEASED") >= 1);
        p.destroy();
    }

    @Test
    void udhcpcBindsAppliesRenewsAndReleases() throws Exception {
        Lab.assumeCommand("busybox", "busybox");
        start(0x12, LabNetwork.neutron("net1", 0));
        Path script = lab.dir().resolve("udhcpc.sh");
        Files.writeString(script, io.leasehold.demo.Demo.UDHCPC_SCRIPT.replace("@RESOLV@", "/etc/resolv.conf"));
        script.toFile().setExecutable(true);
        Path log = lab.dir().resolve("udhcpc.log");
        Process p = lab.spawn(cli, log, "unshare", "--uts", "busybox", "udhcpc", "-i", c, "-f", "-s", script.toString(),
                "-O", "mtu", "-O", "staticroutes", "-O", "search", "-x", "hostname:vm-udhcpc");
        assertTrue(Lab.await(CLIENT_TIMEOUT, () -> hasAddress("10.77.0.12")), "bound: " + read(log));
        assertApplied("10.77.0.12");

        long acks = count("dhcp4.outcome.ACK");
        lab.signal(p, "USR1");   // renew
        assertTrue(Lab.await(Duration.ofSeconds(10), () -> count("dhcp4.outcome.ACK") > acks), "renewed: " + read(log));

        lab.signal(p, "USR2");   // release
        assertTrue(Lab.await(Duration.ofSeconds(10), () -> lease("10.77.0.12") == null), "released: " + read(log));
        p.destroy();
    }

    @Test
    void dhcpcdBindsAppliesRenewsAndReleases() throws Exception {
        Lab.assumeCommand("dhcpcd", "dhcpcd-base");
        start(0x13, LabNetwork.neutron("net1", 0));
        Path log = lab.dir().resolve("dhcpcd.log");
        Process p = lab.spawn(cli, log, "unshare", "--uts", "dhcpcd", "-4", "-B", "-d", "--noipv4ll", c);
        assertTrue(Lab.await(CLIENT_TIMEOUT, () -> hasAddress("10.77.0.13")), "bound: " + read(log));
        assertApplied("10.77.0.13");

        long acks = count("dhcp4.outcome.ACK");
        lab.signal(p, "USR1");   // renew
        assertTrue(Lab.await(Duration.ofSeconds(10), () -> count("dhcp4.outcome.ACK") > acks), "renewed: " + read(log));

        // The server counts its ACK before dhcpcd has acted on it; signal once dhcpcd has run its RENEW hook,
        // so the release is not raced against the renewal still being applied.
        assertTrue(Lab.await(Duration.ofSeconds(10), () -> read(log).contains("dhcpcd-run-hooks RENEW")), "renew applied: " + read(log));
        lab.signal(p, "ALRM");   // release
        if (!Lab.await(Duration.ofSeconds(5), () -> read(log).contains("received SIGALRM"))) {
            lab.signal(p, "ALRM");   // dhcpcd did not see the first one (CI saw this once); the server is what is under test
        }
        assertTrue(Lab.await(Duration.ofSeconds(10), () -> lease("10.77.0.13") == null), "released: " + read(log));
        p.destroy();
    }

    @Test
    void anUnknownMacGetsNoAnswer() throws Exception {
        Lab.assumeCommand("busybox", "busybox");
        start(0x99, LabNetwork.neutron("net1", 0));
        Lab.Result r = lab.exec(cli, CLIENT_TIMEOUT, "busybox", "udhcpc", "-i", c, "-n", "-q", "-f", "-t", "3", "-T", "1",
                "-s", "/bin/true");
        assertEquals(1, r.exit(), "udhcpc gave up without a lease: " + r);
        assertTrue(count("dhcp4.outcome.IGNORED_NO_ADDRESS") >= 3, server.network("net1").counters().snapshot().toString());
        assertEquals(0, count("dhcp4.replied"));
        assertTrue(server.leases4("net1").isEmpty());
    }

    // ---- DHCPv6 ---------------------------------------------------------------------------------

    @Test
    void dhclientGetsItsStatefulAddress() throws Exception {
        Lab.assumeCommand("dhclient", "isc-dhcp-client");
        start(0x11, LabNetwork.neutron("net1", 0));
        Path log = lab.dir().resolve("dhclient6.log");
        lab.spawn(cli, log, "unshare", "--uts", "dhclient", "-6", "-d", "-v", "-sf", "/sbin/dhclient-script",
                "-pf", lab.dir().resolve("d6.pid").toString(), "-lf", lab.dir().resolve("d6.leases").toString(), c);
        assertTrue(Lab.await(CLIENT_TIMEOUT, () -> hasAddress("fd00:77:1::11")), "bound: " + read(log)
                + server.network("net1").counters().snapshot());
        assertTrue(Lab.await(Duration.ofSeconds(5), () -> read(resolv).contains("fd00:77:1::53")), read(resolv));
        assertEquals(1, server.leases6("net1").size());
    }

    @Test
    void dhcpcdGetsItsStatefulAddress() throws Exception {
        Lab.assumeCommand("dhcpcd", "dhcpcd-base");
        start(0x13, LabNetwork.neutron("net1", 0));
        // No router advertises here, so dhcpcd is told to ask for an address without waiting for one.
        Path conf = lab.dir().resolve("dhcpcd.conf");
        Files.writeString(conf, "duid\nnoipv6rs\nia_na 1\noption rapid_commit\nnohook hostname\n");
        Path log = lab.dir().resolve("dhcpcd6.log");
        lab.spawn(cli, log, "unshare", "--uts", "dhcpcd", "-6", "-B", "-d", "-f", conf.toString(), c);
        assertTrue(Lab.await(CLIENT_TIMEOUT, () -> hasAddress("fd00:77:1::13")), "bound: " + read(log)
                + server.network("net1").counters().snapshot());
    }

    @Test
    void statelessClientsGetDnsAndTheDomainList() throws Exception {
        Lab.assumeCommand("dhclient", "isc-dhcp-client");
        lab = Lab.create();
        srv = lab.namespace("srv");
        cli = lab.namespace("cli");
        s = lab.prefix() + "s";
        c = lab.prefix() + "c";
        lab.veth(srv, s, "fa:16:3e:00:01:02", cli, c, LabNetwork.clientMac(0x11));
        lab.address(srv, s, "fd00:77:2::2/64");
        resolv = lab.resolvConf(cli);
        server = LeaseholdServer.builder().network(LabNetwork.stateless("net2")).serve(srv, s, "net2")
                .watchNamespaces(false).eventLoopThreads(1).build().start();
        assertTrue(server.awaitServing(srv, s, Duration.ofSeconds(10)));
        lab.awaitLinkLocal(cli, c);
        Lab.Result r = lab.exec(cli, CLIENT_TIMEOUT, "unshare", "--uts", "dhclient", "-6", "-S", "-1", "-v", "-sf",
                "/sbin/dhclient-script", "-pf", lab.dir().resolve("s.pid").toString(), "-lf",
                lab.dir().resolve("s.leases").toString(), c);
        assertTrue(Lab.await(Duration.ofSeconds(10), () -> read(resolv).contains("fd00:77:2::53")),
                r + "\n" + read(resolv) + server.network("net2").counters().snapshot());
        assertTrue(read(resolv).contains("openstacklocal"), read(resolv));
        assertTrue(server.leases6("net2").isEmpty(), "stateless: nothing leased");
    }
}
