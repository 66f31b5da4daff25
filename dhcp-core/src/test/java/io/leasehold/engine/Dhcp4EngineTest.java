package io.leasehold.engine;

import io.leasehold.engine.Dhcp4Decision.Outcome;
import io.leasehold.engine.Dhcp4Decision.Routing;
import io.leasehold.engine.Dhcp4Harness.Exchange;
import io.leasehold.lease.Lease4;
import io.leasehold.lease.LeaseChange;
import io.leasehold.lease.LeaseState;
import io.leasehold.lease.LeaseTable;
import io.leasehold.model.AddressMode;
import io.leasehold.model.AddressRange;
import io.leasehold.model.IpPrefix;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.OptionLine;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.model.TagMatch;
import io.leasehold.option.OptionSpace;
import io.leasehold.option.SubOption;
import io.leasehold.v4.Dhcp4Message;
import io.leasehold.v4.Dhcp4MessageType;
import io.leasehold.v4.Dhcp4Options;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static io.leasehold.engine.NeutronNetwork.DHCLIENT;
import static io.leasehold.engine.NeutronNetwork.GATEWAY;
import static io.leasehold.engine.NeutronNetwork.PXE_NODE;
import static io.leasehold.engine.NeutronNetwork.SERVER;
import static io.leasehold.engine.NeutronNetwork.UNKNOWN;
import static io.leasehold.engine.NeutronNetwork.ip;
import static io.leasehold.v4.Dhcp4MessageType.ACK;
import static io.leasehold.v4.Dhcp4MessageType.DECLINE;
import static io.leasehold.v4.Dhcp4MessageType.DISCOVER;
import static io.leasehold.v4.Dhcp4MessageType.INFORM;
import static io.leasehold.v4.Dhcp4MessageType.NAK;
import static io.leasehold.v4.Dhcp4MessageType.OFFER;
import static io.leasehold.v4.Dhcp4MessageType.RELEASE;
import static io.leasehold.v4.Dhcp4MessageType.REQUEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every DHCPv4 message and client state against the engine, on Neutron-shaped data
 * ({@link NeutronNetwork}), with an in-process client and a clock the test moves.
 */
class Dhcp4EngineTest {

    private static final int DHCLIENT_IP = ip("10.77.0.11");
    private static final int PXE_IP = ip("10.77.0.21");
    private static final int[] DHCLIENT_PRL = {1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42};

    private final Dhcp4Harness h = Dhcp4Harness.neutron();

    private Exchange bind(long mac, int address) {
        Exchange offer = h.request(DISCOVER, mac).prl(DHCLIENT_PRL).send();
        assertEquals(OFFER.code(), offer.type(), offer.decision().toString());
        assertEquals(address, offer.reply().yiaddr());
        Exchange ack = h.request(REQUEST, mac).requested(address).serverId(SERVER).prl(DHCLIENT_PRL).send();
        assertEquals(ACK.code(), ack.type(), ack.decision().toString());
        return ack;
    }

    // ---- the happy path and its journal ---------------------------------------------------------

    @Test
    void aReservedClientGetsItsAddressAndOnlyTheAckIsJournaled() {
        Exchange offer = h.request(DISCOVER, DHCLIENT).prl(DHCLIENT_PRL).send();
        assertEquals(Outcome.OFFER, offer.decision().outcome());
        assertTrue(offer.decision().changes().isEmpty(), "an offer grants nothing durable");
        assertEquals(Routing.YIADDR, offer.decision().routing());
        assertEquals(DHCLIENT_IP, offer.decision().destination());

        Exchange ack = h.request(REQUEST, DHCLIENT).requested(DHCLIENT_IP).serverId(SERVER).prl(DHCLIENT_PRL).send();
        assertEquals(Outcome.ACK, ack.decision().outcome());
        assertEquals(List.of(LeaseChange.Kind.PUT4), ack.decision().changes().stream().map(LeaseChange::kind).toList());
        Lease4 lease = ack.decision().changes().get(0).lease4();
        assertEquals(LeaseState.BOUND, lease.state());
        assertEquals(h.now + 86400, lease.expiresAt());
        assertEquals("host-10-77-0-11", lease.hostname());
        assertEquals(lease, h.leases.v4(DHCLIENT_IP));
        assertEquals("host-10-77-0-11", ack.option(Dhcp4Options.HOST_NAME));
        assertEquals("openstacklocal", ack.option(Dhcp4Options.DOMAIN_NAME));
        assertEquals(86400L, (long) ack.option(Dhcp4Options.LEASE_TIME));
        assertEquals(10L, (long) ack.option(Dhcp4Options.RENEWAL_TIME), "forced T1 from the command line");
        assertEquals(75600L, (long) ack.option(Dhcp4Options.REBINDING_TIME), "7/8 of the lease");
        assertEquals(SERVER, ack.reply().siaddr(), "next server is this server");
    }

