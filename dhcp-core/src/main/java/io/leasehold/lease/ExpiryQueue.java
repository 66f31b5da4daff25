package io.leasehold.lease;

import java.util.Arrays;

/**
 * The lease table's expiry index: a binary min-heap of {@link LeaseSlot}s ordered by
 * {@link LeaseSlot#compare} (expiry, then key), where each slot knows its own position. Finding the
 * next lease to expire is O(1); adding, removing or re-timing a slot is O(log n); nothing is ever
 * scanned. Leases that never expire are not queued. Not thread-safe.
 */
final class ExpiryQueue {

    private LeaseSlot[] heap = new LeaseSlot[16];
    private int size;

    int size() {
        return size;
    }

    /** The slot that expires first, or null when nothing expires. */
    LeaseSlot peek() {
        return size == 0 ? null : heap[0];
    }

    /** Puts the slot where its {@code expiresAt} belongs: queued when finite, unqueued when infinite. */
    void update(LeaseSlot s) {
        if (s.expiresAt == Lease4.NEVER) {
            remove(s);
        } else if (s.heapIndex < 0) {
            add(s);
        } else {
            int i = s.heapIndex;
            if (!siftUp(i)) {
                siftDown(i);
            }
        }
    }

    private void add(LeaseSlot s) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size << 1);
        }
        heap[size] = s;
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
            LeaseSlot moved = heap[last];
            heap[i] = moved;
            moved.heapIndex = i;
            heap[last] = null;
            if (!siftUp(i)) {
                siftDown(i);
            }
        } else {
            heap[last] = null;
        }
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex = -1;
        }
        heap = new LeaseSlot[16];
        size = 0;
    }

    /** Moves the slot at {@code i} up while it sorts before its parent; true when it moved. */
    private boolean siftUp(int i) {
        LeaseSlot s = heap[i];
        int start = i;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            LeaseSlot p = heap[parent];
            if (LeaseSlot.compare(s, p) >= 0) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = s;
        s.heapIndex = i;
        return i != start;
    }

    private void siftDown(int i) {
        LeaseSlot s = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            LeaseSlot c = heap[child];
            int right = child + 1;
            if (right < size && LeaseSlot.compare(heap[right], c) < 0) {
                child = right;
                c = heap[child];
            }
            if (LeaseSlot.compare(s, c) <= 0) {
                break;
            }
            heap[i] = c;
            c.heapIndex = i;
            i = child;
        }
        heap[i] = s;
        s.heapIndex = i;
    }
}
