package io.leasehold.dnsmasq;

import io.leasehold.dns.DnsService;
import io.leasehold.lease.LeaseTable;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.server.LeasePersistence;
import io.leasehold.server.LeaseholdServer;
import io.leasehold.server.NetworkRuntime;
import io.leasehold.store.LeaseStore;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The networks dnsmasq command lines describe, served by one {@link LeaseholdServer} with their
 * leases in one {@link LeaseStore}: what a dnsmasq process does for its one network, for many.
 *
 * <p>For each network:
 * <ul>
 *   <li>{@link #add}: the command line's files are read ({@link DnsmasqNetwork#load}); the lease
 *       file Neutron seeded before the spawn becomes the network's durable base (a RESET, then a
 *       load: whatever the journal held for an earlier run is void, as it is for a restarted
 *       dnsmasq, neutron-compat §2.4); its {@code duid} line is kept, or a DUID made from the
 *       serving interface's MAC is written there; the interfaces are served; DNS starts.</li>
 *   <li>{@link #reload}: SIGHUP. The hosts, opts and addn-hosts files are re-read by path and only
 *       the differences applied; leases are untouched (neutron-compat §3.5).</li>
 *   <li>{@link #remove}: the sockets close and the store stops writing the lease file, without a
 *       last write: after a SIGKILL Neutron re-seeds that file and starts afresh, and a late write
 *       from here would overwrite its seed. Every change was written already
 *       ({@link StorePersistence}).</li>
 * </ul>
 * Methods are synchronized: one network changes at a time.
 */
public final class DnsmasqNetworks implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DnsmasqNetworks.class.getName());

    /** dnsmasq's lease file when none is named ({@code LEASEFILE} in config.h). */
    public static final String DEFAULT_LEASE_FILE = "/var/lib/misc/dnsmasq.leases";

    private static final Duration ATTACH_WAIT = Duration.ofSeconds(15);

    /**
     * A network being served.
     *
     * @param id         the network id (the pid file's directory name)
     * @param args       its command line
     * @param namespace  the namespace it is served in ("" for the daemon's own)
     * @param interfaces the interfaces served there
     * @param leaseFile  its dnsmasq lease file
     */
    public record Served(String id, DnsmasqArgs args, String namespace, List<String> interfaces, Path leaseFile) {
        public Served {
            interfaces = List.copyOf(interfaces);
        }
    }

    private record State(Served served, DnsmasqNetwork.Loaded loaded) {
    }

    private final LeaseholdServer server;
    private final LeaseStore store;
    private final DnsService dns;
    private final Map<String, State> networks = new LinkedHashMap<>();

    /**
     * @param server a started server, built with {@link #configure}
     * @param store  the store the server's persistence writes to
     * @param dns    DNS for the networks, or null for none
     */
    public DnsmasqNetworks(LeaseholdServer server, LeaseStore store, DnsService dns) {
        this.server = Objects.requireNonNull(server, "server");
        this.store = Objects.requireNonNull(store, "store");
        this.dns = dns;
    }

    /** The persistence a server used with this class needs: the store's journal, then the lease file. */
    public static LeasePersistence persistence(LeaseStore store) {
        return new StorePersistence(store);
    }

    /**
     * Sets up a server builder for this class: {@link #persistence(LeaseStore)}, and a server DUID
     * made for a network whose lease file had no {@code duid} line written there at once.
     */
    public static LeaseholdServer.Builder configure(LeaseholdServer.Builder builder, LeaseStore store) {
        return builder.persistence(persistence(store)).onServerDuidCreated((network, duid) -> {
            try {
                store.serverDuid(network, duid);
                store.compact(network);
            } catch (IllegalStateException e) {
                LOG.log(Level.WARNING, "network " + network + ": server DUID not recorded: " + e.getMessage());
            }
        });
    }

    /**
     * Starts serving the network {@code args} describes on {@code interfaces} of {@code namespace}.
     * A network with the same id already served is removed first (a respawn).
     *
     * @return what is served; {@code problems} of its files are logged
     * @throws IOException when the lease file cannot be read or the namespace cannot be attached
     */
    public synchronized Served add(DnsmasqArgs args, String namespace, List<String> interfaces) throws IOException {
        String id = args.networkId() != null ? args.networkId() : "default";
        if (networks.containsKey(id)) {
            remove(id);
        }
        DnsmasqNetwork.Loaded loaded = DnsmasqNetwork.load(args);
        for (LineError e : loaded.problems()) {
            LOG.log(Level.WARNING, "network " + id + ": " + e);
        }
        for (LineError e : loaded.warnings()) {
            LOG.log(Level.INFO, "network " + id + ": " + e);
        }
        NetworkSnapshot snapshot = loaded.spec().build();
        Path leaseFile = Path.of(args.leaseFile() != null && !args.leaseFile().isEmpty() ? args.leaseFile()
                : DEFAULT_LEASE_FILE);
        LeaseTable table = new LeaseTable(id, Math.max(1, snapshot.settings().leaseMax()));
        await(store.reset(id), "reset leases of " + id);
        LeaseStore.LoadReport report = store.load(id, leaseFile, table);
        NetworkRuntime runtime = server.addNetwork(snapshot, table);
        if (report.serverDuid() != null) {
            runtime.serverDuid(report.serverDuid());   // the seeded file's duid line: clients know us by it
        }
        Served served = new Served(id, args, namespace, interfaces, leaseFile);
        networks.put(id, new State(served, loaded));
        try {
            List<CompletableFuture<Void>> attaching = new ArrayList<>();
            for (String ifname : interfaces) {
                attaching.add(server.serve(namespace, ifname, id));
            }
            await(CompletableFuture.allOf(attaching.toArray(new CompletableFuture[0])), "attach " + namespace);
            for (String ifname : interfaces) {
                if (!server.awaitServing(namespace, ifname, ATTACH_WAIT)) {
                    LOG.log(Level.WARNING, "network " + id + ": interface " + ifname + " in namespace '" + namespace
                            + "' is not served yet; it will be when it appears");
                }
            }
            if (dns != null) {
                dns.serve(id, namespace, args, loaded.addnHosts(), snapshot);
            }
        } catch (IOException | RuntimeException e) {
            remove(id);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            remove(id);
            throw new IOException("interrupted", e);
        }
        // The file as dnsmasq writes it at start: the seeded leases still valid, and the duid line.
        store.compact(id);
        LOG.log(Level.INFO, "network " + id + ": serving " + interfaces + " in namespace '" + namespace + "', "
                + report.loaded() + " leases from " + leaseFile);
        return served;
    }

    /**
     * SIGHUP: re-reads the network's hosts, opts and addn-hosts files and applies what changed.
     *
     * @return the problems of the files re-read, or null when the network is not served
     */
    public synchronized List<LineError> reload(String id) {
        State s = networks.get(id);
        if (s == null) {
            return null;
        }
        NetworkRuntime runtime = server.network(id);
        DnsmasqNetwork.Reloaded r = DnsmasqNetwork.reload(runtime.snapshot(), s.loaded(), s.served().args());
        runtime.update(current -> r.snapshot());
        networks.put(id, new State(s.served(), r.loaded()));
        if (dns != null) {
            dns.update(id, r.loaded().addnHosts(), r.snapshot());
        }
        for (LineError e : r.loaded().problems()) {
            LOG.log(Level.WARNING, "network " + id + ": " + e);
        }
        LOG.log(Level.INFO, "network " + id + ": reloaded");
        return r.loaded().problems();
    }

    /** Stops serving a network (see the class comment); nothing happens when it is not served. */
    public synchronized void remove(String id) throws IOException {
        State s = networks.remove(id);
        if (s == null) {
            return;
        }
        if (dns != null) {
            dns.remove(id);
        }
        await(server.removeNetwork(id), "stop serving " + id);
        await(store.reset(id), "release the lease file of " + id);
        LOG.log(Level.INFO, "network " + id + ": stopped");
    }

    /**
     * Stops serving a network after a last write of its lease file (a clean stop, SIGTERM).
     */
    public synchronized void stop(String id) throws IOException {
        State s = networks.remove(id);
        if (s == null) {
            return;
        }
        if (dns != null) {
            dns.remove(id);
        }
        await(server.removeNetwork(id), "stop serving " + id);
        await(store.unload(id), "write the lease file of " + id);
    }

    /** The networks served now. */
    public synchronized List<Served> served() {
        List<Served> out = new ArrayList<>();
        for (State s : networks.values()) {
            out.add(s.served());
        }
        return out;
    }

    public synchronized boolean isServed(String id) {
        return networks.containsKey(id);
    }

    public LeaseholdServer server() {
        return server;
    }

    public LeaseStore store() {
        return store;
    }

    /** Stops every network cleanly (a last write of each lease file). */
    @Override
    public synchronized void close() {
        for (String id : new ArrayList<>(networks.keySet())) {
            try {
                stop(id);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "network " + id + ": " + e.getMessage());
            }
        }
    }

    private static <T> T await(CompletableFuture<T> f, String what) throws IOException {
        try {
            return f.get(ATTACH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + ": interrupted", e);
        } catch (TimeoutException e) {
            throw new IOException(what + ": no answer within " + ATTACH_WAIT.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new IOException(what + ": " + (c.getMessage() != null ? c.getMessage() : c), c);
        }
    }
}