    // ---- REQUEST in every state ------------------------------------------------------------------

    @Test
    void selectingAnotherServersOfferIsSilentUnlessAuthoritative() {
        Exchange e = h.request(REQUEST, DHCLIENT).requested(DHCLIENT_IP).serverId(ip("10.77.0.99")).send();
        assertEquals(Outcome.IGNORED_OTHER_SERVER, e.decision().outcome());
        assertFalse(e.replied());

        h.network = h.network.withSettings(h.network.settings().withAuthoritative(true));
        Exchange nak = h.request(REQUEST, DHCLIENT).requested(DHCLIENT_IP).serverId(ip("10.77.0.99")).send();
        assertEquals(NAK.code(), nak.type());
        assertEquals("wrong server-ID", nak.option(Dhcp4Options.MESSAGE));
    }

    @Test
    void selectingAnotherServerForgetsTheHeldOffer() {
        h.network = pooled(h.network);
        Exchange offer = h.request(DISCOVER, UNKNOWN).send();
        int offered = offer.reply().yiaddr();
        assertEquals(LeaseState.OFFERED, h.leases.v4(offered).state());
        h.request(REQUEST, UNKNOWN).requested(offered).serverId(ip("10.77.0.99")).send();
        assertNull(h.leases.v4(offered), "the held address is free again");
    }

    @Test
    void initRebootWithoutALeaseIsSilentButAWrongAddressIsNaked() {
        Exchange silent = h.request(REQUEST, DHCLIENT).requested(DHCLIENT_IP).send();
        assertEquals(Outcome.IGNORED_NO_LEASE, silent.decision().outcome());

        bind(DHCLIENT, DHCLIENT_IP);
        Exchange ok = h.request(REQUEST, DHCLIENT).requested(DHCLIENT_IP).send();
        assertEquals(ACK.code(), ok.type());
        Exchange wrong = h.request(REQUEST, DHCLIENT).requested(ip("10.77.0.50")).send();
        assertEquals(NAK.code(), wrong.type());
        assertEquals("wrong address", wrong.option(Dhcp4Options.MESSAGE));
        assertEquals(Routing.BROADCAST, wrong.decision().routing());
        assertTrue(wrong.reply().broadcast());
        assertEquals(List.of(53, 54, 56), wrong.optionCodes(), "a NAK carries type, server id and a message");
        assertEquals(0, wrong.reply().yiaddr());
    }

    @Test
    void authoritativeInitRebootAcksTheReservedAddressAndNaksAnotherOne() {
        h.network = h.network.withSettings(h.network.settings().withAuthoritative(true));
        Exchange nak = h.request(REQUEST, DHCLIENT).requested(ip("10.77.0.50")).send();
        assertEquals("address not available", nak.option(Dhcp4Options.MESSAGE));
        Exchange otherNet = h.request(REQUEST, DHCLIENT).requested(ip("192.168.9.9")).send();
        assertEquals("wrong network", otherNet.option(Dhcp4Options.MESSAGE));
        assertEquals(ACK.code(), h.request(REQUEST, DHCLIENT).requested(DHCLIENT_IP).send().type());
    }

