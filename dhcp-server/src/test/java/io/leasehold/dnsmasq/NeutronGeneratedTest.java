package io.leasehold.dnsmasq;

import io.leasehold.model.AddressMode;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.OptionLine;
import io.leasehold.model.Reservation;
import io.leasehold.model.TagMatch;
import io.leasehold.option.OptionSpace;
import io.leasehold.v4.Dhcp4Options;
import io.leasehold.v6.Dhcp6Options;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files written by Neutron's own Dnsmasq driver (Debian's python3-neutron 21, see
 * {@code neutron-generated/README.md}): a v4 subnet, a stateful and a stateless v6 subnet, an
 * Ironic node with PXE/iPXE options, and client-id ports. They parse without errors into the
 * reservations and option lines neutron-compat §2.1 and §2.3 describe.
 */
class NeutronGeneratedTest {

    static final String NET = "6f5c0a1e-8d2b-4c3a-9e71-2b7d4c0e9a10";
    static final String S4 = "1a2b3c4d-0000-4000-8000-000000000004";
    static final String PXE = "b2b2b2b2-0000-4000-8000-000000000002";
    static final String CIDX = "c4c4c4c4-0000-4000-8000-000000000004";

    @TempDir
    Path confs;
    DnsmasqArgs args;
    DnsmasqNetwork.Loaded loaded;
    NetworkSnapshot net;

    /** Installs the generated files under {@code <confs>/<N>/} and loads them as dnsmasq would. */
    static DnsmasqArgs install(Path confs) throws IOException {
        Path dir = Files.createDirectories(confs.resolve(NET));
        for (String f : List.of("host", "opts", "addn_hosts")) {
            Files.writeString(dir.resolve(f), CapturedNetworksTest.resource("/neutron-generated/" + f));
        }
        List<String> cmd = new ArrayList<>();
        for (String line : CapturedNetworksTest.resource("/neutron-generated/dnsmasq-args").split("\n", -1)) {
            if (!line.isEmpty() || cmd.size() < 2) {
                cmd.add(line.replace("{CONFS}", confs.toString()));
            }
        }
        return DnsmasqArgs.parseCommandLine(cmd);
    }

    @BeforeEach
    void load() throws IOException {
        args = install(confs);
        loaded = DnsmasqNetwork.load(args);
        net = loaded.spec().build();
    }

    @Test
    void theCommandLineParsesCompletely() {
        assertEquals(List.of(), args.errors());
        assertEquals(List.of(), args.warnings());
        assertEquals(NET, args.networkId());
        assertTrue(args.noHosts() && args.noResolv() && args.localService() && args.bindDynamic());
        assertEquals(List.of("192.0.2.53", "2001:db8::53"), args.servers());
        assertEquals(List.of("/dev/null"), args.confFiles());
        assertEquals(3, args.ranges().size());
        assertEquals(confs.resolve(NET).resolve("leases").toString(), args.leaseFile());
        assertEquals(new NetworkSnapshot.Settings(1450, "openstacklocal", false, 16777216, false, false, true),
                net.settings());
    }

    @Test
    void theFilesParseWithoutErrors() throws IOException {
        assertEquals(List.of(), loaded.problems());
        assertEquals(10, loaded.addnHosts().get(0).entries().size());
        assertEquals(List.of(), loaded.warnings());
        AddnHostsFile.Result addn = AddnHostsFile.parse("addn_hosts",
                CapturedNetworksTest.resource("/neutron-generated/addn_hosts"));
        assertEquals(List.of(), addn.errors());
        assertEquals(10, addn.entries().size());
        assertEquals(List.of("host-10-20-0-1.openstacklocal", "host-10-20-0-1"), addn.entries().get(0).names());
    }

    @Test
    void subnetsComeFromTheRanges() {
        assertEquals(3, net.subnets().size());
        assertEquals(AddressMode.DHCPV4, net.subnets().get(0).mode());
        assertEquals(Set.of("subnet-" + S4), net.subnets().get(0).tags());
        // Stateful and stateless both get a static range; both serve as stateful (see DnsmasqNetwork).
        assertEquals(AddressMode.DHCPV6_STATEFUL, net.subnets().get(1).mode());
        assertEquals(AddressMode.DHCPV6_STATEFUL, net.subnets().get(2).mode());
        assertTrue(net.subnets().stream().allMatch(s -> s.isStaticOnly() && s.leaseSeconds() == 86400));
    }

