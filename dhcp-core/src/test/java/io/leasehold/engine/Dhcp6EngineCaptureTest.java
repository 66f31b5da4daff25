package io.leasehold.engine;

import io.leasehold.lease.LeaseChange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays what dhclient -6, udhcpc6, dhcpcd and dhcp6c sent to dnsmasq through the engine, in the
 * capture run's order, and checks every answer against dnsmasq's: message type, option codes in
 * order, and option bytes.
 *
 * <p>Deliberate differences, not compared: the T1/T2 of renewals (dnsmasq subtracts a random fuzz)
 * and answers to a client whose IAID changed (udhcpc6's retransmitted Solicits), which dnsmasq
 * refuses as "address in use" only once a lease exists under the old IAID.
 */
class Dhcp6EngineCaptureTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dhclient", "udhcpc6", "dhcpcd", "dhcp6c"})
    void answersEveryCapturedMessageAsDnsmasqDid(String client) {
        Dhcp6Harness h = Dhcp6Harness.neutron();
        int compared = 0;
        for (String scenario : List.of("acquire", "renew", "reboot", "release")) {
            compared += replay(h, client + "-v6-" + scenario + ".pcap", scenario.equals("renew"));
        }
        assertTrue(compared >= 4, "compared " + compared + " replies");
        assertEquals(0, h.leases.size6(), "released: " + h.leases);
        assertEquals(LeaseChange.Kind.DELETE6, h.journal.get(h.journal.size() - 1).kind());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dhclient", "udhcpc6", "dhcpcd", "dhcp6c"})
    void answersStatelessClientsAsDnsmasqDid(String client) {
        Dhcp6Harness h = Dhcp6Harness.stateless();
        assertEquals(1, replay(h, client + "-v6-stateless.pcap", false));
        assertTrue(h.journal.isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udhcpc6-v6-unknown-mac.pcap"})
    void advertisesNoAddrsAvailToAnUnknownMac(String file) {
        Dhcp6Harness h = Dhcp6Harness.neutron();
        assertEquals(5, replay(h, file, false));
        assertEquals(0, h.leases.size());
    }

    private static int replay(Dhcp6Harness h, String file, boolean renewal) {
        return CaptureReplay.replay6(h, file, renewal);
    }
}