    @Test
    void renewingAndRebindingExtendTheLease() {
        bind(DHCLIENT, DHCLIENT_IP);
        h.now += 10;
        Exchange renew = h.request(REQUEST, DHCLIENT).ciaddr(DHCLIENT_IP).prl(DHCLIENT_PRL).sendUnicast();
        assertEquals(ACK.code(), renew.type());
        assertEquals(Routing.CIADDR, renew.decision().routing());
        assertEquals(DHCLIENT_IP, renew.reply().ciaddr(), "a renewal's ACK keeps ciaddr");
        assertEquals(h.now + 86400, h.leases.v4(DHCLIENT_IP).expiresAt());

        h.now += 70000;
        Exchange rebind = h.request(REQUEST, DHCLIENT).ciaddr(DHCLIENT_IP).send();
        assertEquals(ACK.code(), rebind.type());
        assertEquals(h.now + 86400, h.leases.v4(DHCLIENT_IP).expiresAt());
    }

    @Test
    void aRenewalWithoutALeaseIsNakedWhenUnicastAndIgnoredWhenBroadcast() {
        Exchange renew = h.request(REQUEST, DHCLIENT).ciaddr(DHCLIENT_IP).sendUnicast();
        assertEquals(NAK.code(), renew.type());
        assertEquals("lease not found", renew.option(Dhcp4Options.MESSAGE));
        Exchange rebind = h.request(REQUEST, DHCLIENT).ciaddr(DHCLIENT_IP).send();
        assertEquals(Outcome.IGNORED_NO_LEASE, rebind.decision().outcome());
    }

    @Test
    void aClientWhoseReservationMovedIsToldToStartOver() {
        bind(DHCLIENT, DHCLIENT_IP);
        // Neutron gave the port a new address; the client still renews the old one.
        h.network = h.network.withReservation(Reservation.of("dhclient-v4", DHCLIENT, "host-10-77-0-31.openstacklocal",
                NeutronNetwork.addr("10.77.0.31")));
        Exchange renew = h.request(REQUEST, DHCLIENT).ciaddr(DHCLIENT_IP).sendUnicast();
        assertEquals(NAK.code(), renew.type());
        assertEquals("address not available", renew.option(Dhcp4Options.MESSAGE));
        assertEquals(ip("10.77.0.31"), h.request(DISCOVER, DHCLIENT).send().reply().yiaddr());
    }

    @Test
    void theSeededLeaseOfNeutronIsFoundByMacAndThenKeepsTheClientId() {
        // Neutron's seed line "<exp> <mac> <ip> * *": no client id, no name.
        h.leases.put(new Lease4(DHCLIENT_IP, DHCLIENT, null, null, h.now + 86400, LeaseState.BOUND));
        Octets clientId = Octets.parseHex("01:fa:16:3e:00:00:11");
        Exchange reboot = h.request(REQUEST, DHCLIENT).requested(DHCLIENT_IP)
                .raw(Dhcp4Options.CLIENT_IDENTIFIER.code(), clientId).send();
        assertEquals(ACK.code(), reboot.type());
        assertEquals(clientId, h.leases.v4(DHCLIENT_IP).clientId());
    }

    // ---- DECLINE, RELEASE, INFORM --------------------------------------------------------------------

    @Test
    void aDeclinedAddressIsQuarantinedForTenMinutes() {
        bind(DHCLIENT, DHCLIENT_IP);
        Exchange decline = h.request(DECLINE, DHCLIENT).requested(DHCLIENT_IP).serverId(SERVER).send();
        assertEquals(Outcome.DECLINED, decline.decision().outcome());
        assertFalse(decline.replied());
        assertEquals(LeaseState.DECLINED, h.leases.v4(DHCLIENT_IP).state());
        assertEquals(LeaseState.DECLINED, decline.decision().changes().get(0).lease4().state());

        Exchange discover = h.request(DISCOVER, DHCLIENT).send();
        assertEquals(Outcome.IGNORED_NO_ADDRESS, discover.decision().outcome());
        assertEquals("previously declined", discover.decision().detail());

        h.now += Dhcp4Engine.DECLINE_QUARANTINE_SECONDS;
        assertEquals(OFFER.code(), h.request(DISCOVER, DHCLIENT).send().type());
    }

    @Test
    void aDeclineForAnotherServerChangesNothing() {
        bind(DHCLIENT, DHCLIENT_IP);
        Exchange e = h.request(DECLINE, DHCLIENT).requested(DHCLIENT_IP).serverId(ip("10.77.0.99")).send();
        assertEquals(Outcome.IGNORED_NOT_FOR_US, e.decision().outcome());
        assertEquals(LeaseState.BOUND, h.leases.v4(DHCLIENT_IP).state());
    }

