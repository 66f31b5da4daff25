package io.leasehold.store;

import io.leasehold.lease.DnsmasqLeaseFile;
import io.leasehold.lease.Lease4;
import io.leasehold.lease.Lease6;
import io.leasehold.lease.LeaseChange;
import io.leasehold.lease.LeaseTable;
import io.leasehold.option.Duid;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durable leases for every network of the daemon: one {@link LeaseJournal} in a data directory,
 * plus per network a lease file in dnsmasq's format ({@link DnsmasqLeaseFile}) at a path the caller
 * gives (in dnsmasq-compatible mode Neutron dictates it: {@code --dhcp-leasefile=<confs>/<N>/leases},
 * and reads it to decide which leases to release).
 *
 * <h2>Layout</h2>
 * <pre>
 * &lt;data dir&gt;/lock                    locked (fcntl) while a store has the directory open
 * &lt;data dir&gt;/journal-&lt;gen&gt;.lhj        journal generations; appends go to the highest
 * &lt;lease file of each network&gt;       rewritten whole by compaction: temp file, fsync, rename
 * </pre>
 *
 * <h2>What the durable state of a network is</h2>
 * Its lease file, then the records of that network in every journal generation in order, starting
 * after its last {@code RESET}. Journal records are absolute (a whole lease, or a key removed), so
 * replaying a record that the lease file already reflects changes nothing, key by key; that is what
 * lets the file and the journal be rewritten at different times without coordination, and it is the
 * whole correctness argument of compaction below.
 *
 * <p>The lease file cannot hold everything: dnsmasq writes no offered or declined leases, no
 * delegated prefixes, and no illegal host names. Such leases ({@link DnsmasqLeaseFile#roundTrips}
 * false) are kept in the journal: compaction copies them into the new journal generation. So
 * everything written loads back exactly, hostile host names included.
 *
 * <h2>Compaction, and why a crash at any point loses nothing acknowledged</h2>
 * The store keeps, on the journal's writer thread, a mirror of each loaded network built from what
 * the journal committed. A compaction, on the store's own thread ({@value #COMPACTOR_NAME}):
 * <ol>
 *   <li>On the writer thread, between two rounds (call that point R): drop expired leases from
 *       the mirrors; force the current generation G; create generation G+1; write into it the
 *       leases the lease files cannot hold, and the pending records of networks not loaded (the
 *       last change of each key: they are carried from generation to generation until the network
 *       is loaded, or reset); force it and the directory; switch appends to it. A crash before the switch leaves G as the last complete generation and G+1 absent,
 *       empty or torn; a torn G+1 is cut at start, and everything in it is also in G.</li>
 *   <li>Write each loaded network's lease file from its mirror: temp file in the same directory,
 *       write, fsync, rename over the old file, fsync the directory. The mirror is read after R, so
 *       for every key the file holds the value of some point at or after R. A crash here leaves some
 *       files new and some old, and every generation still present: replaying all of them over
 *       either version of a file gives, key by key, the last change of that key, which is the
 *       acknowledged state.</li>
 *   <li>Only when every file is in place: delete the generations before G+1, oldest first, and
 *       fsync the directory. After that, a key changed after R is replayed from G+1; a key not
 *       changed since R has its value at R in the file (or, if the file cannot hold it, in G+1's
 *       carried records). A crash between deletions leaves a suffix of old generations, which
 *       replays to the same values by the same argument.</li>
 * </ol>
 * A failure in step 2 keeps every generation; the next compaction tries again. Startup reads all
 * generations, so a crash at any step only makes the next start read more.
 *
 * <p>Triggers: the journal generation has grown by {@link Options#compactAfterBytes}, or
 * {@link Options#compactInterval} passed with something written; {@link #compact()} on demand; on
 * close when {@link Options#compactOnClose}. The writer thread's share of a compaction is O(leases)
 * in memory (the carried-over leases and expired-lease purge), a few milliseconds per 100k leases;
 * the files are written by the compaction thread while appends go on.
 *
 * <h2>One network's file</h2>
 * {@link #compact(String)} rewrites only that network's lease file (step 2 above, no journal
 * rotation): it is what to call after a release, since Neutron reads the file to decide which
 * leases to release (neutron-compat §3.7). It is safe at any time: the file then holds each key's
 * value at some point after the last rotation, which the journal replays over correctly. Cost:
 * formatting the network's leases plus writing the file, one fsync of it and one of its directory,
 * on the compaction thread (the event loop only queues the request): measured by
 * {@code LeaseStoreBenchmark} on the shared build machine, 1 to 5 ms for a network of 1,000 leases
 * and 7 to 16 ms for 10,000 (three runs; the two fsyncs dominate and vary), and about 350 bytes of
 * garbage per lease. Requests made while a write is under way are coalesced into the next write.
 *
 * <p>The futures this class returns complete on the common pool, never on its own threads.
 *
 * <h2>The caller's protocol</h2>
 * <ul>
 *   <li>{@link #load} a network before appending its changes; the table is filled with its durable
 *       state. Loading blocks (file I/O and a round trip through the writer): do it before the
 *       table is handed to its event loop.</li>
 *   <li>Append changes with {@link #append} (see {@link LeaseJournal} for the event-loop idiom).</li>
 *   <li>When someone else rewrites a lease file (Neutron seeds it before every spawn of dnsmasq):
 *       {@link #unload} the network (and wait) before the file is rewritten, then {@link #reset}
 *       (and wait) and {@link #load} after. A store writes a network's lease file only while the
 *       network is loaded.</li>
 * </ul>
 */
public final class LeaseStore implements AutoCloseable {

    /** The compaction thread's name. */
    public static final String COMPACTOR_NAME = "leasehold-compactor";

    /**
     * How the store works.
     *
     * @param journal           the journal's options (fsync policy above all)
     * @param compactAfterBytes compact when the current journal generation has grown by this much
     * @param compactInterval   compact when this much time has passed since the last compaction
     *                          and something was written
     * @param compactOnClose    compact when closing, so the lease files are current
     * @param clock             the wall clock leases expire by
     */
    public record Options(LeaseJournal.Options journal, long compactAfterBytes, Duration compactInterval,
                          boolean compactOnClose, Clock clock) {

        public static final long DEFAULT_COMPACT_AFTER_BYTES = 32L << 20;
        public static final Duration DEFAULT_COMPACT_INTERVAL = Duration.ofHours(1);

        public Options {
            Objects.requireNonNull(journal, "journal");
            Objects.requireNonNull(compactInterval, "compactInterval");
            Objects.requireNonNull(clock, "clock");
            if (compactAfterBytes <= 0) {
                throw new IllegalArgumentException("compactAfterBytes: " + compactAfterBytes + " (expected: > 0)");
            }
            if (compactInterval.isNegative() || compactInterval.isZero()) {
                throw new IllegalArgumentException("compactInterval: " + compactInterval + " (expected: > 0)");
            }
        }

        /** The defaults with this fsync policy: compact every 32 MiB or hour, and on close. */
        public static Options of(FsyncPolicy policy) {
            return new Options(LeaseJournal.Options.of(policy), DEFAULT_COMPACT_AFTER_BYTES, DEFAULT_COMPACT_INTERVAL,
                    true, Clock.systemUTC());
        }

        public Options withJournal(LeaseJournal.Options options) {
            return new Options(options, compactAfterBytes, compactInterval, compactOnClose, clock);
        }

        public Options withCompactAfterBytes(long n) {
            return new Options(journal, n, compactInterval, compactOnClose, clock);
        }

        public Options withCompactInterval(Duration interval) {
            return new Options(journal, compactAfterBytes, interval, compactOnClose, clock);
        }

        public Options withCompactOnClose(boolean compact) {
            return new Options(journal, compactAfterBytes, compactInterval, compact, clock);
        }

        public Options withClock(Clock c) {
            return new Options(journal, compactAfterBytes, compactInterval, compactOnClose, c);
        }
    }

    /**
     * What {@link #load} found.
     *
     * @param networkId  the network
     * @param leaseFile  its lease file
     * @param serverDuid the DUID of the file's {@code duid} line (kept by later compactions), or null
     * @param fromFile   leases read from the lease file
     * @param replayed   journal records applied on top of it
     * @param expired    leases dropped because they had expired
     * @param refused    leases the table refused because it was full
     * @param loaded     leases in the table afterwards
     * @param problems   the lease file's bad lines (also logged)
     */
    public record LoadReport(String networkId, Path leaseFile, Duid serverDuid, int fromFile, int replayed, int expired,
                             int refused, int loaded, List<DnsmasqLeaseFile.Problem> problems) {
    }

    private static final System.Logger LOG = System.getLogger(LeaseStore.class.getName());
    private static final Pattern JOURNAL_NAME = Pattern.compile("journal-(\\d{10})\\.lhj");
    private static final String LOCK_NAME = "lock";
    /** How long {@link #load} waits for the writer; it only queues behind appends. */
    private static final long LOAD_WAIT_MILLIS = 30_000;
    /** How long {@link #reset} retries a full queue. */
    private static final long RESET_WAIT_MILLIS = 10_000;
    private static final long COMPACTOR_TICK_MILLIS = 1_000;

    /** An IPv6 lease's key. */
    record Key6(Inet6Address address, int prefixLength) {
    }

    /**
     * The durable state of one loaded network, kept by the writer thread from committed changes and
     * read by the compaction thread (concurrent maps: a reader sees each key at some recent point,
     * which is all compaction needs, see the class comment).
     */
    static final class Network {
        final String id;
        final Path leaseFile;
        volatile Duid serverDuid;
        final ConcurrentHashMap<Integer, Lease4> v4 = new ConcurrentHashMap<>();
        final ConcurrentHashMap<Key6, Lease6> v6 = new ConcurrentHashMap<>();
        /** Set when the network is unloaded or reset: its file is no longer ours to write. */
        volatile boolean detached;
        /** Changes applied so far (writer thread writes). */
        volatile long version;
        /** {@link #version} when the last successful write of the lease file began. */
        volatile long writtenVersion = -1;

        Network(String id, Path leaseFile, Duid serverDuid) {
            this.id = id;
            this.leaseFile = leaseFile;
            this.serverDuid = serverDuid;
        }

        void apply(LeaseChange c) {
            version++;
            switch (c.kind()) {
                case PUT4:
                    v4.put(c.lease4().address(), c.lease4());
                    break;
                case DELETE4:
                    v4.remove(c.lease4().address());
                    break;
                case PUT6:
                    v6.put(new Key6(c.lease6().address(), c.lease6().prefixLength()), c.lease6());
                    break;
                case DELETE6:
                    v6.remove(new Key6(c.lease6().address(), c.lease6().prefixLength()));
                    break;
                default:
                    throw new IllegalArgumentException(c.kind().toString());
            }
        }
    }

    /**
     * The journal records of a network that is not loaded (yet): the last change of each key since
     * its last RESET, which replays to the same state as all of them. Writer thread only.
     */
    static final class Pending {
        final Map<Object, LeaseChange> lastByKey = new LinkedHashMap<>();

        void apply(LeaseChange c) {
            if (c.kind() == LeaseChange.Kind.RESET) {
                lastByKey.clear();
            } else {
                lastByKey.put(key(c), c);
            }
        }
    }

    static Object key(LeaseChange c) {
        return c.lease4() != null ? (Object) c.lease4().address()
                : new Key6(c.lease6().address(), c.lease6().prefixLength());
    }

    private final Path dataDir;
    private final Options options;
    private final LeaseJournal.ChannelOpener opener;
    private final StoreHooks hooks;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final LeaseJournal journal;
    private final Thread compactor;

    /** Loaded networks: written by the writer thread, read by any. */
    private final ConcurrentHashMap<String, Network> networks = new ConcurrentHashMap<>();
    /** Not-loaded networks' records: writer thread only (and the opening thread before it starts). */
    private final Map<String, Pending> pending = new HashMap<>();

    // Compaction requests, guarded by `requests`.
    private final Object requests = new Object();
    private final Map<String, List<CompletableFuture<Void>>> dirty = new LinkedHashMap<>();
    private final List<CompletableFuture<Void>> fullWaiters = new ArrayList<>();
    private boolean fullRequested;
    private boolean stopping;
    private boolean abandoned;

    // Compaction thread state.
    private long generation;
    private volatile long sizeAfterRotation;
    private long lastCompactionNanos = System.nanoTime();

    private LeaseStore(Path dataDir, Options options, LeaseJournal.ChannelOpener opener, StoreHooks hooks)
            throws IOException {
        this.dataDir = dataDir;
        this.options = options;
        this.opener = opener;
        this.hooks = hooks;
        Files.createDirectories(dataDir);
        this.lockChannel = FileChannel.open(dataDir.resolve(LOCK_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("lease data directory " + dataDir + " is in use by another lease store");
        }
        this.lock = l;
        LeaseJournal j = null;
        try {
            TreeMap<Long, Path> generations = generations();
            for (Map.Entry<Long, Path> g : generations.entrySet()) {
                boolean last = g.getKey().equals(generations.lastKey());
                // Only the last generation can end torn (the others were forced before rotating
                // away); it is cut so appending resumes on a record boundary.
                LeaseJournal.Recovery r = LeaseJournal.read(g.getValue(), this::replay, last);
                LOG.log(Level.DEBUG, () -> g.getValue() + ": " + r.records() + " records");
            }
            generation = generations.isEmpty() ? 1 : generations.lastKey();
            j = new LeaseJournal(journalPath(generation), options.journal(), opener, this::committed);
            if (generations.size() > 1) {
                LOG.log(Level.INFO, "lease store " + dataDir + ": " + generations.size()
                        + " journal generations (a compaction was interrupted); compacting");
                fullRequested = true;
            }
        } catch (IOException | RuntimeException e) {
            if (j != null) {
                j.close();
            }
            lock.release();
            lockChannel.close();
            throw e;
        }
        this.journal = j;
        this.sizeAfterRotation = j.size();
        this.compactor = new Thread(this::compactLoop, COMPACTOR_NAME);
        compactor.setDaemon(true);
        compactor.start();
    }

    /**
     * Opens the store in a data directory (created if absent): reads every journal generation,
     * cutting a torn tail off the last (logged, never a refusal to start), and starts the journal
     * writer and the compaction thread.
     *
     * @throws IOException when the directory cannot be used, or another store holds it
     */
    public static LeaseStore open(Path dataDir, Options options) throws IOException {
        return new LeaseStore(dataDir, options, FileChannel::open, StoreHooks.NONE);
    }

    static LeaseStore open(Path dataDir, Options options, LeaseJournal.ChannelOpener opener, StoreHooks hooks)
            throws IOException {
        return new LeaseStore(dataDir, options, opener, hooks);
    }

    public Path dataDirectory() {
        return dataDir;
    }

    public LeaseJournal journal() {
        return journal;
    }

    public Options options() {
        return options;
    }

    private Path journalPath(long gen) {
        return dataDir.resolve(String.format("journal-%010d.lhj", gen));
    }

    private TreeMap<Long, Path> generations() throws IOException {
        TreeMap<Long, Path> out = new TreeMap<>();
        try (var files = Files.list(dataDir)) {
            files.forEach(p -> {
                Matcher m = JOURNAL_NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.put(Long.parseLong(m.group(1)), p);
                }
            });
        }
        return out;
    }

    /** A record read at startup, before the writer runs. */
    private void replay(LeaseChange c) {
        pending.computeIfAbsent(c.networkId(), id -> new Pending()).apply(c);
    }

    /** The writer's listener: keeps the mirrors and the pending records in commit order. */
    private void committed(List<LeaseChange> changes) {
        for (LeaseChange c : changes) {
            if (c.kind() == LeaseChange.Kind.RESET) {
                // The lease file is the new base: whatever we held is void and the file is no longer
                // ours to write until the network is loaded again.
                Network n = networks.remove(c.networkId());
                if (n != null) {
                    n.detached = true;
                }
                pending.remove(c.networkId());
                continue;
            }
            Network n = networks.get(c.networkId());
            if (n != null) {
                n.apply(c);
            } else {
                pending.computeIfAbsent(c.networkId(), id -> new Pending()).apply(c);
            }
        }
    }

    private long nowSeconds() {
        return options.clock().millis() / 1000;
    }

    // ---------------------------------------------------------------------------------------- load

    /**
     * Loads a network's durable state into {@code table} (cleared first): the lease file (a missing
     * file is empty), then the journal's records for the network after its last RESET; expired
     * leases are dropped. Problems in the lease file are logged with its name and reported; they
     * never make the load fail. Loading a network that is already loaded refills the table from the
     * store's current state (the lease file is not read again).
     *
     * <p>Blocks on file I/O and on a round trip through the journal writer.
     *
     * @throws IOException when the lease file exists but cannot be read, or the journal is closed
     */
    public LoadReport load(String networkId, Path leaseFile, LeaseTable table) throws IOException {
        Objects.requireNonNull(networkId, "networkId");
        Objects.requireNonNull(leaseFile, "leaseFile");
        if (!networkId.equals(table.networkId())) {
            throw new IllegalArgumentException("table: of " + table.networkId() + " (expected: of " + networkId + ")");
        }
        byte[] bytes = Files.exists(leaseFile) ? Files.readAllBytes(leaseFile) : new byte[0];
        DnsmasqLeaseFile.Contents contents = DnsmasqLeaseFile.parse(bytes);
        for (DnsmasqLeaseFile.Problem p : contents.problems()) {
            LOG.log(Level.WARNING, leaseFile + ": " + p);
        }
        long now = nowSeconds();
        Seeded s = await(journal.submit(() -> seed(networkId, leaseFile, contents, now)), "load " + networkId);
        table.clear();
        int refused = 0;
        for (Lease4 l : s.leases4) {
            if (!table.put(l).accepted()) {
                refused++;
            }
        }
        for (Lease6 l : s.leases6) {
            if (!table.put(l).accepted()) {
                refused++;
            }
        }
        if (refused > 0) {
            LOG.log(Level.WARNING, "network " + networkId + ": " + refused + " durable leases do not fit the table's"
                    + " capacity of " + table.capacity() + " and were not loaded");
        }
        return new LoadReport(networkId, leaseFile, s.serverDuid, s.fromFile, s.replayed, s.expired, refused,
                table.size(), contents.problems());
    }

    private record Seeded(List<Lease4> leases4, List<Lease6> leases6, Duid serverDuid, int fromFile, int replayed,
                          int expired) {
    }

    /** On the writer thread: builds the network's state and starts mirroring it. */
    private Seeded seed(String networkId, Path leaseFile, DnsmasqLeaseFile.Contents contents, long now) {
        Network n = networks.get(networkId);
        int fromFile = 0;
        int replayed = 0;
        if (n != null) {
            // Loaded already: the mirror is the durable state (the file may be older). The same
            // object stays, so a compaction under way still writes its file.
            if (!n.leaseFile.equals(leaseFile)) {
                LOG.log(Level.WARNING, "network " + networkId + " is loaded with lease file " + n.leaseFile
                        + "; keeping it rather than " + leaseFile + " (unload it first to move the file)");
            }
        } else {
            n = new Network(networkId, leaseFile, contents.serverDuid());
            for (Lease4 l : contents.leases4()) {
                n.apply(LeaseChange.put(networkId, l));
            }
            for (Lease6 l : contents.leases6()) {
                n.apply(LeaseChange.put(networkId, l));
            }
            fromFile = contents.leases4().size() + contents.leases6().size();
            Pending p = pending.remove(networkId);
            if (p != null) {
                for (LeaseChange c : p.lastByKey.values()) {
                    n.apply(c);
                }
                replayed = p.lastByKey.size();
            }
        }
        int expired = purgeExpired(n, now);
        networks.put(networkId, n);
        return new Seeded(new ArrayList<>(n.v4.values()), new ArrayList<>(n.v6.values()), n.serverDuid, fromFile,
                replayed, expired);
    }

    private static int purgeExpired(Network n, long now) {
        int before = n.v4.size() + n.v6.size();
        n.v4.values().removeIf(l -> l.expiredAt(now));
        n.v6.values().removeIf(l -> l.expiredAt(now));
        return before - n.v4.size() - n.v6.size();
    }

    private static <T> T await(CompletableFuture<T> f, String what) throws IOException {
        try {
            return f.get(LOAD_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + ": interrupted", e);
        } catch (TimeoutException e) {
            throw new IOException(what + ": the journal writer did not answer within " + LOAD_WAIT_MILLIS + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            throw new IOException(what + ": " + cause, cause);
        }
    }

    /** The networks loaded now. */
    public Set<String> loadedNetworks() {
        return Collections.unmodifiableSet(networks.keySet());
    }

    /** The server DUID written on the {@code duid} line of a loaded network's lease file, or null. */
    public Duid serverDuid(String networkId) {
        Network n = networks.get(networkId);
        return n == null ? null : n.serverDuid;
    }

    /**
     * Sets the server DUID the network's lease file is written with (by default the one the file
     * had when loaded). It MUST stay stable across restarts: clients address the server by it.
     *
     * @throws IllegalStateException when the network is not loaded
     */
    public void serverDuid(String networkId, Duid duid) {
        Network n = networks.get(networkId);
        if (n == null) {
            throw new IllegalStateException("network " + networkId + " is not loaded");
        }
        n.serverDuid = duid;
    }

    // ---------------------------------------------------------------------------------------- changes

    /** {@link LeaseJournal#append(LeaseChange, Executor, LeaseJournal.Completion)}: queues a change to be made durable. */
    public boolean append(LeaseChange change, Executor executor, LeaseJournal.Completion completion) {
        return journal.append(change, executor, completion);
    }

    /** {@link LeaseJournal#append(List, Executor, LeaseJournal.Completion)}: several changes, one completion. */
    public boolean append(List<LeaseChange> changes, Executor executor, LeaseJournal.Completion completion) {
        return journal.append(changes, executor, completion);
    }

    /**
     * Appends a RESET for the network: its earlier records are void and its lease file is the base
     * again (Neutron re-seeded it). The network is no longer loaded once the RESET is committed;
     * {@link #load} it afterwards. Waits up to 10 s for room in the journal's queue, so it MUST NOT
     * be called from an event loop.
     *
     * @return completes when the RESET is durable
     */
    public CompletableFuture<Void> reset(String networkId) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        LeaseJournal.Completion completion = failure -> {
            if (failure == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(failure);
            }
        };
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RESET_WAIT_MILLIS);
        while (!journal.append(LeaseChange.reset(networkId), null, completion)) {
            if (System.nanoTime() > deadline) {
                done.completeExceptionally(new IOException("reset " + networkId + ": journal queue full or closed"));
                break;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done.completeExceptionally(e);
                break;
            }
        }
        return handOff(done);
    }

    /**
     * The same outcome, delivered from the common pool: a caller's dependent stages never run on
     * the journal writer or the compaction thread (where a blocking call, such as {@link #load},
     * would wait for the very thread it holds).
     */
    private static <T> CompletableFuture<T> handOff(CompletableFuture<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenCompleteAsync((v, t) -> {
            if (t != null) {
                out.completeExceptionally(t);
            } else {
                out.complete(v);
            }
        });
        return out;
    }

    // ---------------------------------------------------------------------------------------- compaction

    /**
     * Requests a full compaction (every loaded network's lease file rewritten, the journal rotated
     * and the old generations deleted); see the class comment.
     *
     * @return completes when done, or exceptionally with the reason it failed
     */
    public CompletableFuture<Void> compact() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (requests) {
            if (stopping) {
                f.completeExceptionally(new IOException("lease store closed"));
                return f;
            }
            fullRequested = true;
            fullWaiters.add(f);
            requests.notifyAll();
        }
        return handOff(f);
    }

    /**
     * Requests that one loaded network's lease file be rewritten from its current durable state
     * (everything committed before this call); see the class comment for the cost. Safe to call from
     * an event loop (it only queues the request).
     *
     * @return completes when a write that started after this call has finished
     */
    public CompletableFuture<Void> compact(String networkId) {
        return handOff(requestWrite(networkId));
    }

    private CompletableFuture<Void> requestWrite(String networkId) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (requests) {
            if (stopping) {
                f.completeExceptionally(new IOException("lease store closed"));
                return f;
            }
            dirty.computeIfAbsent(networkId, id -> new ArrayList<>()).add(f);
            requests.notifyAll();
        }
        return f;
    }

    /**
     * Writes the network's lease file a last time and stops mirroring it: from then on the store
     * does not write that file (someone else may), until the network is loaded again. Changes of the
     * network MUST NOT be appended meanwhile; if some are, the file is written again (up to 5 times)
     * so that none is lost.
     *
     * @return completes when the file is written and the network unloaded
     */
    public CompletableFuture<Void> unload(String networkId) {
        return handOff(unload(networkId, 5));
    }

    private CompletableFuture<Void> unload(String networkId, int attempts) {
        return requestWrite(networkId).thenCompose(v -> journal.submit(() -> {
            Network n = networks.get(networkId);
            if (n == null) {
                return true;
            }
            if (n.writtenVersion != n.version) {
                return false;  // committed after the write began: write again
            }
            networks.remove(networkId);
            n.detached = true;
            return true;
        })).thenCompose(done -> {
            if (done) {
                return CompletableFuture.completedFuture(null);
            }
            if (attempts <= 1) {
                return CompletableFuture.failedFuture(new IOException("unload " + networkId
                        + ": the network kept changing while its lease file was written"));
            }
            return unload(networkId, attempts - 1);
        });
    }

    private void compactLoop() {
        while (true) {
            Map<String, List<CompletableFuture<Void>>> networksToWrite;
            List<CompletableFuture<Void>> waiters;
            boolean full;
            boolean stop;
            synchronized (requests) {
                if (!stopping && !fullRequested && dirty.isEmpty()) {
                    try {
                        requests.wait(COMPACTOR_TICK_MILLIS);
                    } catch (InterruptedException e) {
                        // only abandon() interrupts; it also sets stopping
                    }
                }
                if (abandoned) {
                    failWaiters(new IOException("lease store abandoned"));
                    return;
                }
                if (!fullRequested && due()) {
                    fullRequested = true;
                }
                stop = stopping;
                full = fullRequested || (stop && options.compactOnClose());
                fullRequested = false;
                waiters = new ArrayList<>(fullWaiters);
                fullWaiters.clear();
                networksToWrite = new LinkedHashMap<>(dirty);
                dirty.clear();
            }
            if (full) {
                Throwable failure = null;
                try {
                    compactAll();
                } catch (Throwable t) {
                    failure = t;
                    LOG.log(Level.ERROR, "lease store " + dataDir + ": compaction failed; every journal generation is"
                            + " kept and the next compaction tries again", t);
                }
                complete(waiters, failure);
                // A full compaction wrote every loaded network's file after these requests were made.
                for (List<CompletableFuture<Void>> w : networksToWrite.values()) {
                    complete(w, failure);
                }
            } else {
                for (Map.Entry<String, List<CompletableFuture<Void>>> e : networksToWrite.entrySet()) {
                    Throwable failure = null;
                    Network n = networks.get(e.getKey());
                    try {
                        if (n != null) {
                            writeLeaseFile(n);
                        }
                    } catch (Throwable t) {
                        failure = t;
                        LOG.log(Level.ERROR, "lease file of network " + e.getKey() + ": rewrite failed", t);
                    }
                    complete(e.getValue(), failure);
                }
            }
            if (stop) {
                synchronized (requests) {
                    failWaiters(new IOException("lease store closed"));
                }
                return;
            }
        }
    }

    private void failWaiters(Throwable failure) {
        complete(fullWaiters, failure);
        fullWaiters.clear();
        for (List<CompletableFuture<Void>> w : dirty.values()) {
            complete(w, failure);
        }
        dirty.clear();
    }

    private static void complete(List<CompletableFuture<Void>> waiters, Throwable failure) {
        for (CompletableFuture<Void> f : waiters) {
            if (failure == null) {
                f.complete(null);
            } else {
                f.completeExceptionally(failure);
            }
        }
    }

    /** Whether a size or interval trigger has fired. */
    private boolean due() {
        long grown = journal.size() - sizeAfterRotation;
        return grown >= options.compactAfterBytes()
                || grown > 0 && System.nanoTime() - lastCompactionNanos >= options.compactInterval().toNanos();
    }

    /** A full compaction, steps 1 to 3 of the class comment. Compaction thread only. */
    private void compactAll() throws IOException {
        long next = generation + 1;
        Path nextPath = journalPath(next);
        // A file of that name can only be a leftover of a failed rotation: it held nothing we need
        // (the generation before it is still complete), so start it over.
        Files.deleteIfExists(nextPath);
        long now = nowSeconds();
        List<Network> targets = await(journal.submit(() -> {
            List<LeaseChange> carry = new ArrayList<>();
            for (Network n : networks.values()) {
                purgeExpired(n, now);
                for (Lease4 l : n.v4.values()) {
                    if (!DnsmasqLeaseFile.roundTrips(l)) {
                        carry.add(LeaseChange.put(n.id, l));
                    }
                }
                for (Lease6 l : n.v6.values()) {
                    if (!DnsmasqLeaseFile.roundTrips(l)) {
                        carry.add(LeaseChange.put(n.id, l));
                    }
                }
            }
            for (Map.Entry<String, Pending> p : pending.entrySet()) {
                carry.addAll(p.getValue().lastByKey.values());
            }
            journal.rotate(nextPath, carry, hooks);
            sizeAfterRotation = journal.size();
            return new ArrayList<>(networks.values());
        }), "compaction");
        generation = next;
        lastCompactionNanos = System.nanoTime();
        for (Network n : targets) {
            writeLeaseFile(n);
        }
        hooks.at(StoreHooks.Step.LEASE_FILES_DONE);
        boolean deleted = false;
        for (Map.Entry<Long, Path> g : generations().headMap(next).entrySet()) {
            Files.deleteIfExists(g.getValue());
            deleted = true;
            hooks.at(StoreHooks.Step.OLD_JOURNAL_DELETED);
        }
        if (deleted) {
            Fsync.directory(dataDir);
        }
        LOG.log(Level.DEBUG, () -> "lease store " + dataDir + ": compacted into generation " + next);
    }

    /** Rewrites a network's lease file from its mirror: temp file, fsync, rename, fsync directory. */
    private void writeLeaseFile(Network n) throws IOException {
        if (n.detached) {
            return;
        }
        Path target = n.leaseFile.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".leasehold-tmp");
        long version = n.version;
        StringBuilder text = new StringBuilder(64 * (n.v4.size() + n.v6.size()) + 64);
        DnsmasqLeaseFile.format(text, n.serverDuid, n.v4.values(), n.v6.values());
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
        try (FileChannel ch = opener.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(false);
        }
        hooks.at(StoreHooks.Step.LEASE_FILE_WRITTEN);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        hooks.at(StoreHooks.Step.LEASE_FILE_RENAMED);
        Fsync.directory(dir);
        n.writtenVersion = version;
    }

    // ---------------------------------------------------------------------------------------- close

    /**
     * Compacts (when {@link Options#compactOnClose}), closes the journal (writing and forcing
     * everything appended before) and releases the data directory.
     */
    @Override
    public void close() {
        synchronized (requests) {
            if (stopping) {
                return;
            }
            stopping = true;
            requests.notifyAll();
        }
        try {
            compactor.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        journal.close();
        release();
    }

    /**
     * For crash tests: stops everything as a killed process would, without compacting, writing
     * what is queued or forcing, and releases the directory lock so that another store can open it.
     */
    void abandon() {
        synchronized (requests) {
            stopping = true;
            abandoned = true;
            requests.notifyAll();
        }
        compactor.interrupt();
        try {
            compactor.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        journal.abandon();
        release();
    }

    private void release() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "lease store " + dataDir + ": releasing the lock failed", e);
        }
    }
}
