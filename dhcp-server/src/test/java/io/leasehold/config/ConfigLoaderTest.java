package io.leasehold.config;

import io.leasehold.store.FsyncPolicy;
import io.leasehold.dnsmasq.DnsmasqArgs;
import io.leasehold.dnsmasq.DnsmasqNetwork;
import io.leasehold.dnsmasq.NetworkSpec;
import io.leasehold.model.AddressMode;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The native configuration: a full example, every error with its path at once, and the cross-check with Neutron's files. */
class ConfigLoaderTest {

    static final String NET = "6f5c0a1e-8d2b-4c3a-9e71-2b7d4c0e9a10";

    @TempDir
    Path confs;

    static String resource(String name) throws IOException {
        try (InputStream in = ConfigLoaderTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static LeaseholdConfig example() throws IOException {
        return ConfigLoader.parse("example.yaml", resource("/config/example.yaml"));
    }

    @Test
    void theFullExampleLoads() throws IOException {
        LeaseholdConfig c = example();
        assertEquals(Path.of("/var/lib/leasehold"), c.dataDir());
        assertEquals(FsyncPolicy.BATCH, c.fsync());
        assertEquals(Path.of("/run/leasehold/control.sock"), c.controlSocket());
        assertEquals(List.of(new Attachment("qdhcp-" + NET, "tapd0d0d0d0-00", NET)), c.attachments());
        LeaseholdConfig.NetworkConfig n = c.networks().get(0);
        assertEquals(1450, n.mtu());
        assertEquals(16777216, n.leaseMax(), "Neutron's default: min(sum of ranged subnets, 2^24)");
        assertEquals(AddressMode.DHCPV6_STATELESS, n.subnets().get(2).ipv6AddressMode());
        assertEquals(86400, n.subnets().get(1).leaseSeconds());
        NetworkSnapshot s = c.specs().get(NET).build();
        assertEquals(9, s.reservationCount());
        assertEquals(AddressMode.DHCPV6_STATELESS, s.subnet("1a2b3c4d-0000-4000-8000-0000000006b2").mode());
    }

    /**
     * The same network configured natively and written by Neutron's own driver gives the same host
     * lines, the same option lines in the same order, and the same settings.
     */
    @Test
    void portsGiveWhatNeutronsFilesGive() throws IOException {
        NetworkSpec native_ = example().specs().get(NET);
        Path dir = Files.createDirectories(confs.resolve(NET));
        for (String f : List.of("host", "opts", "addn_hosts")) {
            Files.writeString(dir.resolve(f), resource("/neutron-generated/" + f));
        }
        List<String> cmd = new ArrayList<>();
        for (String line : resource("/neutron-generated/dnsmasq-args").split("\n")) {
            cmd.add(line.replace("{CONFS}", confs.toString()));
        }
        DnsmasqNetwork.Loaded files = DnsmasqNetwork.load(DnsmasqArgs.parseCommandLine(cmd));
        assertEquals(List.of(), files.problems());
        NetworkSpec fromFiles = files.spec();
        assertEquals(fromFiles.reservations(), native_.reservations());
        assertEquals(fromFiles.options(), native_.options());
        assertEquals(fromFiles.settings(), native_.settings());
        assertEquals(fromFiles.matchRules(), native_.matchRules());
        // Subnets differ only in what dnsmasq's command line cannot say (gateway, DNS, mode).
        assertEquals(fromFiles.subnets().stream().map(Subnet::cidr).toList(), native_.subnets().stream().map(Subnet::cidr).toList());
        // And the host file text itself is Neutron's, line for line.
        List<String> lines = NeutronDriver.hostLines(example().networks().get(0), "networks[0]").stream()
                .map(NeutronDriver.Line::text).toList();
        assertEquals(List.of(resource("/neutron-generated/host").split("\n")), lines);
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPath() {
        String yaml = String.join("\n",
                "fsync: sometimes",
                "colour: blue",
                "namespaces:",
                "  qdhcp-x: [{interface: tap0, network: nope}]",
                "networks:",
                "  - id: n1",
                "    mtu: 70000",
                "    subnets:",
                "      - {id: s1, cidr: 10.0.0.0/24, gateway: 10.0.0.1, dnsNameservers: [10.0.0.300, 'fd00::53']}",
                "      - {id: s2, cidr: 10.0.0.1/24}",
                "      - {id: s3, cidr: 'fd00::/64', ipv6AddressMode: dhcpv7, leaseTime: soon}",
                "      - {id: s1, cidr: 10.1.0.0/24, pools: [10.1.0.10-10.1.0.5, 10.2.0.1-10.2.0.9]}",
                "    ports:",
                "      - {id: p1, macAddress: 'fa:16:3e:00:00:0g', fixedIps: [{subnetId: s9, ipAddress: 10.0.0.5}]}",
                "      - id: p2",
                "        macAddress: fa:16:3e:00:00:02",
                "        fixedIps: [{subnetId: s1, ipAddress: 10.9.0.5}, {subnetId: s1, ipAddress: 10.0.0.6}]",
                "        extraDhcpOpts: [{optName: router, optValue: ''}, {optName: nonesuch, optValue: 1}, {optValue: 2}]",
                "        dnsname: typo",
                "    dnsmasqOptions: ['option:mtu,99999']",
                "");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("bad.yaml", yaml));
        List<String> got = e.problems().stream().map(ConfigProblem::toString).toList();
        List<String> expected = List.of(
                "colour: unknown keyword (expected one of: controlGroup, controlSocket, dataDir, fsync, namespaces, networks)",
                "dataDir: missing (required)",
                "fsync: 'sometimes' (expected: always, batch or none)",
                "networks[0].mtu: 70000 (expected: 0..65535)",
                "networks[0].subnets[0].dnsNameservers[0]: '10.0.0.300' (expected: an IPv4 or IPv6 address)",
                "networks[0].subnets[0].dnsNameservers[1]: 'fd00::53' is not an IPv4 address",
                "networks[0].subnets[1].cidr: '10.0.0.1/24' has host bits set (expected: 10.0.0.0/24)",
                "networks[0].subnets[2].ipv6AddressMode: 'dhcpv7' (expected: slaac, dhcpv6-stateful or dhcpv6-stateless)",
                "networks[0].subnets[2].leaseTime: 'soon' (expected: a number)",
                "networks[0].subnets[3].pools[0]: '10.1.0.10-10.1.0.5' (expected: first <= last)",
                "networks[0].subnets[3].pools[1]: '10.2.0.1-10.2.0.9' is outside 10.1.0.0/24",
                "networks[0].subnets[3].id: 's1' is used by another subnet",
                "networks[0].ports[0].macAddress: 'fa:16:3e:00:00:0g' (expected: a MAC like fa:16:3e:00:00:01)",
                "networks[0].ports[0].fixedIps[0].subnetId: 's9' names no subnet of this network",
                "networks[0].ports[1].dnsname: unknown keyword (expected one of: deviceOwner, dnsName, extraDhcpOpts, "
                        + "fixedIps, hostname, id, macAddress)",
                "networks[0].ports[1].fixedIps[0].ipAddress: '10.9.0.5' is outside 10.0.0.0/24",
                "networks[0].ports[1].extraDhcpOpts[2].optName: missing (required)",
                "networks[0].ports[1].extraDhcpOpts[0]: 'tag:port-p2,option:router,': bad IP address: empty value for routers(3)",
                "networks[0].ports[1].extraDhcpOpts[1]: 'tag:port-p2,option:nonesuch,1': unknown DHCP option 'nonesuch'",
                "networks[0].dnsmasqOptions[0]: 'option:mtu,99999': bad value '99999' for interface-mtu(26): u16: 99999 (expected: 0..65535)",
                "namespaces.qdhcp-x[0].network: 'nope' names no network of this file");
        assertEquals(expected, got);
        assertTrue(e.getMessage().startsWith("bad.yaml: 21 problems"), e.getMessage());
    }

    @Test
    void jsonLoadsToo() {
        String json = "{\"dataDir\": \"/d\", \"networks\": [{\"id\": \"n\", \"subnets\": [{\"id\": \"s\", \"cidr\": \"10.0.0.0/24\","
                + " \"leaseTime\": \"infinite\", \"pools\": [\"10.0.0.100-10.0.0.199\"]}],"
                + " \"ports\": [{\"id\": \"p\", \"macAddress\": \"fa:16:3e:00:00:01\", \"dnsName\": \"vm1\","
                + " \"fixedIps\": [{\"subnetId\": \"s\", \"ipAddress\": \"10.0.0.5\"}]}]}]}";
        LeaseholdConfig c = ConfigLoader.parse("c.json", json);
        assertEquals(FsyncPolicy.BATCH, c.fsync());
        assertNull(c.controlSocket());
        NetworkSnapshot s = c.specs().get("n").build();
        assertEquals(Subnet.INFINITE, s.subnets().get(0).leaseSeconds());
        assertEquals(100, s.subnets().get(0).pools().get(0).size());
        Reservation r = s.reservationsByMac(0xfa163e000001L).get(0);
        assertEquals("vm1.openstacklocal", r.hostname());
        assertEquals(256, c.networks().get(0).leaseMax());
        // no gateway: Neutron suppresses the router with a value-less line
        assertTrue(s.options().all().stream().anyMatch(o -> o.code() == 3 && o.suppresses()));
    }

    @Test
    void malformedTextIsOneProblem() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("x.yaml", "networks: [\n"));
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).message().startsWith("not valid YAML"), e.getMessage());
    }
}
