package io.leasehold.dns;

import io.leasehold.dnsmasq.AddnHostsFile;
import io.leasehold.dnsmasq.DnsmasqArgs;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.netns.AddressEvent;
import io.leasehold.netns.NamespaceOpener;
import io.leasehold.netns.NetNamespace;
import io.leasehold.netns.Rtnetlink;
import io.leasehold.netns.Sockets;
import io.leasehold.wire.IpAddresses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * DNS on port 53 of each network's namespace, as dnsmasq serves it to instances
 * (neutron-compat §7 item 5): the names of the {@code --addn-hosts} files answered here
 * ({@link DnsMessages}), everything else forwarded to the {@code --server} upstreams, over UDP for
 * UDP queries and over TCP for TCP queries, and refused when there is no upstream. With
 * {@code --local-service}, queries from a source outside every subnet of the namespace's
 * addresses are dropped, as dnsmasq drops them (forward.c, {@code OPT_LOCAL_SERVICE}).
 *
 * <p>Per network: UDP and TCP sockets on {@code 0.0.0.0:53} and {@code [::]:53} plus one UDP
 * socket per upstream family, all opened inside the namespace by a {@link NamespaceOpener} and
 * driven by this class's own event loop (started in the daemon's namespace). UDP forwarding
 * rewrites the query ID to one of its own and back; an upstream that does not answer within
 * {@value #RETRY_MILLIS} ms is skipped for the next, once each. A TCP query gets its own TCP
 * connection to the upstream, opened in the namespace.
 */
public final class NamespaceDns implements DnsService, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NamespaceDns.class.getName());

    static final long RETRY_MILLIS = 1500;
    private static final long FORGET_MILLIS = 10_000;
    private static final long ADDRESS_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int MAX_PENDING = 4096;

    private final MultiThreadIoEventLoopGroup group;
    private final IoEventLoop loop;
    private final NamespaceOpener opener = new NamespaceOpener();
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final Map<String, NetworkDns> networks = new ConcurrentHashMap<>();

    /** Starts the DNS event loop, in the caller's namespace (the daemon's). */
    public NamespaceDns() {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = (IoEventLoop) group.next();
        try {
            loop.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("DNS event loop did not start: " + e, e);
        }
    }

    @Override
    public void serve(String networkId, String namespace, DnsmasqArgs args, List<AddnHostsFile.Result> addnHosts,
                      NetworkSnapshot snapshot) throws IOException {
        remove(networkId);
        if (args.port() == 0) {
            return;   // --port=0: no DNS
        }
        NetworkDns n = new NetworkDns(networkId, namespace, args.port(), upstreams(args), args.localService(),
                LocalNames.of(addnHosts));
        networks.put(networkId, n);
        try {
            n.open();
        } catch (IOException e) {
            networks.remove(networkId, n);
            n.close();
            // DHCP still works without DNS; dnsmasq would not start at all, but an instance
            // without DNS is better served than one without an address.
            LOG.log(Level.WARNING, "network " + networkId + ": no DNS: " + e.getMessage(), e);
        }
    }

    @Override
    public void update(String networkId, List<AddnHostsFile.Result> addnHosts, NetworkSnapshot snapshot) {
        NetworkDns n = networks.get(networkId);
        if (n != null) {
            n.names = LocalNames.of(addnHosts);
        }
    }

    @Override
    public void remove(String networkId) {
        NetworkDns n = networks.remove(networkId);
        if (n != null) {
            n.close();
        }
    }

    /** The UDP port DNS listens on in the network's namespace, or -1; for tests. */
    public int udpPort(String networkId) {
        NetworkDns n = networks.get(networkId);
        return n == null || n.udp4 == null ? -1 : ((InetSocketAddress) n.udp4.localAddress()).getPort();
    }

    @Override
    public void close() {
        for (String id : new ArrayList<>(networks.keySet())) {
            remove(id);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** The {@code --server} upstreams: {@code ADDR} or {@code ADDR#PORT}; domain-limited forms are not supported. */
    static List<InetSocketAddress> upstreams(DnsmasqArgs args) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String s : args.servers()) {
            String v = s;
            int port = 53;
            if (v.startsWith("/")) {
                LOG.log(Level.WARNING, "--server=" + s + ": per-domain servers are not supported; ignored");
                continue;
            }
            int at = v.indexOf('@');
            if (at >= 0) {
                v = v.substring(0, at);   // source address or interface: the namespace routes it
            }
            int hash = v.indexOf('#');
            if (hash >= 0) {
                try {
                    port = Integer.parseInt(v.substring(hash + 1));
                } catch (NumberFormatException e) {
                    LOG.log(Level.WARNING, "--server=" + s + ": bad port; ignored");
                    continue;
                }
                v = v.substring(0, hash);
            }
            try {
                out.add(new InetSocketAddress(IpAddresses.parse(v), port));
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "--server=" + s + ": not an address; ignored");
            }
        }
        return out;
    }

    /** A query forwarded over UDP, waiting for its answer. */
    private static final class Pending {
        final Channel client;
        final InetSocketAddress clientAddress;
        final int clientId;
        final ByteBuf query;           // our copy, with our ID
        int server;
        final long started = System.nanoTime();

        Pending(Channel client, InetSocketAddress clientAddress, int clientId, ByteBuf query) {
            this.client = client;
            this.clientAddress = clientAddress;
            this.clientId = clientId;
            this.query = query;
        }
    }

    private record Prefix(byte[] address, int length) {
        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != address.length) {
                return false;
            }
            int bits = length;
            for (int i = 0; i < b.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if (((b[i] ^ address[i]) & mask) != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** One network's DNS; its channels and pending map are touched on the loop only. */
    private final class NetworkDns {
        final String id;
        final String namespace;
        final int port;
        final List<InetSocketAddress> upstreams;
        final boolean localService;
        volatile LocalNames names;
        NetNamespace ns;
        EpollDatagramChannel udp4;
        EpollDatagramChannel udp6;
        EpollServerSocketChannel tcp4;
        EpollServerSocketChannel tcp6;
        EpollDatagramChannel up4;
        EpollDatagramChannel up6;
        final Map<Integer, Pending> pending = new HashMap<>();
        volatile List<Prefix> local = List.of();
        volatile long localRefreshed;
        volatile boolean refreshing;
        volatile boolean closed;

        NetworkDns(String id, String namespace, int port, List<InetSocketAddress> upstreams, boolean localService,
                   LocalNames names) {
            this.id = id;
            this.namespace = namespace;
            this.port = port;
            this.upstreams = List.copyOf(upstreams);
            this.localService = localService;
            this.names = names;
        }

        void open() throws IOException {
            try {
                ns = namespace.isEmpty() ? NetNamespace.current() : NetNamespace.open(namespace);
                int[] fds = opener.open(ns, f -> new int[] {f.add(Sockets.openUdp4()), f.add(Sockets.openUdp6()),
                        f.add(Sockets.openTcp4()), f.add(Sockets.openTcp6()), f.add(Sockets.openUdp4()),
                        f.add(Sockets.openUdp6())}).get(15, TimeUnit.SECONDS);
                loop.submit(() -> {
                    setUp(fds);
                    return null;
                }).get(15, TimeUnit.SECONDS);
                if (localService) {
                    refreshLocal();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                Throwable c = e instanceof ExecutionException ? e.getCause() : e;
                throw new IOException("opening DNS sockets in namespace '" + namespace + "': " + c.getMessage(), c);
            }
        }

        /** On the loop: options, binds, channels. */
        private void setUp(int[] fds) throws Exception {
            boolean ok = false;
            try {
                Sockets.reuseAddress(fds[0], true);
                Sockets.bind(fds[0], new InetSocketAddress(IpAddresses.ipv4(0), port));
                Sockets.ipv6Only(fds[1], true);
                Sockets.reuseAddress(fds[1], true);
                Sockets.bind(fds[1], new InetSocketAddress(IpAddresses.parseIpv6("::"), port));
                Sockets.reuseAddress(fds[2], true);
                Sockets.bind(fds[2], new InetSocketAddress(IpAddresses.ipv4(0), port));
                Sockets.listen(fds[2], 64);
                Sockets.ipv6Only(fds[3], true);
                Sockets.reuseAddress(fds[3], true);
                Sockets.bind(fds[3], new InetSocketAddress(IpAddresses.parseIpv6("::"), port));
                Sockets.listen(fds[3], 64);
                udp4 = datagram(fds[0], new QueryHandler());
                udp6 = datagram(fds[1], new QueryHandler());
                tcp4 = server(fds[2]);
                tcp6 = server(fds[3]);
                Sockets.bind(fds[4], new InetSocketAddress(IpAddresses.ipv4(0), 0));
                Sockets.ipv6Only(fds[5], true);
                Sockets.bind(fds[5], new InetSocketAddress(IpAddresses.parseIpv6("::"), 0));
                up4 = datagram(fds[4], new UpstreamHandler());
                up6 = datagram(fds[5], new UpstreamHandler());
                ok = true;
            } finally {
                if (!ok) {
                    closeOnLoop();
                    for (int fd : fds) {
                        try {
                            Sockets.close(fd);
                        } catch (RuntimeException ignored) {
                            // already owned and closed by a channel
                        }
                    }
                }
            }
        }

        private EpollDatagramChannel datagram(int fd, io.netty.channel.ChannelHandler handler) {
            EpollDatagramChannel c = new EpollDatagramChannel(fd);
            c.pipeline().addLast(handler);
            registered(c);
            return c;
        }

        /** Registers on the loop, from the loop: done at once. */
        private void registered(Channel c) {
            io.netty.util.concurrent.Future<?> f = loop.register(c);
            if (!f.isSuccess()) {
                c.close();
                throw new IllegalStateException("registering " + c + ": " + f.cause(), f.cause());
            }
        }

        /** A listening TCP socket (bound and listening already). */
        private EpollServerSocketChannel server(int fd) {
            EpollServerSocketChannel c = new EpollServerSocketChannel(fd);
            // No ServerBootstrap: accepted connections arrive here and are set up and registered by hand.
            c.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    Channel child = (Channel) msg;
                    child.pipeline().addLast(new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2),
                            new LengthFieldPrepender(2), new TcpQueryHandler());
                    loop.register(child);
                }
            });
            registered(c);
            return c;
        }

        boolean allowed(InetAddress source) {
            if (!localService || source.isLoopbackAddress() || source.isLinkLocalAddress()) {
                return true;
            }
            for (Prefix p : local) {
                if (p.contains(source)) {
                    return true;
                }
            }
            // Addresses change (Neutron adds a subnet with a reload): look again, now and then.
            if (System.nanoTime() - localRefreshed > ADDRESS_REFRESH_NANOS) {
                CompletableFuture.runAsync(this::refreshLocal);
            }
            return false;
        }

        void refreshLocal() {
            if (refreshing || closed) {
                return;
            }
            refreshing = true;
            try {
                List<Prefix> out = new ArrayList<>();
                for (AddressEvent a : Rtnetlink.dump(ns, opener).addresses()) {
                    out.add(new Prefix(a.address().getAddress(), a.prefixLength()));
                }
                local = out;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (TimeoutException | RuntimeException e) {
                LOG.log(Level.WARNING, "network " + id + ": reading the namespace's addresses: " + e.getMessage());
            } finally {
                localRefreshed = System.nanoTime();
                refreshing = false;
            }
        }

        /** A UDP query on :53. */
        private final class QueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                if (!allowed(p.sender().getAddress())) {
                    return;
                }
                ByteBuf q = p.content();
                DnsMessages.Decision d = DnsMessages.decide(q, names, !upstreams.isEmpty(), alloc);
                switch (d.action()) {
                    case ANSWER:
                    case REFUSE:
                        ctx.writeAndFlush(new DatagramPacket(d.response(), p.sender()));
                        break;
                    case FORWARD:
                        forwardUdp(ctx.channel(), p.sender(), q);
                        break;
                    default:
                        break;
                }
            }
        }

        private void forwardUdp(Channel client, InetSocketAddress sender, ByteBuf q) {
            if (pending.size() >= MAX_PENDING) {
                expire();
                if (pending.size() >= MAX_PENDING) {
                    return;
                }
            }
            int ourId;
            do {
                ourId = ThreadLocalRandom.current().nextInt(0x10000);
            } while (pending.containsKey(ourId));
            ByteBuf copy = alloc.buffer(q.readableBytes());
            copy.writeBytes(q, q.readerIndex(), q.readableBytes());
            Pending p = new Pending(client, sender, DnsMessages.id(q), copy);
            DnsMessages.id(copy, ourId);
            pending.put(ourId, p);
            sendUpstream(ourId, p);
        }

        private void sendUpstream(int ourId, Pending p) {
            InetSocketAddress server = upstreams.get(p.server);
            EpollDatagramChannel via = server.getAddress() instanceof Inet6Address ? up6 : up4;
            via.writeAndFlush(new DatagramPacket(p.query.retainedDuplicate(), server));
            loop.schedule(() -> retry(ourId, p), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }

        private void retry(int ourId, Pending p) {
            if (pending.get(ourId) != p) {
                return;
            }
            if (p.server + 1 < upstreams.size()) {
                p.server++;
                sendUpstream(ourId, p);
            } else {
                loop.schedule(() -> {
                    if (pending.remove(ourId, p)) {
                        p.query.release();
                    }
                }, FORGET_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        private void expire() {
            long now = System.nanoTime();
            pending.values().removeIf(p -> {
                boolean old = now - p.started > TimeUnit.MILLISECONDS.toNanos(FORGET_MILLIS);
                if (old) {
                    p.query.release();
                }
                return old;
            });
        }

        /** Answers from upstreams. */
        private final class UpstreamHandler extends SimpleChannelInboundHandler<DatagramPacket> {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket r) {
                ByteBuf a = r.content();
                if (a.readableBytes() < DnsMessages.HEADER_LENGTH) {
                    return;
                }
                int ourId = DnsMessages.id(a);
                Pending p = pending.get(ourId);
                if (p == null || !upstreams.contains(r.sender())) {
                    return;
                }
                pending.remove(ourId);
                p.query.release();
                ByteBuf out = a.retainedDuplicate();
                DnsMessages.id(out, p.clientId);
                p.client.writeAndFlush(new DatagramPacket(out, p.clientAddress));
            }
        }

        /** A TCP query (one frame, length prefix removed). */
        private final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {
            @Override
            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                if (!allowed(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress())) {
                    ctx.close();
                    return;
                }
                super.channelActive(ctx);
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf q) {
                DnsMessages.Decision d = DnsMessages.decide(q, names, !upstreams.isEmpty(), alloc);
                switch (d.action()) {
                    case ANSWER:
                    case REFUSE:
                        ctx.writeAndFlush(d.response());
                        break;
                    case FORWARD:
                        forwardTcp(ctx.channel(), q.retainedDuplicate(), 0);
                        break;
                    default:
                        ctx.close();
                        break;
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        }

        /** Forwards one TCP query on a connection of its own to upstream {@code index}, then the next. */
        private void forwardTcp(Channel client, ByteBuf query, int index) {
            if (index >= upstreams.size() || closed || !client.isActive()) {
                query.release();
                if (client.isActive() && index >= upstreams.size()) {
                    client.close();   // dnsmasq closes the connection when no server answers
                }
                return;
            }
            InetSocketAddress server = upstreams.get(index);
            boolean v6 = server.getAddress() instanceof Inet6Address;
            opener.open(ns, f -> f.add(v6 ? Sockets.openTcp6() : Sockets.openTcp4())).whenCompleteAsync((fd, failure) -> {
                if (failure != null) {
                    forwardTcp(client, query, index + 1);
                    return;
                }
                EpollSocketChannel up = new EpollSocketChannel(fd);
                up.pipeline().addLast(new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2), new LengthFieldPrepender(2),
                        new ChannelInboundHandlerAdapter() {
                            boolean answered;

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                answered = true;
                                client.writeAndFlush(msg);
                                ctx.close();
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                if (answered) {
                                    query.release();
                                } else {
                                    forwardTcp(client, query, index + 1);
                                }
                                ctx.fireChannelInactive();
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                up.config().setOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) RETRY_MILLIS);
                loop.register(up).addListener(reg -> {
                    if (!reg.isSuccess()) {
                        forwardTcp(client, query, index + 1);
                        return;
                    }
                    up.connect(server).addListener(done -> {
                        if (done.isSuccess()) {
                            // ownership of the query stays with the handler above until the connection ends
                            up.writeAndFlush(query.retainedDuplicate());
                        } else {
                            up.close();
                            forwardTcp(client, query, index + 1);
                        }
                    });
                });
            }, loop);
        }

        void close() {
            closed = true;
            try {
                loop.submit(this::closeOnLoop).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(Level.WARNING, "network " + id + ": closing DNS: " + e.getMessage());
            }
            if (ns != null) {
                ns.close();
            }
        }

        private void closeOnLoop() {
            for (Channel c : new Channel[] {udp4, udp6, tcp4, tcp6, up4, up6}) {
                if (c != null) {
                    c.close();
                }
            }
            for (Pending p : pending.values()) {
                p.query.release();
            }
            pending.clear();
        }
    }
}
