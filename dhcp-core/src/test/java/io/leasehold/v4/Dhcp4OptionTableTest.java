package io.leasehold.v4;

import io.leasehold.option.OptionDef;
import io.leasehold.option.OptionSpace;
import io.leasehold.testing.RandomOptionValues;
import io.leasehold.wire.MalformedPacketException;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

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

/** The DHCPv4 option table tests itself: every definition, every name, every value type. */
class Dhcp4OptionTableTest {

    static List<OptionDef<?>> defs() {
        return Dhcp4Options.TABLE.all();
    }

    @Test
    void codesAndNamesAreUnique() {
        Set<Integer> codes = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (OptionDef<?> d : defs()) {
            assertTrue(codes.add(d.code()), "duplicate code " + d.code());
            assertTrue(names.add(d.name().toLowerCase(Locale.ROOT)), "duplicate name " + d.name());
            for (String alias : d.aliases()) {
                assertTrue(names.add(alias.toLowerCase(Locale.ROOT)) || alias.equalsIgnoreCase(d.name()),
                        "alias " + alias + " of " + d.label() + " is taken");
            }
            assertEquals(OptionSpace.DHCP4, d.space());
            assertTrue(d.name().matches("[a-z0-9][a-z0-9-]*"), "canonical name style: " + d.name());
        }
    }

    @Test
    void coversRfc2132AndTheLaterOptionsTheIssueNames() {
        int[] required = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
            25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50,
            51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76,
            77, 80, 81, 82, 93, 94, 97, 119, 121, 124, 125, 150, 175, 209, 210, 249, 255};
        for (int code : required) {
            assertTrue(Dhcp4Options.TABLE.isKnown(code), "option " + code + " has a definition");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"router", "dns-server", "domain-search", "classless-static-route", "mtu", "T1", "T2",
        "tftp-server", "bootfile-name", "tftp-server-address", "ntp-server", "domain-name", "netmask", "client-id",
        "vendor-class", "user-class", "client-arch", "ip-forward-enable", "static-route", "T1", "t2", "121", "67"})
    void dnsmasqNamesNeutronWritesResolve(String name) {
        OptionDef<?> d = Dhcp4Options.TABLE.byName(name);
        assertNotNull(d, name);
        assertSame(d, Dhcp4Options.TABLE.byCode(d.code()));
    }

    @Test
    void namesResolveToTheRightCodes() {
        assertEquals(3, Dhcp4Options.TABLE.byName("router").code());
        assertEquals(6, Dhcp4Options.TABLE.byName("dns-server").code());
        assertEquals(26, Dhcp4Options.TABLE.byName("mtu").code());
        assertEquals(58, Dhcp4Options.TABLE.byName("T1").code());
        assertEquals(59, Dhcp4Options.TABLE.byName("T2").code());
        assertEquals(66, Dhcp4Options.TABLE.byName("tftp-server").code());
        assertEquals(67, Dhcp4Options.TABLE.byName("bootfile-name").code());
        assertEquals(150, Dhcp4Options.TABLE.byName("tftp-server-address").code());
        assertEquals(121, Dhcp4Options.TABLE.byName("classless-static-route").code());
        assertEquals(119, Dhcp4Options.TABLE.byName("domain-search").code());
        assertEquals("dns-server", Dhcp4Options.DOMAIN_NAME_SERVERS.dnsmasqName());
        assertNull(Dhcp4Options.TABLE.byName("no-such-option"));
        assertNull(Dhcp4Options.TABLE.byName("256"));
        // server-ip-address is the siaddr field, not an option: it must not shadow code 255.
        assertNull(Dhcp4Options.TABLE.byName(Dhcp4Options.SIADDR_PSEUDO_OPTION));
    }

    @Test
    void unknownCodesAreRawBytes() {
        OptionDef<?> d = Dhcp4Options.TABLE.byCode(99);
        assertTrue(d.isUnknown());
        assertEquals("option-99", d.name());
        assertEquals("01:02:ff", d.formatWire(Unpooled.wrappedBuffer(new byte[] {1, 2, (byte) 0xff})));
        assertSame(d, Dhcp4Options.TABLE.byName("99"));
    }

    static List<Object[]> defsAndSeeds() {
        long base = System.nanoTime();
        return defs().stream()
                .filter(d -> d.code() != 0 && d.code() != 255)
                .map(d -> new Object[] {d, base ^ d.code()})
                .toList();
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
        // Every prefix of a valid value either decodes or fails with the one exception.
        Random r = new Random(def.code());
        if (!RandomOptionValues.supports(def) || def.code() == 0 || def.code() == 255) {
            return;
        }
        byte[] wire = def.encode(RandomOptionValues.value(def, r));
        for (int n = 0; n < wire.length; n++) {
            byte[] prefix = java.util.Arrays.copyOf(wire, n);
            try {
                def.decode(prefix);
            } catch (MalformedPacketException expected) {
                assertTrue(expected.reason() == MalformedPacketException.Reason.BAD_OPTION_VALUE
                        || expected.reason() == MalformedPacketException.Reason.BAD_OVERLOAD, expected::toString);
                assertTrue(expected.getMessage().contains(def.label()), expected.getMessage());
            }
        }
    }

    @Test
    void textErrorsNameTheOptionAndTheText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dhcp4Options.ROUTERS.parse("10.0.0.300"));
        assertTrue(e.getMessage().contains("routers(3)"), e.getMessage());
        assertTrue(e.getMessage().contains("10.0.0.300"), e.getMessage());
    }
}
