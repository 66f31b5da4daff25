package io.leasehold.transport;

import io.leasehold.engine.Dhcp6Context;
import io.leasehold.engine.Dhcp6Decision;
import io.leasehold.engine.Dhcp6Engine;
import io.leasehold.engine.ServerInterface;
import io.leasehold.metrics.Counters;
import io.leasehold.server.LeasePersistence;
import io.leasehold.server.NetworkRuntime;
import io.leasehold.v6.Dhcp6RelayChain;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.MalformedPacketException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * DHCPv6 for one served interface: the handler of its UDP/547 channel. Each datagram is read in
 * place as a relay chain, decided by the {@link Dhcp6Engine}, made durable when it changes leases,
 * and answered to where it came from (the client's port 546, or the relay's 547); the kernel picks
 * the source address, as it does for dnsmasq.
 *
 * <p>The client's MAC, which reservations are matched by, is read from the EUI-64 of its
 * link-local source address when it has one; relayed requests carry it in option 79, and other
 * clients are matched by the MAC in their DUID.
 */
public final class Dhcp6Service extends SimpleChannelInboundHandler<DatagramPacket> {

    private final NetworkRuntime network;
    private final Counters counters;
    private final LeasePersistence persistence;
    private final Supplier<ServerInterface> iface;
    private final Dhcp6RelayChain chain = new Dhcp6RelayChain();
    private final Dhcp6Engine engine = new Dhcp6Engine();

    public Dhcp6Service(NetworkRuntime network, LeasePersistence persistence, Supplier<ServerInterface> iface) {
        this.network = network;
        this.counters = network.counters();
        this.persistence = persistence;
        this.iface = iface;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        counters.received(Counters.Protocol.DHCP6);
        try {
            chain.reset(packet.content());
        } catch (MalformedPacketException e) {
            counters.dropped(Counters.Protocol.DHCP6, e.reason().name());
            return;
        }
        if (network.serverDuid() == null) {
            counters.dropped(Counters.Protocol.DHCP6, "NO_SERVER_DUID");
            return;
        }
        InetSocketAddress sender = packet.sender();
        long mac = IpAddresses.eui64Mac(sender.getAddress().getAddress());
        ByteBuf out = ctx.alloc().directBuffer(1500);
        Dhcp6Decision d;
        try {
            d = engine.handle(chain, new Dhcp6Context(network.snapshot(), network.leases(), iface.get(),
                    network.serverDuid(), System.currentTimeMillis() / 1000, mac), out);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        counters.outcome(Counters.Protocol.DHCP6, d.outcome().name());
        if (!d.replies()) {
            out.release();
            if (!d.changes().isEmpty()) {
                persistence.persist(d.changes(), ctx.executor(), failure -> { });
            }
            return;
        }
        if (d.changes().isEmpty()) {
            send(ctx, out, sender);
            return;
        }
        boolean queued = persistence.persist(d.changes(), ctx.executor(), failure -> {
            if (failure == null) {
                send(ctx, out, sender);
            } else {
                out.release();
                counters.dropped(Counters.Protocol.DHCP6, "JOURNAL_FAILED");
            }
        });
        if (!queued) {
            out.release();
            counters.dropped(Counters.Protocol.DHCP6, "JOURNAL_FULL");
        }
    }

    private void send(ChannelHandlerContext ctx, ByteBuf reply, InetSocketAddress to) {
        if (!ctx.channel().isWritable()) {
            reply.release();
            counters.dropped(Counters.Protocol.DHCP6, "SEND_QUEUE_FULL");
            return;
        }
        ctx.writeAndFlush(new DatagramPacket(reply, to));
        counters.replied(Counters.Protocol.DHCP6);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A failed read or send on a datagram socket is one packet's trouble, never the channel's.
        counters.dropped(Counters.Protocol.DHCP6, "CHANNEL_ERROR");
    }
}
