package io.leasehold.attach;

import io.leasehold.netns.AddressEvent;
import io.leasehold.netns.LinkEvent;
import io.leasehold.netns.NamespaceOpener;
import io.leasehold.netns.NativeException;
import io.leasehold.netns.NetNamespace;
import io.leasehold.netns.Rtnetlink;
import io.leasehold.netns.Sockets;
import io.leasehold.server.LeasePersistence;
import io.leasehold.server.NetworkRuntime;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.FastThreadLocal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A network namespace the daemon serves interfaces in, pinned to one event loop.
 *
 * <p>Attaching opens the namespace, then an rtnetlink socket inside it, registered on the loop:
 * a dump of links and addresses finds the configured interfaces, and link and address events keep
 * following them. An interface that appears (or reappears with a new index: a tap deleted and
 * recreated under the same name) gets fresh sockets; one that disappears has its sockets closed.
 * Interface facts always come from this namespace's rtnetlink, never from
 * {@code java.net.NetworkInterface}, which sees only the daemon's own namespace.
 *
 * <p>Detaching closes every socket and the namespace handle, so a namespace deleted with
 * {@code ip netns del} is really freed by the kernel.
 *
 * <p>All state is touched on the loop only, except {@link #attach()} and {@link #detach()}, which
 * hand over to it.
 */
public final class NamespaceAttachment {

    private static final System.Logger LOG = System.getLogger(NamespaceAttachment.class.getName());

    private final String name;
    private final IoEventLoop loop;
    private final NamespaceOpener opener;
    private final LeasePersistence persistence;
    private final ByteBufAllocator alloc;
    private final BiConsumer<NetworkRuntime, Long> onServing;
    /** The interfaces to serve in this namespace, by name, and the network each serves. */
    private final Map<String, NetworkRuntime> served = new LinkedHashMap<>();

    private NetNamespace ns;
    private int netlinkFd = -1;
    private NetlinkHandle netlink;
    private final Map<Integer, LinkEvent> links = new HashMap<>();
    private final Map<Integer, List<InterfaceAddress>> addresses = new HashMap<>();
    private final Map<String, InterfaceAttachment> interfaces = new HashMap<>();
    private final CompletableFuture<Void> dumped = new CompletableFuture<>();
    private int seq;
    private int linkDumpSeq;
    private int addressDumpSeq;
    private boolean detached;

    /**
     * @param name      the namespace's name under /run/netns, or null for the daemon's own namespace
     * @param onServing called on the loop when an interface starts being served, with its network
     *                  and its MAC (the daemon makes the network's server DUID from the first one)
     */
    public NamespaceAttachment(String name, IoEventLoop loop, NamespaceOpener opener, LeasePersistence persistence,
                               ByteBufAllocator alloc, BiConsumer<NetworkRuntime, Long> onServing) {
        this.name = name;
        this.loop = loop;
        this.opener = opener;
        this.persistence = persistence;
        this.alloc = alloc;
        this.onServing = onServing;
    }

    public String name() {
        return name;
    }

    public IoEventLoop loop() {
        return loop;
    }

    /** Adds an interface to serve; call on the loop (or before {@link #attach()}). */
    public void serve(String ifname, NetworkRuntime network) {
        served.put(ifname, network);
        LinkEvent link = linkNamed(ifname);
        if (link != null && ns != null) {
            openInterface(link);
        }
    }

    /** Stops serving an interface and closes its sockets; call on the loop. */
    public void unserve(String ifname) {
        served.remove(ifname);
        InterfaceAttachment a = interfaces.remove(ifname);
        if (a != null) {
            a.close();
        }
    }

    /**
     * Opens the namespace and starts following its links. The future completes, on the loop, when
     * the first dump has been seen and the configured interfaces present have their sockets.
     */
    public CompletableFuture<Void> attach() {
        try {
            ns = name == null ? NetNamespace.current() : NetNamespace.open(name);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return opener.open(ns, fds -> fds.add(Rtnetlink.openSocket()))
                .thenComposeAsync(fd -> {
                    if (detached) {
                        Sockets.close(fd);
                        return CompletableFuture.completedFuture(null);
                    }
                    netlinkFd = fd;
                    Sockets.receiveBufferSize(fd, 1 << 20);
                    Rtnetlink.subscribe(fd, Rtnetlink.DEFAULT_GROUPS);
                    netlink = new NetlinkHandle(fd);
                    loop.register(netlink).addListener(f -> {
                        if (!f.isSuccess()) {
                            dumped.completeExceptionally(f.cause());
                            return;
                        }
                        netlink.registered((IoRegistration) f.getNow());
                        requestLinkDump();
                    });
                    return dumped;
                }, loop);
    }

    private void requestLinkDump() {
        linkDumpSeq = ++seq;
        Rtnetlink.requestDump(netlinkFd, Rtnetlink.RTM_GETLINK, linkDumpSeq);
    }

    private void requestAddressDump() {
        addressDumpSeq = ++seq;
        Rtnetlink.requestDump(netlinkFd, Rtnetlink.RTM_GETADDR, addressDumpSeq);
    }

    /** Closes every socket and the namespace handle. Completes on the loop. */
    public CompletableFuture<Void> detach() {
        return CompletableFuture.runAsync(this::close, loop);
    }

    private void close() {
        if (detached) {
            return;
        }
        detached = true;
        for (InterfaceAttachment a : interfaces.values()) {
            a.close();
        }
        interfaces.clear();
        if (netlink != null) {
            netlink.cancel();
        }
        if (netlinkFd >= 0) {
            Sockets.close(netlinkFd);
            netlinkFd = -1;
        }
        if (ns != null && name != null) {
            ns.close();
        }
        dumped.complete(null);
    }

    /** The interfaces being served now, for the control socket and tests; call on the loop. */
    public List<String> servedInterfaces() {
        return new ArrayList<>(interfaces.keySet());
    }

    // ---- rtnetlink events ------------------------------------------------------------------------

    private final Rtnetlink.Handler events = new Rtnetlink.Handler() {
        @Override
        public void link(LinkEvent e) {
            if (e.change() == Rtnetlink.Change.DEL) {
                links.remove(e.ifindex());
                addresses.remove(e.ifindex());
                InterfaceAttachment a = interfaces.get(e.name());
                if (a != null && a.ifindex() == e.ifindex()) {
                    interfaces.remove(e.name());
                    a.close();
                    LOG.log(System.Logger.Level.INFO, "{0}: {1} went away; its sockets are closed", label(), e.name());
                }
                return;
            }
            links.put(e.ifindex(), e);
            if (served.containsKey(e.name()) && linkDumpDone()) {
                openInterface(e);
            }
        }

        @Override
        public void address(AddressEvent e) {
            List<InterfaceAddress> list = addresses.computeIfAbsent(e.ifindex(), k -> new ArrayList<>());
            list.removeIf(a -> a.address().equals(e.address()));
            if (e.change() != Rtnetlink.Change.DEL) {
                list.add(new InterfaceAddress(e.address(), e.prefixLength()));
            }
            LinkEvent link = links.get(e.ifindex());
            InterfaceAttachment a = link == null ? null : interfaces.get(link.name());
            if (a != null && a.ifindex() == e.ifindex()) {
                a.addresses(List.copyOf(list));
            }
        }

        @Override
        public void done(int doneSeq) {
            if (doneSeq == linkDumpSeq) {
                linkDumpSeq = 0;
                requestAddressDump();
            } else if (doneSeq == addressDumpSeq) {
                addressDumpSeq = 0;
                for (LinkEvent l : links.values()) {
                    if (served.containsKey(l.name())) {
                        openInterface(l);
                    }
                }
                dumped.complete(null);
            }
        }

        @Override
        public void dumpInterrupted(int dumpSeq) {
            // The kernel's tables changed during the dump: start over.
            links.clear();
            addresses.clear();
            requestLinkDump();
        }

        @Override
        public void error(int errSeq, int errno) {
            if (errno != 0) {
                LOG.log(System.Logger.Level.WARNING, "{0}: rtnetlink request {1} failed: errno {2}", label(), errSeq, errno);
            }
        }

        @Override
        public void malformed(String reason) {
            LOG.log(System.Logger.Level.WARNING, "{0}: malformed rtnetlink message: {1}", label(), reason);
        }
    };

    private boolean linkDumpDone() {
        return linkDumpSeq == 0 && addressDumpSeq == 0;
    }

    private LinkEvent linkNamed(String ifname) {
        for (LinkEvent l : links.values()) {
            if (l.name().equals(ifname)) {
                return l;
            }
        }
        return null;
    }

    /** Opens sockets for an interface, unless it already has them for this ifindex. */
    private void openInterface(LinkEvent link) {
        NetworkRuntime network = served.get(link.name());
        InterfaceAttachment existing = interfaces.get(link.name());
        if (existing != null) {
            if (existing.ifindex() == link.ifindex()) {
                return;
            }
            existing.close();   // same name, new index: the device was recreated
        }
        List<InterfaceAddress> addrs = List.copyOf(addresses.getOrDefault(link.ifindex(), List.of()));
        InterfaceAttachment a = new InterfaceAttachment(link.name(), link.ifindex(), network, loop, persistence, alloc,
                InterfaceAttachment.macOf(link.hardwareAddress()), addrs);
        interfaces.put(link.name(), a);
        a.open(ns, opener).whenComplete((v, failure) -> {
            if (failure != null) {
                LOG.log(System.Logger.Level.WARNING, "{0}: cannot serve {1}: {2}", label(), link.name(), failure.getMessage());
                if (interfaces.get(link.name()) == a) {
                    interfaces.remove(link.name());
                }
                a.close();
            } else if (!detached) {
                LOG.log(System.Logger.Level.INFO, "{0}: serving {1}", label(), a);
                onServing.accept(network, a.current().mac());
            }
        });
    }

    private String label() {
        return name == null ? "(own namespace)" : name;
    }

    @Override
    public String toString() {
        return "namespace " + label();
    }

    /** One rtnetlink receive buffer per event-loop thread: messages are parsed to the end before the next read. */
    private static final FastThreadLocal<ByteBuffer> NETLINK_BUFFER = new FastThreadLocal<>() {
        @Override
        protected ByteBuffer initialValue() {
            return ByteBuffer.allocateDirect(Rtnetlink.RECEIVE_BUFFER_SIZE);
        }
    };

    /** The rtnetlink socket on the loop. */
    private final class NetlinkHandle implements EpollIoHandle {
        private final FileDescriptor fd;
        private IoRegistration registration;

        NetlinkHandle(int fd) {
            this.fd = new FileDescriptor(fd);
        }

        void registered(IoRegistration r) {
            registration = r;
            r.submit(EpollIoOps.EPOLLIN);
        }

        void cancel() {
            if (registration != null && registration.isValid()) {
                registration.cancel();
            }
        }

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            if (!((EpollIoEvent) event).ops().contains(EpollIoOps.EPOLLIN) || detached) {
                return;
            }
            ByteBuffer buffer = NETLINK_BUFFER.get();
            for (int i = 0; i < 64; i++) {
                int n;
                try {
                    n = fd.read(buffer, 0, buffer.capacity());
                } catch (IOException e) {
                    if (e.getMessage() != null && e.getMessage().contains("No buffer space")) {
                        // ENOBUFS: events were lost; the only way to know the truth is a new dump.
                        links.clear();
                        addresses.clear();
                        requestLinkDump();
                        return;
                    }
                    LOG.log(System.Logger.Level.WARNING, "{0}: rtnetlink read failed: {1}", label(), e.getMessage());
                    return;
                } catch (NativeException e) {
                    return;
                }
                if (n <= 0) {
                    return;
                }
                buffer.clear().limit(n);
                Rtnetlink.parse(buffer, events);
                buffer.clear();
            }
        }

        @Override
        public void close() {
        }
    }
}
