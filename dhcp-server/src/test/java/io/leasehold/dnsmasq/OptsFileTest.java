package io.leasehold.dnsmasq;

import io.leasehold.model.OptionLine;
import io.leasehold.model.TagMatch;
import io.leasehold.option.ClasslessRoute;
import io.leasehold.option.OptionSpace;
import io.leasehold.v4.Dhcp4Options;
import io.leasehold.v6.Dhcp6Options;
import io.leasehold.wire.Octets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every opts-file line form Neutron writes (neutron-compat §2.3) and dnsmasq's value rules. */
class OptsFileTest {

    private static OptionLine line(String text) {
        return OptsFile.parseLine(text, false);
    }

    private static Octets hex(String h) {
        return Octets.parseHex(h);
    }

    @Test
    void subnetLines() {
        OptionLine dns = line("tag:subnet-s4,option:dns-server,8.8.8.8,8.8.4.4");
        assertEquals(OptionSpace.DHCP4, dns.space());
        assertEquals(6, dns.code());
        assertEquals(List.of(new TagMatch("subnet-s4", false)), dns.tags());
        assertEquals(hex("08080808 08080404".replace(" ", "")), dns.value());
        assertFalse(dns.forced());
        OptionLine routes = line("tag:subnet-s4,option:classless-static-route,172.16.0.0/16,10.0.0.254,0.0.0.0/0,10.0.0.1");
        assertEquals(Octets.of(Dhcp4Options.CLASSLESS_STATIC_ROUTE.encode(
                ClasslessRoute.parseList("172.16.0.0/16,10.0.0.254,0.0.0.0/0,10.0.0.1"))), routes.value());
        assertFalse(routes.selfAddress(), "0.0.0.0 in a /n list stays literal");
        assertEquals(routes.value(), line("tag:subnet-s4,249,172.16.0.0/16,10.0.0.254,0.0.0.0/0,10.0.0.1").value());
        assertEquals(249, line("tag:subnet-s4,249,172.16.0.0/16,10.0.0.254").code());
        assertEquals(hex("0a000001"), line("tag:subnet-s4,option:router,10.0.0.1").value());
        OptionLine search6 = line("tag:subnet-s6,option6:domain-search,openstacklocal");
        assertEquals(OptionSpace.DHCP6, search6.space());
        assertEquals(24, search6.code());
        assertEquals(Octets.of(Dhcp6Options.DOMAIN_SEARCH.encode(List.of("openstacklocal"))), search6.value());
        assertEquals(16, line("option6:dns-server,[fd00::53]").value().length());
        assertEquals(hex("05aa"), line("option:mtu,1450").value());
        assertEquals(hex("00000258"), OptsFile.parseLine("option:T1,600s", true).value());
        assertTrue(OptsFile.parseLine("option:T1,10m", true).forced());
    }

