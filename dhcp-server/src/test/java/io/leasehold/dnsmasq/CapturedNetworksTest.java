package io.leasehold.dnsmasq;

import io.leasehold.engine.CaptureReplay;
import io.leasehold.engine.ServerInterface;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.option.Duid;
import io.leasehold.wire.IpAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance test of the dnsmasq inputs: the real files Neutron's agent wrote for the capture
 * run ({@code pcap/server-config/net1} and {@code net2}: the dnsmasq command line, host and opts
 * files) parse without a single error, and the snapshot built from them answers every captured
 * client request exactly as dnsmasq 2.90 did (dhcp-core's {@link CaptureReplay}).
 */
class CapturedNetworksTest {

    static final ServerInterface NET1_IFACE = new ServerInterface("ns-dhcp", 0xfa163e000002L,
            new int[] {IpAddresses.toInt(IpAddresses.parseIpv4("10.77.0.2"))}, new int[] {24},
            List.of(IpAddresses.parseIpv6("fe80::f816:3eff:fe00:2"), IpAddresses.parseIpv6("fd00:77:1::2")));
    static final ServerInterface NET2_IFACE = new ServerInterface("ns-dhcp", 0xfa163e000102L, new int[0], new int[0],
            List.of(IpAddresses.parseIpv6("fe80::f816:3eff:fe00:102"), IpAddresses.parseIpv6("fd00:77:2::2")));
    static final Duid NET1_DUID = Duid.parse("00:01:00:01:32:95:12:82:fa:16:3e:00:00:02");
    static final Duid NET2_DUID = Duid.parse("00:01:00:01:32:95:12:82:fa:16:3e:00:01:02");

    @TempDir
    Path confs;

    /** Copies a captured network's files into {@code <confs>/<net>/} and parses its command line. */
    static DnsmasqArgs install(Path confs, String net) {
        try {
            Path dir = Files.createDirectories(confs.resolve(net));
            for (String f : List.of("host", "opts", "addn_hosts")) {
                Files.writeString(dir.resolve(f), resource("/pcap/server-config/" + net + "/" + f));
            }
            List<String> argv = new ArrayList<>();
            for (String line : resource("/pcap/server-config/" + net + "/dnsmasq-args").split("\n")) {
                argv.add(line.replace("{CONF_DIR}", dir.toString()));
            }
            return DnsmasqArgs.parse(argv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resource(String name) throws IOException {
        try (InputStream in = CapturedNetworksTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static NetworkSnapshot load(Path confs, String net) {
        DnsmasqArgs args = install(confs, net);
        assertEquals(List.of(), args.errors(), "argv errors");
        assertEquals(List.of(), args.warnings(), "argv warnings");
        DnsmasqNetwork.Loaded loaded = DnsmasqNetwork.load(args);
        assertEquals(List.of(), loaded.problems(), "file errors");
        assertEquals(List.of(), loaded.warnings(), "warnings");
        return loaded.spec().build();
    }

    @Test
    void net1ParsesIntoWhatNeutronDescribes() throws IOException {
        NetworkSnapshot net1 = load(confs, "net1");
        assertEquals("net1", net1.id());
        assertEquals(new NetworkSnapshot.Settings(1450, "openstacklocal", false, 16777216, false, false, true),
                net1.settings());
        assertEquals(2, net1.subnets().size());
        assertEquals("5a1d0c4e-4f0b-4c47-9d6e-000000000004", net1.subnets().get(0).id());
        assertEquals("10.77.0.0/24", net1.subnets().get(0).cidr().toString());
        assertEquals(86400, net1.subnets().get(0).leaseSeconds());
        assertEquals(120, net1.subnets().get(1).leaseSeconds());
        assertEquals(7, net1.reservationCount());
        // 2 forced command-line lines + 8 opts-file lines
        assertEquals(10, net1.options().size());
        assertTrue(net1.options().all().get(0).forced());
        AddnHostsFile.Result addn = AddnHostsFile.parse("addn_hosts", resource("/pcap/server-config/net1/addn_hosts"));
        assertEquals(List.of(), addn.errors());
        assertEquals(7, addn.entries().size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dhclient", "udhcpc", "dhcpcd"})
    void net1AnswersEveryCapturedDhcp4RequestAsDnsmasqDid(String client) {
        int compared = CaptureReplay.replay4(load(confs, "net1"), NET1_IFACE, client);
        assertTrue(compared >= 3, "compared " + compared);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dhclient", "udhcpc6", "dhcpcd", "dhcp6c"})
    void net1AnswersEveryCapturedDhcp6MessageAsDnsmasqDid(String client) {
        List<String> files = new ArrayList<>();
        for (String scenario : List.of("acquire", "renew", "reboot", "release")) {
            files.add(client + "-v6-" + scenario + ".pcap");
        }
        int compared = CaptureReplay.replay6(load(confs, "net1"), NET1_IFACE, NET1_DUID, files);
        assertTrue(compared >= 4, "compared " + compared);
    }

    @Test
    void net1AdvertisesNoAddrsAvailToAnUnknownMac() {
        assertEquals(5, CaptureReplay.replay6(load(confs, "net1"), NET1_IFACE, NET1_DUID,
                List.of("udhcpc6-v6-unknown-mac.pcap")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dhclient", "udhcpc6", "dhcpcd", "dhcp6c"})
    void net2AnswersStatelessClientsAsDnsmasqDid(String client) {
        NetworkSnapshot net2 = load(confs, "net2");
        assertEquals(0, net2.reservationCount());
        assertEquals(1, CaptureReplay.replay6(net2, NET2_IFACE, NET2_DUID, List.of(client + "-v6-stateless.pcap")));
    }
}
