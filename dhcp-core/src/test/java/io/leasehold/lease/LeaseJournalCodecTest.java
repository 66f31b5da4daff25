package io.leasehold.lease;

import io.leasehold.option.Duid;
import io.leasehold.testing.RandomLeases;
import io.leasehold.testing.Seeds;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaseJournalCodecTest {

    static LongStream seeds() {
        return Seeds.of(40);
    }

    private static List<LeaseChange> randomChanges(Random r, int n) {
        List<String> networks = List.of(RandomLeases.networkId(r), RandomLeases.networkId(r), "net1");
        List<LeaseChange> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(RandomLeases.change(r, networks));
        }
        return out;
    }

    /** The records back to back, and where each one ends. */
    private static byte[] encodeAll(List<LeaseChange> changes, int[] ends) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < changes.size(); i++) {
            byte[] rec = LeaseJournalCodec.encode(changes.get(i));
            assertEquals(LeaseJournalCodec.encodedLength(changes.get(i)), rec.length);
            out.writeBytes(rec);
            ends[i] = out.size();
        }
        return out.toByteArray();
    }

    @Test
    void recordLayoutIsPinned() {
        Lease4 l = new Lease4(0x0a4d000b, 0xfa163e000011L, Octets.parseHex("01:02"), "vm", 1795401616L, LeaseState.BOUND);
        byte[] rec = LeaseJournalCodec.encode(LeaseChange.put("n1", l));
        String hex = Octets.of(rec).toHex((char) 0);
        // magic "LJ", version 1, kind 1 (PUT4), body length 40
        assertEquals("4c4a0101" + "00000028", hex.substring(0, 16));
        assertEquals("00000002" + "6e31"             // network id "n1"
                + "0a4d000b" + "0000fa163e000011"          // address, mac
                + "000000006b03a790" + "01" + "03"          // expiresAt, BOUND, client id + hostname
                + "00000002" + "0102" + "00000002" + "766d", // client id, hostname "vm"
                hex.substring(16, 16 + 80));
        assertEquals(8 + 40 + 4, rec.length);
        assertEquals(LeaseChange.put("n1", l), LeaseJournalCodec.decode(rec).changes().get(0));
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void everyFieldRoundTrips(long seed) {
        Random r = new Random(seed);
        List<LeaseChange> changes = randomChanges(r, 200);
        int[] ends = new int[changes.size()];
        byte[] all = encodeAll(changes, ends);
        LeaseJournalCodec.Decoded d = LeaseJournalCodec.decode(all);
        assertEquals(changes, d.changes(), "seed=" + seed);
        assertEquals(LeaseJournalCodec.Stop.END, d.stop());
        assertEquals(all.length, d.validLength());
        assertNull(d.problem());
    }

    /**
     * A crash can cut the journal anywhere in the record being appended: for every cut inside the
     * last records, decoding yields exactly the records wholly before the cut, and says it is torn.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void aCutAtEveryOffsetOfTheLastRecordsLosesOnlyTheCutRecord(long seed) {
        Random r = new Random(seed);
        List<LeaseChange> changes = randomChanges(r, 30);
        int[] ends = new int[changes.size()];
        byte[] all = encodeAll(changes, ends);
        int from = ends[changes.size() - 5];
        for (int cut = from; cut <= all.length; cut++) {
            int whole = 0;
            while (whole < ends.length && ends[whole] <= cut) {
                whole++;
            }
            LeaseJournalCodec.Decoded d = LeaseJournalCodec.decode(Arrays.copyOf(all, cut));
            String at = "seed=" + seed + " cut=" + cut;
            assertEquals(changes.subList(0, whole), d.changes(), at);
            assertEquals(whole == 0 ? 0 : ends[whole - 1], d.validLength(), at);
            boolean boundary = cut == d.validLength();
            assertEquals(boundary ? LeaseJournalCodec.Stop.END : LeaseJournalCodec.Stop.TORN, d.stop(), at);
        }
    }

    /** A flipped bit anywhere in the last record is caught; the records before it all survive. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void aFlippedBitInTheTailIsDetected(long seed) {
        Random r = new Random(seed);
        List<LeaseChange> changes = randomChanges(r, 10);
        int[] ends = new int[changes.size()];
        byte[] all = encodeAll(changes, ends);
        int lastStart = ends[ends.length - 2];
        for (int i = lastStart; i < all.length; i++) {
            byte[] bad = all.clone();
            bad[i] ^= (byte) (1 << r.nextInt(8));
            LeaseJournalCodec.Decoded d = LeaseJournalCodec.decode(bad);
            String at = "seed=" + seed + " flip at " + i;
            assertEquals(changes.subList(0, changes.size() - 1), d.changes(), at);
            assertNotEquals(LeaseJournalCodec.Stop.END, d.stop(), at);
            assertEquals(lastStart, d.validLength(), at);
            assertTrue(d.problem().startsWith("at offset " + lastStart + ": "), at + ": " + d.problem());
            assertEquals(-1, LeaseJournalCodec.nextValidRecord(ByteBuffer.wrap(bad), lastStart), at);
        }
        // Damage in the middle: decoding stops there, and the next valid record is found after it.
        byte[] bad = all.clone();
        bad[ends[2] + 9] ^= 0x10;
        LeaseJournalCodec.Decoded d = LeaseJournalCodec.decode(bad);
        assertEquals(LeaseJournalCodec.Stop.CORRUPT, d.stop());
        assertEquals(3, d.changes().size());
        assertEquals(ends[3], LeaseJournalCodec.nextValidRecord(ByteBuffer.wrap(bad), ends[2]));
    }

    @Test
    void aZeroFilledTailIsCorruptNotAnError() {
        // What a file system may leave after a crash: the size grew, the data never arrived.
        byte[] rec = LeaseJournalCodec.encode(LeaseChange.reset("net1"));
        byte[] file = Arrays.copyOf(rec, rec.length + 4096);
        LeaseJournalCodec.Decoded d = LeaseJournalCodec.decode(file);
        assertEquals(List.of(LeaseChange.reset("net1")), d.changes());
        assertEquals(LeaseJournalCodec.Stop.CORRUPT, d.stop());
        assertEquals("at offset " + rec.length + ": magic 0x0 (expected: 0x4c4a)", d.problem());
    }

    @Test
    void decodesAFileReadInChunks() {
        Random r = new Random(7);
        List<LeaseChange> changes = randomChanges(r, 300);
        int[] ends = new int[changes.size()];
        byte[] all = encodeAll(changes, ends);
        // Read 100 bytes at a time, keeping what a TORN result leaves for the next round.
        ByteBuffer buf = ByteBuffer.allocate(LeaseJournalCodec.MAX_RECORD_LENGTH);
        List<LeaseChange> got = new ArrayList<>();
        long offset = 0;
        for (int pos = 0; pos < all.length; ) {
            int n = Math.min(100, all.length - pos);
            buf.put(all, pos, n);
            pos += n;
            buf.flip();
            LeaseJournalCodec.Decoded d = LeaseJournalCodec.decode(buf, offset);
            got.addAll(d.changes());
            offset += d.validLength();
            assertNotEquals(LeaseJournalCodec.Stop.CORRUPT, d.stop(), d.problem());
            buf.compact();
        }
        assertEquals(changes, got);
        assertEquals(all.length, offset);
    }

    @Test
    void tooLongARecordIsRefusedWhenEncoding() {
        Lease4 l = new Lease4(1, 1, null, "x".repeat(LeaseJournalCodec.MAX_BODY_LENGTH), 0, LeaseState.BOUND);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LeaseJournalCodec.encodedLength(LeaseChange.put("n", l)));
        assertTrue(e.getMessage().startsWith("record body: "), e.getMessage());
        Lease6 l6 = new Lease6(IpAddresses.parseIpv6("fd00::1"), 128, Lease6.IaType.NA,
                Duid.parse("00:03:00:01:fa:16:3e:00:00:12"), 1, "\ud800\u0000\uffff", 0, LeaseState.DECLINED);
        assertEquals(LeaseChange.delete("n", l6),
                LeaseJournalCodec.decode(LeaseJournalCodec.encode(LeaseChange.delete("n", l6))).changes().get(0));
    }
}