    @Test
    void valuelessLinesSuppressAndTrailingCommasFollowDnsmasq() {
        OptionLine none = line("tag:subnet-s4,option:router");
        assertNull(none.value());
        assertTrue(none.suppresses());
        assertNull(line("tag:subnet-s4,option:dns-server").value());
        // option:router, is dnsmasq's "bad IP address": the line is dropped and suppresses nothing
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> line("tag:port-p,option:router,"));
        assertTrue(e.getMessage().startsWith("bad IP address"), e.getMessage());
        // a non-address option with a trailing comma is a zero-length value, sent when asked for
        assertEquals(Octets.EMPTY, line("tag:port-p,option:classless-static-route,").value());
        assertThrows(IllegalArgumentException.class, () -> line("option6:dns-server,"));
    }

    @Test
    void portLinesWithExtraTags() {
        OptionLine notIpxe = line("tag:port-p2,tag:!ipxe,67,undionly.kpxe");
        assertEquals(List.of(new TagMatch("port-p2", false), new TagMatch("ipxe", true)), notIpxe.tags());
        assertEquals(67, notIpxe.code());
        assertEquals(Octets.of("undionly.kpxe".getBytes(StandardCharsets.UTF_8)), notIpxe.value());
        assertEquals(notIpxe.value(), line("tag:port-p2,tag:!ipxe,option:bootfile-name,undionly.kpxe").value());
        OptionLine next = line("tag:port-p2,option:server-ip-address,10.0.0.10");
        assertEquals(OptionLine.NEXT_SERVER, next.code());
        assertEquals(hex("0a00000a"), next.value());
        assertFalse(line("tag:port-p2,option:server-ip-address,0.0.0.0").selfAddress(), "siaddr is literal");
        assertEquals(OptionLine.NEXT_SERVER, line("255,10.0.0.10").code());
        assertEquals(Octets.of("10.0.0.10".getBytes(StandardCharsets.UTF_8)), line("tag:port-p2,option:tftp-server,10.0.0.10").value());
        assertEquals(List.of(new TagMatch("x", false), new TagMatch("y", false)), line("net:x,set:y,option:mtu,1500").tags());
        assertEquals(List.of(new TagMatch("ipxe", true)), line("tag:#ipxe,option:mtu,1500").tags());
        assertEquals(List.of(new TagMatch("bare", false)), line("bare,option:mtu,1500").tags());
    }

    @Test
    void theUnspecifiedAddressMeansThisServer() {
        OptionLine self = line("option:ntp-server,0.0.0.0");
        assertTrue(self.selfAddress());
        assertEquals(hex("00000000"), self.value());
        assertTrue(line("option6:dns-server,[::]").selfAddress());
        assertFalse(line("option:ntp-server,10.0.0.1").selfAddress());
    }

    @Test
    void namesComeFromDnsmasqsTables() {
        // every name of `dnsmasq --help dhcp` (2.90) but sip-server resolves to its code
        String[] v4 = ("1 netmask 2 time-offset 3 router 6 dns-server 7 log-server 9 lpr-server 13 boot-file-size "
                + "15 domain-name 16 swap-server 17 root-path 18 extension-path 19 ip-forward-enable "
                + "20 non-local-source-routing 21 policy-filter 22 max-datagram-reassembly 23 default-ttl 26 mtu "
                + "27 all-subnets-local 31 router-discovery 32 router-solicitation 33 static-route "
                + "34 trailer-encapsulation 35 arp-timeout 36 ethernet-encap 37 tcp-ttl 38 tcp-keepalive 40 nis-domain "
                + "41 nis-server 42 ntp-server 44 netbios-ns 45 netbios-dd 46 netbios-nodetype 47 netbios-scope "
                + "48 x-windows-fs 49 x-windows-dm 58 T1 59 T2 60 vendor-class 64 nis+-domain 65 nis+-server "
                + "66 tftp-server 67 bootfile-name 68 mobile-ip-home 69 smtp-server 70 pop3-server 71 nntp-server "
                + "74 irc-server 77 user-class 80 rapid-commit 93 client-arch 94 client-interface-id "
                + "97 client-machine-id 100 posix-timezone 101 tzdb-timezone 108 ipv6-only 119 domain-search "
                + "121 classless-static-route 125 vendor-id-encap 150 tftp-server-address").split(" ");
        for (int i = 0; i < v4.length; i += 2) {
            OptionLine l = line("option:" + v4[i + 1]);
            assertEquals(Integer.parseInt(v4[i]), l.code(), v4[i + 1]);
        }
        String[] v6 = ("21 sip-server-domain 22 sip-server 23 dns-server 24 domain-search 27 nis-server 28 nis+-server "
                + "29 nis-domain 30 nis+-domain 31 sntp-server 32 information-refresh-time 41 posix-timezone "
                + "42 tzdb-timezone 56 ntp-server 59 bootfile-url 60 bootfile-param").split(" ");
        for (int i = 0; i < v6.length; i += 2) {
            assertEquals(Integer.parseInt(v6[i]), line("option6:" + v6[i + 1]).code(), v6[i + 1]);
        }
        assertEquals(99, line("option6:99,abc").code());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "option:224,01:02:03|01:02:03",
            "option:224,7|07",
            "option:224,1500|05:dc",
            "option:224,100000|00:01:86:a0",
            "option:224,7s|00:07",
            "option:224,7i|00:00:00:07",
            "option:224,10.0.0.1,10.0.0.2|0a:00:00:01:0a:00:00:02",
            "option:224,10.0.0.0/8,10.0.0.1|08:0a:0a:00:00:01",
            "option:224,hello|68:65:6c:6c:6f",
            "option:224,/boot/x|2f:62:6f:6f:74:2f:78",
            "option6:999,[fd00::1]|fd:00:00:00:00:00:00:00:00:00:00:00:00:00:00:01",
            "option6:999,1.2.3.4|31:2e:32:2e:33:2e:34",
            "option:mtu,05:dc|05:dc",
            "option:224,abc:de|ab:0c",
    })
    void unknownCodesAreEncodedAsDnsmasqGuesses(String text, String expected) {
        assertEquals(hex(expected), line(text).value());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "option:nonesuch,1|unknown DHCP option",
            "option6:nonesuch,1|unknown DHCPv6 option",
            "option:router,10.0.0|bad value",
            "option:mtu,99999|bad value",
            "option:256,1|option code",
            "tag:x|no option",
            "vendor:PXEClient,1,0.0.0.0|vendor",
            "option:sip-server,1.2.3.4|not supported",
            "tag:,option:mtu,1500|empty name",
            "option:server-ip-address,foo|bad IP address",
            "option:224,99999999999|number",
            "option:|no option name",
    })
    void badLinesAreRefusedWithAReason(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> line(text));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void overlongValuesAreRefusedAsDnsmasqRefusesThem() {
        String ok = "x".repeat(255);
        assertEquals(255, line("option:root-path," + ok).value().length());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> line("option:root-path,x" + ok));
        assertTrue(e.getMessage().startsWith("dhcp-option too long"), e.getMessage());
        assertEquals(300, line("option6:bootfile-url," + "y".repeat(300)).value().length());
    }

    @Test
    void fileOrderIsKeptAndErrorsNameTheLine() {
        String text = "tag:a,option:mtu,1400\n"
                + "tag:b,option:mtu,1500\n"
                + "tag:a,option:router,\n"
                + "tag:a,option:mtu,1400";      // Neutron writes no trailing newline
        OptsFile.Result r = OptsFile.parse("/confs/n/opts", text);
        assertEquals(List.of("b", "a"), r.lines().stream().map(OptionLine::indexTag).toList());
        assertEquals(1, r.errors().size());
        assertTrue(r.errors().get(0).toString().startsWith("/confs/n/opts:3: bad IP address"), r.errors().toString());
    }
}
