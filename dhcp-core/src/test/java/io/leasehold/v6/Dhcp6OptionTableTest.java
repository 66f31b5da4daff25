package io.leasehold.v6;

import io.leasehold.option.OptionDef;
import io.leasehold.option.OptionSpace;
import io.leasehold.testing.RandomOptionValues;
import io.leasehold.testing.Seeds;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.MalformedPacketException;
import io.leasehold.wire.Octets;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The DHCPv6 option table tests itself: every definition, every name, every value type. */
class Dhcp6OptionTableTest {

    static {
        Dhcp6Fixtures.registerGenerators();
    }

    static List<OptionDef<?>> defs() {
        return Dhcp6Options.TABLE.all();
    }

    @Test
    void codesAndNamesAreUnique() {
        Set<Integer> codes = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (OptionDef<?> d : defs()) {
            assertTrue(codes.add(d.code()), "duplicate code " + d.code());
            assertTrue(names.add(d.name().toLowerCase(Locale.ROOT)), "duplicate name " + d.name());
            for (String alias : d.aliases()) {
                assertTrue(names.add(alias.toLowerCase(Locale.ROOT)), "alias " + alias + " of " + d.label() + " is taken");
            }
            assertEquals(OptionSpace.DHCP6, d.space());
            assertTrue(d.name().matches("[a-z0-9][a-z0-9-]*"), "canonical name style: " + d.name());
            assertTrue(d.reference().startsWith("RFC "), d.label() + " cites its RFC: " + d.reference());
            assertTrue(d.toString().startsWith("option6 "), d.toString());
        }
    }

    @Test
    void coversTheOptionsTheIssueNames() {
        int[] required = {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 23, 24, 25, 26, 31, 32,
            37, 38, 39, 56, 59, 60, 61, 62, 79, 82, 83};
        for (int code : required) {
            assertTrue(Dhcp6Options.TABLE.isKnown(code), "option " + code + " has a definition");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // Kea's canonical names.
        "client-id,1", "server-id,2", "ia-na,3", "ia-ta,4", "iaaddr,5", "oro,6", "preference,7", "elapsed-time,8",
        "relay-msg,9", "auth,11", "unicast,12", "status-code,13", "rapid-commit,14", "user-class,15",
        "vendor-class,16", "vendor-opts,17", "interface-id,18", "reconf-msg,19", "reconf-accept,20",
        "dns-servers,23", "domain-search,24", "ia-pd,25", "iaprefix,26", "sntp-servers,31",
        "information-refresh-time,32", "remote-id,37", "subscriber-id,38", "client-fqdn,39", "ntp-server,56",
        "bootfile-url,59", "bootfile-param,60", "client-arch-type,61", "nii,62", "client-linklayer-addr,79",
        "sol-max-rt,82", "inf-max-rt,83",
        // dnsmasq --help dhcp6, which Neutron writes as option6:NAME.
        "sip-server-domain,21", "sip-server,22", "dns-server,23", "domain-search,24", "nis-server,27",
        "nis+-server,28", "nis-domain,29", "nis+-domain,30", "sntp-server,31", "information-refresh-time,32",
        "posix-timezone,41", "tzdb-timezone,42", "ntp-server,56", "bootfile-url,59", "bootfile-param,60",
        // Neutron's OVN spelling, and numbers as names.
        "ia-addr,5", "23,23", "24,24", "DNS-Server,23", "65000,65000"})
    void namesResolve(String name, int code) {
        OptionDef<?> d = Dhcp6Options.TABLE.byName(name);
        assertNotNull(d, name);
        assertEquals(code, d.code());
        if (!d.isUnknown()) {
            assertSame(d, Dhcp6Options.TABLE.byCode(code));
        }
    }

    @Test
    void dnsmasqNamesComeFirst() {
        assertEquals("dns-server", Dhcp6Options.DNS_SERVERS.dnsmasqName());
        assertEquals("domain-search", Dhcp6Options.DOMAIN_SEARCH.dnsmasqName());
        assertEquals("sntp-server", Dhcp6Options.SNTP_SERVERS.dnsmasqName());
        assertEquals("bootfile-url", Dhcp6Options.BOOTFILE_URL.dnsmasqName());
        assertNull(Dhcp6Options.TABLE.byName("no-such-option"));
        assertNull(Dhcp6Options.TABLE.byName("65536"));
    }

    @Test
    void unknownCodesAreRawBytes() {
        OptionDef<?> d = Dhcp6Options.TABLE.byCode(4242);
        assertTrue(d.isUnknown());
        assertEquals("option-4242", d.name());
        assertEquals("01:02:ff", d.formatWire(Unpooled.wrappedBuffer(new byte[] {1, 2, (byte) 0xff})));
        assertTrue(Dhcp6Options.TABLE.byCode(10).isUnknown(), "10 is unassigned in DHCPv6");
    }

    @Test
    void ipv6TextAcceptsTheBracketsNeutronWrites() {
        assertEquals(List.of(IpAddresses.parseIpv6("fd00:77:1::53"), IpAddresses.parseIpv6("fd00::1")),
                Dhcp6Options.DNS_SERVERS.parse("[fd00:77:1::53],[fd00::1]"));
        assertEquals("fd00:77:1::53", Dhcp6Options.DNS_SERVERS.format(Dhcp6Options.DNS_SERVERS.parse("[fd00:77:1::53]")));
        assertEquals(List.of("openstacklocal", "lab.example"), Dhcp6Options.DOMAIN_SEARCH.parse("openstacklocal,lab.example"));
        assertEquals(List.of(NtpServer.server(IpAddresses.parseIpv6("fd00::123")),
                NtpServer.multicast(IpAddresses.parseIpv6("ff05::101")), NtpServer.fqdn("ntp.example.org")),
                Dhcp6Options.NTP_SERVER.parse("[fd00::123],ff05::101,ntp.example.org"));
    }

