package io.leasehold.store;

import io.leasehold.lease.Lease4;
import io.leasehold.lease.LeaseChange;
import io.leasehold.lease.LeaseJournalCodec;
import io.leasehold.lease.LeaseState;
import io.leasehold.testing.RandomLeases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaseJournalTest {

    @TempDir
    Path dir;

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final RecordingChannel.Control control = new RecordingChannel.Control(events);

    private LeaseJournal open(LeaseJournal.Options options) throws IOException {
        return new LeaseJournal(dir.resolve("journal"), options,
                (path, opts) -> new RecordingChannel(FileChannel.open(path, opts), control), null);
    }

    private static LeaseChange change(int i) {
        return LeaseChange.put("net" + (i % 3), new Lease4(0x0a000000 + i, i, null, "h" + i, 1_800_000_000L + i,
                LeaseState.BOUND));
    }

    private List<LeaseChange> fileContents() throws IOException {
        LeaseJournalCodec.Decoded d = LeaseJournalCodec.decode(Files.readAllBytes(dir.resolve("journal")));
        assertEquals(LeaseJournalCodec.Stop.END, d.stop(), d.problem());
        return d.changes();
    }

    /** Waits, bounded, until {@code n} completions arrived. */
    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(20, TimeUnit.SECONDS), "completions still missing: " + latch.getCount());
    }

    @ParameterizedTest
    @EnumSource(FsyncPolicy.class)
    void everyPolicyAcknowledgesEveryChangeFromConcurrentAppenders(FsyncPolicy policy) throws Exception {
        int threads = 4;
        int perThread = 500;
        CountDownLatch done = new CountDownLatch(threads * perThread);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService loops = Executors.newFixedThreadPool(threads);
        try (LeaseJournal j = open(LeaseJournal.Options.of(policy).withBatchInterval(Duration.ofMillis(20)))) {
            List<Thread> appenders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        boolean queued = false;
                        for (int tries = 0; !queued && tries < 10_000; tries++) {
                            queued = j.append(change(base + i), loops, f -> {
                                if (f != null) {
                                    failure.set(f);
                                }
                                done.countDown();
                            });
                            if (!queued) {
                                Thread.onSpinWait();
                            }
                        }
                        assertTrue(queued);
                    }
                });
                appenders.add(th);
                th.start();
            }
            for (Thread th : appenders) {
                th.join(20_000);
            }
            await(done);
            assertNull(failure.get());
            assertEquals(threads * perThread, j.stats().committed());
        } finally {
            loops.shutdown();
        }
        Set<LeaseChange> expected = new HashSet<>();
        for (int i = 0; i < threads * perThread; i++) {
            expected.add(change(i));
        }
        List<LeaseChange> written = fileContents();
        assertEquals(expected.size(), written.size());
        assertEquals(expected, new HashSet<>(written));
        // Each appender's changes are in the file in the order it appended them.
        for (int t = 0; t < threads; t++) {
            int lo = t * perThread;
            List<Integer> order = new ArrayList<>();
            for (LeaseChange c : written) {
                int i = c.lease4().address() - 0x0a000000;
                if (i >= lo && i < lo + perThread) {
                    order.add(i);
                }
            }
            List<Integer> sorted = new ArrayList<>(order);
            Collections.sort(sorted);
            assertEquals(sorted, order);
        }
        assertTrue(events.contains("force"), "close forces under every policy");
    }

    @Test
    void alwaysAcknowledgesOnlyAfterTheForceOfTheWriteHoldingTheChange() throws Exception {
        control.forceMillis = 2;
        int n = 300;
        CountDownLatch done = new CountDownLatch(n);
        try (LeaseJournal j = open(LeaseJournal.Options.of(FsyncPolicy.ALWAYS))) {
            for (int i = 0; i < n; i++) {
                int id = i;
                assertTrue(j.append(change(i), null, f -> {
                    events.add("ack " + id);
                    done.countDown();
                }));
            }
            await(done);
        }
        // Walk the events: a change is in the file once the writes so far cover its record; its
        // ack must come after a force that came after that write.
        long written = 0;
        long forcedUpTo = 0;
        long[] ends = new long[n];
        long end = 0;
        for (int i = 0; i < n; i++) {
            end += LeaseJournalCodec.encodedLength(change(i));
            ends[i] = end;
        }
        List<String> snapshot;
        synchronized (events) {
            snapshot = new ArrayList<>(events);
        }
        int acks = 0;
        for (String e : snapshot) {
            if (e.startsWith("write ")) {
                written += Long.parseLong(e.substring(6));
            } else if (e.equals("force")) {
                forcedUpTo = written;
            } else if (e.startsWith("ack ")) {
                int id = Integer.parseInt(e.substring(4));
                assertTrue(ends[id] <= forcedUpTo, "change " + id + " acknowledged before forced: " + snapshot);
                acks++;
            }
        }
        assertEquals(n, acks);
    }

    @Test
    void alwaysGroupsChangesThatArriveDuringAForce() throws Exception {
        control.forceMillis = 20;  // a slow disk: appends pile up behind each force
        int threads = 8;
        int perThread = 20;
        CountDownLatch done = new CountDownLatch(threads * perThread);
        try (LeaseJournal j = open(LeaseJournal.Options.of(FsyncPolicy.ALWAYS))) {
            List<Thread> appenders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        // Like a client: the next request only after the reply to the last one.
                        CountDownLatch one = new CountDownLatch(1);
                        assertTrue(j.append(change(base + i), null, f -> {
                            one.countDown();
                            done.countDown();
                        }));
                        try {
                            assertTrue(one.await(10, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }
                });
                appenders.add(th);
                th.start();
            }
            await(done);
            for (Thread th : appenders) {
                th.join(10_000);
            }
            LeaseJournal.Stats s = j.stats();
            assertTrue(s.averageGroup() > 2, "8 waiting appenders, yet " + s.averageGroup() + " changes per force: " + s);
        }
    }

    @Test
    void batchForcesAtMostOncePerIntervalAndNoneOnlyOnClose() throws Exception {
        try (LeaseJournal j = open(LeaseJournal.Options.of(FsyncPolicy.BATCH).withBatchInterval(Duration.ofMillis(200)))) {
            long start = System.nanoTime();
            CountDownLatch done = new CountDownLatch(200);
            for (int i = 0; i < 200; i++) {
                assertTrue(j.append(change(i), null, f -> done.countDown()));
                Thread.sleep(2);
            }
            await(done);
            // Within the bound, the last change gets forced by the periodic force.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline && !events.get(events.size() - 1).equals("force")) {
                Thread.sleep(10);
            }
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long forces = j.stats().forces();
            assertTrue(forces >= 1, "forced within the interval");
            assertTrue(forces <= elapsedMillis / 200 + 1, forces + " forces in " + elapsedMillis + " ms");
        }
        events.clear();
        Files.delete(dir.resolve("journal"));
        try (LeaseJournal j = open(LeaseJournal.Options.of(FsyncPolicy.NONE))) {
            CountDownLatch done = new CountDownLatch(100);
            for (int i = 0; i < 100; i++) {
                assertTrue(j.append(change(i), null, f -> done.countDown()));
            }
            await(done);
            Thread.sleep(50);
            assertEquals(0, j.stats().forces());
            assertFalse(events.contains("force"));
        }
        assertEquals("force", events.get(events.size() - 1), "close forces");
    }

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        control.forceGate = new CountDownLatch(1);
        try (LeaseJournal j = open(LeaseJournal.Options.of(FsyncPolicy.ALWAYS).withQueueCapacity(8))) {
            CountDownLatch done = new CountDownLatch(9);
            // The first change is taken by the writer, which then waits in force().
            assertTrue(j.append(change(0), null, f -> done.countDown()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!events.contains("write " + LeaseJournalCodec.encodedLength(change(0))) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            for (int i = 1; i <= 8; i++) {
                assertTrue(j.append(change(i), null, f -> done.countDown()), "queued " + i);
            }
            long t0 = System.nanoTime();
            assertFalse(j.append(change(9), null, f -> {
                throw new AssertionError("a refused change is never completed");
            }));
            assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(100), "refused without waiting");
            assertEquals(1, j.stats().rejected());
            control.forceGate.countDown();
            await(done);
            assertEquals(9, j.stats().committed());
        }
    }

    @Test
    void aFailedWriteFailsItsRoundIsCutAwayAndTheWriterCarriesOn() throws Exception {
        try (LogCapture log = new LogCapture(LeaseJournal.class);
             LeaseJournal j = open(LeaseJournal.Options.of(FsyncPolicy.ALWAYS))) {
            CountDownLatch first = new CountDownLatch(1);
            assertTrue(j.append(change(1), null, f -> first.countDown()));
            await(first);

            control.failWriteAfter = 7;  // the disk fills up in the middle of the next record
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch second = new CountDownLatch(1);
            assertTrue(j.append(change(2), null, f -> {
                failure.set(f);
                second.countDown();
            }));
            await(second);
            assertNotNull(failure.get());
            assertEquals("No space left on device", failure.get().getMessage());
            assertEquals(1, j.stats().failed());
            assertTrue(log.messages(Level.SEVERE).stream().anyMatch(m -> m.contains("writing 1 changes failed")),
                    log.messages(Level.ALL).toString());

            control.failWriteAfter = -1;  // space freed
            CountDownLatch third = new CountDownLatch(1);
            AtomicReference<Throwable> thirdFailure = new AtomicReference<>();
            assertTrue(j.append(change(3), null, f -> {
                thirdFailure.set(f);
                third.countDown();
            }));
            await(third);
            assertNull(thirdFailure.get());
        }
        // No torn record in front of the third change: the partial write was cut.
        assertEquals(List.of(change(1), change(3)), fileContents());
    }

    @Test
    void aFailedForceFailsItsRoundUnderAlways() throws Exception {
        try (LeaseJournal j = open(LeaseJournal.Options.of(FsyncPolicy.ALWAYS))) {
            control.failForce = true;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            assertTrue(j.append(change(1), null, f -> {
                failure.set(f);
                done.countDown();
            }));
            await(done);
            assertEquals("Input/output error", failure.get().getMessage());
            control.failForce = false;
            CountDownLatch ok = new CountDownLatch(1);
            assertTrue(j.append(change(2), null, f -> {
                assertNull(f);
                ok.countDown();
            }));
            await(ok);
        }
        assertEquals(List.of(change(2)), fileContents());
    }

    @Test
    void closeWritesWhatWasQueuedAndRefusesLaterAppends() throws Exception {
        control.forceMillis = 5;
        AtomicInteger ok = new AtomicInteger();
        LeaseJournal j = open(LeaseJournal.Options.of(FsyncPolicy.ALWAYS));
        for (int i = 0; i < 100; i++) {
            assertTrue(j.append(change(i), null, f -> {
                if (f == null) {
                    ok.incrementAndGet();
                }
            }));
        }
        j.close();
        assertEquals(100, ok.get());
        assertFalse(j.append(change(100), null, f -> { }));
        assertEquals(100, fileContents().size());
        j.close();  // twice is harmless
    }

    @Test
    void severalChangesOfOneReplyAreWrittenTogetherAndAcknowledgedOnce() throws Exception {
        AtomicInteger completions = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(3);
        try (LeaseJournal j = open(LeaseJournal.Options.of(FsyncPolicy.ALWAYS))) {
            assertTrue(j.append(change(1), null, f -> done.countDown()));
            assertTrue(j.append(List.of(change(2), change(3), change(4)), null, f -> {
                assertNull(f);
                completions.incrementAndGet();
                done.countDown();
            }));
            // Empty: completes once everything before it is durable.
            assertTrue(j.append(List.of(), null, f -> done.countDown()));
            await(done);
            assertEquals(1, completions.get());
            assertEquals(4, j.stats().committed());
            assertEquals(3, j.stats().appended());
        }
        assertEquals(List.of(change(1), change(2), change(3), change(4)), fileContents());
        // The three changes of the reply were written by one write: no write ended between them.
        long first = LeaseJournalCodec.encodedLength(change(1));
        long inside1 = first + LeaseJournalCodec.encodedLength(change(2));
        long inside2 = inside1 + LeaseJournalCodec.encodedLength(change(3));
        long written = 0;
        for (String e : new ArrayList<>(events)) {
            if (e.startsWith("write ")) {
                written += Long.parseLong(e.substring(6));
                assertTrue(written != inside1 && written != inside2, "a write split the reply's changes: " + events);
            }
        }
    }

    @Test
    void aRecordTooLongToWriteIsRefusedOnTheCallersThread() throws Exception {
        try (LeaseJournal j = open(LeaseJournal.Options.of(FsyncPolicy.NONE))) {
            Lease4 huge = new Lease4(1, 1, null, "x".repeat(LeaseJournalCodec.MAX_BODY_LENGTH), 0, LeaseState.BOUND);
            assertThrows(IllegalArgumentException.class, () -> j.append(LeaseChange.put("n", huge), null, f -> { }));
        }
    }

    @Test
    void completionsRunOnTheirExecutorOncePerRound() throws Exception {
        AtomicInteger tasks = new AtomicInteger();
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-event-loop"));
        control.forceGate = new CountDownLatch(1);
        try (LeaseJournal j = open(LeaseJournal.Options.of(FsyncPolicy.ALWAYS))) {
            java.util.concurrent.Executor counting = command -> {
                tasks.incrementAndGet();
                loop.execute(command);
            };
            CountDownLatch done = new CountDownLatch(50);
            for (int i = 0; i < 50; i++) {
                assertTrue(j.append(change(i), counting, f -> {
                    threads.add(Thread.currentThread().getName());
                    done.countDown();
                }));
            }
            control.forceGate.countDown();
            await(done);
            // The writer took the first change alone (then waited in force); the other 49 came as
            // at most a few rounds, each handed to the loop as one task.
            assertTrue(tasks.get() <= 3, tasks.get() + " tasks for 50 completions");
        } finally {
            loop.shutdown();
        }
        assertEquals(Set.of("fake-event-loop"), new HashSet<>(threads));
    }

    @Test
    void readCutsATornTailAndLogsIt() throws Exception {
        Random r = new Random(3);
        List<LeaseChange> changes = new ArrayList<>();
        try (LeaseJournal j = open(LeaseJournal.Options.of(FsyncPolicy.ALWAYS))) {
            CountDownLatch done = new CountDownLatch(20);
            for (int i = 0; i < 20; i++) {
                LeaseChange c = LeaseChange.put("net1", RandomLeases.lease4(r));
                changes.add(c);
                assertTrue(j.append(c, null, f -> done.countDown()));
            }
            await(done);
        }
        Path file = dir.resolve("journal");
        long full = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(full - 3);
        }
        List<LeaseChange> read = new ArrayList<>();
        try (LogCapture log = new LogCapture(LeaseJournal.class)) {
            LeaseJournal.Recovery rec = LeaseJournal.read(file, read::add, true);
            assertEquals(LeaseJournalCodec.Stop.TORN, rec.stop());
            assertFalse(rec.damaged());
            assertEquals(changes.subList(0, 19), read);
            assertEquals(rec.validLength(), Files.size(file));
            List<String> warnings = log.messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("torn tail of " + (full - 3 - rec.validLength()) + " bytes"), warnings.get(0));
        }
    }
}
