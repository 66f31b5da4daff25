package io.leasehold.engine;

import io.leasehold.engine.Dhcp6Decision.Outcome;
import io.leasehold.engine.Dhcp6Harness.Exchange;
import io.leasehold.lease.Lease6;
import io.leasehold.lease.LeaseChange;
import io.leasehold.lease.LeaseState;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.option.Duid;
import io.leasehold.option.UserClass;
import io.leasehold.v6.Dhcp6Message;
import io.leasehold.v6.Dhcp6MessageType;
import io.leasehold.v6.Dhcp6MessageWriter;
import io.leasehold.v6.Dhcp6Options;
import io.leasehold.v6.Fqdn6;
import io.leasehold.v6.IaNa;
import io.leasehold.v6.LinkLayerAddress;
import io.leasehold.v6.StatusCode;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static io.leasehold.v6.Dhcp6MessageType.CONFIRM;
import static io.leasehold.v6.Dhcp6MessageType.DECLINE;
import static io.leasehold.v6.Dhcp6MessageType.INFORMATION_REQUEST;
import static io.leasehold.v6.Dhcp6MessageType.REBIND;
import static io.leasehold.v6.Dhcp6MessageType.RELEASE;
import static io.leasehold.v6.Dhcp6MessageType.RENEW;
import static io.leasehold.v6.Dhcp6MessageType.REQUEST;
import static io.leasehold.v6.Dhcp6MessageType.SOLICIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every DHCPv6 message and client state against the engine on Neutron-shaped data, with an
 * in-process client that writes real messages (and relay envelopes) and a movable clock.
 */
class Dhcp6EngineTest {

    private static final Duid CLIENT = Duid.ll(1, Octets.parseHex("fa:16:3e:00:00:11"));
    private static final Duid STRANGER = Duid.ll(1, Octets.parseHex("fa:16:3e:00:00:99"));
    private static final Inet6Address MINE = IpAddresses.parseIpv6("fd00:77:1::11");
    private static final Inet6Address OTHERS = IpAddresses.parseIpv6("fd00:77:1::12");

    private final Dhcp6Harness h = Dhcp6Harness.neutron();

    /** A client message: type, xid, client id, optional server id, then whatever {@code body} adds. */
    private byte[] message(Dhcp6MessageType type, Duid client, boolean withServerId, Consumer<Dhcp6MessageWriter> body) {
        ByteBuf out = Unpooled.buffer();
        Dhcp6MessageWriter w = new Dhcp6MessageWriter().begin(out).header(type.code(), 0x1234);
        if (client != null) {
            w.option(Dhcp6Options.CLIENT_ID.code(), client.bytes());
        }
        if (withServerId) {
            w.option(Dhcp6Options.SERVER_ID.code(), h.serverDuid.bytes());
        }
        w.optionU16(Dhcp6Options.ELAPSED_TIME.code(), 0);
        body.accept(w);
        w.finish();
        return ByteBufUtil.getBytes(out);
    }

    private static Consumer<Dhcp6MessageWriter> ia(long iaid, Inet6Address... addresses) {
        return w -> {
            w.openIaNa(iaid, 0, 0);
            for (Inet6Address a : addresses) {
                byte[] b = a.getAddress();
                w.iaAddress(Unpooled.wrappedBuffer(b).getLong(0), Unpooled.wrappedBuffer(b).getLong(8), 0, 0);
            }
            w.close();
        };
    }

    private Exchange send(byte[] message) {
        return h.handle(message, -1);
    }

    private Exchange bind() {
        Exchange reply = send(message(REQUEST, CLIENT, true, ia(7, MINE)));
        assertEquals(Outcome.REPLY, reply.decision().outcome(), reply.decision().toString());
        return reply;
    }

    private static IaNa ia(Exchange e) {
        return e.option(Dhcp6Options.IA_NA);
    }

    // ---- Solicit ------------------------------------------------------------------------------

