package io.leasehold.option;

import io.leasehold.v4.Dhcp4Options;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.MalformedPacketException;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-codec examples: the wire bytes and text the RFCs and dnsmasq give, and the short or lying
 * inputs each must refuse with the one exception.
 */
class OptionCodecsTest {

    private static byte[] hex(String s) {
        return ByteBufUtil.decodeHexDump(s.replace(" ", ""));
    }

    private static String hex(byte[] b) {
        return ByteBufUtil.hexDump(b);
    }

    @Test
    void classlessRoutesUseTheRfc3442Examples() {
        // RFC 3442 §2: subnet number compaction, one example per destination width.
        String text = "0.0.0.0/0,10.0.0.1,10.0.0.0/8,10.0.0.1,10.17.0.0/16,10.0.0.1,10.27.129.0/24,10.0.0.1,"
                + "10.229.0.128/25,10.0.0.1,10.198.122.47/32,10.0.0.1";
        List<ClasslessRoute> routes = Dhcp4Options.CLASSLESS_STATIC_ROUTE.parse(text);
        assertEquals("00 0a000001 08 0a 0a000001 10 0a11 0a000001 18 0a1b81 0a000001 19 0ae50080 0a000001 20 0ac67a2f 0a000001"
                .replace(" ", ""), hex(Dhcp4Options.CLASSLESS_STATIC_ROUTE.encode(routes)));
        assertEquals(text, Dhcp4Options.CLASSLESS_STATIC_ROUTE.format(routes));
        // dnsmasq reads a bare destination as a host route.
        assertEquals(32, ClasslessRoute.parseList("169.254.169.254,10.0.0.2").get(0).prefixLength());
    }