    @Test
    void releaseEndsTheLeaseOnceAndIsNeverAnswered() {
        bind(DHCLIENT, DHCLIENT_IP);
        Exchange wrongServer = h.request(RELEASE, DHCLIENT).ciaddr(DHCLIENT_IP).serverId(ip("10.77.0.99")).send();
        assertEquals(Outcome.IGNORED_NOT_FOR_US, wrongServer.decision().outcome());

        // dhcp_release: ciaddr, chaddr, our server id, and a client id mangled to 00.
        Exchange release = h.request(RELEASE, DHCLIENT).ciaddr(DHCLIENT_IP).serverId(SERVER)
                .raw(Dhcp4Options.CLIENT_IDENTIFIER.code(), Octets.parseHex("00")).sendUnicast();
        assertEquals(Outcome.RELEASED, release.decision().outcome());
        assertFalse(release.replied());
        assertNull(h.leases.v4(DHCLIENT_IP));
        assertEquals(LeaseChange.Kind.DELETE4, release.decision().changes().get(0).kind());

        Exchange again = h.request(RELEASE, DHCLIENT).ciaddr(DHCLIENT_IP).serverId(SERVER).send();
        assertEquals(Outcome.IGNORED_UNKNOWN_LEASE, again.decision().outcome());
    }

    @Test
    void informGetsOptionsButNoLeaseEvenFromAnUnknownClient() {
        Exchange e = h.request(INFORM, UNKNOWN).ciaddr(ip("10.77.0.200")).prl(1, 3, 6, 15, 51, 58).send();
        assertEquals(Outcome.INFORM_ACK, e.decision().outcome());
        assertEquals(Routing.SOURCE, e.decision().routing());
        assertEquals(0, e.reply().yiaddr());
        assertEquals(ip("10.77.0.200"), e.reply().ciaddr());
        assertNull(e.raw(51), "no lease time without a lease");
        assertNull(e.raw(58), "no T1 for an INFORM");
        assertEquals(GATEWAY, e.reply().ipv4Option(3));
        assertTrue(h.leases.size4() == 0 && h.journal.isEmpty());
        assertEquals(Outcome.IGNORED_BAD_INFORM, h.request(INFORM, UNKNOWN).send().decision().outcome());
    }

    // ---- dynamic pools ----------------------------------------------------------------------------

    private static NetworkSnapshot pooled(NetworkSnapshot n) {
        Subnet s4 = n.subnet(NeutronNetwork.S4);
        return n.withSubnet(s4.withPools(List.of(new AddressRange(ip("10.77.0.20"), ip("10.77.0.23")))));
    }

    @Test
    void poolsSkipReservedDeclinedAndLeasedAddresses() {
        h.network = pooled(h.network);  // .21 is the PXE node's reservation
        h.leases.put(new Lease4(ip("10.77.0.20"), 0xaaL, null, null, h.now + 600, LeaseState.DECLINED));
        h.leases.put(new Lease4(ip("10.77.0.22"), 0xbbL, null, null, h.now + 600, LeaseState.BOUND));
        Exchange e = h.request(DISCOVER, UNKNOWN).send();
        assertEquals(ip("10.77.0.23"), e.reply().yiaddr());
        assertEquals(Outcome.IGNORED_NO_ADDRESS, h.request(DISCOVER, 0xccL).send().decision().outcome(),
                "the last free address is held for the first client");
    }

    @Test
    void aReturningClientGetsItsPreviousAddress() {
        h.network = pooled(h.network);
        int first = h.request(DISCOVER, UNKNOWN).send().reply().yiaddr();
        assertEquals(ACK.code(), h.request(REQUEST, UNKNOWN).requested(first).serverId(SERVER).send().type());
        h.now += 100_000;   // expired, but nobody took it
        assertEquals(first, h.request(DISCOVER, UNKNOWN).send().reply().yiaddr());
    }