    @Test
    void theDomainListIsNeverCompressed() {
        // RFC 8415 §10: "domain names MUST NOT be stored in compressed form".
        byte[] wire = Dhcp6Options.DOMAIN_SEARCH.encode(List.of("a.example", "b.example"));
        assertEquals("01:61:07:65:78:61:6d:70:6c:65:00:01:62:07:65:78:61:6d:70:6c:65:00", Octets.of(wire).toHex());
        byte[] compressed = Dhcp6Fixtures.hex("0161076578616d706c650001 62c002".replace(" ", ""));
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> Dhcp6Options.DOMAIN_SEARCH.decode(compressed));
        assertTrue(e.getMessage().contains("domain-search(24)"), e.getMessage());
    }

    @Test
    void textFormsReadAsDocumented() {
        assertEquals(new StatusCode(StatusCode.NO_ADDRS_AVAIL, "no addresses, sorry"),
                Dhcp6Options.STATUS_CODE.parse("NoAddrsAvail,no addresses, sorry"));
        assertEquals("Success", Dhcp6Options.STATUS_CODE.format(StatusCode.of(0)));
        assertEquals(new Fqdn6(Fqdn6.FLAG_S, "vm-dhcpcd", false), Dhcp6Options.CLIENT_FQDN.parse("0x1,vm-dhcpcd"));
        assertEquals(new Fqdn6(0, "", true), Dhcp6Options.CLIENT_FQDN.parse("0,."));
        assertEquals("0x3e000011,3600s,5400s", Dhcp6Options.IA_NA.format(new IaNa(0x3e000011L, 3600, 5400, List.of())));
        IaNa withAddress = IaNa.of(1, 60, 105, List.of(new IaAddress(IpAddresses.parseIpv6("fd00:77:1::14"), 120, 120)),
                StatusCode.of(0));
        assertEquals(withAddress, Dhcp6Options.IA_NA.parse(Dhcp6Options.IA_NA.format(withAddress)));
        assertEquals(List.of(new IaAddress(IpAddresses.parseIpv6("fd00:77:1::14"), 120, 120)), withAddress.addresses());
        assertEquals(StatusCode.of(0), withAddress.status());
        assertEquals("fd00:1::/56,infinite,3600s",
                Dhcp6Options.IAPREFIX.format(new IaPrefix(0xffffffffL, 3600, 56, IpAddresses.parseIpv6("fd00:1::"))));
        assertEquals(Dhcp6MessageType.RENEW.code(), Dhcp6Options.RECONF_MSG.parse("renew"));
        assertEquals(Dhcp6MessageType.INFORMATION_REQUEST.code(), Dhcp6Options.RECONF_MSG.parse("information-request"));
        assertEquals("1,fa:16:3e:00:00:11", Dhcp6Options.CLIENT_LINKLAYER_ADDR.format(
                new LinkLayerAddress(1, Octets.parseHex("fa:16:3e:00:00:11"))));
        assertEquals(0xfa163e000011L, new LinkLayerAddress(1, Octets.parseHex("fa:16:3e:00:00:11")).macAddress());
    }

    static List<Object[]> defsAndSeeds() {
        return defs().stream().map(d -> new Object[] {d, Seeds.BASE ^ d.code()}).toList();
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("defsAndSeeds")
    <T> void everyValueTypeRoundTripsOnTheWireAndAsText(OptionDef<T> def, long seed) {
        assertTrue(RandomOptionValues.supports(def), "a generator for " + def.codec().type());
        Random r = new Random(seed);
        for (int i = 0; i < 200; i++) {
            T value = RandomOptionValues.value(def, r);
            String where = def + " seed=" + seed + " value=" + value;
            try {
                byte[] wire = def.encode(value);
                assertEquals(value, def.decode(wire), "wire round trip " + where);
                String text = def.format(value);
                assertEquals(value, def.parse(text), "text round trip of '" + text + "' " + where);
            } catch (RuntimeException e) {
                fail(where, e);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defs")
    <T> void aTruncatedValueCostsOnlyThatOption(OptionDef<T> def) {
        // Every prefix of a valid value either decodes or fails with the one exception, naming the option.
        Random r = new Random(def.code());
        for (int round = 0; round < 20; round++) {
            byte[] wire = def.encode(RandomOptionValues.value(def, r));
            for (int n = 0; n < wire.length; n++) {
                byte[] prefix = Arrays.copyOf(wire, n);
                try {
                    def.decode(prefix);
                } catch (MalformedPacketException expected) {
                    assertEquals(MalformedPacketException.Reason.BAD_OPTION_VALUE, expected.reason(), expected::toString);
                    assertTrue(expected.getMessage().contains(def.label()), expected.getMessage());
                }
            }
        }
    }

    @Test
    void textErrorsNameTheOptionAndTheText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dhcp6Options.DNS_SERVERS.parse("fd00::1,fd00:::2"));
        assertTrue(e.getMessage().contains("dns-servers(23)"), e.getMessage());
        assertTrue(e.getMessage().contains("fd00:::2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dhcp6Options.IAPREFIX.parse("fd00::/129,1,1"));
        assertTrue(e.getMessage().contains("prefix length: 129 (expected: 0..128)"), e.getMessage());
    }
}
