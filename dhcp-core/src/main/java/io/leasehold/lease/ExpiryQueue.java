package io.leasehold.lease;

import java.util.Arrays;

/**
 * The lease table's expiry index: a 4-ary min-heap of {@link LeaseSlot}s ordered by
 * {@link LeaseSlot#compare} (expiry, then key), where each slot knows its own position. Finding the
 * next lease to expire is O(1); adding, removing or re-timing a slot is O(log n); nothing is ever
 * scanned. Leases that never expire are not queued. Not thread-safe.
 *
 * <p>The expiry times are kept in an array beside the slots, so that choosing among a node's four
 * children reads one cache line instead of four slot objects; with 100k leases spread over the
 * heap, cache misses, not comparisons, are what a sift costs. Four children per node also halve
 * the depth of a binary heap.
 */
final class ExpiryQueue {

    private LeaseSlot[] slots = new LeaseSlot[16];
    private long[] keys = new long[16];
    private int size;

    int size() {
        return size;
    }

    /** The slot that expires first, or null when nothing expires. */
    LeaseSlot peek() {
        return size == 0 ? null : slots[0];
    }

    /** Puts the slot where its {@code expiresAt} belongs: queued when finite, unqueued when infinite. */
    void update(LeaseSlot s) {
        if (s.expiresAt == Lease4.NEVER) {
            remove(s);
        } else if (s.heapIndex < 0) {
            add(s);
        } else {
            int i = s.heapIndex;
            keys[i] = s.expiresAt;
            if (!siftUp(i)) {
                siftDown(i);
            }
        }
    }

    private void add(LeaseSlot s) {
        if (size == slots.length) {
            slots = Arrays.copyOf(slots, size << 1);
            keys = Arrays.copyOf(keys, size << 1);
        }
        slots[size] = s;
        keys[size] = s.expiresAt;
        s.heapIndex = size;
        size++;
        siftUp(size - 1);
    }

    /** Unqueues the slot; nothing happens when it is not queued. */
    void remove(LeaseSlot s) {
        int i = s.heapIndex;
        if (i < 0) {
            return;
        }
        s.heapIndex = -1;
        int last = --size;
        if (i != last) {
            LeaseSlot moved = slots[last];
            slots[i] = moved;
            keys[i] = keys[last];
            moved.heapIndex = i;
            slots[last] = null;
            if (!siftUp(i)) {
                siftDown(i);
            }
        } else {
            slots[last] = null;
        }
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            slots[i].heapIndex = -1;
        }
        slots = new LeaseSlot[16];
        keys = new long[16];
        size = 0;
    }

    private static boolean before(long ka, LeaseSlot a, long kb, LeaseSlot b) {
        return ka < kb || ka == kb && LeaseSlot.compare(a, b) < 0;
    }

    /** Moves the slot at {@code i} up while it sorts before its parent; true when it moved. */
    private boolean siftUp(int i) {
        LeaseSlot s = slots[i];
        long k = keys[i];
        int start = i;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            if (!before(k, s, keys[parent], slots[parent])) {
                break;
            }
            LeaseSlot p = slots[parent];
            slots[i] = p;
            keys[i] = keys[parent];
            p.heapIndex = i;
            i = parent;
        }
        slots[i] = s;
        keys[i] = k;
        s.heapIndex = i;
        return i != start;
    }

    private void siftDown(int i) {
        LeaseSlot s = slots[i];
        long k = keys[i];
        while (true) {
            int first = 4 * i + 1;
            if (first >= size) {
                break;
            }
            int best = first;
            int end = Math.min(first + 4, size);
            for (int c = first + 1; c < end; c++) {
                if (before(keys[c], slots[c], keys[best], slots[best])) {
                    best = c;
                }
            }
            if (!before(keys[best], slots[best], k, s)) {
                break;
            }
            LeaseSlot child = slots[best];
            slots[i] = child;
            keys[i] = keys[best];
            child.heapIndex = i;
            i = best;
        }
        slots[i] = s;
        keys[i] = k;
        s.heapIndex = i;
    }
}