    @Test
    void aSolicitIsAdvertisedAndNothingIsBound() {
        Exchange adv = send(message(SOLICIT, CLIENT, false, ia(7)));
        assertEquals(Dhcp6MessageType.ADVERTISE.code(), adv.type());
        assertEquals(List.of(1, 2, 3, 13, 7, 24, 23, 39), adv.optionCodes());
        IaNa ia = ia(adv);
        assertEquals(7, ia.iaid());
        assertEquals(MINE, ia.addresses().get(0).address());
        assertEquals(120, ia.addresses().get(0).validLifetime());
        assertEquals(60, ia.t1());
        assertEquals(105, ia.t2());
        assertEquals(0, h.leases.size6());
        assertTrue(adv.decision().changes().isEmpty());
        Fqdn6 fqdn = adv.option(Dhcp6Options.CLIENT_FQDN);
        assertEquals("host-fd00-77-1--11", fqdn.name());
        assertFalse(fqdn.absolute(), "an Advertise names the host without its domain");
    }

    @Test
    void rapidCommitBindsAtOnce() {
        Exchange reply = send(message(SOLICIT, CLIENT, false, ia(7).andThen(w -> w.emptyOption(Dhcp6Options.RAPID_COMMIT.code()))));
        assertEquals(Dhcp6MessageType.REPLY.code(), reply.type());
        assertEquals(List.of(1, 2, 14, 3, 13, 7, 24, 23, 39), reply.optionCodes());
        assertEquals(LeaseState.BOUND, h.leases.v6(MINE).state());
        assertEquals(List.of(LeaseChange.Kind.PUT6), reply.decision().changes().stream().map(LeaseChange::kind).toList());
        Fqdn6 fqdn = reply.option(Dhcp6Options.CLIENT_FQDN);
        assertEquals("host-fd00-77-1--11.openstacklocal", fqdn.name());
        assertTrue(fqdn.absolute());
    }

    @Test
    void anUnknownClientIsAdvertisedNoAddrsAvailAndNothingElse() {
        Exchange adv = send(message(SOLICIT, STRANGER, false, ia(1)));
        assertEquals(Outcome.ADVERTISE_NO_ADDRESS, adv.decision().outcome());
        assertEquals(List.of(1, 2, 13), adv.optionCodes());
        assertEquals(new StatusCode(StatusCode.NO_ADDRS_AVAIL, "no addresses available"), adv.option(Dhcp6Options.STATUS_CODE));

        Exchange rapid = send(message(SOLICIT, STRANGER, false, ia(1).andThen(w -> w.emptyOption(14))));
        assertEquals(List.of(1, 2, 14, 3, 13), rapid.optionCodes());
        IaNa ia = ia(rapid);
        assertEquals(StatusCode.NO_ADDRS_AVAIL, ia.status().code());
        assertTrue(ia.addresses().isEmpty());
    }

    @Test
    void aHostWithTwoSubnetsGetsAnAddressInEach() {
        Subnet second = Subnet.of("s6b", io.leasehold.model.IpPrefix.parse("fd00:88::/64"),
                io.leasehold.model.AddressMode.DHCPV6_STATEFUL);
        h.network = h.network.withSubnet(second).withReservation(new Reservation("dhclient-v6", NeutronNetwork.DHCLIENT,
                null, null, "host-a.openstacklocal", List.of(MINE, IpAddresses.parseIpv6("fd00:88::11")), Set.of(),
                Set.of("dhcpv6"), Subnet.DEFAULT_TIME));
        h.iface = new ServerInterface("ns-dhcp", NeutronNetwork.SERVER_MAC, new int[0], new int[0], List.of(
                IpAddresses.parseIpv6("fe80::f816:3eff:fe00:2"), IpAddresses.parseIpv6("fd00:77:1::2"),
                IpAddresses.parseIpv6("fd00:88::2")));
        Exchange adv = send(message(SOLICIT, CLIENT, false, ia(7)));
        assertEquals(2, ia(adv).addresses().size());
    }

    // ---- Request, Renew, Rebind ---------------------------------------------------------------------

    /** An IA_NA asking for {@code a} with lifetimes {@code preferred}/{@code valid}, as dhclient -6 asks (7200/7500). */
    private static Consumer<Dhcp6MessageWriter> iaHinted(long iaid, Inet6Address a, long preferred, long valid) {
        return w -> {
            w.openIaNa(iaid, 0, 0);
            byte[] b = a.getAddress();
            w.iaAddress(Unpooled.wrappedBuffer(b).getLong(0), Unpooled.wrappedBuffer(b).getLong(8), preferred, valid);
            w.close();
        };
    }