    @Test
    void aRequestedFreeAddressIsHonoured() {
        h.network = pooled(h.network);
        Exchange e = h.request(DISCOVER, UNKNOWN).requested(ip("10.77.0.23")).send();
        assertEquals(ip("10.77.0.23"), e.reply().yiaddr());
    }

    @Test
    void theLeaseCapNaksNewLeases() {
        h.network = pooled(h.network).withSettings(h.network.settings().withLeaseMax(1));
        LeaseTable tiny = new LeaseTable("net1", 1);
        Dhcp4Harness capped = new Dhcp4Harness(h.network, tiny, h.iface);
        int a = capped.request(DISCOVER, UNKNOWN).send().reply().yiaddr();
        assertEquals(ACK.code(), capped.request(REQUEST, UNKNOWN).requested(a).serverId(SERVER).send().type());
        int free = a == ip("10.77.0.23") ? ip("10.77.0.22") : ip("10.77.0.23");
        Exchange nak = capped.request(REQUEST, 0xddL).requested(free).serverId(SERVER).send();
        assertEquals("no leases left", nak.option(Dhcp4Options.MESSAGE));
    }

    // ---- options --------------------------------------------------------------------------------

    @Test
    void theMtuIsSentOnlyWhenAskedForBecauseTheSubnetLineBeatsTheForcedOne() {
        Exchange withoutMtu = h.request(DISCOVER, DHCLIENT).prl(1, 3, 6).send();
        assertNull(withoutMtu.raw(26));
        Exchange withMtu = h.request(DISCOVER, DHCLIENT).prl(1, 3, 6, 26).send();
        assertEquals(1450, (int) withMtu.option(Dhcp4Options.INTERFACE_MTU));
    }

    @Test
    void withoutAParameterListEverythingIsSent() {
        Exchange e = h.request(DISCOVER, DHCLIENT).send();
        assertTrue(e.optionCodes().containsAll(List.of(1, 3, 6, 15, 26, 119, 121, 249)), e.optionCodes().toString());
        assertTrue(e.optionCodes().contains(12), "no name given: the OFFER carries the configured one");
    }

    @Test
    void aLineWithNoValueSuppressesTheDefault() {
        String tag = "subnet-" + NeutronNetwork.S4;
        OptionLine router = h.network.options().all().stream()
                .filter(l -> l.code() == 3 && l.space() == OptionSpace.DHCP4).findFirst().orElseThrow();
        h.network = h.network.withoutOption(router)
                .withOption(new OptionLine(OptionSpace.DHCP4, 3, null, List.of(new TagMatch(tag, false)), false, false));
        assertNull(h.request(DISCOVER, DHCLIENT).prl(3).send().raw(3), "no router at all");

        NetworkSnapshot withoutRouterLine = h.network.withoutOption(
                new OptionLine(OptionSpace.DHCP4, 3, null, List.of(new TagMatch(tag, false)), false, false));
        h.network = withoutRouterLine;
        assertEquals(SERVER, h.request(DISCOVER, DHCLIENT).prl(3).send().reply().ipv4Option(3),
                "no line: dnsmasq's default router is itself");
    }

    @Test
    void zeroAddressesStandForThisServer() {
        h.network = h.network.withOption(new OptionLine(OptionSpace.DHCP4, 42, Octets.parseHex("00000000 0a4d0007".replace(" ", "")),
                List.of(), false, true));
        Exchange e = h.request(DISCOVER, DHCLIENT).prl(42).send();
        assertEquals(List.of(IpAddresses.ipv4(SERVER), IpAddresses.parseIpv4("10.77.0.7")), e.option(Dhcp4Options.NTP_SERVERS));
    }

    @Test
    void portTagsBeatSubnetTagsAndTheLastLineWins() {
        h.network = h.network
                .withOption(OptionLine.of(Dhcp4Options.INTERFACE_MTU, 9000, List.of(new TagMatch("port-" + NeutronNetwork.PXE_PORT, false)), false))
                .withOption(OptionLine.of(Dhcp4Options.NTP_SERVERS, List.of(IpAddresses.parseIpv4("10.0.0.1")), List.of(), false))
                .withOption(OptionLine.of(Dhcp4Options.NTP_SERVERS, List.of(IpAddresses.parseIpv4("10.0.0.2")), List.of(), false));
        Exchange pxe = h.request(DISCOVER, PXE_NODE).prl(26, 42).send();
        assertEquals(9000, (int) pxe.option(Dhcp4Options.INTERFACE_MTU));
        assertEquals(List.of(IpAddresses.parseIpv4("10.0.0.2")), pxe.option(Dhcp4Options.NTP_SERVERS));
        assertEquals(1450, (int) h.request(DISCOVER, DHCLIENT).prl(26).send().option(Dhcp4Options.INTERFACE_MTU));
    }

