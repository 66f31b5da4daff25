package io.leasehold.store;

import io.leasehold.lease.LeaseChange;
import io.leasehold.lease.LeaseJournalCodec;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The append-only lease journal: one file per daemon holding the {@link LeaseChange}s of every
 * network, in {@link LeaseJournalCodec} records, made durable by group commit.
 *
 * <p>Threads. Event loops call {@link #append}, which only offers the change to a bounded queue
 * and returns at once: false when the queue is full (the caller drops the packet and counts it; a
 * client retransmits). One dedicated platform thread, {@value #THREAD_NAME}, drains the queue in
 * rounds: it encodes everything queued, writes it with one {@code write}, forces it as the
 * {@link FsyncPolicy} says, then completes each change's {@link Completion} on the executor given
 * with it. Changes that arrive while a force is in progress are written and forced together in the
 * next round (group commit), so under {@link FsyncPolicy#ALWAYS} one force covers every change of
 * a round and throughput grows with concurrency.
 *
 * <p>How a Netty event loop uses it, without allocating beyond the change itself:
 * <pre>{@code
 * // on the loop, after the table accepted the lease; `pending` is the transaction's own object
 * // (it holds the reply) and implements LeaseJournal.Completion
 * if (!journal.append(LeaseChange.put(networkId, lease), channel.eventLoop(), pending)) {
 *     drops.increment(DropReason.JOURNAL_FULL);   // and undo the table change
 * }
 * // later, on the same loop: pending.complete(null) sends the reply; complete(failure) drops it
 * }</pre>
 * Completions of one round are handed to each executor as one task, not one task per change.
 *
 * <p>Errors. A failed write or force (disk full, I/O error) fails the completions of that round
 * with the exception, is logged, and the file is truncated back to the end of the last good round,
 * so that no torn record is left in front of later ones; the writer thread carries on and later
 * rounds succeed if the disk recovers. The writer thread never dies of an exception.
 *
 * <p>Closing writes and forces everything queued before the close, whatever the policy, and
 * completes later appends with a failure.
 *
 * <p>The file MUST end on a record boundary when opened; {@link #read} finds and cuts a torn tail.
 */
public final class LeaseJournal implements AutoCloseable {

    /** The writer thread's name. */
    public static final String THREAD_NAME = "leasehold-journal";

    /** What an appender is told once its change is durable, or cannot be. */
    @FunctionalInterface
    public interface Completion {
        /**
         * Called once, on the executor given to {@link #append}.
         *
         * @param failure null when the change is durable as the {@link FsyncPolicy} defines it; else
         *                why it is not (the reply that depends on it MUST NOT be sent)
         */
        void complete(Throwable failure);
    }

    /**
     * How the journal writes.
     *
     * @param policy        when to force
     * @param batchInterval under {@link FsyncPolicy#BATCH}, the longest time written data stays unforced
     * @param queueCapacity how many changes may wait for the writer before {@link #append} refuses
     * @param maxBatch      the most changes written in one round
     */
    public record Options(FsyncPolicy policy, Duration batchInterval, int queueCapacity, int maxBatch) {

        public static final Duration DEFAULT_BATCH_INTERVAL = Duration.ofMillis(100);
        public static final int DEFAULT_QUEUE_CAPACITY = 16_384;
        public static final int DEFAULT_MAX_BATCH = 4_096;

        public Options {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(batchInterval, "batchInterval");
            if (batchInterval.isNegative() || batchInterval.isZero()) {
                throw new IllegalArgumentException("batchInterval: " + batchInterval + " (expected: > 0)");
            }
            if (queueCapacity <= 0) {
                throw new IllegalArgumentException("queueCapacity: " + queueCapacity + " (expected: > 0)");
            }
            if (maxBatch <= 0) {
                throw new IllegalArgumentException("maxBatch: " + maxBatch + " (expected: > 0)");
            }
        }

        /** The defaults with this policy: 100 ms batch interval, 16384 queued changes, rounds of up to 4096. */
        public static Options of(FsyncPolicy policy) {
            return new Options(policy, DEFAULT_BATCH_INTERVAL, DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_BATCH);
        }

        public Options withBatchInterval(Duration interval) {
            return new Options(policy, interval, queueCapacity, maxBatch);
        }

        public Options withQueueCapacity(int capacity) {
            return new Options(policy, batchInterval, capacity, maxBatch);
        }

        public Options withMaxBatch(int max) {
            return new Options(policy, batchInterval, queueCapacity, max);
        }
    }

    /**
     * Counters since the journal was opened.
     *
     * @param appended  appends accepted by {@link #append} (a multi-change append counts once)
     * @param rejected  appends refused because the queue was full or the journal closed
     * @param committed changes (records) written, and forced under {@link FsyncPolicy#ALWAYS}, and acknowledged
     * @param failed    changes (records) whose completion reported a failure
     * @param bytes     bytes written, records only
     * @param rounds    write rounds
     * @param forces    forces of the file
     */
    public record Stats(long appended, long rejected, long committed, long failed, long bytes, long rounds, long forces) {
        /** Changes per force: the group-commit factor under {@link FsyncPolicy#ALWAYS}. */
        public double averageGroup() {
            return forces == 0 ? 0 : (double) committed / forces;
        }
    }

    /**
     * What {@link #read} found in a journal file.
     *
     * @param file        the file
     * @param records     how many valid records it holds
     * @param validLength where the valid records end
     * @param fileLength  the file's length as found
     * @param stop        why reading stopped
     * @param problem     what was wrong after the valid records, or null
     * @param damaged     true when valid records were found after the bad bytes: not a torn tail
     *                    but damage in the middle of the file
     */
    public record Recovery(Path file, long records, long validLength, long fileLength, LeaseJournalCodec.Stop stop,
                           String problem, boolean damaged) {
        /** True when nothing was skipped. */
        public boolean clean() {
            return stop == LeaseJournalCodec.Stop.END;
        }
    }

    /**
     * The store's view of each round, on the writer thread, after a successful write and before the
     * completions; the list is reused after the call.
     */
    interface Listener {
        void committed(List<LeaseChange> changes);
    }

    /** Work the store runs on the writer thread, in order with the changes around it. */
    interface Task<T> {
        T run() throws Exception;
    }

    /** Opens files; tests substitute channels that record or fail their calls. */
    interface ChannelOpener {
        FileChannel open(Path path, OpenOption... options) throws IOException;
    }

    private static final System.Logger LOG = System.getLogger(LeaseJournal.class.getName());
    private static final int READ_BUFFER = 2 * LeaseJournalCodec.MAX_RECORD_LENGTH;
    /** How long a control task (never an append) may wait for room in the queue. */
    private static final long TASK_OFFER_MILLIS = 10_000;
    /** How long {@link #close} waits for the writer to finish. */
    private static final long CLOSE_WAIT_MILLIS = 30_000;

    /** One queued item: a change (or several) to write, or a task to run between rounds. */
    private static final class Entry {
        final LeaseChange change;
        /** The changes of a multi-change append, else null. */
        final List<LeaseChange> changes;
        final Executor executor;
        final Completion completion;
        final Task<?> task;
        final CompletableFuture<Object> taskResult;
        /** Set once its completion is handed out, so that no error path completes it twice. */
        boolean completed;

        Entry(LeaseChange change, List<LeaseChange> changes, Executor executor, Completion completion) {
            this.change = change;
            this.changes = changes;
            this.executor = executor;
            this.completion = completion;
            this.task = null;
            this.taskResult = null;
        }

        int records() {
            return changes != null ? changes.size() : change != null ? 1 : 0;
        }

        Entry(Task<?> task) {
            this.change = null;
            this.changes = null;
            this.executor = null;
            this.completion = null;
            this.task = task;
            this.taskResult = new CompletableFuture<>();
        }
    }

    /** The completions of one round for one executor: handed over as a single task. */
    private static final class Dispatch implements Runnable {
        private final List<Completion> completions = new ArrayList<>();
        private final Throwable failure;

        Dispatch(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public void run() {
            for (Completion c : completions) {
                completeQuietly(c, failure);
            }
        }
    }

    private static final Task<Void> STOP = () -> null;

    private final Options options;
    private final ChannelOpener opener;
    private final Listener listener;
    private final ArrayBlockingQueue<Entry> queue;
    private final Thread thread;
    private final long batchIntervalNanos;

    // Writer-thread state.
    private Path file;
    private FileChannel channel;
    /** Where the next round is written: the end of the last good round. */
    private long position;
    /** True when a failed round may have left bytes after {@code position} that must be cut first. */
    private boolean needsTruncate;
    /** BATCH: written data not yet forced, and since when. */
    private boolean dirty;
    private long dirtySince;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    private final List<Entry> batch = new ArrayList<>();
    private final List<LeaseChange> changes = new ArrayList<>();

    // Read by other threads.
    private volatile boolean closed;
    private volatile boolean terminated;
    private volatile long size;
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile long committed;
    private volatile long failed;
    private volatile long bytes;
    private volatile long rounds;
    private volatile long forces;

    /**
     * Opens (creating it if absent) a journal file for appending at its end, and starts the writer.
     * The file MUST end on a record boundary: {@link #read} it with truncation first when it may not.
     */
    public static LeaseJournal open(Path file, Options options) throws IOException {
        return new LeaseJournal(file, options, FileChannel::open, null);
    }

    LeaseJournal(Path file, Options options, ChannelOpener opener, Listener listener) throws IOException {
        this.options = Objects.requireNonNull(options, "options");
        this.opener = opener;
        this.listener = listener;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.batchIntervalNanos = options.batchInterval().toNanos();
        this.file = file;
        this.channel = opener.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        this.position = channel.size();
        this.size = position;
        this.thread = new Thread(this::run, THREAD_NAME);
        // A daemon thread: an exit without close() loses only what was never acknowledged.
        thread.setDaemon(true);
        thread.start();
    }

    public Options options() {
        return options;
    }

    /** The file being appended to (it changes when the store rotates the journal). */
    public synchronized Path file() {
        return file;
    }

    /** The length of the file being appended to, as of the last round. */
    public long size() {
        return size;
    }

    public Stats stats() {
        return new Stats(appended.get(), rejected.get(), committed, failed, bytes, rounds, forces);
    }

    // ---------------------------------------------------------------------------------------- append

    /**
     * Queues a change to be made durable; returns at once.
     *
     * @param change     the change
     * @param executor   where to run {@code completion} (the caller's event loop), or null to run it
     *                   on the writer thread (it MUST then be quick and MUST NOT block)
     * @param completion told once the change is durable, or why it cannot be
     * @return false, and {@code completion} is never called, when the queue is full or the journal
     *         closed: the caller drops what depended on the change
     * @throws IllegalArgumentException when the change's record would exceed the record size limit
     */
    public boolean append(LeaseChange change, Executor executor, Completion completion) {
        Objects.requireNonNull(change, "change");
        LeaseJournalCodec.encodedLength(change);  // refuse here, not on the writer, a record that cannot be written
        return offer(new Entry(change, null, executor, completion));
    }

    /**
     * Queues several changes that one reply depends on (a new lease and the old one it replaces,
     * say), with one completion for all of them: they are written in the same round, in order, and
     * {@code completion} is told once all are durable. Each record is checked on its own when read
     * back, so a crash during that round's write may keep a prefix of them; none was acknowledged.
     * An empty list completes once everything queued before it is durable.
     *
     * @see #append(LeaseChange, Executor, Completion)
     */
    public boolean append(List<LeaseChange> changes, Executor executor, Completion completion) {
        List<LeaseChange> copy = List.copyOf(changes);
        for (LeaseChange c : copy) {
            LeaseJournalCodec.encodedLength(c);
        }
        return offer(new Entry(null, copy, executor, completion));
    }

    private boolean offer(Entry e) {
        Objects.requireNonNull(e.completion, "completion");
        if (closed) {
            rejected.incrementAndGet();
            return false;
        }
        if (!queue.offer(e)) {
            rejected.incrementAndGet();
            return false;
        }
        // The writer drains the queue a last time after it terminates; an entry offered after that
        // drain is taken back here (remove() is atomic with the writer's poll: one of them gets it).
        if (terminated && queue.remove(e)) {
            rejected.incrementAndGet();
            return false;
        }
        appended.incrementAndGet();
        return true;
    }

    /**
     * Runs a task on the writer thread after every change queued before it has been committed
     * (written, and forced under {@link FsyncPolicy#ALWAYS}), before any change queued after it.
     * Waits up to 10 s for room in the queue, so it MUST NOT be called from an event loop.
     */
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> submit(Task<T> task) {
        Entry e = new Entry(task);
        try {
            if (closed || !queue.offer(e, TASK_OFFER_MILLIS, TimeUnit.MILLISECONDS)) {
                return CompletableFuture.failedFuture(new IOException(closed ? "lease journal closed"
                        : "lease journal queue full for " + TASK_OFFER_MILLIS + " ms"));
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(ie);
        }
        if (terminated && queue.remove(e)) {
            return CompletableFuture.failedFuture(new IOException("lease journal closed"));
        }
        return (CompletableFuture<T>) e.taskResult;
    }

    /** True on the writer thread. */
    boolean onWriterThread() {
        return Thread.currentThread() == thread;
    }

    // ---------------------------------------------------------------------------------------- writer

    private void run() {
        try {
            boolean stop = false;
            while (!stop) {
                Entry first;
                try {
                    first = queue.poll(pollNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    // Only close() would interrupt, and it stops us with STOP instead; keep going.
                    continue;
                }
                try {
                    if (first != null) {
                        batch.add(first);
                        queue.drainTo(batch, options.maxBatch() - 1);
                        stop = process(batch);
                    }
                    forceIfDue();
                } catch (Throwable t) {
                    // Never die silently: whatever escaped fails this round's appenders, and we go on.
                    LOG.log(Level.ERROR, "lease journal writer: unexpected error; the round's changes are failed", t);
                    failAll(batch, t);
                } finally {
                    batch.clear();
                    changes.clear();
                }
            }
        } finally {
            shutdown();
        }
    }

    private long pollNanos() {
        if (options.policy() == FsyncPolicy.BATCH && dirty) {
            return Math.max(0, dirtySince + batchIntervalNanos - System.nanoTime());
        }
        return TimeUnit.SECONDS.toNanos(1);
    }

    /** Writes the round's changes around its tasks, in order; true when a STOP was met. */
    private boolean process(List<Entry> entries) {
        int from = 0;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.task == null) {
                continue;
            }
            commit(entries, from, i);
            from = i + 1;
            if (e.task == STOP) {
                failAll(entries.subList(i + 1, entries.size()), new IOException("lease journal closed"));
                e.taskResult.complete(null);
                return true;
            }
            try {
                e.taskResult.complete(e.task.run());
            } catch (Throwable t) {
                e.taskResult.completeExceptionally(t);
            }
        }
        commit(entries, from, entries.size());
        return false;
    }

    /** Writes entries[from, to) (all changes) as one round and completes them. */
    private void commit(List<Entry> entries, int from, int to) {
        if (from == to) {
            return;
        }
        changes.clear();
        buffer.clear();
        Throwable failure = null;
        int length = 0;
        try {
            for (int i = from; i < to; i++) {
                Entry e = entries.get(i);
                if (e.change != null) {
                    encode(e.change);
                } else {
                    for (LeaseChange c : e.changes) {
                        encode(c);
                    }
                }
            }
            buffer.flip();
            length = buffer.remaining();
            if (needsTruncate) {
                channel.truncate(position);
                needsTruncate = false;
            }
            long at = position;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
            if (options.policy() == FsyncPolicy.ALWAYS) {
                channel.force(false);
                forces++;
            } else if (!dirty) {
                dirty = true;
                dirtySince = System.nanoTime();
            }
            position = at;
            size = at;
            bytes += length;
            rounds++;
        } catch (IOException | RuntimeException e) {
            failure = e;
            // Cut whatever part of the round reached the file, so no torn record sits in front of the
            // next round's; if that fails too, the next round tries again before writing.
            needsTruncate = true;
            try {
                channel.truncate(position);
                needsTruncate = false;
            } catch (IOException | RuntimeException again) {
                e.addSuppressed(again);
            }
            LOG.log(Level.ERROR, "lease journal " + file + ": writing " + records(entries, from, to) + " changes failed; they are"
                    + " not acknowledged" + (needsTruncate ? " (and cutting the partial write failed too)" : ""), e);
        }
        if (failure == null && listener != null) {
            try {
                listener.committed(changes);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "lease journal listener failed", e);
            }
        }
        if (failure == null) {
            committed += records(entries, from, to);
        } else {
            failed += records(entries, from, to);
        }
        complete(entries, from, to, failure);
    }

    private void encode(LeaseChange c) {
        int n = LeaseJournalCodec.encodedLength(c);
        if (buffer.remaining() < n) {
            grow(n);
        }
        LeaseJournalCodec.encode(c, buffer);
        changes.add(c);
    }

    private static long records(List<Entry> entries, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            n += entries.get(i).records();
        }
        return n;
    }

    private void grow(int atLeast) {
        int capacity = buffer.capacity();
        while (capacity - buffer.position() < atLeast) {
            capacity *= 2;
        }
        ByteBuffer bigger = ByteBuffer.allocateDirect(capacity);
        buffer.flip();
        bigger.put(buffer);
        buffer = bigger;
    }

    /** BATCH: forces when written data has waited a whole interval. */
    private void forceIfDue() {
        if (dirty && (options.policy() != FsyncPolicy.BATCH || System.nanoTime() - dirtySince >= batchIntervalNanos)) {
            if (options.policy() == FsyncPolicy.BATCH) {
                force("periodic force");
            } else {
                dirty = false;  // NONE: the kernel writes it back
            }
        }
    }

    private void force(String why) {
        try {
            channel.force(false);
            forces++;
            dirty = false;
        } catch (IOException | RuntimeException e) {
            // Those changes were acknowledged already (BATCH, NONE); retried at the next interval.
            LOG.log(Level.ERROR, "lease journal " + file + ": " + why + " failed; changes acknowledged since the"
                    + " last force may not survive a power failure", e);
        }
    }

    private static void completeQuietly(Completion c, Throwable failure) {
        try {
            c.complete(failure);
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "lease journal: a completion threw", t);
        }
    }

    /** Completes entries[from, to), one task per executor; null executors inline. */
    private void complete(List<Entry> entries, int from, int to, Throwable failure) {
        Map<Executor, Dispatch> byExecutor = null;
        for (int i = from; i < to; i++) {
            Entry e = entries.get(i);
            if (e.completed) {
                continue;
            }
            e.completed = true;
            if (e.executor == null) {
                completeQuietly(e.completion, failure);
                continue;
            }
            if (byExecutor == null) {
                byExecutor = new IdentityHashMap<>();
            }
            byExecutor.computeIfAbsent(e.executor, x -> new Dispatch(failure)).completions.add(e.completion);
        }
        if (byExecutor != null) {
            for (Map.Entry<Executor, Dispatch> d : byExecutor.entrySet()) {
                try {
                    d.getKey().execute(d.getValue());
                } catch (RejectedExecutionException e) {
                    // The loop is shutting down; its replies have nowhere to go.
                    LOG.log(Level.DEBUG, "lease journal: executor refused " + d.getValue().completions.size()
                            + " completions", e);
                }
            }
        }
    }

    private void failAll(List<Entry> entries, Throwable failure) {
        List<Entry> changeEntries = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.task != null) {
                e.taskResult.completeExceptionally(failure);
            } else if (!e.completed) {
                changeEntries.add(e);
            }
        }
        failed += records(changeEntries, 0, changeEntries.size());
        complete(changeEntries, 0, changeEntries.size(), failure);
    }

    private void shutdown() {
        try {
            channel.force(false);
            forces++;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "lease journal " + file + ": final force failed", e);
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "lease journal " + file + ": close failed", e);
        }
        List<Entry> rest = new ArrayList<>();
        queue.drainTo(rest);
        terminated = true;
        queue.drainTo(rest);
        failAll(rest, new IOException("lease journal closed"));
    }

    // ---------------------------------------------------------------------------------------- rotation

    /**
     * Switches appending to a new file, which MUST NOT exist: forces the current file, writes the
     * {@code first} changes into the new one, forces it and its directory, then closes the old one.
     * On failure the current file stays in use. Writer thread only (from a {@link #submit}ted task).
     */
    void rotate(Path next, List<LeaseChange> first, StoreHooks hooks) throws IOException {
        if (!onWriterThread()) {
            throw new IllegalStateException("rotate: not on the writer thread");
        }
        channel.force(false);
        forces++;
        dirty = false;
        hooks.at(StoreHooks.Step.OLD_JOURNAL_FORCED);
        FileChannel fresh = opener.open(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        long at = 0;
        try {
            hooks.at(StoreHooks.Step.NEW_JOURNAL_CREATED);
            ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
            for (LeaseChange c : first) {
                int n = LeaseJournalCodec.encodedLength(c);
                if (out.remaining() < n) {
                    out.flip();
                    while (out.hasRemaining()) {
                        at += fresh.write(out, at);
                    }
                    out = out.capacity() >= n ? out.clear() : ByteBuffer.allocateDirect(n);
                }
                LeaseJournalCodec.encode(c, out);
            }
            out.flip();
            while (out.hasRemaining()) {
                at += fresh.write(out, at);
            }
            hooks.at(StoreHooks.Step.NEW_JOURNAL_WRITTEN);
            fresh.force(false);
            Fsync.directory(next.toAbsolutePath().getParent());
            hooks.at(StoreHooks.Step.NEW_JOURNAL_FORCED);
        } catch (IOException | RuntimeException | Error e) {
            try {
                fresh.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        FileChannel old = channel;
        synchronized (this) {
            channel = fresh;
            file = next;
        }
        position = at;
        size = at;
        needsTruncate = false;
        try {
            old.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "lease journal: closing the rotated-out file failed", e);
        }
    }

    // ---------------------------------------------------------------------------------------- close

    /**
     * Writes and forces everything appended before, stops the writer and closes the file. Appends
     * after (or racing with) the close are refused or failed. Waits up to 30 s for the writer.
     */
    @Override
    public void close() {
        if (closed) {
            awaitTermination();
            return;
        }
        closed = true;
        Entry stop = new Entry(STOP);
        try {
            // close() is not called from an event loop; waiting for room is fine, within a bound.
            if (!queue.offer(stop, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.log(Level.ERROR, "lease journal " + file() + ": the writer took nothing from a full queue for "
                        + CLOSE_WAIT_MILLIS + " ms; closing without it");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        awaitTermination();
    }

    private void awaitTermination() {
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(Level.ERROR, "lease journal writer did not stop within " + CLOSE_WAIT_MILLIS + " ms");
        }
    }

    /**
     * For crash tests: stops the writer without writing what is queued or forcing, as a killed
     * process would. Queued changes are never completed.
     */
    void abandon() {
        closed = true;
        queue.clear();
        queue.offer(new Entry(STOP));
        awaitTermination();
    }

    // ---------------------------------------------------------------------------------------- read

    /**
     * Reads a journal file record by record, handing each change to {@code sink}, up to the end or
     * the first torn or invalid record. A torn tail (what a crash in the middle of an append leaves)
     * is logged at WARNING; bytes that hide valid records after them (damage, not a crash) at ERROR.
     * Never throws for bad content; a missing file reads as empty.
     *
     * @param truncate cut the file where the valid records end, so appending can resume there; a
     *                 damaged file is first copied aside as {@code <name>.damaged-<offset>}
     * @throws IOException when the file cannot be read (or cut)
     */
    public static Recovery read(Path file, Consumer<LeaseChange> sink, boolean truncate) throws IOException {
        if (!Files.exists(file)) {
            return new Recovery(file, 0, 0, 0, LeaseJournalCodec.Stop.END, null, false);
        }
        long records = 0;
        long valid = 0;
        LeaseJournalCodec.Stop stop = LeaseJournalCodec.Stop.END;
        String problem = null;
        long fileLength;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            fileLength = ch.size();
            // Twice the largest record: whatever a TORN result leaves, the next read has room for.
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(READ_BUFFER, Math.max(fileLength, 64)));
            long readAt = 0;
            boolean eof = false;
            while (true) {
                int n = 0;
                if (!eof) {
                    n = ch.read(buf, readAt);
                    if (n > 0) {
                        readAt += n;
                    }
                    eof = n < 0 || readAt >= fileLength;
                }
                buf.flip();
                LeaseJournalCodec.Decoded d = LeaseJournalCodec.decode(buf, valid);
                d.changes().forEach(sink);
                records += d.changes().size();
                valid += d.validLength();
                stop = d.stop();
                problem = d.problem();
                // The last guard cannot fire (a whole record fits the buffer) but keeps the loop bounded.
                if (stop == LeaseJournalCodec.Stop.CORRUPT || eof || n <= 0 && d.validLength() == 0) {
                    break;
                }
                buf.compact();
            }
        }
        if (stop == LeaseJournalCodec.Stop.END && valid < fileLength) {
            stop = LeaseJournalCodec.Stop.TORN;
        }
        boolean damaged = false;
        if (stop != LeaseJournalCodec.Stop.END) {
            long skipped = fileLength - valid;
            long laterRecord = stop == LeaseJournalCodec.Stop.CORRUPT ? findValidRecordAfter(file, valid) : -1;
            damaged = laterRecord >= 0;
            if (damaged) {
                Path copy = file.resolveSibling(file.getFileName() + ".damaged-" + valid);
                if (truncate) {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
                LOG.log(Level.ERROR, file + ": damaged at offset " + valid + " (" + problem + "); the " + skipped
                        + " bytes from there hold valid records again at offset " + laterRecord
                        + ", so this is damage, not a crash in mid-append: the changes after offset " + valid
                        + " are lost" + (truncate ? "; the file as found is kept as " + copy : ""));
            } else {
                LOG.log(Level.WARNING, file + ": torn tail of " + skipped + " bytes at offset " + valid + " skipped ("
                        + problem + "): the change being appended when the daemon stopped, never acknowledged");
            }
            if (truncate) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(valid);
                    ch.force(false);
                }
            }
        }
        return new Recovery(file, records, valid, fileLength, stop, problem, damaged);
    }

    /** The offset of a valid record after {@code from} in the first 64 MiB after it, or -1. */
    private static long findValidRecordAfter(Path file, long from) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int n = (int) Math.min(ch.size() - from, 64L << 20);
            ByteBuffer buf = ByteBuffer.allocate(Math.max(n, 0));
            while (buf.hasRemaining() && ch.read(buf, from + buf.position()) > 0) {
                // read until full
            }
            buf.flip();
            int at = LeaseJournalCodec.nextValidRecord(buf, 0);
            return at < 0 ? -1 : from + at;
        }
    }
}
