package io.leasehold.lab;

import io.leasehold.model.AddressMode;
import io.leasehold.model.HostRoute;
import io.leasehold.model.IpPrefix;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.NeutronOptions;
import io.leasehold.model.OptionLine;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.model.TagMatch;
import io.leasehold.v4.Dhcp4Options;

import io.leasehold.wire.IpAddresses;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

/**
 * The network the real-client tests serve, shaped as Neutron shapes it (the shared captures'
 * {@code net1}): a v4 subnet with a gateway, two DNS servers, a search list, host routes and the
 * isolated-metadata route; a stateful v6 subnet; the MTU and a short T1 forced on the command line.
 */
public final class LabNetwork {

    public static final String SERVER_MAC = "fa:16:3e:00:00:02";
    public static final String SERVER_V4 = "10.77.0.2/24";
    public static final String SERVER_V6 = "fd00:77:1::2/64";

    private LabNetwork() {
    }

    private static InetAddress ip(String s) {
        return IpAddresses.parse(s);
    }

    /** The network {@code id}, with T1 forced to {@code t1} seconds (0: not forced). */
    public static NetworkSnapshot neutron(String id, long t1) {
        Subnet s4 = Subnet.of("s4", IpPrefix.parse("10.77.0.0/24"), AddressMode.DHCPV4)
                .withGateway(ip("10.77.0.1"))
                .withDnsServers(List.of(ip("10.77.0.3"), ip("10.77.0.4")))
                .withHostRoutes(List.of(new HostRoute(IpPrefix.parse("172.31.128.0/17"), ip("10.77.0.1"))));
        Subnet s6 = Subnet.of("s6", IpPrefix.parse("fd00:77:1::/64"), AddressMode.DHCPV6_STATEFUL)
                .withDnsServers(List.of(ip("fd00:77:1::53")));
        NetworkSnapshot.Builder b = NetworkSnapshot.builder(id)
                .settings(NetworkSnapshot.Settings.DEFAULT.withDomain("openstacklocal").withMtu(1450).withLeaseMax(1 << 24))
                .subnet(s4).subnet(s6);
        NeutronOptions.forNetwork(1450, t1, 0).forEach(b::option);
        NeutronOptions.forSubnet(s4, List.of(s4, s6), true, ip("10.77.0.2"), "openstacklocal",
                NeutronOptions.Metadata.DEBIAN_DEFAULT).forEach(b::option);
        NeutronOptions.forSubnet(s6, List.of(s4, s6), true, null, "openstacklocal",
                NeutronOptions.Metadata.DEBIAN_DEFAULT).forEach(b::option);
        b.option(OptionLine.of(Dhcp4Options.DOMAIN_SEARCH, List.of("openstacklocal", "lab.example"),
                List.of(new TagMatch("subnet-s4", false)), false));
        for (int i = 0x11; i <= 0x14; i++) {
            String h = Integer.toHexString(i);
            long mac = 0xfa163e000000L | i;
            // As in the captures: MAC fa:16:3e:00:00:11 gets 10.77.0.11 and fd00:77:1::11.
            b.reservation(Reservation.of("port-" + h + "-v4", mac, "host-10-77-0-" + h + ".openstacklocal",
                    ip("10.77.0." + h)));
            b.reservation(new Reservation("port-" + h + "-v6", mac, null, null, "host-fd00-77-1--" + h + ".openstacklocal",
                    List.of(ip("fd00:77:1::" + h)), Set.of(), Set.of(Reservation.TAG_DHCPV6), Subnet.DEFAULT_TIME));
        }
        return b.build();
    }

    /** A network with only a stateless v6 subnet (the captures' {@code net2}). */
    public static NetworkSnapshot stateless(String id) {
        Subnet s6 = Subnet.of("s6l", IpPrefix.parse("fd00:77:2::/64"), AddressMode.DHCPV6_STATELESS)
                .withDnsServers(List.of(ip("fd00:77:2::53")));
        NetworkSnapshot.Builder b = NetworkSnapshot.builder(id)
                .settings(NetworkSnapshot.Settings.DEFAULT.withDomain("openstacklocal"))
                .subnet(s6);
        NeutronOptions.forSubnet(s6, List.of(s6), true, null, "openstacklocal", NeutronOptions.Metadata.DEBIAN_DEFAULT)
                .forEach(b::option);
        return b.build();
    }

    /** The MAC of reserved client {@code i} (0x11..0x14) as text. */
    public static String clientMac(int i) {
        return String.format("fa:16:3e:00:00:%02x", i);
    }

}