    @Test
    void aPxeRomGetsItsBootFileInTheHeaderAndIpxeGetsItsScriptUrl() {
        Exchange rom = h.request(DISCOVER, PXE_NODE).prl(1, 3, 43, 60, 66, 128).send();
        assertEquals(PXE_IP, rom.reply().yiaddr());
        assertEquals("undionly.kpxe", rom.reply().file(), "67 not requested: it goes in the file field");
        assertEquals(ip("10.77.0.10"), rom.reply().siaddr(), "server-ip-address sets the next server");
        assertNull(rom.raw(67));
        assertArrayEquals0("10.77.0.10", rom.raw(66), "66 requested: sent as an option, NUL-terminated");

        Exchange ipxe = h.request(DISCOVER, PXE_NODE).prl(1, 3, 67)
                .raw(Dhcp4Options.IPXE_ENCAPSULATED.code(), Octets.parseHex("1301 01".replace(" ", ""))).send();
        assertArrayEquals0("http://10.77.0.10:8088/boot.ipxe", ipxe.raw(67), "option 175 sets tag ipxe");
        assertEquals("", ipxe.reply().file());
    }

    private static void assertArrayEquals0(String expected, Octets actual, String message) {
        assertNotNull(actual, message);
        byte[] b = (expected + "\0").getBytes(StandardCharsets.US_ASCII);
        assertEquals(Octets.of(b), actual, message);
    }

    @Test
    void anInfiniteLeaseHasNoRenewalTimes() {
        Subnet s4 = h.network.subnet(NeutronNetwork.S4);
        h.network = h.network.withSubnet(s4.withLease(Subnet.INFINITE, Subnet.DEFAULT_TIME, Subnet.DEFAULT_TIME));
        Exchange ack = bind(DHCLIENT, DHCLIENT_IP);
        assertEquals(0xffffffffL, (long) ack.option(Dhcp4Options.LEASE_TIME));
        assertNull(ack.raw(58));
        assertNull(ack.raw(59));
        assertEquals(Lease4.NEVER, h.leases.v4(DHCLIENT_IP).expiresAt());
    }

    @Test
    void aShorterLeaseAskedForIsGrantedButNeverUnderTwoMinutes() {
        h.request(DISCOVER, DHCLIENT).send();
        Exchange ack = h.request(REQUEST, DHCLIENT).requested(DHCLIENT_IP).serverId(SERVER)
                .option(Dhcp4Options.LEASE_TIME, 60L).send();
        assertEquals(120L, (long) ack.option(Dhcp4Options.LEASE_TIME));
        assertEquals(10L, (long) ack.option(Dhcp4Options.RENEWAL_TIME), "the forced T1 is still inside the lease");
        assertEquals(105L, (long) ack.option(Dhcp4Options.REBINDING_TIME));
    }

    @Test
    void theClientsMaximumMessageSizeBoundsTheReply() {
        assertEquals(548, h.request(DISCOVER, DHCLIENT).send().decision().maxLength());
        assertEquals(1472 - 28, h.request(DISCOVER, DHCLIENT).option(Dhcp4Options.MAX_MESSAGE_SIZE, 1472).send()
                .decision().maxLength());
        assertEquals(548, h.request(DISCOVER, DHCLIENT).option(Dhcp4Options.MAX_MESSAGE_SIZE, 300).send()
                .decision().maxLength(), "below the RFC minimum: ignored");
    }

