package io.leasehold.server;

import io.leasehold.attach.NamespaceAttachment;
import io.leasehold.attach.NetnsWatcher;
import io.leasehold.lease.Lease4;
import io.leasehold.lease.Lease6;
import io.leasehold.lease.LeaseChange;
import io.leasehold.lease.LeaseTable;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.netns.NamespaceOpener;
import io.leasehold.netns.NetnsSupport;
import io.leasehold.option.Duid;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.EventExecutor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A Leasehold DHCP server: networks, the namespaces and interfaces that serve them, and one epoll
 * event-loop group driving every socket.
 *
 * <pre>{@code
 * LeaseholdServer server = LeaseholdServer.builder()
 *         .network(snapshot)                          // a NetworkSnapshot
 *         .serve("qdhcp-net1", "tap1a2b3c4d-5e", "net1")
 *         .build();
 * server.start();
 * List<Lease4> leases = server.leases4("net1");
 * server.update("net1", n -> n.withReservation(...)); // takes effect for the next packet
 * server.stop();
 * }</pre>
 *
 * <p>Namespaces attach as soon as they exist, and follow {@code /run/netns}: one created later is
 * attached then, one deleted is detached and its every fd closed. Each namespace is pinned to one
 * event loop, and each network to the loop of the namespace that serves it: the network's lease
 * table is only ever touched there, so the packet path takes no lock. Methods of this class may be
 * called from any thread.
 */