    @Test
    void hostLinesBecomeReservationsInFileOrder() {
        assertEquals(9, net.reservationCount());
        // The Ironic node: its stateless tag-only line first (Neutron sorts it first), then v4, then v6.
        List<Reservation> pxe = net.reservationsByMac(0xfa163e002021L);
        assertEquals(3, pxe.size());
        Reservation tagOnly = pxe.get(0);
        assertEquals(List.of(), tagOnly.addresses());
        assertEquals(Set.of("dhcpv6"), tagOnly.requiredTags());
        assertEquals(Set.of("port-" + PXE), tagOnly.setTags());
        assertNull(tagOnly.hostname());
        assertEquals("host-10-20-0-21.openstacklocal", pxe.get(1).hostname());
        assertEquals(List.of(IpAddresses.parse("10.20.0.21")), pxe.get(1).addresses());
        assertEquals(Set.of(), pxe.get(1).requiredTags());
        assertEquals(List.of(IpAddresses.parse("fd00:20:1::21")), pxe.get(2).addresses());
        assertEquals(Set.of("dhcpv6"), pxe.get(2).requiredTags());
        // id:test31 is text; id:01:fa:... is hex, matched as option 61 and as a DUID.
        Reservation text = net.reservationsByClientId(Octets.of("test31".getBytes(StandardCharsets.UTF_8))).get(0);
        assertEquals(0xfa163e002031L, text.mac());
        assertEquals(Set.of(), text.setTags());
        List<Reservation> hex = net.reservationsByClientId(Octets.parseHex("01:fa:16:3e:00:20:41"));
        assertEquals(2, hex.size());
        assertEquals(Set.of("port-" + CIDX), hex.get(1).setTags());
        assertEquals(hex, net.reservationsByDuid(hex.get(0).duid()));
        // The VM's stateless allocation has no line: it has no extra options.
        assertEquals(2, net.reservationsByMac(0xfa163e002011L).size());
    }

    @Test
    void optionLinesKeepTheirTagsAndOrder() {
        List<OptionLine> all = net.options().all();
        assertEquals(3 + 16, all.size());
        // The command line first: forced mtu, T1, T2.
        assertEquals(List.of(26, 58, 59), List.of(all.get(0).code(), all.get(1).code(), all.get(2).code()));
        assertTrue(all.get(0).forced() && all.get(1).forced() && all.get(2).forced());
        assertEquals(Octets.parseHex("00:00:02:58"), all.get(1).value());
        OptionLine notIpxe = all.get(3 + 7);
        assertEquals(List.of(new TagMatch("port-" + PXE, false), new TagMatch("ipxe", true)), notIpxe.tags());
        assertEquals(Dhcp4Options.BOOT_FILE_NAME.code(), notIpxe.code());
        assertEquals(Octets.of("undionly.kpxe".getBytes(StandardCharsets.UTF_8)), notIpxe.value());
        OptionLine nextServer = all.get(3 + 10);
        assertEquals(OptionLine.NEXT_SERVER, nextServer.code());
        assertEquals(Octets.parseHex("0a:14:00:0a"), nextServer.value());
        OptionLine url = all.get(3 + 12);
        assertEquals(OptionSpace.DHCP6, url.space());
        assertEquals(Dhcp6Options.BOOTFILE_URL.code(), url.code());
        assertEquals(List.of(new TagMatch("port-" + PXE, false), new TagMatch("ipxe6", false)), url.tags());
        OptionLine tftpAddress = all.get(3 + 13);
        assertEquals(150, tftpAddress.code());
        assertEquals(Octets.parseHex("0a:14:00:0a"), tftpAddress.value());
        OptionLine v6Dns = all.get(3 + 15);
        assertEquals(Dhcp6Options.DNS_SERVERS.code(), v6Dns.code());
        assertEquals(Octets.of(IpAddresses.parseIpv6("fd00:20:1::53").getAddress()), v6Dns.value());
    }

    @Test
    void aReloadOfUnchangedFilesChangesNothing() {
        SnapshotDiff.Result r = DnsmasqNetwork.reload(net, args).diff();
        assertTrue(!r.changed(), r.toString());
        assertTrue(r.snapshot() == net);
        DnsmasqNetwork.Reloaded fast = DnsmasqNetwork.reload(net, loaded, args);
        assertTrue(fast.loaded().spec() == loaded.spec() && fast.loaded().hosts() == loaded.hosts(), "nothing re-parsed");
        assertTrue(fast.snapshot() == net);
    }

    /**
     * Neutron's reload_allocations rewrites every file by rename (neutron-compat §3.5): a port
     * added to the hosts file is one new reservation; the unchanged opts file is not parsed again.
     */
    @Test
    void aReloadAppliesOnlyWhatChangedAndSkipsUnchangedFiles() throws IOException {
        Path host = confs.resolve(NET).resolve("host");
        Path tmp = confs.resolve(NET).resolve("host.tmp");
        Files.writeString(tmp, Files.readString(host) + "fa:16:3e:00:20:51,host-10-20-0-51.openstacklocal,10.20.0.51\n");
        Files.move(tmp, host, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path opts = confs.resolve(NET).resolve("opts");
        Files.writeString(opts, Files.readString(opts));      // rewritten, same bytes
        DnsmasqNetwork.Reloaded r = DnsmasqNetwork.reload(net, loaded, args);
        assertTrue(r.loaded().opts() == loaded.opts(), "the opts file was not parsed again");
        assertEquals(1, r.diff().reservationsAdded(), r.diff().toString());
        assertEquals(0, r.diff().reservationsRemoved() + r.diff().optionsAdded() + r.diff().optionsRemoved());
        assertEquals(10, r.snapshot().reservationCount());
        assertEquals(net.revision() + 1, r.snapshot().revision());
        SnapshotDiffPropertyTest.assertSameContent(r.loaded().spec().build(), r.snapshot());
    }
}