    @Test
    void rapidCommitIsHonouredOnlyWhenEnabled() {
        Exchange plain = h.request(DISCOVER, DHCLIENT).option(Dhcp4Options.RAPID_COMMIT, true).send();
        assertEquals(OFFER.code(), plain.type());
        h.network = h.network.withSettings(h.network.settings().withRapidCommit4(true));
        Exchange rapid = h.request(DISCOVER, DHCLIENT).option(Dhcp4Options.RAPID_COMMIT, true).send();
        assertEquals(ACK.code(), rapid.type());
        assertNotNull(rapid.raw(80));
        assertEquals(LeaseState.BOUND, h.leases.v4(DHCLIENT_IP).state());
    }

    // ---- relays and routing ---------------------------------------------------------------------------

    @Test
    void giaddrSelectsTheSubnetAndTheReplyGoesToTheRelayWithOption82Echoed() {
        Subnet remote = new Subnet("remote", IpPrefix.parse("10.88.0.0/24"), null, List.of(), List.of(), true,
                AddressMode.DHCPV4, 3600, Subnet.DEFAULT_TIME, Subnet.DEFAULT_TIME, Set.of("subnet-remote"),
                List.of(new AddressRange(ip("10.88.0.100"), ip("10.88.0.200"))));
        h.network = h.network.withSubnet(remote);
        List<SubOption> agent = List.of(new SubOption(1, Octets.of("eth0".getBytes(StandardCharsets.US_ASCII))));
        Exchange e = h.request(DISCOVER, UNKNOWN).giaddr(ip("10.88.0.1")).option(Dhcp4Options.RELAY_AGENT_INFORMATION, agent)
                .prl(1, 3).send();
        assertEquals(Routing.RELAY, e.decision().routing());
        assertEquals(ip("10.88.0.1"), e.decision().destination());
        assertTrue(remote.cidr().contains(e.reply().yiaddr()));
        assertEquals(ip("10.88.0.1"), e.reply().ipv4Option(3), "the default router of a relayed subnet is the relay");
        assertEquals(ip("10.88.0.1"), e.reply().giaddr());
        assertEquals(82, e.reply().optionCode(e.reply().optionCount() - 1), "82 goes last");
        assertEquals(agent, e.option(Dhcp4Options.RELAY_AGENT_INFORMATION));
        assertEquals(SERVER, e.reply().ipv4Option(54));

        Exchange nowhere = h.request(DISCOVER, UNKNOWN).giaddr(ip("192.0.2.1")).send();
        assertEquals(Outcome.IGNORED_NO_SUBNET, nowhere.decision().outcome());
    }

    @Test
    void theBroadcastFlagAndTheBroadcastSettingMakeBroadcastReplies() {
        assertEquals(Routing.BROADCAST, h.request(DISCOVER, DHCLIENT).broadcast().send().decision().routing());
        h.network = h.network.withSettings(h.network.settings().withBroadcastReplies(true));
        Exchange e = h.request(DISCOVER, DHCLIENT).send();
        assertEquals(Routing.BROADCAST, e.decision().routing());
        assertTrue(e.reply().broadcast());
    }

    // ---- what is not for a server ----------------------------------------------------------------------

    @Test
    void repliesBootpAndServerMessagesAreIgnoredByName() {
        Dhcp4Harness.Request offer = h.request(OFFER, DHCLIENT);
        assertEquals(Outcome.IGNORED_MESSAGE_TYPE, offer.send().decision().outcome());
        byte[] reply = h.request(DISCOVER, DHCLIENT).bytes();
        reply[0] = Dhcp4Message.OP_BOOTREPLY;
        assertEquals(Outcome.IGNORED_NOT_A_REQUEST, h.handle(reply, false).decision().outcome());
        byte[] bootp = h.request(DISCOVER, DHCLIENT).bytes();
        bootp[Dhcp4Message.OPTIONS_OFFSET] = 0;   // option 53 becomes padding
        bootp[Dhcp4Message.OPTIONS_OFFSET + 1] = 0;
        bootp[Dhcp4Message.OPTIONS_OFFSET + 2] = 0;
        assertEquals(Outcome.IGNORED_BOOTP, h.handle(bootp, false).decision().outcome());
        assertNotEquals(0, h.request(DISCOVER, DHCLIENT).send().reply().xid());
        assertEquals(Dhcp4MessageType.ACK, Dhcp4MessageType.of(5));
    }
}