public final class LeaseholdServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LeaseholdServer.class.getName());

    /** Seconds between 1970-01-01 and 2000-01-01: DUID-LLT times count from the latter (RFC 8415 §11.2). */
    private static final long DUID_EPOCH = 946_684_800L;

    private final int threads;
    private final LeasePersistence persistence;
    private final boolean watchNamespaces;
    private final Duration attachTimeout;
    private final BiConsumer<String, Duid> serverDuidCreated;
    private final Map<String, NetworkRuntime> networks = new LinkedHashMap<>();
    /** Namespace name (null key not allowed; "" is the daemon's own namespace) → interface → network. */
    private final Map<String, Map<String, String>> served = new LinkedHashMap<>();
    private final Map<String, NamespaceAttachment> attached = new LinkedHashMap<>();
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    private MultiThreadIoEventLoopGroup group;
    private List<IoEventLoop> loops;
    private int nextLoop;
    private NamespaceOpener opener;
    private NetnsWatcher watcher;
    private volatile boolean running;

    private LeaseholdServer(Builder b) {
        this.threads = b.threads;
        this.persistence = b.persistence;
        this.watchNamespaces = b.watchNamespaces;
        this.attachTimeout = b.attachTimeout;
        this.serverDuidCreated = b.serverDuidCreated;
        for (NetworkSnapshot n : b.networks) {
            networks.put(n.id(), new NetworkRuntime(n, b.leaseTables.apply(n)));
        }
        for (String[] s : b.served) {
            served.computeIfAbsent(s[0], k -> new LinkedHashMap<>()).put(s[1], s[2]);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How a server is put together. */
    public static final class Builder {
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private LeasePersistence persistence = LeasePersistence.inMemory();
        private boolean watchNamespaces = true;
        private Duration attachTimeout = Duration.ofSeconds(30);
        private final List<NetworkSnapshot> networks = new ArrayList<>();
        private final List<String[]> served = new ArrayList<>();
        private BiConsumer<String, Duid> serverDuidCreated = (network, duid) -> { };
        private Function<NetworkSnapshot, LeaseTable> leaseTables =
                n -> new LeaseTable(n.id(), Math.max(1, n.settings().leaseMax()));

        /** Event-loop threads (default: one per core). */
        public Builder eventLoopThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("event loop threads: " + n + " (expected: >= 1)");
            }
            this.threads = n;
            return this;
        }

        /** Where leases are made durable (default: in memory only). */
        public Builder persistence(LeasePersistence p) {
            this.persistence = Objects.requireNonNull(p, "persistence");
            return this;
        }

        /** How each network's lease table is made (and loaded); default: empty, capped at its lease max. */
        public Builder leaseTables(Function<NetworkSnapshot, LeaseTable> factory) {
            this.leaseTables = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Told, on an event loop, of each server DUID made for a network that had none (when its
         * first interface is served), so it can be made durable: it must not change on restart.
         */
        public Builder onServerDuidCreated(BiConsumer<String, Duid> listener) {
            this.serverDuidCreated = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Follow /run/netns to attach and detach namespaces as they come and go (default: on). */
        public Builder watchNamespaces(boolean on) {
            this.watchNamespaces = on;
            return this;
        }

        /** How long {@link #start()} waits for the namespaces present to be attached. */
        public Builder attachTimeout(Duration timeout) {
            this.attachTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** A network to serve. */
        public Builder network(NetworkSnapshot network) {
            networks.add(Objects.requireNonNull(network, "network"));
            return this;
        }

        /**
         * Serves {@code networkId} on interface {@code ifname} of namespace {@code namespace} (a name
         * under /run/netns, or "" for the daemon's own namespace).
         */
        public Builder serve(String namespace, String ifname, String networkId) {
            served.add(new String[] {Objects.requireNonNull(namespace), Objects.requireNonNull(ifname),
                    Objects.requireNonNull(networkId)});
            return this;
        }

        public LeaseholdServer build() {
            LeaseholdServer s = new LeaseholdServer(this);
            s.checkServed();
            return s;
        }
    }

    private void checkServed() {
        Map<String, String> namespaceOf = new LinkedHashMap<>();
        served.forEach((ns, ifaces) -> ifaces.forEach((ifname, net) -> {
            if (!networks.containsKey(net)) {
                throw new IllegalArgumentException("namespace '" + ns + "' interface " + ifname + ": unknown network " + net);
            }
            String other = namespaceOf.putIfAbsent(net, ns);
            if (other != null && !other.equals(ns)) {
                // One lease table, one loop: a network is served from one namespace.
                throw new IllegalArgumentException("network " + net + ": served in namespaces '" + other + "' and '" + ns
                        + "' (expected: one)");
            }
        }));
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    /**
     * Starts the event loops, attaches every configured namespace that exists, and starts
     * following /run/netns. Returns when the present namespaces are attached (or the attach timeout
     * passed; failures are logged and retried when the namespace reappears).
     *
     * @throws IllegalStateException when this machine cannot run the server (not Linux, no
     *         CAP_NET_RAW or CAP_SYS_ADMIN, no epoll): the message says what is missing
     */
    public synchronized LeaseholdServer start() {
        if (running) {
            return this;
        }
        NetnsSupport.ensureAvailability();
        group = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
        loops = new ArrayList<>();
        for (EventExecutor e : group) {
            loops.add((IoEventLoop) e);
            // Start every loop thread now, here, in the daemon's own namespace: a thread started
            // later from a setns'd thread would inherit that namespace.
            try {
                e.submit(() -> { }).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException ex) {
                throw new IllegalStateException("event loop did not start: " + ex, ex);
            }
        }
        opener = new NamespaceOpener();
        running = true;
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (String ns : served.keySet()) {
            pending.add(attachNamespace(ns));
        }
        if (watchNamespaces) {
            try {
                watcher = NetnsWatcher.start(this::namespaceAppeared, this::namespaceVanished);
            } catch (java.io.IOException e) {
                LOG.log(System.Logger.Level.WARNING, "not watching /run/netns: " + e.getMessage());
            }
        }
        try {
            CompletableFuture.allOf(pending.toArray(new CompletableFuture[0]))
                    .get(attachTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "not every namespace is attached yet: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    /** Detaches every namespace (closing every fd), stops the loops and closes the persistence. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        if (watcher != null) {
            watcher.close();
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (NamespaceAttachment a : attached.values()) {
            closing.add(a.detach());
        }
        attached.clear();
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "detaching: " + e.getMessage());
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        persistence.close();
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return running;
    }

    // ---- namespaces ------------------------------------------------------------------------------

    private synchronized CompletableFuture<Void> attachNamespace(String ns) {
        if (!running || attached.containsKey(ns) || !served.containsKey(ns)) {
            return CompletableFuture.completedFuture(null);
        }
        IoEventLoop loop = loopFor(ns);
        NamespaceAttachment a = new NamespaceAttachment(ns.isEmpty() ? null : ns, loop, opener, persistence, alloc,
                this::interfaceServing);
        for (Map.Entry<String, String> e : served.get(ns).entrySet()) {
            NetworkRuntime network = networks.get(e.getValue());
            pin(network, loop);
            a.serve(e.getKey(), network);
        }
        attached.put(ns, a);
        return a.attach().whenComplete((v, failure) -> {
            if (failure != null) {
                LOG.log(System.Logger.Level.INFO, "namespace ''{0}'' not attached: {1}", ns, rootMessage(failure));
                synchronized (this) {
                    if (attached.get(ns) == a) {
                        attached.remove(ns);
                    }
                }
                a.detach();
            }
        });
    }

    /** How often each network drops its expired leases (an expired lease is already ignored by the engines). */
    static final Duration EXPIRY_SWEEP = Duration.ofSeconds(30);

    /** Pins a network to its loop, the first time, and starts its expiry sweep there. */
    private void pin(NetworkRuntime network, IoEventLoop loop) {
        if (network.loop() != null) {
            return;
        }
        network.loop(loop);
        // Expired leases need no journal record: loading and compaction drop them by their expiry.
        network.sweep(loop.scheduleAtFixedRate(
                () -> network.leases().expire(System.currentTimeMillis() / 1000, change -> { }),
                EXPIRY_SWEEP.toMillis(), EXPIRY_SWEEP.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** The loop a namespace is pinned to: the loop of a network it serves that already has one, else the next. */
    private IoEventLoop loopFor(String ns) {
        for (String net : served.get(ns).values()) {
            EventExecutor l = networks.get(net).loop();
            if (l instanceof IoEventLoop) {
                return (IoEventLoop) l;
            }
        }
        IoEventLoop l = loops.get(nextLoop++ % loops.size());
        return l;
    }

    private void namespaceAppeared(String name) {
        if (!served.containsKey(name)) {
            return;
        }
        // `ip netns add` creates the file before it bind-mounts the namespace on it: retry a few
        // times while the file is not a namespace yet.
        for (int attempt = 0; attempt < 20 && running; attempt++) {
            CompletableFuture<Void> f = attachNamespace(name);
            try {
                f.get(attachTimeout.toMillis(), TimeUnit.MILLISECONDS);
                synchronized (this) {
                    if (attached.containsKey(name)) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // fall through to retry
            }
            try {
                Thread.sleep(50L * (attempt + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void namespaceVanished(String name) {
        NamespaceAttachment a;
        synchronized (this) {
            a = attached.remove(name);
        }
        if (a != null) {
            LOG.log(System.Logger.Level.INFO, "namespace ''{0}'' deleted: detaching", name);
            a.detach();
        }
    }

    /** Called on the loop when an interface is served: the network gets a server DUID if it has none. */
    private void interfaceServing(NetworkRuntime network, Long mac) {
        if (network.serverDuid() == null && mac != null && mac != 0) {
            byte[] b = new byte[6];
            for (int i = 0; i < 6; i++) {
                b[i] = (byte) (mac >>> (40 - 8 * i));
            }
            long time = (System.currentTimeMillis() / 1000 - DUID_EPOCH) & 0xffffffffL;
            Duid duid = Duid.llt(1, time, Octets.of(b));
            network.serverDuid(duid);
            serverDuidCreated.accept(network.id(), duid);
        }
    }

    /**
     * Serves {@code networkId} on another interface at runtime; the namespace is attached if it
     * exists (else when it appears).
     */
    public CompletableFuture<Void> serve(String namespace, String ifname, String networkId) {
        NamespaceAttachment a;
        synchronized (this) {
            if (!networks.containsKey(networkId)) {
                throw new IllegalArgumentException("unknown network: " + networkId);
            }
            served.computeIfAbsent(namespace, k -> new LinkedHashMap<>()).put(ifname, networkId);
            checkServed();
            a = attached.get(namespace);
            if (a == null) {
                return running ? attachNamespace(namespace) : CompletableFuture.completedFuture(null);
            }
        }
        NetworkRuntime network = networks.get(networkId);
        pin(network, a.loop());
        return CompletableFuture.runAsync(() -> a.serve(ifname, network), a.loop());
    }

    /** Stops serving an interface; when its namespace serves nothing else, the namespace is detached. */
    public CompletableFuture<Void> unserve(String namespace, String ifname) {
        NamespaceAttachment a;
        boolean last;
        synchronized (this) {
            Map<String, String> ifaces = served.get(namespace);
            if (ifaces == null || ifaces.remove(ifname) == null) {
                return CompletableFuture.completedFuture(null);
            }
            last = ifaces.isEmpty();
            if (last) {
                served.remove(namespace);
            }
            a = last ? attached.remove(namespace) : attached.get(namespace);
        }
        if (a == null) {
            return CompletableFuture.completedFuture(null);
        }
        return last ? a.detach() : CompletableFuture.runAsync(() -> a.unserve(ifname), a.loop());
    }

    /**
     * What is to be served: namespace ("" for the daemon's own) to interface to network, whether
     * attached yet or waiting for its namespace to appear. A copy.
     */
    public synchronized Map<String, Map<String, String>> servedConfiguration() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        served.forEach((ns, ifaces) -> out.put(ns, new LinkedHashMap<>(ifaces)));
        return out;
    }

    /** The namespaces attached now. */
    public synchronized List<String> attachedNamespaces() {
        return new ArrayList<>(attached.keySet());
    }

    /** The interfaces with open sockets in {@code namespace}, or empty when it is not attached. */
    public List<String> servedInterfaces(String namespace) {
        NamespaceAttachment a;
        synchronized (this) {
            a = attached.get(namespace);
        }
        if (a == null) {
            return List.of();
        }
        return onLoop(a.loop(), a::servedInterfaces);
    }

    /**
     * Waits until {@code ifname} in {@code namespace} has its sockets, polling every 20 ms.
     *
     * @return true when it is served within {@code timeout}
     */
    public boolean awaitServing(String namespace, String ifname, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (servedInterfaces(namespace).contains(ifname)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    // ---- networks, leases --------------------------------------------------------------------------

    /** The network {@code id}. */
    public synchronized NetworkRuntime network(String id) {
        NetworkRuntime n = networks.get(id);
        if (n == null) {
            throw new IllegalArgumentException("unknown network: " + id);
        }
        return n;
    }

    /** Every network, in configuration order. */
    public synchronized List<NetworkRuntime> networks() {
        return Collections.unmodifiableList(new ArrayList<>(networks.values()));
    }

    /**
     * Adds a network at runtime (a configuration reload); serve it with {@link #serve}.
     *
     * @param leases its lease table, already loaded with its durable leases
     * @throws IllegalArgumentException when a network of that id exists
     */
    public synchronized NetworkRuntime addNetwork(NetworkSnapshot network, LeaseTable leases) {
        if (networks.containsKey(network.id())) {
            throw new IllegalArgumentException("network " + network.id() + " exists");
        }
        NetworkRuntime n = new NetworkRuntime(network, leases);
        networks.put(network.id(), n);
        return n;
    }

    /**
     * Stops serving a network on every interface and forgets it (its leases stay wherever the
     * persistence keeps them).
     *
     * @return completes when its interfaces are closed; false when there was no such network
     */
    public CompletableFuture<Boolean> removeNetwork(String networkId) {
        List<String[]> interfaces = new ArrayList<>();
        NetworkRuntime n;
        synchronized (this) {
            n = networks.remove(networkId);
            if (n == null) {
                return CompletableFuture.completedFuture(false);
            }
            served.forEach((ns, ifaces) -> ifaces.forEach((ifname, net) -> {
                if (net.equals(networkId)) {
                    interfaces.add(new String[] {ns, ifname});
                }
            }));
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (String[] i : interfaces) {
            closing.add(unserve(i[0], i[1]));
        }
        n.stopSweep();
        return CompletableFuture.allOf(closing.toArray(new CompletableFuture[0])).thenApply(v -> true);
    }

    /**
     * Releases a DHCPv4 lease as if its client had sent a RELEASE: removed from the table, the
     * removal made durable, and the address free again.
     *
     * @return completes with true once durable, false when no lease holds the address
     */
    public CompletableFuture<Boolean> release4(String networkId, java.net.Inet4Address address) {
        NetworkRuntime n = network(networkId);
        return release(n, t -> {
            Lease4 gone = t.remove4(io.leasehold.wire.IpAddresses.toInt(address));
            return gone == null ? null : LeaseChange.delete(networkId, gone);
        });
    }

    /** {@link #release4} for a DHCPv6 address lease (or a delegated prefix, given its length). */
    public CompletableFuture<Boolean> release6(String networkId, java.net.Inet6Address address, int prefixLength) {
        NetworkRuntime n = network(networkId);
        return release(n, t -> {
            Lease6 gone = t.remove6(address, prefixLength);
            return gone == null ? null : LeaseChange.delete(networkId, gone);
        });
    }

    private CompletableFuture<Boolean> release(NetworkRuntime n, Function<LeaseTable, LeaseChange> remove) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        EventExecutor loop = n.loop();
        Runnable task = () -> {
            LeaseChange change = remove.apply(n.leases());
            if (change == null) {
                done.complete(false);
                return;
            }
            Executor executor = loop != null ? loop : Runnable::run;
            boolean queued = persistence.persist(List.of(change), executor, failure -> {
                if (failure == null) {
                    done.complete(true);
                } else {
                    done.completeExceptionally(failure);
                }
            });
            if (!queued) {
                n.leases().apply(change.kind() == LeaseChange.Kind.DELETE4
                        ? LeaseChange.put(n.id(), change.lease4()) : LeaseChange.put(n.id(), change.lease6()));
                done.completeExceptionally(new java.io.IOException("lease journal full: release not made durable"));
            }
        };
        if (loop == null || !running) {
            synchronized (n) {   // not served: no loop touches the table
                task.run();
            }
        } else {
            loop.execute(task);
        }
        return done;
    }

    /** Changes a network's snapshot atomically; the next packet sees the new one. */
    public NetworkSnapshot update(String networkId, UnaryOperator<NetworkSnapshot> change) {
        return network(networkId).update(change);
    }

    /** The network's DHCPv4 leases now (a copy made on its loop). */
    public List<Lease4> leases4(String networkId) {
        NetworkRuntime n = network(networkId);
        return onNetworkLoop(n, () -> n.leases().leases4());
    }

    /** The network's DHCPv6 leases now (a copy made on its loop). */
    public List<Lease6> leases6(String networkId) {
        NetworkRuntime n = network(networkId);
        return onNetworkLoop(n, () -> n.leases().leases6());
    }

    /**
     * Runs {@code action} with the network's lease table on the loop that owns it, and returns its
     * result; for the control socket (release, inspect).
     */
    public <T> T withLeases(String networkId, Function<LeaseTable, T> action) {
        NetworkRuntime n = network(networkId);
        return onNetworkLoop(n, () -> action.apply(n.leases()));
    }

    private <T> T onNetworkLoop(NetworkRuntime n, java.util.concurrent.Callable<T> task) {
        EventExecutor loop = n.loop();
        if (loop == null || !running) {
            try {
                return task.call();   // not served: nobody else touches the table
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return onLoop(loop, task);
    }

    private static <T> T onLoop(EventExecutor loop, java.util.concurrent.Callable<T> task) {
        if (loop.inEventLoop()) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return loop.submit(task).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