    @Test
    void classlessRoutesRefuseLiesAndHostBits() {
        assertThrows(MalformedPacketException.class, () -> Dhcp4Options.CLASSLESS_STATIC_ROUTE.decode(hex("21 0a000000 0a000001")));
        assertThrows(MalformedPacketException.class, () -> Dhcp4Options.CLASSLESS_STATIC_ROUTE.decode(hex("18 0a1b81 0a0000")));
        assertThrows(MalformedPacketException.class, () -> Dhcp4Options.CLASSLESS_STATIC_ROUTE.decode(hex("08 0a01 0a000001")));
        assertThrows(MalformedPacketException.class, () -> Dhcp4Options.CLASSLESS_STATIC_ROUTE.decode(new byte[0]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dhcp4Options.CLASSLESS_STATIC_ROUTE.parse("10.0.0.5/24,10.0.0.1"));
        assertTrue(e.getMessage().contains("beyond its prefix"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dhcp4Options.CLASSLESS_STATIC_ROUTE.parse("10.0.0.0/24"));
    }

    @Test
    void domainSearchIsCompressedAsInRfc3397() {
        // RFC 3397 §3: "eng.apple.com." and "marketing.apple.com." share "apple.com.".
        List<String> names = List.of("eng.apple.com", "marketing.apple.com");
        String wire = "03656e67 056170706c65 03636f6d 00 096d61726b6574696e67 c004".replace(" ", "");
        assertEquals(wire, hex(Dhcp4Options.DOMAIN_SEARCH.encode(names)));
        assertEquals(names, Dhcp4Options.DOMAIN_SEARCH.decode(hex(wire)));
        assertEquals("eng.apple.com,marketing.apple.com", Dhcp4Options.DOMAIN_SEARCH.format(names));
        assertEquals(names, Dhcp4Options.DOMAIN_SEARCH.parse("eng.apple.com., marketing.apple.com"));
    }

    @Test
    void domainSearchRefusesPointerLoopsAndForwardPointers() {
        assertThrows(MalformedPacketException.class, () -> Dhcp4Options.DOMAIN_SEARCH.decode(hex("c000")));
        assertThrows(MalformedPacketException.class, () -> Dhcp4Options.DOMAIN_SEARCH.decode(hex("01 61 c000")));
        assertThrows(MalformedPacketException.class, () -> Dhcp4Options.DOMAIN_SEARCH.decode(hex("c002 0161 00")));
        assertThrows(MalformedPacketException.class, () -> Dhcp4Options.DOMAIN_SEARCH.decode(hex("03 6162")));
        assertThrows(MalformedPacketException.class, () -> Dhcp4Options.DOMAIN_SEARCH.decode(hex("0161")));
        assertThrows(MalformedPacketException.class, () -> Dhcp4Options.DOMAIN_SEARCH.decode(hex("41 61 00")));
        // Uncompressed lists refuse pointers altogether (RFC 8415 §10).
        assertThrows(MalformedPacketException.class, () -> DomainNames.SEARCH_LIST.decode(
                io.netty.buffer.Unpooled.wrappedBuffer(hex("0161 00 0162 c000"))));
    }

    @Test
    void domainNamesOverTheLimitsAreRefused() {
        String label64 = "a".repeat(64);
        assertThrows(IllegalArgumentException.class, () -> DomainNames.parseLabels(label64 + ".com"));
        String long256 = ("a".repeat(63) + ".").repeat(4) + "abc";
        assertThrows(IllegalArgumentException.class, () -> DomainNames.parseLabels(long256));
        assertThrows(IllegalArgumentException.class, () -> DomainNames.parseLabels("a..b"));
    }

    @Test
    void domainNameLabelsWithOddBytesRoundTripThroughEscapes() {
        byte[] wire = hex("03 612e62 02 2c20 00");   // labels "a.b" and ", "
        List<String> v = Dhcp4Options.DOMAIN_SEARCH.decode(wire);
        assertEquals(List.of("a\\046b.\\044\\032"), v);
        assertEquals(hex(wire), hex(Dhcp4Options.DOMAIN_SEARCH.encode(Dhcp4Options.DOMAIN_SEARCH.parse(v.get(0)))));
    }

    @Test
    void relayAgentInformationKeepsItsSubOptionsInOrder() {
        List<SubOption> v = Dhcp4Options.RELAY_AGENT_INFORMATION.decode(hex("01 04 65746830 02 06 00163eaabbcc"));
        assertEquals(2, v.size());
        assertEquals("eth0", new String(v.get(0).data().toByteArray(), StandardCharsets.US_ASCII));
        assertEquals("1=65:74:68:30,2=00:16:3e:aa:bb:cc", Dhcp4Options.RELAY_AGENT_INFORMATION.format(v));
        assertEquals(2, SubOption.find(v, 2).code());
        assertNull(SubOption.find(v, 5));
        assertThrows(MalformedPacketException.class, () -> Dhcp4Options.RELAY_AGENT_INFORMATION.decode(hex("01 05 65746830")));
        assertThrows(MalformedPacketException.class, () -> Dhcp4Options.RELAY_AGENT_INFORMATION.decode(hex("01")));
    }

    @Test
    void clientIdentifierReadsRfc4361FromDhcpcd() {
        ClientId id = Dhcp4Options.CLIENT_IDENTIFIER.decode(hex("ff3e000013000100013295129efa163e000013"));
        assertTrue(id.isRfc4361());
        assertEquals(0x3e000013L, id.iaid());
        assertEquals(Duid.TYPE_LLT, id.duid().type());
        assertEquals("fa:16:3e:00:00:13", id.duid().linkLayerAddress().toHex());
        assertNull(id.hardwareAddress());
        ClientId mac = ClientId.parse("01:fa:16:3e:00:00:12");
        assertEquals("fa:16:3e:00:00:12", mac.hardwareAddress().toHex());
        assertFalse(mac.isRfc4361());
        assertEquals(id, ClientId.rfc4361(0x3e000013L, id.duid()));
        assertThrows(MalformedPacketException.class, () -> Dhcp4Options.CLIENT_IDENTIFIER.decode(new byte[0]));
    }

    @Test
    void userClassAcceptsIpxesBareString() {
        UserClass ipxe = Dhcp4Options.USER_CLASS.decode("iPXE".getBytes(StandardCharsets.US_ASCII));
        assertFalse(ipxe.rfc3004());
        assertTrue(ipxe.contains("iPXE"));
        assertEquals("raw:iPXE", Dhcp4Options.USER_CLASS.format(ipxe));
        assertEquals("iPXE", new String(Dhcp4Options.USER_CLASS.encode(ipxe), StandardCharsets.US_ASCII));
        UserClass rfc = Dhcp4Options.USER_CLASS.decode(hex("04 69505845 03 666f6f"));
        assertTrue(rfc.rfc3004());
        assertEquals(List.of(Octets.of("iPXE".getBytes(StandardCharsets.US_ASCII)), Octets.of("foo".getBytes(StandardCharsets.US_ASCII))),
                rfc.items());
        assertEquals("iPXE,foo", Dhcp4Options.USER_CLASS.format(rfc));
    }

    @Test
    void clientFqdnReadsBothEncodings() {
        ClientFqdn wire = Dhcp4Options.CLIENT_FQDN.decode(hex("05 00 00 02766d 07 6578616d706c65 00"));
        assertEquals(new ClientFqdn(0x05, 0, 0, "vm.example", true), wire);
        assertEquals("0x5,0,0,vm.example.", Dhcp4Options.CLIENT_FQDN.format(wire));
        ClientFqdn partial = Dhcp4Options.CLIENT_FQDN.decode(hex("04 00 00 02766d"));
        assertFalse(partial.absolute());
        ClientFqdn ascii = Dhcp4Options.CLIENT_FQDN.decode(hex("01 ff ff 766d2e6578"));
        assertEquals("vm.ex", ascii.name());
        assertThrows(MalformedPacketException.class, () -> Dhcp4Options.CLIENT_FQDN.decode(hex("05 00")));
    }

    @Test
    void timesReadTheWayDnsmasqWritesThem() {
        assertEquals(86400L, Dhcp4Options.LEASE_TIME.parse("86400s"));
        assertEquals(600L, Dhcp4Options.RENEWAL_TIME.parse("10m"));
        assertEquals(7200L, Dhcp4Options.REBINDING_TIME.parse("2h"));
        assertEquals(0xffffffffL, Dhcp4Options.LEASE_TIME.parse("infinite"));
        assertEquals("infinite", Dhcp4Options.LEASE_TIME.format(0xffffffffL));
        assertEquals("10s", Dhcp4Options.RENEWAL_TIME.format(10L));
        assertThrows(IllegalArgumentException.class, () -> Dhcp4Options.LEASE_TIME.parse("-5"));
        assertThrows(IllegalArgumentException.class, () -> Dhcp4Options.LEASE_TIME.parse("5000000000"));
    }

    @Test
    void addressListsReadNeutronsValues() {
        assertEquals(List.of(IpAddresses.parseIpv4("10.77.0.3"), IpAddresses.parseIpv4("10.77.0.4")),
                Dhcp4Options.DOMAIN_NAME_SERVERS.parse("10.77.0.3,10.77.0.4"));
        assertThrows(MalformedPacketException.class, () -> Dhcp4Options.ROUTERS.decode(hex("0a0000")));
        assertThrows(MalformedPacketException.class, () -> Dhcp4Options.ROUTERS.decode(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Dhcp4Options.ROUTERS.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Dhcp4Options.ROUTERS.parse("example.com"));
        // Empty is legal for option 68 (RFC 2132 §8.13).
        assertEquals(List.of(), Dhcp4Options.MOBILE_IP_HOME_AGENT.decode(new byte[0]));
    }

    @Test
    void duidsOfEveryLengthAreReadOrRefused() {
        for (int n = 0; n <= 260; n++) {
            byte[] b = new byte[n];
            if (n >= Duid.MIN_LENGTH && n <= Duid.MAX_LENGTH) {
                assertEquals(n, Duid.CODEC.decode(io.netty.buffer.Unpooled.wrappedBuffer(b)).bytes().length());
            } else {
                int len = n;
                assertThrows(MalformedPacketException.class,
                        () -> Duid.CODEC.decode(io.netty.buffer.Unpooled.wrappedBuffer(new byte[len])));
            }
        }
        Duid llt = Duid.parse("00:01:00:01:32:95:12:82:fa:16:3e:00:00:02");
        assertEquals(Duid.TYPE_LLT, llt.type());
        assertEquals(1, llt.hardwareType());
        assertEquals(0x32951282L, llt.time());
        assertEquals("fa:16:3e:00:00:02", llt.linkLayerAddress().toHex());
        assertEquals(Duid.TYPE_UUID, Duid.uuid(java.util.UUID.randomUUID()).type());
    }

    @Test
    void octetsParseTheFormsPeoplePaste() {
        assertEquals("01:02:ff", Octets.parseHex("1:2:ff").toHex());
        assertEquals("01:02:ff", Octets.parseHex("0102FF").toHex());
        assertEquals("01:02:ff", Octets.parseHex("01-02-ff").toHex());
        assertThrows(IllegalArgumentException.class, () -> Octets.parseHex("010"));
        assertThrows(IllegalArgumentException.class, () -> Octets.parseHex("zz"));
        assertThrows(IllegalArgumentException.class, () -> Octets.parseHex("01::02"));
    }
}
