package io.leasehold.control;

import io.leasehold.model.AddressMode;
import io.leasehold.model.IpPrefix;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.option.Duid;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReservationOverlayTest {

    @TempDir
    Path dir;

    private static NetworkSnapshot base(Reservation... rs) {
        NetworkSnapshot.Builder b = NetworkSnapshot.builder("net1")
                .subnet(Subnet.of("s", IpPrefix.parse("10.0.0.0/24"), AddressMode.DHCPV4));
        for (Reservation r : rs) {
            b.reservation(r);
        }
        return b.build();
    }

    @Test
    void everyFieldSurvivesTheFileAndOnlyItsNetworkIsTouched() throws Exception {
        Reservation full = new Reservation("r1", 0xfa163e000001L, Octets.parseHex("01:fa:16:3e:00:00:01"),
                Duid.parse("00:03:00:01:fa:16:3e:00:00:01"), "host.example", List.of(IpAddresses.parse("10.0.0.7"),
                IpAddresses.parse("fd00::7")), Set.of("port-1"), Set.of("dhcpv6"), 3600);
        ReservationOverlay o = ReservationOverlay.open(dir);
        o.put("net1", full);
        NetworkSnapshot applied = ReservationOverlay.open(dir).apply(base());
        assertEquals(full, applied.reservation("r1"));
        NetworkSnapshot other = NetworkSnapshot.builder("net2").build();
        assertSame(other, ReservationOverlay.open(dir).apply(other));
    }

    @Test
    void aRemovalHidesTheConfiguredLineOnlyWhileItIsUnchanged() throws Exception {
        Reservation configured = Reservation.of("p", 0xfa163e000002L, "h", IpAddresses.parse("10.0.0.2"));
        ReservationOverlay o = ReservationOverlay.open(dir);
        o.remove("net1", configured);
        assertNull(o.apply(base(configured)).reservation("p"));
        Reservation edited = Reservation.of("p", 0xfa163e000002L, "h", IpAddresses.parse("10.0.0.3"));
        assertEquals(edited, o.apply(base(edited)).reservation("p"));
        // Put after remove: the put wins, and the removal is forgotten.
        o.put("net1", configured);
        assertEquals(configured, ReservationOverlay.open(dir).apply(base(configured)).reservation("p"));
        assertEquals(List.of("+p"), o.summary().get("net1"));
    }

    @Test
    void aFileThatIsNotAnOverlayIsRefusedNamingIt() throws Exception {
        Files.writeString(dir.resolve(ReservationOverlay.FILE_NAME), "{\"version\":7}");
        IOException e = assertThrows(IOException.class, () -> ReservationOverlay.open(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve(ReservationOverlay.FILE_NAME) + ": "), e.getMessage());
        Files.writeString(dir.resolve(ReservationOverlay.FILE_NAME),
                "{\"version\":1,\"networks\":{\"n\":{\"put\":[{\"id\":\"x\",\"mac\":\"zz\"}]}}}");
        IOException bad = assertThrows(IOException.class, () -> ReservationOverlay.open(dir));
        assertTrue(bad.getMessage().contains("malformed MAC address 'zz'"), bad.getMessage());
    }
}
