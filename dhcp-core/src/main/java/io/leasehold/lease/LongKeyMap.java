package io.leasehold.lease;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * An open-addressing hash map from a primitive {@code long} to a non-null value, for the lease
 * table's IPv4-address and hardware-address indexes. A {@code HashMap<Integer, …>} boxes every
 * address above 127 on each lookup; the packet path looks leases up for every packet, so the
 * indexes that use it are kept primitive.
 *
 * <p>Linear probing over a power-of-two table at most half full; a removal shifts later entries of
 * the same run back (Knuth vol. 3 §6.4, algorithm R) rather than leaving tombstones, so lookups never
 * slow down under churn. Not thread-safe.
 */
final class LongKeyMap<V> {

    private static final int MIN_CAPACITY = 16;

    private long[] keys;
    private Object[] values;
    private int size;
    /** 64 minus log2(table length): the slot of a key is the top bits of its Fibonacci hash. */
    private int shift;

    LongKeyMap() {
        allocate(MIN_CAPACITY);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new Object[capacity];
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    private int slot(long key) {
        // Fibonacci hashing: consecutive addresses (the common case) spread over the whole table.
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == key) {
                return (V) v;
            }
        }
    }

    /** Maps {@code key} to {@code value} and returns the value it replaced, or null. */
    @SuppressWarnings("unchecked")
    V put(long key, V value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        int mask = keys.length - 1;
        int i = slot(key);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
        }
        keys[i] = key;
        values[i] = value;
        if (++size > keys.length >>> 1) {
            rehash(keys.length << 1);
        }
        return null;
    }

    /** Removes the mapping of {@code key} and returns its value, or null when there was none. */
    @SuppressWarnings("unchecked")
    V remove(long key) {
        int mask = keys.length - 1;
        int i = slot(key);
        for (; ; i = (i + 1) & mask) {
            if (values[i] == null) {
                return null;
            }
            if (keys[i] == key) {
                break;
            }
        }
        V old = (V) values[i];
        // Shift back every later entry of the run whose home slot is not between the hole and it.
        int hole = i;
        for (int j = (hole + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = null;
        keys[hole] = 0;
        size--;
        return old;
    }

    void clear() {
        if (keys.length > MIN_CAPACITY * 4) {
            allocate(MIN_CAPACITY);
        } else {
            Arrays.fill(values, null);
        }
        size = 0;
    }

    @SuppressWarnings("unchecked")
    void forEachValue(Consumer<? super V> action) {
        Object[] vs = values;
        for (Object v : vs) {
            if (v != null) {
                action.accept((V) v);
            }
        }
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(capacity);
        int mask = capacity - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldValues[j] != null) {
                int i = slot(oldKeys[j]);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }
}
