package io.leasehold.lease;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * An identity index's entry: the slots of the leases one client holds, read through to each
 * slot's current lease. A renewal replaces the lease in its slot, so it changes no identity index;
 * only a change of the set of slots (a lease added, removed, or moved to another identity) makes a
 * new list. Immutable as a list of slots; the leases it returns are those of the table when read.
 */
final class SlotList<L> extends AbstractList<L> implements RandomAccess {

    private final LeaseSlot[] slots;

    SlotList(LeaseSlot[] slots) {
        this.slots = slots;
    }

    @Override
    @SuppressWarnings("unchecked")
    public L get(int index) {
        LeaseSlot s = slots[index];
        return (L) (s.family == LeaseSlot.V4 ? s.lease4 : s.lease6);
    }

    @Override
    public int size() {
        return slots.length;
    }

    LeaseSlot slot(int index) {
        return slots[index];
    }

    /** This list with {@code s} in its place by {@code order}; null {@code list} is empty. */
    static <L> SlotList<L> with(SlotList<L> list, LeaseSlot s, java.util.Comparator<LeaseSlot> order) {
        if (list == null) {
            return new SlotList<>(new LeaseSlot[] {s});
        }
        LeaseSlot[] old = list.slots;
        int i = 0;
        while (i < old.length && order.compare(old[i], s) < 0) {
            i++;
        }
        LeaseSlot[] out = new LeaseSlot[old.length + 1];
        System.arraycopy(old, 0, out, 0, i);
        out[i] = s;
        System.arraycopy(old, i, out, i + 1, old.length - i);
        return new SlotList<>(out);
    }

    /** This list without {@code s}; null when nothing is left. */
    static <L> SlotList<L> without(SlotList<L> list, LeaseSlot s) {
        if (list == null) {
            return null;
        }
        LeaseSlot[] old = list.slots;
        int i = 0;
        while (i < old.length && old[i] != s) {
            i++;
        }
        if (i == old.length) {
            return list;
        }
        if (old.length == 1) {
            return null;
        }
        LeaseSlot[] out = new LeaseSlot[old.length - 1];
        System.arraycopy(old, 0, out, 0, i);
        System.arraycopy(old, i + 1, out, i, old.length - i - 1);
        return new SlotList<>(out);
    }
}
