package io.leasehold.store;

import io.leasehold.lease.DnsmasqLeaseFile;
import io.leasehold.lease.Lease4;
import io.leasehold.lease.Lease6;
import io.leasehold.lease.LeaseChange;
import io.leasehold.lease.LeaseJournalCodec;
import io.leasehold.lease.LeaseState;
import io.leasehold.lease.LeaseTable;
import io.leasehold.option.Duid;
import io.leasehold.testing.RandomLeases;
import io.leasehold.testing.Seeds;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class LeaseStoreTest {

    /** Before every random lease's expiry ({@link RandomLeases#expiry}) and the fixtures'. */
    private static final long NOW = 1_600_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private static final Duid FIXTURE_DUID = Duid.parse("00:01:00:01:32:95:12:82:fa:16:3e:00:00:02");

    @TempDir
    Path dir;

    private static LeaseStore.Options options(FsyncPolicy policy) {
        return LeaseStore.Options.of(policy).withClock(CLOCK).withCompactOnClose(false);
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = LeaseStoreTest.class.getResourceAsStream("/lease/" + name)) {
            return in.readAllBytes();
        }
    }

    private static LeaseTable table(String net) {
        return new LeaseTable(net, 1 << 20);
    }

    /** Appends every change and waits (bounded) until each is acknowledged. */
    private static void appendAll(LeaseStore store, List<LeaseChange> changes) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(changes.size());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (LeaseChange c : changes) {
            assertTrue(store.append(c, null, f -> {
                if (f != null) {
                    failure.set(f);
                }
                done.countDown();
            }), "queue full");
        }
        assertTrue(done.await(20, TimeUnit.SECONDS), "acknowledgements missing: " + done.getCount());
        assertNull(failure.get());
    }

    private static void assertSameLeases(LeaseTable expected, LeaseTable actual, String at) {
        assertEquals(new HashSet<>(expected.leases4()), new HashSet<>(actual.leases4()), at + " v4");
        assertEquals(new HashSet<>(expected.leases6()), new HashSet<>(actual.leases6()), at + " v6");
    }

    /** Random changes of a network, hostile names, prefixes, declines and deletes of earlier keys included. */
    private static List<LeaseChange> randomChanges(Random r, String net, int n) {
        List<LeaseChange> out = new ArrayList<>();
        List<Lease4> v4 = new ArrayList<>();
        List<Lease6> v6 = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(10);
            if (k < 4) {
                Lease4 l = RandomLeases.lease4(r);
                if (!v4.isEmpty() && r.nextBoolean()) {
                    // Renew or change an existing key.
                    Lease4 old = v4.get(r.nextInt(v4.size()));
                    l = new Lease4(old.address(), l.mac(), l.clientId(), l.hostname(), l.expiresAt(), l.state());
                }
                v4.add(l);
                out.add(LeaseChange.put(net, l));
            } else if (k < 8) {
                Lease6 l = RandomLeases.lease6(r);
                v6.add(l);
                out.add(LeaseChange.put(net, l));
            } else if (k < 9 && !v4.isEmpty()) {
                out.add(LeaseChange.delete(net, v4.get(r.nextInt(v4.size()))));
            } else if (!v6.isEmpty()) {
                out.add(LeaseChange.delete(net, v6.get(r.nextInt(v6.size()))));
            }
        }
        return out;
    }

    private static LeaseTable model(String net, byte[] leaseFile, List<LeaseChange> changes) {
        LeaseTable t = table(net);
        if (leaseFile != null) {
            DnsmasqLeaseFile.Contents c = DnsmasqLeaseFile.parse(leaseFile);
            c.leases4().forEach(t::put);
            c.leases6().forEach(t::put);
        }
        for (LeaseChange c : changes) {
            if (c.networkId().equals(net)) {
                t.apply(c);
            }
        }
        return t;
    }

    static Stream<Long> seeds() {
        return Seeds.of(8).boxed();
    }

    // ---------------------------------------------------------------------------------------- round trips

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void everythingWrittenLoadsBackThroughTheJournalAndThroughTheLeaseFile(long seed) throws Exception {
        Random r = new Random(seed);
        String net = "net-" + seed;
        Path leaseFile = dir.resolve("confs").resolve(net).resolve("leases");
        List<LeaseChange> changes = randomChanges(r, net, 300);
        LeaseTable expected = model(net, null, changes);
        FsyncPolicy policy = FsyncPolicy.values()[(int) Math.floorMod(seed, 3L)];

        // Through the journal: a crash (no close, no compaction) after every change was acknowledged.
        LeaseStore s1 = LeaseStore.open(dir.resolve("data"), options(policy));
        assertEquals(0, s1.load(net, leaseFile, table(net)).loaded());
        appendAll(s1, changes);
        s1.abandon();

        LeaseStore s2 = LeaseStore.open(dir.resolve("data"), options(policy).withCompactOnClose(true));
        LeaseTable t2 = table(net);
        LeaseStore.LoadReport report = s2.load(net, leaseFile, t2);
        assertSameLeases(expected, t2, "seed=" + seed + " after journal replay");
        assertEquals(0, report.fromFile());
        s2.close();  // compacts: the lease file now holds what it can, the journal the rest

        // The lease file holds exactly the written leases, hostile names as '*', and parses cleanly.
        DnsmasqLeaseFile.Contents file = DnsmasqLeaseFile.parse(Files.readAllBytes(leaseFile));
        assertEquals(List.of(), file.problems());
        assertEquals(expected.leases4().stream().filter(DnsmasqLeaseFile::writes).count(), file.leases4().size());
        assertTrue(file.leases4().stream().allMatch(l -> l.hostname() == null || DnsmasqLeaseFile.isLegalHostname(l.hostname())));
        assertEquals(expected.leases6().stream().filter(DnsmasqLeaseFile::writes).count(), file.leases6().size());

        // Through the lease file and the carried-over records: still exact.
        LeaseStore s3 = LeaseStore.open(dir.resolve("data"), options(policy));
        LeaseTable t3 = table(net);
        report = s3.load(net, leaseFile, t3);
        assertSameLeases(expected, t3, "seed=" + seed + " after compaction");
        assertEquals(file.leases4().size() + file.leases6().size(), report.fromFile());
        s3.close();
    }

    @Test
    void hostileHostnamesAndClientIdsRoundTripExactlyAndTheFileStaysParseable() throws Exception {
        String net = "net1";
        Path leaseFile = dir.resolve("leases");
        Lease4 evil = new Lease4(0x0a000005, 0xfa163e000005L, Octets.of((byte) '\n', (byte) ' ', (byte) 0, (byte) '*'),
                "evil\nduid 00:01:02 \0", 1_700_000_000L, LeaseState.BOUND);
        Lease4 long4 = new Lease4(0x0a000006, 0xfa163e000006L, null, "x".repeat(300), 1_700_000_000L, LeaseState.BOUND);
        Lease6 evil6 = new Lease6(IpAddresses.parseIpv6("fd00::5"), 128, Lease6.IaType.NA,
                Duid.parse("00:03:00:01:fa:16:3e:00:00:05"), 5, "a b\u2028c", 1_700_000_000L, LeaseState.BOUND);
        try (LeaseStore s = LeaseStore.open(dir.resolve("data"), options(FsyncPolicy.ALWAYS).withCompactOnClose(true))) {
            s.load(net, leaseFile, table(net));
            appendAll(s, List.of(LeaseChange.put(net, evil), LeaseChange.put(net, long4), LeaseChange.put(net, evil6)));
        }
        String text = Files.readString(leaseFile, StandardCharsets.US_ASCII);
        assertEquals("1700000000 fa:16:3e:00:00:05 10.0.0.5 * 0a:20:00:2a\n", text.lines().filter(l -> l.contains("10.0.0.5"))
                .findFirst().orElseThrow() + "\n");
        assertEquals(3, text.lines().count(), text);
        try (LeaseStore s = LeaseStore.open(dir.resolve("data"), options(FsyncPolicy.ALWAYS))) {
            LeaseTable t = table(net);
            s.load(net, leaseFile, t);
            assertEquals(evil, t.v4(0x0a000005));
            assertEquals(long4, t.v4(0x0a000006));
            assertEquals(evil6, t.v6(IpAddresses.parseIpv6("fd00::5")));
        }
    }

    // ---------------------------------------------------------------------------------------- lease files

    @Test
    void loadsALeaseFileWrittenByDnsmasqAndKeepsItsServerDuid() throws Exception {
        Path leaseFile = dir.resolve("confs/net1/leases");
        Files.createDirectories(leaseFile.getParent());
        Files.write(leaseFile, fixture("net1-dnsmasq.leases"));
        // Shortly after the capture run: every lease still valid.
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_795_315_400L), ZoneOffset.UTC);
        try (LeaseStore s = LeaseStore.open(dir.resolve("data"),
                options(FsyncPolicy.ALWAYS).withClock(clock).withCompactOnClose(true))) {
            LeaseTable t = table("net1");
            LeaseStore.LoadReport report = s.load("net1", leaseFile, t);
            assertEquals(7, report.fromFile());
            assertEquals(7, report.loaded());
            assertEquals(FIXTURE_DUID, report.serverDuid());
            assertEquals(List.of(), report.problems());
            assertEquals("host-10-77-0-11", t.v4(IpAddresses.toInt(IpAddresses.parseIpv4("10.77.0.11"))).hostname());
            assertEquals(1, t.v6ByClient(Duid.parse("00:01:00:01:32:95:12:ad:fa:16:3e:00:00:11"), Lease6.IaType.NA,
                    1040187409L).size());
        }
        // Compaction on close rewrote the file: the same leases and the same duid line.
        DnsmasqLeaseFile.Contents before = DnsmasqLeaseFile.parse(fixture("net1-dnsmasq.leases"));
        DnsmasqLeaseFile.Contents after = DnsmasqLeaseFile.parse(Files.readAllBytes(leaseFile));
        assertEquals(FIXTURE_DUID, after.serverDuid());
        assertEquals(new HashSet<>(before.leases4()), new HashSet<>(after.leases4()));
        assertEquals(new HashSet<>(before.leases6()), new HashSet<>(after.leases6()));
        List<String> lines = Files.readAllLines(leaseFile);
        assertTrue(lines.get(3).startsWith("duid "), "v4 lines, then duid, then v6: " + lines);

        // Two minutes later the 120 s IPv6 leases have expired; the day-long IPv4 ones have not.
        Clock later = Clock.fixed(Instant.ofEpochSecond(1_795_315_600L), ZoneOffset.UTC);
        try (LeaseStore s = LeaseStore.open(dir.resolve("data"), options(FsyncPolicy.ALWAYS).withClock(later))) {
            LeaseStore.LoadReport report = s.load("net1", leaseFile, table("net1"));
            assertEquals(4, report.expired());
            assertEquals(3, report.loaded());
        }
    }

    @Test
    void resetMakesNeutronsReseededFileTheBase() throws Exception {
        Path leaseFile = dir.resolve("confs/net1/leases");
        Files.createDirectories(leaseFile.getParent());
        Files.write(leaseFile, fixture("net1-dnsmasq.leases"));
        Lease4 later = new Lease4(IpAddresses.toInt(IpAddresses.parseIpv4("10.77.0.20")), 0xfa163e000020L, null, null,
                1_795_401_900L, LeaseState.BOUND);
        Lease4 afterReset = new Lease4(IpAddresses.toInt(IpAddresses.parseIpv4("10.77.0.21")), 0xfa163e000021L, null,
                null, 1_795_401_900L, LeaseState.BOUND);
        LeaseStore s = LeaseStore.open(dir.resolve("data"), options(FsyncPolicy.ALWAYS));
        LeaseTable t = table("net1");
        s.load("net1", leaseFile, t);
        appendAll(s, List.of(LeaseChange.put("net1", later),
                LeaseChange.delete("net1", t.v4(IpAddresses.toInt(IpAddresses.parseIpv4("10.77.0.12"))))));

        // Neutron respawns dnsmasq: the front unloads the network, the agent seeds the file, the
        // front resets and loads it.
        s.unload("net1").get(10, TimeUnit.SECONDS);
        assertEquals(List.of(), List.copyOf(s.loadedNetworks()));
        Files.write(leaseFile, fixture("net1-neutron-seed.leases"));
        s.reset("net1").get(10, TimeUnit.SECONDS);
        LeaseTable seeded = table("net1");
        s.load("net1", leaseFile, seeded);
        LeaseTable expected = model("net1", fixture("net1-neutron-seed.leases"), List.of());
        assertSameLeases(expected, seeded, "after reset");
        appendAll(s, List.of(LeaseChange.put("net1", afterReset)));
        s.abandon();

        // The records before the RESET are void; the one after it is replayed.
        try (LeaseStore s2 = LeaseStore.open(dir.resolve("data"), options(FsyncPolicy.ALWAYS))) {
            LeaseTable t2 = table("net1");
            LeaseStore.LoadReport report = s2.load("net1", leaseFile, t2);
            expected.put(afterReset);
            assertSameLeases(expected, t2, "after restart");
            assertEquals(1, report.replayed());
            assertEquals(FIXTURE_DUID, report.serverDuid());
        }
    }

    @Test
    void oneNetworksFileIsRewrittenPromptlyAfterARelease() throws Exception {
        Path fileA = dir.resolve("confs/a/leases");
        Path fileB = dir.resolve("confs/b/leases");
        Lease4 l = new Lease4(0x0a000002, 0xfa163e000002L, null, "vm2", 1_700_000_000L, LeaseState.BOUND);
        try (LeaseStore s = LeaseStore.open(dir.resolve("data"), options(FsyncPolicy.ALWAYS))) {
            s.load("a", fileA, table("a"));
            s.load("b", fileB, table("b"));
            appendAll(s, List.of(LeaseChange.put("a", l)));
            s.compact("a").get(10, TimeUnit.SECONDS);
            assertEquals("1700000000 fa:16:3e:00:00:02 10.0.0.2 vm2 *\n", Files.readString(fileA));
            assertFalse(Files.exists(fileB), "only the network asked for is written");

            // The release: once durable, its completion asks for the file; Neutron then reads it.
            CountDownLatch released = new CountDownLatch(1);
            AtomicReference<java.util.concurrent.CompletableFuture<Void>> rewrite = new AtomicReference<>();
            assertTrue(s.append(LeaseChange.delete("a", l), null, f -> {
                rewrite.set(s.compact("a"));
                released.countDown();
            }));
            assertTrue(released.await(10, TimeUnit.SECONDS));
            rewrite.get().get(10, TimeUnit.SECONDS);
            assertEquals("", Files.readString(fileA));
        }
    }

    @Test
    void anUnloadedNetworksFileIsLeftAlone() throws Exception {
        Path leaseFile = dir.resolve("leases");
        try (LeaseStore s = LeaseStore.open(dir.resolve("data"), options(FsyncPolicy.ALWAYS))) {
            s.load("net1", leaseFile, table("net1"));
            appendAll(s, List.of(LeaseChange.put("net1",
                    new Lease4(1, 1, null, null, 1_700_000_000L, LeaseState.BOUND))));
            s.unload("net1").get(10, TimeUnit.SECONDS);
            assertEquals("1700000000 00:00:00:00:00:01 0.0.0.1 * *\n", Files.readString(leaseFile));
            Files.writeString(leaseFile, "someone else's\n");
            s.compact().get(10, TimeUnit.SECONDS);
            s.compact("net1").get(10, TimeUnit.SECONDS);
            assertEquals("someone else's\n", Files.readString(leaseFile));
        }
    }

    @Test
    void aFullTableReportsTheLeasesThatDidNotFit() throws Exception {
        Path leaseFile = dir.resolve("leases");
        Files.write(leaseFile, fixture("net1-neutron-seed.leases"));
        try (LeaseStore s = LeaseStore.open(dir.resolve("data"), options(FsyncPolicy.ALWAYS))) {
            LeaseStore.LoadReport report = s.load("net1", leaseFile, new LeaseTable("net1", 2));
            assertEquals(4, report.fromFile());
            assertEquals(2, report.refused());
            assertEquals(2, report.loaded());
        }
    }

    @Test
    void aSecondStoreCannotOpenTheSameDirectory() throws Exception {
        try (LeaseStore s = LeaseStore.open(dir, options(FsyncPolicy.ALWAYS))) {
            IOException e = assertThrows(IOException.class, () -> LeaseStore.open(dir, options(FsyncPolicy.ALWAYS)));
            assertTrue(e.getMessage().contains("in use by another lease store"), e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------- crashes

    /**
     * A crash in the middle of an append leaves the journal cut anywhere in its last record. For a
     * cut at every byte offset of the last records: the store starts, loads exactly the changes
     * whose records are whole (each was acknowledged; the cut one never was), and says so in the log.
     */
    @Test
    void aJournalCutAtEveryOffsetOfItsLastRecordsLoadsLosingOnlyTheCutRecord() throws Exception {
        Random r = new Random(11);
        String net = "net1";
        List<LeaseChange> changes = randomChanges(r, net, 40);
        LeaseStore s = LeaseStore.open(dir.resolve("data"), options(FsyncPolicy.ALWAYS));
        s.load(net, dir.resolve("leases"), table(net));
        appendAll(s, changes);
        s.abandon();
        byte[] journal = Files.readAllBytes(dir.resolve("data/journal-0000000001.lhj"));
        long[] ends = new long[changes.size()];
        long end = 0;
        for (int i = 0; i < changes.size(); i++) {
            end += LeaseJournalCodec.encodedLength(changes.get(i));
            ends[i] = end;
        }
        assertEquals(end, journal.length);

        for (int cut = (int) ends[changes.size() - 4]; cut <= journal.length; cut++) {
            Path data = dir.resolve("cut-" + cut);
            Files.createDirectories(data);
            Files.write(data.resolve("journal-0000000001.lhj"), java.util.Arrays.copyOf(journal, cut));
            int whole = 0;
            while (whole < ends.length && ends[whole] <= cut) {
                whole++;
            }
            try (LogCapture log = new LogCapture(LeaseJournal.class)) {
                LeaseStore restarted = LeaseStore.open(data, options(FsyncPolicy.ALWAYS));
                LeaseTable t = table(net);
                restarted.load(net, dir.resolve("leases"), t);
                assertSameLeases(model(net, null, changes.subList(0, whole)), t, "cut=" + cut);
                List<String> warnings = log.messages(Level.WARNING);
                if (cut == ends[whole - 1]) {
                    assertEquals(List.of(), warnings, "cut=" + cut + " on a record boundary");
                } else {
                    assertEquals(1, warnings.size(), "cut=" + cut + ": " + warnings);
                    assertTrue(warnings.get(0).contains("torn tail of " + (cut - ends[whole - 1]) + " bytes at offset "
                            + ends[whole - 1]), warnings.get(0));
                }
                // Appending resumes on the record boundary, so what comes next loads too.
                appendAll(restarted, List.of(LeaseChange.reset("other")));
                restarted.abandon();
                assertEquals(ends[whole - 1] + LeaseJournalCodec.encodedLength(LeaseChange.reset("other")),
                        Files.size(data.resolve("journal-0000000001.lhj")), "cut=" + cut);
            }
        }
    }

    /** Thrown by the hooks where the test crashes the store. */
    private static final class SimulatedCrash extends IOException {
        SimulatedCrash(StoreHooks.Step step) {
            super("simulated crash at " + step);
        }
    }

    /**
     * A crash between any two steps of a compaction loses nothing acknowledged: for every hook point
     * of a compaction (two loaded networks, one network only in the journal, one old generation),
     * crash there, start again, and every network loads to exactly its acknowledged state, before
     * and after the next compaction. Where the step left data not yet forced (the new generation's
     * carried records), the test also cuts that file, as a power failure could.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void aCrashBetweenAnyTwoStepsOfACompactionLosesNothing(long seed) throws Exception {
        boolean completed = false;
        for (int crashAt = 1; !completed; crashAt++) {
            if (crashAt > 40) {
                fail("a compaction should have fewer than 40 steps");
            }
            completed = crashCompactionAt(seed, crashAt);
        }
    }

    /** One crash scenario; true when the compaction finished before reaching hook call {@code crashAt}. */
    private boolean crashCompactionAt(long seed, int crashAt) throws Exception {
        Random r = new Random(seed);
        Path root = dir.resolve("crash-" + crashAt);
        Path data = root.resolve("data");
        Path fileA = root.resolve("confs/a/leases");
        Path fileB = root.resolve("confs/b/leases");
        Path fileC = root.resolve("confs/c/leases");
        Files.createDirectories(fileA.getParent());
        Files.write(fileA, fixture("net1-dnsmasq.leases"));
        byte[] initialA = fixture("net1-dnsmasq.leases");

        int[] calls = {0};
        boolean[] armed = {false};
        StoreHooks.Step[] crashedAt = {null};
        StoreHooks hooks = step -> {
            if (armed[0] && ++calls[0] == crashAt) {
                crashedAt[0] = step;
                throw new SimulatedCrash(step);
            }
        };
        List<LeaseChange> acked = new ArrayList<>();
        LeaseStore s = LeaseStore.open(data, options(FsyncPolicy.ALWAYS), FileChannel::open, hooks);
        s.load("a", fileA, table("a"));
        s.load("b", fileB, table("b"));
        // "c" is never loaded by this store: its records only live in the journal.
        List<LeaseChange> first = new ArrayList<>();
        first.addAll(randomChanges(r, "a", 40));
        first.addAll(randomChanges(r, "b", 40));
        first.addAll(randomChanges(r, "c", 40));
        appendAll(s, first);
        acked.addAll(first);
        s.compact().get(10, TimeUnit.SECONDS);  // generation 2; generation 1 deleted
        List<LeaseChange> second = new ArrayList<>();
        second.addAll(randomChanges(r, "a", 40));
        second.addAll(randomChanges(r, "c", 20));
        second.addAll(randomChanges(r, "b", 40));
        appendAll(s, second);
        acked.addAll(second);

        armed[0] = true;
        boolean completed;
        try {
            s.compact().get(10, TimeUnit.SECONDS);
            completed = true;
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof SimulatedCrash, e.toString());
            completed = false;
        }
        s.abandon();
        String at = "seed=" + seed + " crash at call " + crashAt + " (" + crashedAt[0] + ")";
        if (crashedAt[0] == StoreHooks.Step.NEW_JOURNAL_WRITTEN) {
            // Not forced yet: a power failure may keep any prefix of it.
            Path newest = data.resolve("journal-0000000003.lhj");
            long size = Files.size(newest);
            try (FileChannel ch = FileChannel.open(newest, StandardOpenOption.WRITE)) {
                ch.truncate(size == 0 ? 0 : r.nextInt((int) size));
            }
        }

        for (int round = 0; round < 2; round++) {
            LeaseStore s2 = LeaseStore.open(data, options(FsyncPolicy.ALWAYS));
            for (String net : List.of("a", "b", "c")) {
                Path file = root.resolve("confs").resolve(net).resolve("leases");
                LeaseTable t = table(net);
                s2.load(net, file, t);
                assertSameLeases(model(net, net.equals("a") ? initialA : null, acked), t, at + " round " + round + " " + net);
            }
            if (round == 0) {
                s2.compact().get(10, TimeUnit.SECONDS);
            }
            s2.abandon();
        }
        List<String> left = Files.list(data).map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        assertTrue(left.stream().filter(n -> n.startsWith("journal-")).count() == 1, at + ": " + left);
        return completed;
    }
}
