package io.leasehold.daemon;

import io.leasehold.config.Attachment;
import io.leasehold.config.ConfigDiff;
import io.leasehold.config.ConfigException;
import io.leasehold.config.ConfigLoader;
import io.leasehold.config.LeaseholdConfig;
import io.leasehold.control.ControlException;
import io.leasehold.control.ControlProtocol;
import io.leasehold.control.ControlServer;
import io.leasehold.control.ControlTarget;
import io.leasehold.control.ReservationOverlay;
import io.leasehold.dnsmasq.SnapshotDiff;
import io.leasehold.lease.LeaseTable;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.option.Duid;
import io.leasehold.server.LeaseholdServer;
import io.leasehold.server.NetworkRuntime;
import io.leasehold.store.LeaseStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The daemon {@code leasehold serve --config FILE} runs: a {@link LeaseholdServer} for the networks
 * and attachments of a native configuration, with durable leases in a {@link LeaseStore} under the
 * configuration's data directory, and a reload that applies only what changed in the file.
 *
 * <h2>Durable state</h2>
 * <pre>
 * &lt;dataDir&gt;/journal-*.lhj              every lease change, committed before its reply leaves
 * &lt;dataDir&gt;/leases/&lt;network&gt;.leases    each network's leases in dnsmasq's lease-file format
 *                                       (rewritten by compaction, and at once after a release)
 * </pre>
 * The server DUID of each network is the {@code duid} line of its lease file: made once, when the
 * network is first served, and kept across restarts.
 * <pre>
 * &lt;dataDir&gt;/reservations.json          reservations added, changed or removed through the control
 *                                       socket ({@link ReservationOverlay}), applied over the
 *                                       configuration's at start and after every reload
 * </pre>
 *
 * <h2>Control socket</h2>
 * When the configuration names {@code controlSocket}, the daemon serves it ({@link ControlServer},
 * open to root and {@code controlGroup}) from the moment its networks are served until it closes.
 *
 * <h2>Reload</h2>
 * {@link #reload()} reads the file again; a file with any problem changes nothing (every problem is
 * reported, with its path). Otherwise the differences are applied: changed reservations, options
 * and subnets through {@link SnapshotDiff} (the snapshot is updated in place, never rebuilt, and no
 * lease is touched), new networks loaded and served, removed networks stopped (their leases stay on
 * disk and come back if the network returns), interfaces attached and detached. {@code dataDir},
 * {@code fsync} and {@code controlSocket} take effect on restart only; a reload that changes them
 * says so.
 */