    @Test
    void theClientsShorterLifetimesAreHonouredAsDnsmasqHonoursThem() {
        h.network = h.network.withSubnet(h.network.subnet(NeutronNetwork.S6).withLease(86400, 0, 0));
        IaNa ia = ia(send(message(REQUEST, CLIENT, true, iaHinted(7, MINE, 7200, 7500))));
        assertEquals(7200, ia.addresses().get(0).preferredLifetime());
        assertEquals(7500, ia.addresses().get(0).validLifetime());
        assertEquals(3600, ia.t1(), "min/2");
        assertEquals(6300, ia.t2(), "(min/8)*7");
        assertEquals(h.now + 7500, h.leases.v6(MINE).expiresAt());

        // Longer than the lease, zero (no preference), preferred > valid (ignored), below 120 (raised).
        assertEquals(86400, ia(send(message(RENEW, CLIENT, true, iaHinted(7, MINE, 99999, 99999))))
                .addresses().get(0).validLifetime());
        assertEquals(86400, ia(send(message(RENEW, CLIENT, true, iaHinted(7, MINE, 0, 0)))).addresses().get(0)
                .preferredLifetime());
        assertEquals(86400, ia(send(message(RENEW, CLIENT, true, iaHinted(7, MINE, 600, 300)))).addresses().get(0)
                .validLifetime());
        assertEquals(120, ia(send(message(RENEW, CLIENT, true, iaHinted(7, MINE, 30, 60)))).addresses().get(0)
                .validLifetime());
    }


    @Test
    void requestBindsTheReservedAddressAndRefusesOthersInsideTheIa() {
        Exchange ok = bind();
        assertEquals(List.of(1, 2, 3, 13, 24, 23, 39), ok.optionCodes(), "no preference in a Request's reply");
        assertEquals(h.now + 120, h.leases.v6(MINE).expiresAt());

        Exchange offLink = send(message(REQUEST, CLIENT, true, ia(8, IpAddresses.parseIpv6("2001:db8::1"))));
        assertEquals(StatusCode.NOT_ON_LINK, ia(offLink).status().code());
        assertEquals(StatusCode.NO_ADDRS_AVAIL, offLink.option(Dhcp6Options.STATUS_CODE).code());

        Exchange notMine = send(message(REQUEST, CLIENT, true, ia(8, OTHERS)));
        assertEquals(StatusCode.NO_ADDRS_AVAIL, ia(notMine).status().code());
        assertEquals(Outcome.REPLY_NO_BINDING, notMine.decision().outcome());
    }

    @Test
    void aRequestForAnotherServerOrWithoutOneIsIgnored() {
        byte[] other = message(REQUEST, CLIENT, false, w -> {
            w.option(Dhcp6Options.SERVER_ID.code(), STRANGER.bytes());
            ia(7, MINE).accept(w);
        });
        assertEquals(Outcome.IGNORED_SERVER_ID, send(other).decision().outcome());
        assertEquals(Outcome.IGNORED_SERVER_ID, send(message(REQUEST, CLIENT, false, ia(7, MINE))).decision().outcome());
        assertEquals(Outcome.IGNORED_SERVER_ID, send(message(SOLICIT, CLIENT, true, ia(7))).decision().outcome());
        assertEquals(Outcome.IGNORED_NO_CLIENT_ID, send(message(SOLICIT, null, false, ia(7))).decision().outcome());
    }

    @Test
    void renewExtendsABindingAndReportsNoBindingOtherwise() {
        bind();
        h.now += 60;
        Exchange renew = send(message(RENEW, CLIENT, true, ia(7, MINE)));
        assertEquals(Outcome.REPLY, renew.decision().outcome());
        assertEquals(h.now + 120, h.leases.v6(MINE).expiresAt());
        assertNull(renew.option(Dhcp6Options.STATUS_CODE), "no top-level status on a successful renewal");

        h.leases.remove6(MINE, 128);
        Exchange lost = send(message(RENEW, CLIENT, true, ia(7, MINE)));
        IaNa ia = ia(lost);
        assertEquals(StatusCode.NO_BINDING, ia.status().code());
        assertEquals(0, ia.t1());
        assertEquals(0, ia.t2());
    }

    @Test
    void rebindGrantsTheClientsOwnAddressButZeroesSomeoneElses() {
        Exchange own = send(message(REBIND, CLIENT, false, ia(7, MINE)));
        assertEquals(Outcome.REPLY, own.decision().outcome());
        assertNotNull(h.leases.v6(MINE));

        Exchange others = send(message(REBIND, CLIENT, false, ia(7, OTHERS)));
        assertEquals(0, ia(others).addresses().get(0).validLifetime());
        assertEquals(StatusCode.NO_ADDRS_AVAIL, others.option(Dhcp6Options.STATUS_CODE).code());
    }

