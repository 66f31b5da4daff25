package io.leasehold.engine;

import io.leasehold.lease.LeaseChange;
import io.leasehold.lease.LeaseTable;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.option.Duid;
import io.leasehold.option.OptionDef;
import io.leasehold.v6.Dhcp6Message;
import io.leasehold.v6.Dhcp6RelayChain;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;

/** The DHCPv6 counterpart of {@link Dhcp4Harness}: real bytes through codec and engine, a movable clock. */
final class Dhcp6Harness {

    NetworkSnapshot network;
    final LeaseTable leases;
    ServerInterface iface;
    Duid serverDuid;
    long now = 1_700_000_000L;
    final List<LeaseChange> journal = new ArrayList<>();
    private final Dhcp6Engine engine = new Dhcp6Engine();

    Dhcp6Harness(NetworkSnapshot network, LeaseTable leases, ServerInterface iface, Duid serverDuid) {
        this.network = network;
        this.leases = leases;
        this.iface = iface;
        this.serverDuid = serverDuid;
    }

    static Dhcp6Harness neutron() {
        return new Dhcp6Harness(NeutronNetwork.snapshot(), NeutronNetwork.leases(), NeutronNetwork.iface(),
                NeutronNetwork.SERVER_DUID);
    }

    static Dhcp6Harness stateless() {
        return new Dhcp6Harness(NeutronNetwork.statelessSnapshot(), new LeaseTable("net2", 1000),
                NeutronNetwork.statelessIface(), NeutronNetwork.STATELESS_SERVER_DUID);
    }

    /** The decision and, when there is a reply, the reply chain (relay envelopes and message). */
    record Exchange(Dhcp6Decision decision, Dhcp6RelayChain chain, byte[] bytes) {
        Dhcp6Message reply() {
            return chain == null ? null : chain.message();
        }

        int type() {
            return chain == null ? -1 : reply().messageType();
        }

        List<Integer> optionCodes() {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < reply().optionCount(); i++) {
                out.add(reply().optionCode(i));
            }
            return out;
        }

        <T> T option(OptionDef<T> def) {
            return reply().option(def);
        }

        Octets raw(int code) {
            ByteBuf v = reply().optionValue(code);
            return v == null ? null : Octets.copyOf(v);
        }
    }

    Exchange handle(byte[] request, long linkLayerMac) {
        Dhcp6RelayChain chain = Dhcp6RelayChain.wrap(request);
        ByteBuf out = Unpooled.buffer();
        Dhcp6Decision d = engine.handle(chain, new Dhcp6Context(network, leases, iface, serverDuid, now, linkLayerMac), out);
        journal.addAll(d.changes());
        if (!d.replies()) {
            return new Exchange(d, null, null);
        }
        byte[] bytes = ByteBufUtil.getBytes(out);
        return new Exchange(d, Dhcp6RelayChain.wrap(bytes), bytes);
    }
}
