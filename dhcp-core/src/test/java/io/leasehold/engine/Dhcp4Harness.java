package io.leasehold.engine;

import io.leasehold.lease.LeaseChange;
import io.leasehold.lease.LeaseTable;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.option.OptionDef;
import io.leasehold.v4.Dhcp4Message;
import io.leasehold.v4.Dhcp4MessageType;
import io.leasehold.v4.Dhcp4MessageWriter;
import io.leasehold.v4.Dhcp4Options;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;

/**
 * An in-process DHCPv4 client and server: requests are built as real bytes, decoded by the codec,
 * decided by the engine, and the reply laid out and decoded again, with a clock the test moves.
 * Every lease change a decision carries is applied to a model of what would be durable, so tests
 * can check that the journal would hold exactly what the table holds.
 */
final class Dhcp4Harness {

    NetworkSnapshot network;
    final LeaseTable leases;
    ServerInterface iface;
    long now = 1_700_000_000L;
    final List<LeaseChange> journal = new ArrayList<>();
    private final Dhcp4Engine engine = new Dhcp4Engine();
    private final Dhcp4MessageWriter replyWriter = new Dhcp4MessageWriter();

    Dhcp4Harness(NetworkSnapshot network, LeaseTable leases, ServerInterface iface) {
        this.network = network;
        this.leases = leases;
        this.iface = iface;
    }

    static Dhcp4Harness neutron() {
        return new Dhcp4Harness(NeutronNetwork.snapshot(), NeutronNetwork.leases(), NeutronNetwork.iface());
    }

    /** The engine's decision and, when there is one, the decoded reply and its raw bytes. */
    record Exchange(Dhcp4Decision decision, Dhcp4Message reply, byte[] bytes) {
        int type() {
            return reply == null ? -1 : reply.messageType();
        }

        boolean replied() {
            return reply != null;
        }

        List<Integer> optionCodes() {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < reply.optionCount(); i++) {
                out.add(reply.optionCode(i));
            }
            return out;
        }

        <T> T option(OptionDef<T> def) {
            return reply.option(def);
        }

        Octets raw(int code) {
            ByteBuf v = reply.optionValue(code);
            return v == null ? null : Octets.copyOf(v);
        }
    }

    /** Runs raw request bytes through the engine. */
    Exchange handle(byte[] request, boolean unicast) {
        Dhcp4Message req = Dhcp4Message.wrap(request);
        Dhcp4Decision d = engine.handle(req, new Dhcp4Context(network, leases, iface, now, unicast), replyWriter);
        journal.addAll(d.changes());
        if (!d.replies()) {
            return new Exchange(d, null, null);
        }
        ByteBuf out = Unpooled.buffer();
        replyWriter.write(out, d.maxLength());
        byte[] bytes = ByteBufUtil.getBytes(out);
        return new Exchange(d, Dhcp4Message.wrap(bytes), bytes);
    }

    /** A client request under construction. */
    Request request(Dhcp4MessageType type, long mac) {
        return new Request(type, mac);
    }

    final class Request {
        final Dhcp4MessageWriter w = new Dhcp4MessageWriter();

        Request(Dhcp4MessageType type, long mac) {
            byte[] chaddr = new byte[6];
            for (int i = 0; i < 6; i++) {
                chaddr[i] = (byte) (mac >>> (40 - 8 * i));
            }
            w.op(Dhcp4Message.OP_BOOTREQUEST).htype(1).hlen(6).xid((int) mac ^ type.code() * 7919)
                    .chaddr(Octets.of(chaddr)).optionU8(Dhcp4Options.MESSAGE_TYPE.code(), type.code());
        }

        Request ciaddr(int a) {
            w.ciaddr(a);
            return this;
        }

        Request giaddr(int a) {
            w.giaddr(a);
            return this;
        }

        Request broadcast() {
            w.flags(Dhcp4Message.FLAG_BROADCAST);
            return this;
        }

        Request requested(int a) {
            w.optionU32(Dhcp4Options.REQUESTED_ADDRESS.code(), a);
            return this;
        }

        Request serverId(int a) {
            w.optionU32(Dhcp4Options.SERVER_IDENTIFIER.code(), a);
            return this;
        }

        Request prl(int... codes) {
            byte[] b = new byte[codes.length];
            for (int i = 0; i < codes.length; i++) {
                b[i] = (byte) codes[i];
            }
            w.option(Dhcp4Options.PARAMETER_REQUEST_LIST.code(), Octets.of(b));
            return this;
        }

        <T> Request option(OptionDef<T> def, T value) {
            w.option(def, value);
            return this;
        }

        Request raw(int code, Octets value) {
            w.option(code, value);
            return this;
        }

        byte[] bytes() {
            ByteBuf out = Unpooled.buffer();
            w.write(out, 1500);
            return ByteBufUtil.getBytes(out);
        }

        Exchange send() {
            return handle(bytes(), false);
        }

        Exchange sendUnicast() {
            return handle(bytes(), true);
        }
    }
}