    @Test
    void aNewIaidOfTheSameClientKeepsItsReservedAddress() {
        bind();
        Exchange adv = send(message(SOLICIT, CLIENT, false, ia(99)));
        assertEquals(MINE, ia(adv).addresses().get(0).address());
        Exchange stranger = send(message(SOLICIT, Duid.ll(1, Octets.parseHex("fa:16:3e:00:00:12")), false, ia(1)));
        assertEquals(IpAddresses.parseIpv6("fd00:77:1::12"), ia(stranger).addresses().get(0).address(),
                "udhcpc's own reservation, not the address bound to dhclient");
    }

    // ---- Confirm, Release, Decline, Information-request -----------------------------------------------

    @Test
    void confirmSaysWhetherTheAddressesAreStillOnLink() {
        Exchange on = send(message(CONFIRM, CLIENT, false, ia(7, MINE)));
        assertEquals(List.of(1, 2, 13), on.optionCodes());
        assertEquals(new StatusCode(0, "all addresses still on link"), on.option(Dhcp6Options.STATUS_CODE));
        Exchange off = send(message(CONFIRM, CLIENT, false, ia(7, IpAddresses.parseIpv6("2001:db8::1"))));
        assertEquals(StatusCode.NOT_ON_LINK, off.option(Dhcp6Options.STATUS_CODE).code());
        assertEquals(Outcome.IGNORED_NOTHING_TO_CONFIRM, send(message(CONFIRM, CLIENT, false, ia(7))).decision().outcome());
    }

    @Test
    void releaseIsIdempotentForReservedAddressesAsDhcpRelease6Needs() {
        bind();
        byte[] release = message(RELEASE, CLIENT, true, ia(7, MINE));
        Exchange first = send(release);
        assertEquals(List.of(1, 2, 13), first.optionCodes());
        assertEquals(new StatusCode(0, "release received"), first.option(Dhcp6Options.STATUS_CODE));
        assertEquals(LeaseChange.Kind.DELETE6, first.decision().changes().get(0).kind());
        assertNull(h.leases.v6(MINE));

        Exchange second = send(release);   // dhcp_release6 sends every Release twice
        assertEquals(List.of(1, 2, 13), second.optionCodes());
        assertTrue(second.decision().changes().isEmpty());

        Exchange unknown = send(message(RELEASE, CLIENT, true, ia(7, IpAddresses.parseIpv6("fd00:77:1::99"))));
        IaNa ia = ia(unknown);
        assertEquals(StatusCode.NO_BINDING, ia.status().code());
        assertEquals(1, ia.addresses().size(), "NoBinding comes with the address (an IA holding only a status crashes dhcp_release6)");
        assertEquals(0, unknown.option(Dhcp6Options.STATUS_CODE).code());
    }

    @Test
    void declineQuarantinesTheAddress() {
        bind();
        Exchange decline = send(message(DECLINE, CLIENT, true, ia(7, MINE)));
        assertEquals(new StatusCode(0, "success"), decline.option(Dhcp6Options.STATUS_CODE));
        assertEquals(LeaseState.DECLINED, h.leases.v6(MINE).state());
        Exchange adv = send(message(SOLICIT, CLIENT, false, ia(7)));
        assertEquals(Outcome.ADVERTISE_NO_ADDRESS, adv.decision().outcome());
        h.now += Dhcp6Engine.DECLINE_QUARANTINE_SECONDS;
        assertEquals(Outcome.ADVERTISE, send(message(SOLICIT, CLIENT, false, ia(7))).decision().outcome());
    }

    @Test
    void informationRequestGetsOptionsAndARefreshTime() {
        Dhcp6Harness stateless = Dhcp6Harness.stateless();
        Exchange e = stateless.handle(message(INFORMATION_REQUEST, CLIENT, false, w -> { }), -1);
        assertEquals(List.of(1, 2, 24, 23, 32), e.optionCodes());
        assertEquals(600L, (long) e.option(Dhcp6Options.INFORMATION_REFRESH_TIME));
        assertEquals(List.of(IpAddresses.parseIpv6("fd00:77:2::53")), e.option(Dhcp6Options.DNS_SERVERS));
        Exchange withIa = stateless.handle(message(INFORMATION_REQUEST, CLIENT, false, ia(1)), -1);
        assertEquals(Outcome.IGNORED_BAD_INFORMATION_REQUEST, withIa.decision().outcome());
    }

