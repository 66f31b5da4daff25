package io.leasehold.transport;

import io.leasehold.engine.Dhcp4Context;
import io.leasehold.engine.Dhcp4Decision;
import io.leasehold.engine.Dhcp4Engine;
import io.leasehold.engine.ServerInterface;
import io.leasehold.frame.Ipv4UdpFrame;
import io.leasehold.metrics.Counters;
import io.leasehold.server.LeasePersistence;
import io.leasehold.server.NetworkRuntime;
import io.leasehold.v4.Dhcp4Message;
import io.leasehold.v4.Dhcp4MessageWriter;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.MalformedPacketException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * DHCPv4 for one served interface, on the event loop its namespace is pinned to: frames from the
 * packet socket (and, rarely, datagrams from the UDP/67 port holder) are decoded in place,
 * decided by the {@link Dhcp4Engine}, made durable when they change leases, and answered.
 *
 * <p>Replies go out as whole frames built here (RFC 2131 §4.1): broadcast, or unicast to the
 * client's hardware address without ARP (it has no address yet), with IPv4 and UDP checksums
 * computed here, so no iptables {@code CHECKSUM} rule is needed. Only replies to a relay agent go
 * through the UDP socket, because the kernel must route and resolve the relay's address.
 *
 * <p>Every packet that gets no reply is counted under a named reason: a malformation, a checksum
 * failure, an engine outcome, or a transport failure.
 */
public final class Dhcp4Service {

    private static final int CLIENT_PORT = 68;
    private static final int SERVER_PORT = 67;

    private final NetworkRuntime network;
    private final Counters counters;
    private final LeasePersistence persistence;
    private final Supplier<ServerInterface> iface;
    private final ByteBufAllocator alloc;
    private final Executor loop;
    private PacketSocketHandle packets;
    private Channel portHolder;

    private final Ipv4UdpFrame frame = new Ipv4UdpFrame();
    private final Dhcp4Message request = new Dhcp4Message();
    private final Dhcp4Engine engine = new Dhcp4Engine();
    private final Dhcp4MessageWriter writer = new Dhcp4MessageWriter();
    private int ipId;

    /**
     * @param iface the interface as it is now (addresses change at runtime)
     * @param loop  the event loop everything here runs on; durability callbacks come back to it
     */
    public Dhcp4Service(NetworkRuntime network, LeasePersistence persistence, Supplier<ServerInterface> iface,
                        ByteBufAllocator alloc, Executor loop) {
        this.network = network;
        this.counters = network.counters();
        this.persistence = persistence;
        this.iface = iface;
        this.alloc = alloc;
        this.loop = loop;
    }

    /** The sockets replies go out through; call on the loop before the first packet. */
    public void sockets(PacketSocketHandle packets, Channel portHolder) {
        this.packets = packets;
        this.portHolder = portHolder;
    }

    /** A frame from the packet socket; its buffer is reused after this returns. */
    public void onFrame(ByteBuf buf) {
        counters.received(Counters.Protocol.DHCP4);
        try {
            frame.reset(buf);
        } catch (MalformedPacketException e) {
            counters.dropped(Counters.Protocol.DHCP4, e.reason().name());
            return;
        }
        if (!frame.ipChecksumValid()) {
            counters.dropped(Counters.Protocol.DHCP4, "BAD_IP_CHECKSUM");
            return;
        }
        if (frame.udpChecksumState() == Ipv4UdpFrame.ChecksumState.INVALID) {
            counters.dropped(Counters.Protocol.DHCP4, "BAD_UDP_CHECKSUM");
            return;
        }
        buf.setIndex(frame.payloadIndex(), frame.payloadIndex() + frame.payloadLength());
        boolean unicast = frame.dstIp() != Ipv4UdpFrame.BROADCAST_IPV4 && iface.get().hasIpv4(frame.dstIp());
        handle(buf, unicast, frame.srcMac(), frame.srcIp(), frame.srcPort());
    }

    /**
     * A datagram that reached the UDP/67 port holder: only those sent from this host itself get
     * there (its filter), such as the release {@code dhcp_release} sends.
     */
    public void onDatagram(DatagramPacket packet) {
        counters.received(Counters.Protocol.DHCP4);
        InetSocketAddress sender = packet.sender();
        int source = IpAddresses.toInt((java.net.Inet4Address) sender.getAddress());
        handle(packet.content(), true, iface.get().mac(), source, sender.getPort());
    }