public final class Daemon implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Daemon.class.getName());
    private static final long WAIT_SECONDS = 30;

    private final Path configFile;
    private final LeaseStore store;
    private final LeaseholdServer server;
    private final ReservationOverlay overlay;
    private LeaseholdConfig config;
    private ControlServer control;

    private Daemon(LeaseholdConfig config, Path configFile, LeaseStore store, ReservationOverlay overlay,
                   LeaseholdServer.Builder builder) {
        this.config = config;
        this.configFile = configFile;
        this.store = store;
        this.overlay = overlay;
        this.server = builder.build();
    }

    /** Reads {@code configFile} and starts serving it. */
    public static Daemon start(Path configFile) throws IOException {
        return start(ConfigLoader.load(configFile), configFile);
    }

    /**
     * Starts serving {@code config}: opens the store (locking the data directory), loads every
     * network's durable leases, attaches the configured namespaces present (the others when they
     * appear) and returns.
     *
     * @param configFile the file {@link #reload()} reads, or null when the configuration was built
     *                   in memory (then only {@link #apply} changes it)
     * @throws IllegalStateException when the machine cannot run the server (see
     *         {@link LeaseholdServer#start()}), or the data directory is in use by another daemon
     */
    public static Daemon start(LeaseholdConfig config, Path configFile) throws IOException {
        Files.createDirectories(config.dataDir().resolve("leases"));
        LeaseStore store = LeaseStore.open(config.dataDir(), LeaseStore.Options.of(config.fsync()));
        Daemon d;
        try {
            ReservationOverlay overlay = ReservationOverlay.open(config.dataDir());
            LeaseholdServer.Builder b = LeaseholdServer.builder()
                    .persistence(new JournalPersistence(store))
                    .leaseTables(n -> load(store, config.dataDir(), n))
                    .onServerDuidCreated((network, duid) -> keepDuid(store, network, duid));
            config.snapshots().values().forEach(n -> b.network(overlay.apply(n)));
            for (Attachment a : config.attachments()) {
                b.serve(a.namespace(), a.iface(), a.network());
            }
            d = new Daemon(config, configFile, store, overlay, b);
        } catch (RuntimeException | IOException e) {
            store.close();
            throw e;
        }
        for (NetworkRuntime n : d.server.networks()) {
            Duid duid = store.serverDuid(n.id());
            if (duid != null) {
                n.serverDuid(duid);
            }
        }
        try {
            d.server.start();
        } catch (RuntimeException e) {
            d.server.stop();
            store.close();   // stop() closes it only when the server had started
            throw e;
        }
        if (config.controlSocket() != null) {
            try {
                d.control = ControlServer.start(d.controlTarget(),
                        ControlServer.Options.of(config.controlSocket()).withGroup(config.controlGroup()));
            } catch (IOException | RuntimeException e) {
                d.server.stop();
                throw e;
            }
        }
        LOG.log(Level.INFO, "serving {0} networks on {1} interfaces; leases in {2}", d.server.networks().size(),
                config.attachments().size(), config.dataDir());
        return d;
    }

    /** Where a network's lease file lives under the data directory. */
    public static Path leaseFile(Path dataDir, String networkId) {
        return dataDir.resolve("leases").resolve(networkId + ".leases");
    }

    private static LeaseTable load(LeaseStore store, Path dataDir, NetworkSnapshot network) {
        LeaseTable table = new LeaseTable(network.id(), Math.max(1, network.settings().leaseMax()));
        try {
            LeaseStore.LoadReport r = store.load(network.id(), leaseFile(dataDir, network.id()), table);
            LOG.log(Level.INFO, "network {0}: {1} leases loaded ({2} from the lease file, {3} journal records,"
                    + " {4} expired, {5} refused: table full)", network.id(), r.loaded(), r.fromFile(), r.replayed(),
                    r.expired(), r.refused());
        } catch (IOException e) {
            throw new UncheckedIOException("network " + network.id() + ": leases not loaded: " + e.getMessage(), e);
        }
        return table;
    }

    /** On an event loop: a network's new server DUID goes into its lease file now, not at the next compaction. */
    private static void keepDuid(LeaseStore store, String network, Duid duid) {
        try {
            store.serverDuid(network, duid);
            store.compact(network);
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, "network {0}: server DUID not kept: {1}", network, e.getMessage());
        }
    }

    public LeaseholdServer server() {
        return server;
    }

    public LeaseStore store() {
        return store;
    }

    /** The control socket served, or null when the configuration names none. */
    public ControlServer control() {
        return control;
    }

    /** What the control socket operates on: this daemon's server, reload and reservation overlay. */
    private ControlTarget controlTarget() {
        return new ControlTarget() {
            @Override
            public LeaseholdServer server() {
                return server;
            }

            @Override
            public String reload() {
                try {
                    return Daemon.this.reload().toString();
                } catch (ConfigException e) {
                    throw new ControlException(ControlProtocol.ErrorCode.INVALID_CONFIG,
                            "reload refused, nothing changed: " + e.getMessage().replace('\n', ' '));
                } catch (IOException e) {
                    throw new ControlException(ControlProtocol.ErrorCode.INVALID_CONFIG, "reload failed: " + e.getMessage());
                }
            }

            @Override
            public ReservationOverlay reservations() {
                return overlay;
            }
        };
    }

    /** The configuration served now. */
    public synchronized LeaseholdConfig config() {
        return config;
    }

    /** The file {@link #reload()} reads, or null. */
    public Path configFile() {
        return configFile;
    }

    /**
     * Reads the configuration file again and applies its differences.
     *
     * @throws ConfigException when the file has problems (all of them, with their paths): nothing
     *         is changed
     * @throws IOException     when it cannot be read: nothing is changed
     */
    public ReloadReport reload() throws IOException {
        if (configFile == null) {
            throw new IllegalStateException("no configuration file to reload: the configuration was given in memory");
        }
        return apply(ConfigLoader.load(configFile));
    }

    /** Applies the differences between the configuration served now and {@code next}. */
    public synchronized ReloadReport apply(LeaseholdConfig next) throws IOException {
        Objects.requireNonNull(next, "next");
        Map<String, NetworkSnapshot> current = new LinkedHashMap<>();
        for (NetworkRuntime n : server.networks()) {
            current.put(n.id(), n.snapshot());
        }
        ConfigDiff diff = ConfigDiff.between(config, next, current);
        for (String s : diff.restartSettings()) {
            LOG.log(Level.WARNING, "{0} changed: it takes effect when the daemon restarts", s);
        }
        List<CompletableFuture<?>> waits = new ArrayList<>();
        for (Attachment a : diff.detach()) {
            waits.add(server.unserve(a.namespace(), a.iface()));
        }
        for (String id : diff.removed()) {
            waits.add(server.removeNetwork(id).thenCompose(v -> store.unload(id)));
        }
        await(waits, "detaching");
        int updates = 0;
        int changed = 0;
        for (Map.Entry<String, SnapshotDiff.Result> e : diff.changed().entrySet()) {
            SnapshotDiff.Result r = e.getValue();
            if (r.changed()) {
                changed++;
                updates += r.updates();
                server.update(e.getKey(), s -> overlay.apply(r.snapshot()));
                if (r.snapshot().settings().leaseMax() != current.get(e.getKey()).settings().leaseMax()) {
                    LOG.log(Level.WARNING, "network {0}: the lease maximum takes effect when the daemon restarts",
                            e.getKey());
                }
            }
        }
        for (NetworkSnapshot n : diff.added().values()) {
            NetworkRuntime runtime = server.addNetwork(overlay.apply(n), load(store, next.dataDir(), n));
            Duid duid = store.serverDuid(n.id());
            if (duid != null) {
                runtime.serverDuid(duid);
            }
        }
        for (Attachment a : diff.attach()) {
            waits.add(server.serve(a.namespace(), a.iface(), a.network()));
        }
        await(waits, "attaching");
        config = next;
        ReloadReport report = new ReloadReport(changed, updates, diff.added().size(), diff.removed().size(),
                diff.attach().size(), diff.detach().size(), diff.restartSettings());
        LOG.log(Level.INFO, "reloaded: {0}", report);
        return report;
    }

    private static void await(List<CompletableFuture<?>> waits, String what) throws IOException {
        try {
            CompletableFuture.allOf(waits.toArray(new CompletableFuture[0])).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + ": interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(what + ": " + (e.getCause() != null ? e.getCause() : e), e);
        } finally {
            waits.clear();
        }
    }

    /** Stops serving, then closes the store (which brings every lease file up to date). */
    @Override
    public void close() {
        if (control != null) {
            control.close();
        }
        server.stop();
    }

    /**
     * What a reload did.
     *
     * @param networksChanged  networks whose snapshot changed
     * @param updates          reservations, option lines and subnets re-added, removed or moved in them
     * @param networksAdded    networks started
     * @param networksRemoved  networks stopped
     * @param attached         interfaces attached
     * @param detached         interfaces detached
     * @param restartSettings  changed settings that wait for a restart
     */
    public record ReloadReport(int networksChanged, int updates, int networksAdded, int networksRemoved,
                               int attached, int detached, List<String> restartSettings) {
        @Override
        public String toString() {
            return networksChanged + " networks changed (" + updates + " updates), " + networksAdded + " added, "
                    + networksRemoved + " removed; " + attached + " interfaces attached, " + detached + " detached"
                    + (restartSettings.isEmpty() ? "" : "; on restart: " + String.join(", ", restartSettings));
        }
    }
}
