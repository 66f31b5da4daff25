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
import io.leasehold.option.OptionDef;
import io.leasehold.option.OptionSpace;
import io.leasehold.v4.Dhcp4Options;
import io.leasehold.v6.Dhcp6Options;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The network of the shared captures ({@code pcap/server-config/net1}), as Neutron's agent
 * describes it to dnsmasq, plus two Ironic-style ports with PXE and iPXE boot options and a
 * stateless IPv6 subnet ({@code net2}'s) — the Neutron-shaped data the engine tests run on.
 *
 * <p>Option lines are added in the order dnsmasq reads them: the command line's forced options
 * first, then the opts file top to bottom.
 */
final class NeutronNetwork {

    static final String S4 = "5a1d0c4e-4f0b-4c47-9d6e-000000000004";
    static final String S6 = "5a1d0c4e-4f0b-4c47-9d6e-0000000006a1";
    static final String S6_STATELESS = "5a1d0c4e-4f0b-4c47-9d6e-0000000006b2";
    static final String PXE_PORT = "p-pxe";
    static final String PLAIN_PORT = "p-plain";

    static final long SERVER_MAC = 0xfa163e000002L;
    static final long DHCLIENT = 0xfa163e000011L;
    static final long UDHCPC = 0xfa163e000012L;
    static final long DHCPCD = 0xfa163e000013L;
    static final long DHCP6C = 0xfa163e000014L;
    static final long PXE_NODE = 0xfa163e000021L;
    static final long UNKNOWN = 0xfa163e000099L;

    static final int SERVER = ip("10.77.0.2");
    static final int GATEWAY = ip("10.77.0.1");

    private NeutronNetwork() {
    }

    static int ip(String s) {
        return IpAddresses.toInt(IpAddresses.parseIpv4(s));
    }

    static InetAddress addr(String s) {
        return IpAddresses.parse(s);
    }

    private static List<TagMatch> tags(String... names) {
        List<TagMatch> out = new ArrayList<>();
        for (String n : names) {
            out.add(TagMatch.parse(n));
        }
        return out;
    }

    private static <T> OptionLine line(OptionDef<T> def, T value, boolean forced, String... tags) {
        return OptionLine.of(def, value, tags(tags), forced);
    }

    private static List<Inet4Address> v4(String... a) {
        List<Inet4Address> out = new ArrayList<>();
        for (String s : a) {
            out.add(IpAddresses.parseIpv4(s));
        }
        return out;
    }

    /** The snapshot: net1's subnets, hosts and options, the PXE ports, and a stateless subnet. */
    static NetworkSnapshot snapshot() {
        Subnet s4 = Subnet.of(S4, IpPrefix.parse("10.77.0.0/24"), AddressMode.DHCPV4)
                .withGateway(addr("10.77.0.1"));
        Subnet s6 = Subnet.of(S6, IpPrefix.parse("fd00:77:1::/64"), AddressMode.DHCPV6_STATEFUL)
                .withLease(120, Subnet.DEFAULT_TIME, Subnet.DEFAULT_TIME);
        Subnet s6l = Subnet.of(S6_STATELESS, IpPrefix.parse("fd00:77:2::/64"), AddressMode.DHCPV6_STATELESS)
                .withLease(120, Subnet.DEFAULT_TIME, Subnet.DEFAULT_TIME);
        String st = "subnet-" + S4;
        String routes = "169.254.169.254/32,10.77.0.2,172.31.128.0/17,10.77.0.1,0.0.0.0/0,10.77.0.1";
        NetworkSnapshot.Builder b = NetworkSnapshot.builder("net1")
                .settings(NetworkSnapshot.Settings.DEFAULT.withDomain("openstacklocal").withMtu(1450)
                        .withLeaseMax(16777216))
                .subnet(s4).subnet(s6).subnet(s6l)
                // --dhcp-option-force=option:mtu,1450 and option:T1,10s (the capture's command line)
                .option(line(Dhcp4Options.INTERFACE_MTU, 1450, true))
                .option(line(Dhcp4Options.RENEWAL_TIME, 10L, true))
                // the opts file, top to bottom
                .option(line(Dhcp4Options.DOMAIN_NAME_SERVERS, v4("10.77.0.3", "10.77.0.4"), false, st))
                .option(line(Dhcp4Options.DOMAIN_SEARCH, List.of("openstacklocal", "lab.example"), false, st))
                .option(line(Dhcp4Options.INTERFACE_MTU, 1450, false, st))
                .option(line(Dhcp4Options.CLASSLESS_STATIC_ROUTE, ClasslessRoute.parseList(routes), false, st))
                .option(line(Dhcp4Options.MS_CLASSLESS_STATIC_ROUTE, ClasslessRoute.parseList(routes), false, st))
                .option(line(Dhcp4Options.ROUTERS, v4("10.77.0.1"), false, st))
                .option(line(Dhcp6Options.DNS_SERVERS, List.of(IpAddresses.parseIpv6("fd00:77:1::53")), false, "subnet-" + S6))
                .option(line(Dhcp6Options.DOMAIN_SEARCH, List.of("openstacklocal"), false, "subnet-" + S6))
                .option(line(Dhcp6Options.DNS_SERVERS, List.of(IpAddresses.parseIpv6("fd00:77:2::53")), false,
                        "subnet-" + S6_STATELESS))
                .option(line(Dhcp6Options.DOMAIN_SEARCH, List.of("openstacklocal"), false, "subnet-" + S6_STATELESS))
                // An Ironic node: chain-load iPXE from TFTP, then iPXE fetches its script over HTTP.
                .option(line(Dhcp4Options.BOOT_FILE_NAME, "undionly.kpxe", false, "port-" + PXE_PORT, "!ipxe"))
                .option(line(Dhcp4Options.BOOT_FILE_NAME, "http://10.77.0.10:8088/boot.ipxe", false, "port-" + PXE_PORT, "ipxe"))
                .option(new OptionLine(OptionSpace.DHCP4, OptionLine.NEXT_SERVER, Octets.parseHex("0a4d000a"),
                        tags("port-" + PXE_PORT), false, false))
                .option(line(Dhcp4Options.TFTP_SERVER_NAME, "10.77.0.10", false, "port-" + PXE_PORT))
                .option(line(Dhcp6Options.BOOTFILE_URL, "http://[fd00:77:1::10]/boot.ipxe", false, "port-" + PXE_PORT, "ipxe6"));
        host(b, "dhclient", DHCLIENT, "10.77.0.11", "fd00:77:1::11");
        host(b, "udhcpc", UDHCPC, "10.77.0.12", "fd00:77:1::12");
        host(b, "dhcpcd", DHCPCD, "10.77.0.13", "fd00:77:1::13");
        b.reservation(new Reservation("dhcp6c-v6", DHCP6C, null, null, "host-fd00-77-1--14.openstacklocal",
                List.of(addr("fd00:77:1::14")), Set.of(), Set.of("dhcpv6"), Subnet.DEFAULT_TIME));
        b.reservation(new Reservation("pxe-v4", PXE_NODE, null, null, "host-10-77-0-21.openstacklocal",
                List.of(addr("10.77.0.21")), Set.of("port-" + PXE_PORT), Set.of(), Subnet.DEFAULT_TIME));
        b.reservation(new Reservation("pxe-v6", PXE_NODE, null, null, "host-fd00-77-1--21.openstacklocal",
                List.of(addr("fd00:77:1::21")), Set.of("port-" + PXE_PORT), Set.of("dhcpv6"), Subnet.DEFAULT_TIME));
        return b.build();
    }

    private static void host(NetworkSnapshot.Builder b, String name, long mac, String v4, String v6) {
        String h4 = "host-" + v4.replace('.', '-') + ".openstacklocal";
        String h6 = "host-" + v6.replace(':', '-') + ".openstacklocal";
        b.reservation(Reservation.of(name + "-v4", mac, h4, addr(v4)));
        b.reservation(new Reservation(name + "-v6", mac, null, null, h6, List.of(addr(v6)), Set.of(),
                Set.of("dhcpv6"), Subnet.DEFAULT_TIME));
    }

    /** The DHCP port in net1's namespace: {@code ns-dhcp}, 10.77.0.2/24, fd00:77:1::2/64. */
    static ServerInterface iface() {
        return new ServerInterface("ns-dhcp", SERVER_MAC, new int[] {SERVER}, new int[] {24},
                List.of(IpAddresses.parseIpv6("fe80::f816:3eff:fe00:2"), IpAddresses.parseIpv6("fd00:77:1::2")));
    }

    /** net2 of the captures: only the stateless subnet, on its own DHCP port. */
    static NetworkSnapshot statelessSnapshot() {
        Subnet s6l = Subnet.of(S6_STATELESS, IpPrefix.parse("fd00:77:2::/64"), AddressMode.DHCPV6_STATELESS)
                .withLease(120, Subnet.DEFAULT_TIME, Subnet.DEFAULT_TIME);
        return NetworkSnapshot.builder("net2")
                .settings(NetworkSnapshot.Settings.DEFAULT.withDomain("openstacklocal").withMtu(1450).withLeaseMax(16777216))
                .subnet(s6l)
                .option(line(Dhcp4Options.INTERFACE_MTU, 1450, true))
                .option(line(Dhcp4Options.RENEWAL_TIME, 10L, true))
                .option(line(Dhcp6Options.DNS_SERVERS, List.of(IpAddresses.parseIpv6("fd00:77:2::53")), false,
                        "subnet-" + S6_STATELESS))
                .option(line(Dhcp6Options.DOMAIN_SEARCH, List.of("openstacklocal"), false, "subnet-" + S6_STATELESS))
                .build();
    }

    /** net2's DHCP port: fd00:77:2::2/64, MAC fa:16:3e:00:01:02. */
    static ServerInterface statelessIface() {
        return new ServerInterface("ns-dhcp", 0xfa163e000102L, new int[0], new int[0],
                List.of(IpAddresses.parseIpv6("fe80::f816:3eff:fe00:102"), IpAddresses.parseIpv6("fd00:77:2::2")));
    }

    /** The server DUIDs dnsmasq made in the capture run (DUID-LLT of each DHCP port). */
    static final io.leasehold.option.Duid SERVER_DUID = io.leasehold.option.Duid.parse("00:01:00:01:32:95:12:82:fa:16:3e:00:00:02");
    static final io.leasehold.option.Duid STATELESS_SERVER_DUID = io.leasehold.option.Duid.parse("00:01:00:01:32:95:12:82:fa:16:3e:00:01:02");

    static LeaseTable leases() {
        return new LeaseTable("net1", 16777216);
    }
}