    private void handle(ByteBuf payload, boolean unicast, long srcMac, int srcIp, int srcPort) {
        try {
            request.reset(payload);
        } catch (MalformedPacketException e) {
            counters.dropped(Counters.Protocol.DHCP4, e.reason().name());
            return;
        }
        ServerInterface here = iface.get();
        Dhcp4Decision d = engine.handle(request, new Dhcp4Context(network.snapshot(), network.leases(), here,
                nowSeconds(), unicast), writer);
        counters.outcome(Counters.Protocol.DHCP4, d.outcome().name());
        if (!d.replies()) {
            if (!d.changes().isEmpty()) {
                persist(d, null, null);
            }
            return;
        }
        // Lay the reply out now: the writer and the request buffer serve the next packet.
        ByteBuf out;
        InetSocketAddress relay = null;
        if (d.routing() == Dhcp4Decision.Routing.RELAY) {
            out = alloc.directBuffer(d.maxLength());
            writer.write(out, d.maxLength());
            relay = new InetSocketAddress(IpAddresses.ipv4(d.destination()), SERVER_PORT);
        } else {
            out = alloc.directBuffer(Ipv4UdpFrame.HEADERS_LENGTH + d.maxLength());
            out.writerIndex(Ipv4UdpFrame.HEADERS_LENGTH);
            int n = writer.write(out, d.maxLength());
            frameHeaders(out, n, d, here, srcMac, srcIp, srcPort);
        }
        if (d.changes().isEmpty()) {
            send(out, relay);
        } else {
            persist(d, out, relay);
        }
    }

    /** RFC 2131 §4.1's destinations, as Ethernet, IPv4 and UDP headers with their checksums. */
    private void frameHeaders(ByteBuf out, int payload, Dhcp4Decision d, ServerInterface here, long srcMac,
                              int srcIp, int srcPort) {
        long dstMac;
        int dstIp;
        int dstPort = CLIENT_PORT;
        switch (d.routing()) {
            case BROADCAST:
                dstMac = Ipv4UdpFrame.BROADCAST_MAC;
                dstIp = Ipv4UdpFrame.BROADCAST_IPV4;
                break;
            case SOURCE:
                dstMac = srcMac;
                dstIp = srcIp;
                dstPort = srcPort;
                break;
            case CIADDR:
                dstMac = request.macAddress() != -1 ? request.macAddress() : srcMac;
                dstIp = d.destination();
                dstPort = srcIp == d.destination() ? srcPort : CLIENT_PORT;
                break;
            default:   // YIADDR: the client has no address yet, so no ARP: straight to its MAC
                dstMac = request.macAddress() != -1 ? request.macAddress() : Ipv4UdpFrame.BROADCAST_MAC;
                dstIp = d.destination();
                break;
        }
        Ipv4UdpFrame.writeHeaders(out, 0, dstMac, here.mac(), d.serverAddress(), dstIp, SERVER_PORT, dstPort,
                payload, ipId++ & 0xffff);
    }

    private void persist(Dhcp4Decision d, ByteBuf reply, InetSocketAddress relay) {
        boolean queued = persistence.persist(d.changes(), loop, failure -> {
            if (failure != null) {
                counters.dropped(Counters.Protocol.DHCP4, "JOURNAL_FAILED");
                if (reply != null) {
                    reply.release();
                }
            } else if (reply != null) {
                send(reply, relay);
            }
        });
        if (!queued) {
            counters.dropped(Counters.Protocol.DHCP4, "JOURNAL_FULL");
            if (reply != null) {
                reply.release();
            }
        }
    }

    private void send(ByteBuf reply, InetSocketAddress relay) {
        if (relay != null) {
            if (portHolder == null || !portHolder.isActive()) {
                reply.release();
                counters.dropped(Counters.Protocol.DHCP4, "NO_RELAY_SOCKET");
                return;
            }
            if (!portHolder.isWritable()) {
                reply.release();
                counters.dropped(Counters.Protocol.DHCP4, "SEND_QUEUE_FULL");
                return;
            }
            portHolder.writeAndFlush(new DatagramPacket(reply, relay));
            counters.replied(Counters.Protocol.DHCP4);
            return;
        }
        if (packets == null) {
            reply.release();
            counters.dropped(Counters.Protocol.DHCP4, "NO_PACKET_SOCKET");
            return;
        }
        if (packets.send(reply)) {
            counters.replied(Counters.Protocol.DHCP4);
        } else {
            counters.dropped(Counters.Protocol.DHCP4, "SEND_FAILED");
        }
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