    @Test
    void theOptionRequestOptionFiltersAndTheServerStandsInForMissingDns() {
        Exchange e = send(message(SOLICIT, CLIENT, false, ia(7).andThen(w -> w.optionU16(Dhcp6Options.ORO.code(), 24))));
        assertEquals(List.of(1, 2, 3, 13, 7, 24, 23, 39), e.optionCodes());
        assertEquals(List.of(IpAddresses.parseIpv6("fd00:77:1::2")), e.option(Dhcp6Options.DNS_SERVERS),
                "23 not asked for, so not sent from the subnet: the server's own address goes instead, as in dnsmasq");
    }

    // ---- relays, iPXE, MAC sources ---------------------------------------------------------------------

    @Test
    void relayedMessagesAreMatchedByOption79AndAnsweredInsideTheRelayReply() {
        byte[] inner = message(SOLICIT, STRANGER, false, ia(7));   // a DUID that names no reservation
        ByteBuf forw = Unpooled.buffer();
        Dhcp6MessageWriter w = new Dhcp6MessageWriter().begin(forw)
                .relayHeader(Dhcp6MessageType.RELAY_FORW.code(), 0, IpAddresses.parseIpv6("fd00:77:1::1"),
                        IpAddresses.parseIpv6("fe80::1"))
                .option(Dhcp6Options.INTERFACE_ID.code(), Octets.of("ge-0/0/1".getBytes()))
                .option(Dhcp6Options.CLIENT_LINKLAYER_ADDR, new LinkLayerAddress(1, Octets.parseHex("fa:16:3e:00:00:11")))
                .option(Dhcp6Options.RELAY_MSG.code(), inner);
        w.finish();
        Exchange e = h.handle(ByteBufUtil.getBytes(forw), -1);
        assertTrue(e.chain().isRelayed());
        Dhcp6Message repl = e.chain().relay(0);
        assertEquals(Dhcp6MessageType.RELAY_REPL.code(), repl.messageType());
        assertEquals(Octets.of("ge-0/0/1".getBytes()), Octets.copyOf(repl.optionValue(Dhcp6Options.INTERFACE_ID.code())));
        assertEquals(MINE, ia(e).addresses().get(0).address(), "matched through option 79's MAC");
    }

    @Test
    void theTransportsMacFindsTheHostWhenTheDuidDoesNot() {
        Duid en = Duid.en(12345, Octets.parseHex("01:02:03"));
        assertEquals(Outcome.ADVERTISE_NO_ADDRESS, send(message(SOLICIT, en, false, ia(7))).decision().outcome());
        Exchange e = h.handle(message(SOLICIT, en, false, ia(7)), NeutronNetwork.DHCLIENT);
        assertEquals(MINE, ia(e).addresses().get(0).address());
    }

    @Test
    void anIpxeClientGetsItsBootUrl() {
        Duid node = Duid.ll(1, Octets.parseHex("fa:16:3e:00:00:21"));
        Exchange rom = send(message(SOLICIT, node, false, ia(1).andThen(w -> w.optionU16(Dhcp6Options.ORO.code(), 59))));
        assertNull(rom.raw(59), "not iPXE: no boot URL");
        Exchange ipxe = send(message(SOLICIT, node, false, ia(1).andThen(w -> {
            w.optionU16(Dhcp6Options.ORO.code(), 59);
            w.option(Dhcp6Options.USER_CLASS, UserClass.of("iPXE"));
        })));
        assertEquals("http://[fd00:77:1::10]/boot.ipxe", ipxe.option(Dhcp6Options.BOOTFILE_URL));
        assertEquals(IpAddresses.parseIpv6("fd00:77:1::21"), ia(ipxe).addresses().get(0).address());
    }

    @Test
    void bindingsCarryTheHostName() {
        bind();
        Lease6 lease = h.leases.v6(MINE);
        assertEquals("host-fd00-77-1--11", lease.hostname());
        assertEquals(CLIENT, lease.duid());
        assertEquals(7, lease.iaid());
    }
}
