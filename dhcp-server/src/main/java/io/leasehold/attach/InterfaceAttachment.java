package io.leasehold.attach;

import io.leasehold.engine.ServerInterface;
import io.leasehold.netns.Bpf;
import io.leasehold.netns.NamespaceOpener;
import io.leasehold.netns.NetNamespace;
import io.leasehold.netns.Sockets;
import io.leasehold.server.LeasePersistence;
import io.leasehold.server.NetworkRuntime;
import io.leasehold.transport.Dhcp4Service;
import io.leasehold.transport.Dhcp6Service;
import io.leasehold.transport.PacketSocketHandle;
import io.leasehold.wire.IpAddresses;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One served interface inside a namespace: its three sockets and the services behind them.
 *
 * <ul>
 *   <li>DHCPv4: a raw {@code AF_PACKET} socket bound to the interface, filtered to UDP/67, on the
 *       loop as a {@link PacketSocketHandle}; and a UDP/67 socket that holds the port (no ICMP
 *       port-unreachable for clients), sends replies to relay agents, and takes only datagrams
 *       from this host's own addresses, such as {@code dhcp_release}'s.</li>
 *   <li>DHCPv6: a UDP/547 socket bound to the interface, in the All_DHCP_Relay_Agents_and_Servers
 *       group ff02::1:2, as a Netty channel.</li>
 * </ul>
 *
 * <p>The sockets are created inside the namespace by the {@link NamespaceOpener}; everything else
 * happens on the namespace's event loop, which owns this object. Closing releases every fd: a held
 * fd would keep a deleted namespace alive.
 */
final class InterfaceAttachment {

    /** RFC 8415 §7.1: All_DHCP_Relay_Agents_and_Servers. */
    static final Inet6Address ALL_DHCP_SERVERS = IpAddresses.parseIpv6("ff02::1:2");

    private record Fds(int packet, int udp4, int udp6, int ifindex) {
    }

    /** Bounds of each datagram channel's send queue, in bytes. */
    private static final io.netty.channel.WriteBufferWaterMark SEND_QUEUE =
            new io.netty.channel.WriteBufferWaterMark(64 * 1024, 256 * 1024);

    private final String name;
    private final NetworkRuntime network;
    private final IoEventLoop loop;
    private final LeasePersistence persistence;
    private final ByteBufAllocator alloc;
    private volatile ServerInterface current;
    private int ifindex;
    private int packetFd = -1;
    private int udp4Fd = -1;
    private PacketSocketHandle packets;
    private EpollDatagramChannel portHolder;
    private EpollDatagramChannel v6;
    private boolean closed;

    /**
     * @param ifindex the interface's index as the link event gave it; the sockets are bound to it,
     *                and address events for it apply from the start, before the sockets exist
     */
    InterfaceAttachment(String name, int ifindex, NetworkRuntime network, IoEventLoop loop, LeasePersistence persistence,
                        ByteBufAllocator alloc, long mac, List<InterfaceAddress> addresses) {
        this.name = name;
        this.ifindex = ifindex;
        this.network = network;
        this.loop = loop;
        this.persistence = persistence;
        this.alloc = alloc;
        this.current = describe(mac, addresses);
    }

    String name() {
        return name;
    }

    int ifindex() {
        return ifindex;
    }

    NetworkRuntime network() {
        return network;
    }

    /** The interface as the engines see it now. */
    ServerInterface current() {
        return current;
    }

    /**
     * Opens the sockets inside {@code ns} and, on the loop, binds, filters and registers them.
     * Completes on the loop when the interface is served.
     */
    CompletableFuture<Void> open(NetNamespace ns, NamespaceOpener opener) {
        return opener.open(ns, fds -> new Fds(fds.add(Sockets.openPacket()), fds.add(Sockets.openUdp4()),
                        fds.add(Sockets.openUdp6()), Sockets.ifNameToIndex(name)))
                .thenComposeAsync(f -> {
                    if (closed) {
                        Sockets.close(f.packet);
                        Sockets.close(f.udp4);
                        Sockets.close(f.udp6);
                        return CompletableFuture.completedFuture(null);
                    }
                    return configure(f);
                }, loop);
    }

