package io.leasehold.model;

import io.leasehold.option.ClasslessRoute;
import io.leasehold.option.OptionSpace;
import io.leasehold.v4.Dhcp4Options;
import io.leasehold.v6.Dhcp6Options;
import io.leasehold.wire.IpAddresses;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The option lines Neutron's driver would write, checked against the compatibility spec's examples. */
class NeutronOptionsTest {

    private static InetAddress ip(String s) {
        return IpAddresses.parse(s);
    }

    private static final Subnet S4 = Subnet.of("S4", IpPrefix.parse("10.0.0.0/24"), AddressMode.DHCPV4)
            .withGateway(ip("10.0.0.1")).withDnsServers(List.of(ip("8.8.8.8")))
            .withHostRoutes(List.of(new HostRoute(IpPrefix.parse("172.16.0.0/16"), ip("10.0.0.254"))));
    private static final Subnet S6 = Subnet.of("S6", IpPrefix.parse("fd00:10::/64"), AddressMode.DHCPV6_STATEFUL);

    @Test
    void theSpecsWorkedExampleComesOutLineForLine() {
        // S4's gateway is held by a router interface: not isolated, so metadata goes through the gateway.
        List<OptionLine> v4 = NeutronOptions.forSubnet(S4, List.of(S4, S6), false, ip("10.0.0.2"), "openstacklocal",
                NeutronOptions.Metadata.DEBIAN_DEFAULT);
        assertEquals(List.of(6, 121, 249, 3), v4.stream().map(OptionLine::code).toList());
        assertEquals(List.of(IpAddresses.parseIpv4("8.8.8.8")), Dhcp4Options.DOMAIN_NAME_SERVERS.decode(v4.get(0).value().toByteArray()));
        String routes = "172.16.0.0/16,10.0.0.254,169.254.169.254/32,10.0.0.1,0.0.0.0/0,10.0.0.1";
        assertEquals(routes, ClasslessRoute.formatList(Dhcp4Options.CLASSLESS_STATIC_ROUTE.decode(v4.get(1).value().toByteArray())));
        assertEquals(v4.get(1).value(), v4.get(2).value(), "249 repeats 121");
        assertEquals(List.of(new TagMatch("subnet-S4", false)), v4.get(3).tags());

        List<OptionLine> v6 = NeutronOptions.forSubnet(S6, List.of(S4, S6), false, null, "openstacklocal",
                NeutronOptions.Metadata.DEBIAN_DEFAULT);
        assertEquals(1, v6.size());
        assertEquals(OptionSpace.DHCP6, v6.get(0).space());
        assertEquals(Dhcp6Options.DOMAIN_SEARCH.code(), v6.get(0).code());
    }

    @Test
    void anIsolatedSubnetGetsMetadataThroughTheDhcpPort() {
        List<ClasslessRoute> routes = NeutronOptions.classlessRoutes(S4, List.of(S4), true, ip("10.0.0.2"),
                NeutronOptions.Metadata.DEBIAN_DEFAULT);
        assertEquals("172.16.0.0/16,10.0.0.254,169.254.169.254/32,10.0.0.2,0.0.0.0/0,10.0.0.1",
                ClasslessRoute.formatList(routes));
    }

    @Test
    void siblingSubnetsAreOnLinkAndNoGatewaySuppressesTheRouter() {
        Subnet sibling = Subnet.of("S5", IpPrefix.parse("10.1.0.0/24"), AddressMode.DHCPV4);
        Subnet noGateway = Subnet.of("S4", IpPrefix.parse("10.0.0.0/24"), AddressMode.DHCPV4);
        List<OptionLine> lines = NeutronOptions.forSubnet(noGateway, List.of(noGateway, sibling), true, ip("10.0.0.2"),
                null, NeutronOptions.Metadata.DEBIAN_DEFAULT);
        OptionLine routes = lines.stream().filter(l -> l.code() == 121).findFirst().orElseThrow();
        assertEquals("10.1.0.0/24,0.0.0.0,169.254.169.254/32,10.0.0.2",
                ClasslessRoute.formatList(Dhcp4Options.CLASSLESS_STATIC_ROUTE.decode(routes.value().toByteArray())),
                "no default route without a gateway");
        OptionLine router = lines.get(lines.size() - 1);
        assertEquals(3, router.code());
        assertNull(router.value(), "no gateway: a router line with no value");
    }

    @Test
    void theAnyAddressAsDnsMeansNoDns() {
        Subnet s = S4.withDnsServers(List.of(ip("0.0.0.0")));
        OptionLine dns = NeutronOptions.forSubnet(s, List.of(s), false, ip("10.0.0.2"), null,
                NeutronOptions.Metadata.DEBIAN_DEFAULT).get(0);
        assertEquals(6, dns.code());
        assertTrue(dns.suppresses());
    }

    @Test
    void networkLinesAreForced() {
        List<OptionLine> lines = NeutronOptions.forNetwork(1450, 10, 0);
        assertEquals(List.of(26, 58), lines.stream().map(OptionLine::code).toList());
        assertTrue(lines.stream().allMatch(OptionLine::forced));
        assertTrue(NeutronOptions.forNetwork(0, 0, 0).isEmpty());
    }
}
