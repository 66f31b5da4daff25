package io.leasehold.model;

import io.leasehold.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The persistent map agrees with {@link HashMap} on random operations, and old versions stay intact. */
class PersistentMapTest {

    /** A key whose hash is chosen, to force deep tries and full 32-bit collisions. */
    record Key(int id, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).id == id;
        }
    }

    static LongStream seeds() {
        return Seeds.of(30);
    }

    private static Key key(Random r) {
        int id = r.nextInt(400);
        // A third of the keys share a handful of hashes (collision nodes); a third differ only in
        // high bits (deep paths); the rest are ordinary.
        int hash = switch (id % 3) {
            case 0 -> id % 7;
            case 1 -> id << 27;
            default -> Integer.hashCode(id) * 0x9e3779b9;
        };
        return new Key(id, hash);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void agreesWithAHashMapAndKeepsOldVersionsIntact(long seed) {
        Random r = new Random(seed);
        PersistentMap<Key, Integer> map = PersistentMap.empty();
        Map<Key, Integer> model = new HashMap<>();
        List<PersistentMap<Key, Integer>> versions = new ArrayList<>();
        List<Map<Key, Integer>> models = new ArrayList<>();
        for (int step = 0; step < 3000; step++) {
            Key k = key(r);
            if (r.nextInt(3) == 0) {
                map = map.minus(k);
                model.remove(k);
            } else {
                int v = r.nextInt(5);
                map = map.plus(k, v);
                model.put(k, v);
            }
            assertEquals(model.size(), map.size(), "seed=" + seed + " step " + step);
            assertEquals(model.get(k), map.get(k), "seed=" + seed + " step " + step);
            if (step % 300 == 0) {
                versions.add(map);
                models.add(new HashMap<>(model));
            }
        }
        assertEquals(model, map.toMap(), "seed=" + seed);
        Set<Key> seen = new HashSet<>();
        map.forEach((k, v) -> assertEquals(true, seen.add(k), "each key once"));
        int iterated = 0;
        for (Map.Entry<Key, Integer> e : map) {
            assertEquals(model.get(e.getKey()), e.getValue());
            iterated++;
        }
        assertEquals(model.size(), iterated);
        for (int i = 0; i < versions.size(); i++) {
            assertEquals(models.get(i), versions.get(i).toMap(), "version " + i + " changed, seed=" + seed);
        }
    }

    @Test
    void unchangedUpdatesReturnTheSameMap() {
        PersistentMap<String, Integer> m = PersistentMap.<String, Integer>empty().plus("a", 1);
        assertSame(m, m.plus("a", 1));
        assertSame(m, m.minus("b"));
        assertNull(m.minus("a").get("a"));
        assertEquals(0, m.minus("a").size());
        assertThrows(NullPointerException.class, () -> m.plus(null, 1));
        assertThrows(NullPointerException.class, () -> m.plus("x", null));
    }

    @Test
    void removingEverythingLeavesAnEmptyMap() {
        PersistentMap<Integer, Integer> m = PersistentMap.empty();
        for (int i = 0; i < 10_000; i++) {
            m = m.plus(i, i);
        }
        for (int i = 0; i < 10_000; i++) {
            m = m.minus(i);
        }
        assertEquals(0, m.size());
        assertEquals(false, m.iterator().hasNext());
    }
}