    private CompletableFuture<Void> configure(Fds f) {
        if (f.ifindex != ifindex) {
            // Deleted and recreated between the link event and the socket calls: the newer link
            // event opens a fresh attachment; this one gives up.
            Sockets.close(f.packet);
            Sockets.close(f.udp4);
            Sockets.close(f.udp6);
            return CompletableFuture.failedFuture(new IllegalStateException(name + " is now ifindex " + f.ifindex
                    + ", not " + ifindex));
        }
        packetFd = f.packet;
        udp4Fd = f.udp4;
        try {
            // DHCPv4 receive path: filter first, so nothing unfiltered is queued before it applies.
            Sockets.attachFilter(f.packet, Bpf.dhcpServerV4());
            Sockets.bindPacket(f.packet, Sockets.ETH_P_IP, f.ifindex);
            long mac = macOf(Sockets.hardwareAddress(f.packet));
            current = new ServerInterface(name, mac, current.ipv4(), current.ipv4Prefixes(), current.ipv6());

            Sockets.attachFilter(f.udp4, Bpf.sourceAddressIn(current.ipv4()));
            Sockets.reuseAddress(f.udp4, true);
            Sockets.broadcast(f.udp4, true);
            Sockets.bindToDevice(f.udp4, name);
            Sockets.bind(f.udp4, new InetSocketAddress(IpAddresses.ipv4(0), 67));

            Sockets.ipv6Only(f.udp6, true);
            Sockets.reuseAddress(f.udp6, true);
            Sockets.bindToDevice(f.udp6, name);
            Sockets.bind(f.udp6, new InetSocketAddress(IpAddresses.parseIpv6("::"), 547));
            Sockets.joinGroup6(f.udp6, ALL_DHCP_SERVERS, f.ifindex);
        } catch (RuntimeException e) {
            Sockets.close(f.packet);
            Sockets.close(f.udp4);
            Sockets.close(f.udp6);
            packetFd = -1;
            udp4Fd = -1;
            return CompletableFuture.failedFuture(e);
        }

        Dhcp4Service dhcp4 = new Dhcp4Service(network, persistence, this::current, alloc, loop);
        packets = new PacketSocketHandle(f.packet, dhcp4::onFrame, this::socketFailed);
        portHolder = new EpollDatagramChannel(f.udp4);
        portHolder.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                dhcp4.onDatagram(msg);
            }
        });
        v6 = new EpollDatagramChannel(f.udp6);
        v6.pipeline().addLast(new Dhcp6Service(network, persistence, this::current));
        dhcp4.sockets(packets, portHolder);
        // Replies wait in a datagram channel's queue only while the socket's send buffer is full;
        // past the high mark the services drop them (counted) rather than let the queue grow.
        portHolder.config().setWriteBufferWaterMark(SEND_QUEUE);
        v6.config().setWriteBufferWaterMark(SEND_QUEUE);

        CompletableFuture<Void> ready = new CompletableFuture<>();
        loop.register(packets).addListener(fut -> {
            if (!fut.isSuccess()) {
                ready.completeExceptionally(fut.cause());
                return;
            }
            packets.registered((IoRegistration) fut.getNow());
            loop.register(portHolder).addListener(f4 -> {
                if (!f4.isSuccess()) {
                    ready.completeExceptionally(f4.cause());
                    return;
                }
                loop.register(v6).addListener(f6 -> {
                    if (f6.isSuccess()) {
                        ready.complete(null);
                    } else {
                        ready.completeExceptionally(f6.cause());
                    }
                });
            });
        });
        return ready;
    }

    /** The interface's addresses changed: the engines and the port holder's filter follow. */
    void addresses(List<InterfaceAddress> addresses) {
        current = describe(current.mac(), addresses);
        if (udp4Fd >= 0 && !closed) {
            Sockets.attachFilter(udp4Fd, Bpf.sourceAddressIn(current.ipv4()));
        }
    }

    private void socketFailed() {
        // Nothing to do: the interface is down or gone, and the namespace's link events will close
        // these sockets if it is gone, or it comes back up and the socket works again.
    }

    /** Closes every socket; call on the loop. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (packets != null) {
            packets.cancel();
        }
        if (packetFd >= 0) {
            Sockets.close(packetFd);
            packetFd = -1;
        }
        if (portHolder != null) {
            portHolder.close();   // closes the UDP/67 fd
        } else if (udp4Fd >= 0) {
            Sockets.close(udp4Fd);
        }
        udp4Fd = -1;
        if (v6 != null) {
            v6.close();
        }
    }

    /** Waits (off the loop) until the sockets are closed; for tests and shutdown. */
    void awaitClosed() throws InterruptedException, ExecutionException, TimeoutException {
        loop.submit(this::close).get(10, TimeUnit.SECONDS);
    }

    private ServerInterface describe(long mac, List<InterfaceAddress> addresses) {
        int v4 = (int) addresses.stream().filter(a -> !(a.address() instanceof Inet6Address)).count();
        int[] ipv4 = new int[v4];
        int[] prefixes = new int[v4];
        List<Inet6Address> ipv6 = new java.util.ArrayList<>();
        int i = 0;
        for (InterfaceAddress a : addresses) {
            if (a.address() instanceof Inet6Address) {
                ipv6.add((Inet6Address) a.address());
            } else {
                ipv4[i] = IpAddresses.toInt((java.net.Inet4Address) a.address());
                prefixes[i] = a.prefixLength();
                i++;
            }
        }
        return new ServerInterface(name, mac, ipv4, prefixes, ipv6);
    }

    static long macOf(byte[] hw) {
        if (hw == null || hw.length != 6) {
            return 0;
        }
        long v = 0;
        for (byte b : hw) {
            v = v << 8 | (b & 0xff);
        }
        return v;
    }

    @Override
    public String toString() {
        return current + " ifindex " + ifindex + " serving " + network.id();
    }
}
