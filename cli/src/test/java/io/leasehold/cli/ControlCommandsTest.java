package io.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.leasehold.control.ReservationOverlay;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.wire.IpAddresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every daemon command, run in-process against a server over its real control socket. */
class ControlCommandsTest {

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return Json.parse(out.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(args);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @TempDir
    Path dir;
    ControlFixture f;
    String sock;

    @BeforeEach
    void start() throws Exception {
        f = new ControlFixture(dir, 3);
        sock = f.socket.toString();
    }

    @AfterEach
    void stop() {
        f.close();
        SocketOption.environment = null;
    }

    private Run cli(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--socket");
        a.add(sock);
        return run(a.toArray(new String[0]));
    }

    @Test
    void leasesListsEveryNetworkSortedInAlignedColumns() {
        Run r = cli("leases");
        assertEquals(ExitCodes.OK, r.code, r.err);
        String[] lines = r.out.split("\n");
        assertTrue(lines[0].matches("NETWORK +ADDRESS +MAC +HOSTNAME +STATE +EXPIRES +CLIENT"), lines[0]);
        assertEquals(1 + 3 + 1 + 1 + 1, lines.length, r.out);
        assertTrue(lines[1].startsWith("net1     10.0.0.10   fa:16:3e:00:01:00  vm-0      bound     "), lines[1]);
        assertTrue(lines[4].contains("10.0.0.250") && lines[4].contains("declined"), lines[4]);
        assertTrue(lines[5].contains("fd00:1::5") && lines[5].contains("NA iaid 7 duid 00:03:00:01:fa:16:3e:00:01:00"), lines[5]);
        assertTrue(lines[6].startsWith("net2") && lines[6].contains("never"), lines[6]);
        // Every column starts at the same offset on every line.
        int col = lines[0].indexOf("STATE");
        for (int i = 1; i < lines.length; i++) {
            assertEquals(' ', lines[i].charAt(col - 1), lines[i]);
            assertTrue(Character.isLetter(lines[i].charAt(col)), lines[i]);
        }
    }

    @Test
    void leasesFiltersCombineAndJsonIsTheProtocolsAnswer() throws Exception {
        JsonNode all = cli("leases", "--network", "net1", "-o", "json").json();
        assertEquals(5, all.path("leases").size());
        assertEquals("net1", all.path("leases").get(0).path("network").asText());

        JsonNode byMac = cli("leases", "--mac", "FA-16-3E-00-01-00", "--output", "json").json().path("leases");
        assertEquals(2, byMac.size(), "the v4 lease and the v6 lease of the same link-layer DUID");
        assertEquals(6, byMac.get(1).path("family").asInt());

        JsonNode byIp = cli("leases", "--ip", "10.0.0.11", "-o", "json").json().path("leases");
        assertEquals(1, byIp.size());
        assertEquals("vm-1", byIp.get(0).path("hostname").asText());
        assertEquals("01:01", byIp.get(0).path("clientId").asText());

        assertEquals(4, cli("leases", "--hostname", "VM-*", "-o", "json").json().path("leases").size());
        JsonNode declined = cli("leases", "--state", "declined", "-o", "json").json().path("leases");
        assertEquals(1, declined.size());
        assertEquals("10.0.0.250", declined.get(0).path("address").asText());
        assertEquals(0, cli("leases", "--state", "bound", "--hostname", "other", "--network", "net1", "-o", "json")
                .json().path("leases").size());
    }

    @Test
    void leaseShowPrintsEveryFieldOfAnIpOrAMacsLeases() {
        Run r = cli("lease", "show", "10.0.0.12");
        assertEquals(ExitCodes.OK, r.code, r.err);
        assertTrue(r.out.contains("address   10.0.0.12"), r.out);
        assertTrue(r.out.contains("mac       fa:16:3e:00:01:02"), r.out);
        assertTrue(r.out.contains("hostname  vm-2"), r.out);
        Run m = cli("lease", "show", "fa:16:3e:00:01:00");
        assertEquals(ExitCodes.OK, m.code, m.err);
        assertTrue(m.out.contains("10.0.0.10") && m.out.contains("fd00:1::5"), m.out);
    }

    @Test
    void leaseShowOfNothingIsNotFound() {
        Run r = cli("lease", "show", "10.0.0.99");
        assertEquals(ExitCodes.NOT_FOUND, r.code);
        assertEquals("leasehold: no lease of 10.0.0.99\n", r.err);
    }

    @Test
    void releaseRemovesTheLeaseOnce() {
        Run r = cli("release", "10.0.0.11");
        assertEquals(ExitCodes.OK, r.code, r.err);
        assertEquals("released 10.0.0.11 in network net1\n", r.out);
        assertTrue(f.server.leases4("net1").stream().noneMatch(l -> l.address() == IpAddresses.toInt(IpAddresses.parseIpv4("10.0.0.11"))));
        Run again = cli("release", "10.0.0.11", "--network", "net1");
        assertEquals(ExitCodes.NOT_FOUND, again.code);
        assertEquals("leasehold: no lease of 10.0.0.11 in network net1\n", again.err);
        Run v6 = cli("release", "fd00:1::5");
        assertEquals(ExitCodes.OK, v6.code, v6.err);
        assertTrue(f.server.leases6("net1").isEmpty());
        Run nowhere = cli("release", "192.168.9.9");
        assertEquals(ExitCodes.NOT_FOUND, nowhere.code);
        assertEquals("leasehold: no network has a subnet holding 192.168.9.9\n", nowhere.err);
    }

    @Test
    void networksShowsSubnetsCountsAndReservations() throws Exception {
        Run r = cli("networks");
        assertEquals(ExitCodes.OK, r.code, r.err);
        String[] lines = r.out.split("\n");
        assertTrue(lines[0].matches("NETWORK +SERVED +SUBNETS +LEASES4 +LEASES6 +MAX +RESERVATIONS"), lines[0]);
        assertTrue(lines[1].matches("net1 +no +10.0.0.0/24,fd00:1::/64 +4 +1 +1048576 +1"), lines[1]);
        assertTrue(lines[2].matches("net2 +no +10.2.0.0/24 +1 +0 +1048576 +0"), lines[2]);
        Run s = cli("networks", "--subnets", "--network", "net1");
        assertTrue(s.out.contains("s1v6") && s.out.contains("dhcpv6_stateful"), s.out);
        JsonNode j = cli("networks", "-o", "json").json();
        assertEquals("port-a", j.get(0).path("reservations").get(0).path("id").asText());
    }

    @Test
    void anUnknownNetworkIsOneLineAndItsOwnExitCode() {
        for (String[] args : List.of(new String[] {"networks", "--network", "nope"},
                new String[] {"leases", "--network", "nope"}, new String[] {"stats", "--network", "nope"},
                new String[] {"release", "10.0.0.11", "--network", "nope"},
                new String[] {"reservations", "rm", "--network", "nope", "--id", "x"})) {
            Run r = cli(args);
            assertEquals(ExitCodes.UNKNOWN_NETWORK, r.code, String.join(" ", args) + ": " + r.err);
            assertEquals("leasehold: unknown network: nope\n", r.err);
        }
    }

    @Test
    void malformedMacsAndAddressesAreUsageErrorsNamingTheText() {
        Run mac = cli("leases", "--mac", "fa:16:zz:00:00:01");
        assertEquals(ExitCodes.USAGE, mac.code);
        assertEquals("leasehold: malformed MAC address 'fa:16:zz:00:00:01' (expected: six hex octets like fa:16:3e:00:00:01)\n", mac.err);
        Run ip = cli("release", "10.0.0.300");
        assertEquals(ExitCodes.USAGE, ip.code);
        assertEquals("leasehold: malformed IP address '10.0.0.300' (expected: an IPv4 or IPv6 address)\n", ip.err);
        Run show = cli("lease", "show", "not-an-address");
        assertEquals(ExitCodes.USAGE, show.code);
        assertEquals("leasehold: malformed MAC or IP address 'not-an-address' (expected: a MAC like fa:16:3e:00:00:01, "
                + "or an IPv4 or IPv6 address)\n", show.err);
        Run add = cli("reservations", "add", "--network", "net1", "--mac", "01:02:03", "--ip", "10.0.0.6");
        assertEquals(ExitCodes.USAGE, add.code);
        assertTrue(add.err.startsWith("leasehold: malformed MAC address '01:02:03'"), add.err);
        Run state = cli("leases", "--state", "happy");
        assertEquals(ExitCodes.USAGE, state.code);
        assertEquals("leasehold: state 'happy' (expected: offered, bound or declined)\n", state.err);
    }

    @Test
    void reservationsAreAddedChangedAndRemovedLiveAndDurably() throws Exception {
        Run add = cli("reservations", "add", "--network", "net1", "--mac", "fa:16:3e:bb:00:01", "--ip", "10.0.0.6",
                "--hostname", "new-host");
        assertEquals(ExitCodes.OK, add.code, add.err);
        assertEquals("added reservation mac-fa163ebb0001 in network net1\n", add.out);
        assertEquals("new-host", f.server.network("net1").snapshot().reservation("mac-fa163ebb0001").hostname());

        Run ls = cli("reservations", "ls", "--network", "net1");
        assertTrue(ls.out.matches("(?s)NETWORK +ID +MAC +ADDRESSES +HOSTNAME +TAGS\n"
                + "net1 +mac-fa163ebb0001 +fa:16:3e:bb:00:01 +10.0.0.6 +new-host +-\n"
                + "net1 +port-a +fa:16:3e:aa:00:01 +10.0.0.5 +fixed-a +-\n"), ls.out);

        Run taken = cli("reservations", "add", "--network", "net1", "--mac", "fa:16:3e:bb:00:02", "--ip", "10.0.0.5");
        assertEquals(ExitCodes.CONFLICT, taken.code);
        assertEquals("leasehold: reservation mac-fa163ebb0002: an address is already reserved by port-a\n", taken.err);
        Run twice = cli("reservations", "add", "--network", "net1", "--mac", "fa:16:3e:bb:00:01", "--ip", "10.0.0.7");
        assertEquals(ExitCodes.CONFLICT, twice.code);
        Run outside = cli("reservations", "add", "--network", "net1", "--mac", "fa:16:3e:bb:00:03", "--ip", "10.9.0.1");
        assertEquals(ExitCodes.USAGE, outside.code);
        assertEquals("leasehold: 10.9.0.1 is in no subnet of network net1\n", outside.err);

        // Change the configuration's own reservation, found by MAC.
        Run change = cli("reservations", "change", "--network", "net1", "--mac", "fa:16:3e:aa:00:01", "--ip", "10.0.0.8");
        assertEquals(ExitCodes.OK, change.code, change.err);
        assertEquals(IpAddresses.parse("10.0.0.8"), f.server.network("net1").snapshot().reservation("port-a").addresses().get(0));
        assertEquals("fixed-a", f.server.network("net1").snapshot().reservation("port-a").hostname());
        Run missing = cli("reservations", "change", "--network", "net1", "--id", "nope", "--ip", "10.0.0.9");
        assertEquals(ExitCodes.NOT_FOUND, missing.code);

        Run rm = cli("reservations", "rm", "--network", "net1", "--mac", "fa:16:3e:bb:00:01");
        assertEquals(ExitCodes.OK, rm.code, rm.err);
        assertNull(f.server.network("net1").snapshot().reservation("mac-fa163ebb0001"));
        Run rmAgain = cli("reservations", "rm", "--network", "net1", "--id", "mac-fa163ebb0001");
        assertEquals(ExitCodes.NOT_FOUND, rmAgain.code);
        assertEquals("leasehold: no reservation mac-fa163ebb0001 in network net1\n", rmAgain.err);

        // Durable: a fresh daemon on the same data directory serves the changes.
        assertTrue(Files.readString(f.dataDir.resolve(ReservationOverlay.FILE_NAME)).contains("10.0.0.8"));
        NetworkSnapshot restarted = ReservationOverlay.open(f.dataDir).apply(NetworkSnapshot.builder("net1")
                .subnet(f.server.network("net1").snapshot().subnets().get(0))
                .reservation(io.leasehold.model.Reservation.of("port-a", 0xfa163eaa0001L, "fixed-a", IpAddresses.parse("10.0.0.5")))
                .build());
        assertEquals(IpAddresses.parse("10.0.0.8"), restarted.reservation("port-a").addresses().get(0));
        assertNull(restarted.reservation("mac-fa163ebb0001"));
    }

    @Test
    void removingAConfiguredReservationLastsWhileTheConfigurationLineIsUnchanged() throws Exception {
        assertEquals(ExitCodes.OK, cli("reservations", "rm", "--network", "net1", "--id", "port-a").code);
        io.leasehold.model.Reservation same = io.leasehold.model.Reservation.of("port-a", 0xfa163eaa0001L, "fixed-a",
                IpAddresses.parse("10.0.0.5"));
        io.leasehold.model.Reservation edited = io.leasehold.model.Reservation.of("port-a", 0xfa163eaa0001L, "fixed-a",
                IpAddresses.parse("10.0.0.9"));
        ReservationOverlay o = ReservationOverlay.open(f.dataDir);
        NetworkSnapshot base = NetworkSnapshot.builder("net1").subnet(f.server.network("net1").snapshot().subnets().get(0)).build();
        assertNull(o.apply(base.withReservation(same)).reservation("port-a"));
        assertEquals(edited, o.apply(base.withReservation(edited)).reservation("port-a"));
    }

    @Test
    void statsPrintsTheCounters() throws Exception {
        f.server.network("net1").counters().received(io.leasehold.metrics.Counters.Protocol.DHCP4);
        f.server.network("net1").counters().dropped(io.leasehold.metrics.Counters.Protocol.DHCP4, "BAD_MAGIC_COOKIE");
        Run r = cli("stats");
        assertEquals(ExitCodes.OK, r.code, r.err);
        assertTrue(r.out.matches("(?s)NETWORK +COUNTER +VALUE\nnet1 +dhcp4.dropped.BAD_MAGIC_COOKIE +1\nnet1 +dhcp4.received +1\n"), r.out);
        JsonNode j = cli("stats", "--all", "-o", "json").json();
        assertEquals(0, j.path("net2").path("dhcp6.replied").asInt(-1));
    }

    @Test
    void healthSaysWhetherTheServerRuns() throws Exception {
        Run r = cli("health");
        boolean running = f.server.isRunning();
        assertEquals(running ? ExitCodes.OK : ExitCodes.FAILURE, r.code, r.err);
        assertTrue(r.out.startsWith("status      " + (running ? "ok" : "stopped") + "\n"), r.out);
        assertTrue(r.out.contains("not served  net1, net2"), r.out);
        assertEquals(1, cli("health", "-o", "json").json().path("protocol").asInt());
    }

    @Test
    void reloadWithoutAConfigurationFileIsRefusedClearly() {
        Run r = cli("reload");
        assertEquals(ExitCodes.FAILURE, r.code);
        assertEquals("leasehold: reload: this server was not started from a configuration file\n", r.err);
    }

    @Test
    void theSocketComesFromLeaseholdSocketWhenNotGiven() {
        SocketOption.environment = sock;
        assertEquals(ExitCodes.OK, run("leases", "--network", "net2").code);
        SocketOption.environment = dir.resolve("elsewhere.sock").toString();
        Run r = run("leases");
        assertEquals(ExitCodes.NO_DAEMON, r.code);
        assertTrue(r.err.contains(dir.resolve("elsewhere.sock").toString()), r.err);
    }

    @Test
    void noDaemonSaysHowToStartOne() throws Exception {
        Path none = dir.resolve("nothing.sock");
        Run r = run("leases", "--socket", none.toString());
        assertEquals(ExitCodes.NO_DAEMON, r.code);
        assertEquals("leasehold: no daemon is listening on " + none + " (start one with `leasehold serve --config FILE`,"
                + " or name its socket with --socket or LEASEHOLD_SOCKET)\n", r.err);
        // A socket file left behind by a daemon that died: connection refused, same answer.
        f.close();
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(java.net.UnixDomainSocketAddress.of(f.socket));
        }
        Run stale = run("health", "--socket", sock);
        assertEquals(ExitCodes.NO_DAEMON, stale.code, stale.err);
        f = new ControlFixture(dir, 3);  // and a new daemon replaces the stale socket
        assertTrue(cli("health").err.isEmpty());
    }

    @Test
    void aPeerThePolicyRefusesGetsPermissionDenied() throws Exception {
        f.close();
        f = new ControlFixture(dir, 3, (pid, uid, gid) -> false);
        Run r = cli("leases");
        assertEquals(ExitCodes.PERMISSION_DENIED, r.code);
        assertTrue(r.err.matches("leasehold: permission denied: uid \\d+ may not use the control socket \\(run as root\\)\n"), r.err);
    }

    @Test
    void everyCommandHasHelp() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine(), all);
        assertTrue(all.size() >= 18, "commands: " + all.size());
        for (CommandLine c : all) {
            List<String> path = new ArrayList<>();
            for (CommandLine p = c; p.getParent() != null; p = p.getParent()) {
                path.add(0, p.getCommandName());
            }
            if (path.contains("help")) {
                continue;
            }
            path.add("--help");
            Run r = run(path.toArray(new String[0]));
            assertEquals(ExitCodes.OK, r.code, path + ": " + r.err);
            assertTrue(r.out.startsWith("Usage: leasehold"), path + ": " + r.out);
        }
    }

    private static void collect(CommandLine c, List<CommandLine> out) {
        out.add(c);
        c.getSubcommands().values().forEach(s -> collect(s, out));
    }

    @Test
    void aSubcommandIsNeededWhereThereAreSubcommands() {
        Run r = run("reservations", "--socket", "x");
        assertEquals(ExitCodes.USAGE, r.code);
        assertFalse(r.err.isEmpty());
    }
}
