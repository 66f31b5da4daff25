package io.leasehold.dnsmasq;

import io.leasehold.lease.Lease4;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.OptionLine;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings a network's snapshot to a {@link NetworkSpec} by applying only the differences, so that
 * reloading a 50,000-line hosts file in which one line changed costs a handful of O(log n) snapshot
 * updates instead of a rebuild. Leases are not in the snapshot and are never touched: a reload
 * keeps every client's lease, as a SIGHUP does in dnsmasq (neutron-compat §3.5, dnsmasq-facts §9.9).
 *
 * <p>Two forms: {@link #apply(NetworkSnapshot, NetworkSpec, NetworkSpec)} is the reload path,
 * given the spec the snapshot holds; it compares the two specs' common head and tail in one
 * sequential pass and looks further only at the run between them. {@link #apply(NetworkSnapshot,
 * NetworkSpec)} needs only the snapshot (for a snapshot also changed by other means); it looks each
 * new line up in the snapshot, one O(log n) lookup per line.
 *
 * <p>The result equals, in content, the snapshot {@link NetworkSpec#build()} would make, including
 * order, which dnsmasq's semantics depend on:
 * <ul>
 *   <li>Reservations: the engines try the lines of one MAC (or client id, or DUID) newest first, so
 *       the order inside each such group must be the file's. A changed line is therefore re-added
 *       together with every line that shares a MAC, client id, DUID or address with it (transitively;
 *       for Neutron that is the port's few lines), in file order; unrelated lines are not touched.</li>
 *   <li>Option lines: the snapshot orders them by a sequence number. Lines that keep their relative
 *       order stay where they are (the longest run of them, found in O(n log n)); new or moved lines
 *       are inserted between their neighbours' numbers ({@link NetworkSnapshot#withOption(OptionLine, long)}).
 *       A fresh build spaces numbers {@value #SEQ_GAP} apart, so inserts never run out of room in
 *       practice; when they do, the option lines are renumbered from scratch.</li>
 * </ul>
 */
public final class SnapshotDiff {

    /** The distance between the sequence numbers of consecutive option lines in a fresh build. */
    public static final long SEQ_GAP = 1L << 32;

    /**
     * What a diff did.
     *
     * @param snapshot              the updated snapshot (the given one when nothing changed)
     * @param reservationsAdded     new or changed host lines
     * @param reservationsRemoved   host lines gone
     * @param reservationsReordered unchanged host lines re-added to keep their group's order
     * @param optionsAdded          new option lines
     * @param optionsRemoved        option lines gone
     * @param optionsMoved          unchanged option lines moved to keep the file's order
     * @param subnetsChanged        subnets added, removed or replaced
     * @param settingsChanged       whether the settings changed
     * @param matchRulesChanged     whether the tagging rules changed
     */
    public record Result(NetworkSnapshot snapshot, int reservationsAdded, int reservationsRemoved,
                         int reservationsReordered, int optionsAdded, int optionsRemoved, int optionsMoved,
                         int subnetsChanged, boolean settingsChanged, boolean matchRulesChanged) {

        /** True when anything changed. */
        public boolean changed() {
            return updates() > 0 || settingsChanged || matchRulesChanged;
        }

        /** The number of items re-added or removed: the work the diff did on the snapshot. */
        public int updates() {
            return reservationsAdded + reservationsRemoved + reservationsReordered + optionsAdded + optionsRemoved
                    + optionsMoved + subnetsChanged;
        }

        @Override
        public String toString() {
            return "reservations +" + reservationsAdded + " -" + reservationsRemoved + " ~" + reservationsReordered
                    + ", options +" + optionsAdded + " -" + optionsRemoved + " ~" + optionsMoved
                    + ", subnets " + subnetsChanged + (settingsChanged ? ", settings" : "")
                    + (matchRulesChanged ? ", match rules" : "");
        }
    }

    private SnapshotDiff() {
    }

    /** Applies {@code desired} to {@code current} (whose id it must have). */
    public static Result apply(NetworkSnapshot current, NetworkSpec desired) {
        if (!current.id().equals(desired.id())) {
            throw new IllegalArgumentException("network: " + desired.id() + " (expected: " + current.id() + ")");
        }
        NetworkSnapshot s = current;
        boolean settings = !s.settings().equals(desired.settings());
        if (settings) {
            s = s.withSettings(desired.settings());
        }
        boolean rules = !s.matchRules().equals(desired.matchRules());
        if (rules) {
            s = s.withMatchRules(desired.matchRules());
        }
        int[] subnetCount = new int[1];
        s = subnets(s, desired.subnets(), subnetCount);
        int[] r = new int[3];
        s = reservations(s, desired.reservations(), r);
        int[] o = new int[3];
        s = options(s, desired.options(), o);
        return new Result(s, r[0], r[1], r[2], o[0], o[1], o[2], subnetCount[0], settings, rules);
    }

    /**
     * Applies {@code desired} to {@code current}, which holds exactly {@code previous} (the spec it
     * was built from or last brought to): the reload path. Only the run of lines between the
     * longest common head and tail of the two specs is compared further, so a reload where one line
     * of 50,000 changed costs one pass of sequential comparisons plus the updates, instead of a
     * snapshot lookup per line. Falls back to {@link #apply(NetworkSnapshot, NetworkSpec)} when
     * {@code previous} is null or visibly not what {@code current} holds.
     */
    public static Result apply(NetworkSnapshot current, NetworkSpec previous, NetworkSpec desired) {
        if (previous == null || !previous.id().equals(current.id())
                || current.reservationCount() != previous.reservations().size()
                || current.options().size() != previous.options().size()) {
            return apply(current, desired);
        }
        if (!current.id().equals(desired.id())) {
            throw new IllegalArgumentException("network: " + desired.id() + " (expected: " + current.id() + ")");
        }
        NetworkSnapshot s = current;
        boolean settings = !s.settings().equals(desired.settings());
        if (settings) {
            s = s.withSettings(desired.settings());
        }
        boolean rules = !s.matchRules().equals(desired.matchRules());
        if (rules) {
            s = s.withMatchRules(desired.matchRules());
        }
        int[] subnetCount = new int[1];
        s = subnets(s, desired.subnets(), subnetCount);
        int[] r = new int[3];
        s = reservationsFrom(s, previous.reservations(), desired.reservations(), r);
        int[] o = new int[3];
        NetworkSnapshot withOptions = optionsFrom(s, previous.options(), desired.options(), o);
        if (withOptions == null) {
            o = new int[3];
            withOptions = options(s, desired.options(), o);
        }
        return new Result(withOptions, r[0], r[1], r[2], o[0], o[1], o[2], subnetCount[0], settings, rules);
    }

    /** The length of the common head of {@code a} and {@code b}. */
    private static <T> int head(List<T> a, List<T> b) {
        int p = 0;
        while (p < a.size() && p < b.size() && a.get(p).equals(b.get(p))) {
            p++;
        }
        return p;
    }

    /** The length of the common tail of {@code a} and {@code b} after their first {@code head} elements. */
    private static <T> int tail(List<T> a, List<T> b, int head) {
        int q = 0;
        while (q < a.size() - head && q < b.size() - head && a.get(a.size() - 1 - q).equals(b.get(b.size() - 1 - q))) {
            q++;
        }
        return q;
    }

    private static NetworkSnapshot reservationsFrom(NetworkSnapshot s, List<Reservation> before, List<Reservation> after,
                                                    int[] count) {
        int p = head(before, after);
        int q = tail(before, after, p);
        List<Reservation> oldRun = before.subList(p, before.size() - q);
        List<Reservation> newRun = after.subList(p, after.size() - q);
        if (oldRun.isEmpty() && newRun.isEmpty()) {
            return s;
        }
        Keys seeds = new Keys();
        Set<String> oldIds = new HashSet<>();
        for (Reservation r : oldRun) {
            seeds.add(r);
            oldIds.add(r.id());
        }
        Set<String> newIds = new HashSet<>();
        for (Reservation r : newRun) {
            seeds.add(r);
            newIds.add(r.id());
        }
        BitSet component = new BitSet(after.size());
        component.set(p, after.size() - q);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (int i = 0; i < after.size(); i++) {
                if (!component.get(i) && seeds.shares(after.get(i))) {
                    component.set(i);
                    grew |= seeds.add(after.get(i));
                }
            }
        }
        for (Reservation r : oldRun) {
            s = s.withoutReservation(r.id());
            if (!newIds.contains(r.id())) {
                count[1]++;
            }
        }
        for (int i = component.nextSetBit(0); i >= 0; i = component.nextSetBit(i + 1)) {
            s = s.withoutReservation(after.get(i).id());
        }
        for (int i = component.nextSetBit(0); i >= 0; i = component.nextSetBit(i + 1)) {
            s = s.withReservation(after.get(i));
            count[oldIds.contains(after.get(i).id()) || i < p || i >= after.size() - q ? 2 : 0]++;
        }
        return s;
    }

    /** The option run between the common head and tail, re-inserted between its neighbours; null to fall back. */
    private static NetworkSnapshot optionsFrom(NetworkSnapshot s, List<OptionLine> before, List<OptionLine> after,
                                               int[] count) {
        int p = head(before, after);
        int q = tail(before, after, p);
        List<OptionLine> oldRun = before.subList(p, before.size() - q);
        List<OptionLine> newRun = after.subList(p, after.size() - q);
        if (oldRun.isEmpty() && newRun.isEmpty()) {
            return s;
        }
        long lo = p > 0 ? s.options().seqOf(after.get(p - 1)) : 0;
        long hi = q > 0 ? s.options().seqOf(after.get(after.size() - q)) : Long.MAX_VALUE;
        long step = hi == Long.MAX_VALUE ? SEQ_GAP : (hi - lo) / (newRun.size() + 1);
        if (lo < 0 || hi < 0 || step == 0) {
            return null;
        }
        Set<OptionLine> oldSet = new HashSet<>(oldRun);
        Set<OptionLine> newSet = new HashSet<>(newRun);
        for (OptionLine o : oldRun) {
            s = s.withoutOption(o);
            count[newSet.contains(o) ? 2 : 1]++;
        }
        for (int k = 0; k < newRun.size(); k++) {
            s = s.withOption(newRun.get(k), lo + step * (k + 1));
            if (!oldSet.contains(newRun.get(k))) {
                count[0]++;
            }
        }
        return s;
    }

    // ---- subnets --------------------------------------------------------------------------------

    private static NetworkSnapshot subnets(NetworkSnapshot s, List<Subnet> desired, int[] count) {
        if (s.subnets().equals(desired)) {
            return s;
        }
        Set<String> ids = new HashSet<>();
        for (Subnet d : desired) {
            ids.add(d.id());
        }
        for (Subnet old : s.subnets()) {
            if (!ids.contains(old.id())) {
                s = s.withoutSubnet(old.id());
                count[0]++;
            }
        }
        for (Subnet d : desired) {
            if (!d.equals(s.subnet(d.id()))) {
                s = s.withSubnet(d);
                count[0]++;
            }
        }
        if (!s.subnets().equals(desired)) {
            // Only the order differs; subnets are few, so re-add them all in order.
            for (Subnet d : desired) {
                s = s.withoutSubnet(d.id());
            }
            for (Subnet d : desired) {
                s = s.withSubnet(d);
            }
            count[0] += desired.size();
        }
        return s;
    }

    // ---- reservations ---------------------------------------------------------------------------

    /**
     * The lookup keys (MACs, client ids, DUIDs, addresses) of the changed lines: a line sharing one
     * with them must be re-added with them to keep its index lists in file order.
     */
    private static final class Keys {
        // A reload usually seeds a handful of keys: scanning small arrays beats hashing (and
        // boxing) once per line; past SMALL the sets take over.
        private static final int SMALL = 32;
        private long[] macArray = new long[8];
        private int macCount;
        private final Set<Long> macs = new HashSet<>();
        private final List<Object> idList = new ArrayList<>();
        private final Set<Object> ids = new HashSet<>();
        private final List<InetAddress> addressList = new ArrayList<>();
        private final Set<InetAddress> addresses = new HashSet<>();

        /** Adds the keys of {@code r}; true when one was new. */
        boolean add(Reservation r) {
            boolean grew = false;
            if (r.mac() != Lease4.NO_MAC && macs.add(r.mac())) {
                if (macCount == macArray.length) {
                    macArray = Arrays.copyOf(macArray, macCount * 2);
                }
                macArray[macCount++] = r.mac();
                grew = true;
            }
            if (r.clientId() != null && ids.add(r.clientId())) {
                idList.add(r.clientId());
                grew = true;
            }
            if (r.duid() != null && ids.add(r.duid())) {
                idList.add(r.duid());
                grew = true;
            }
            for (InetAddress a : r.addresses()) {
                if (addresses.add(a)) {
                    addressList.add(a);
                    grew = true;
                }
            }
            return grew;
        }

        boolean shares(Reservation r) {
            long mac = r.mac();
            if (mac != Lease4.NO_MAC && macCount > 0) {
                if (macCount <= SMALL) {
                    for (int i = 0; i < macCount; i++) {
                        if (macArray[i] == mac) {
                            return true;
                        }
                    }
                } else if (macs.contains(mac)) {
                    return true;
                }
            }
            if (!idList.isEmpty() && ((r.clientId() != null && contains(idList, ids, r.clientId()))
                    || (r.duid() != null && contains(idList, ids, r.duid())))) {
                return true;
            }
            if (!addressList.isEmpty()) {
                for (InetAddress a : r.addresses()) {
                    if (contains(addressList, addresses, a)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static <T> boolean contains(List<T> list, Set<T> set, T x) {
            if (list.size() > SMALL) {
                return set.contains(x);
            }
            for (T t : list) {
                if (t.equals(x)) {
                    return true;
                }
            }
            return false;
        }

        boolean isEmpty() {
            return macCount == 0 && idList.isEmpty() && addressList.isEmpty();
        }
    }

    /**
     * True when the line before {@code d} in a current index list comes after it in the file: the
     * two were swapped. (A line gone from the file is a change of its own and seeds its keys.)
     */
    private static boolean outOfOrder(List<Reservation> list, Reservation d, int at, Map<String, Integer> position) {
        for (int j = 1; j < list.size(); j++) {
            if (list.get(j).id().equals(d.id())) {
                Integer before = position.get(list.get(j - 1).id());
                return before != null && before > at;
            }
        }
        return false;
    }

    private static NetworkSnapshot reservations(NetworkSnapshot s, List<Reservation> desired, int[] count) {
        if (s.reservationCount() == 0) {
            // A fresh build: every line is new, in file order.
            for (Reservation d : desired) {
                s = s.withReservation(d);
            }
            count[0] += desired.size();
            return s;
        }
        Map<String, Integer> position = new HashMap<>(desired.size() * 2);
        Keys seeds = new Keys();
        BitSet changed = new BitSet(desired.size());
        for (int i = 0; i < desired.size(); i++) {
            Reservation d = desired.get(i);
            position.put(d.id(), i);
            Reservation old = s.reservation(d.id());
            if (!d.equals(old)) {
                changed.set(i);
                seeds.add(d);
                if (old != null) {
                    seeds.add(old);
                }
            }
        }
        // Unchanged lines whose order among the lines of one client changed (a moved line): each
        // index list must hold them in file order, and an address must be held by its last line.
        for (int i = 0; i < desired.size(); i++) {
            if (changed.get(i)) {
                continue;
            }
            Reservation d = desired.get(i);
            boolean moved = (d.mac() != Lease4.NO_MAC && outOfOrder(s.reservationsByMac(d.mac()), d, i, position))
                    || (d.clientId() != null && outOfOrder(s.reservationsByClientId(d.clientId()), d, i, position))
                    || (d.duid() != null && outOfOrder(s.reservationsByDuid(d.duid()), d, i, position));
            for (int k = 0; !moved && k < d.addresses().size(); k++) {
                InetAddress a = d.addresses().get(k);
                Reservation holder = a instanceof java.net.Inet4Address
                        ? s.reservationOf(io.leasehold.wire.IpAddresses.toInt((java.net.Inet4Address) a))
                        : s.reservationOf((java.net.Inet6Address) a);
                Integer at = holder == null || holder.id().equals(d.id()) ? null : position.get(holder.id());
                moved = at != null && at < i;
            }
            if (moved) {
                seeds.add(d);
            }
        }
        List<String> gone = new ArrayList<>();
        if (s.reservationCount() + changed.cardinality() > desired.size()) {
            s.forEachReservation(old -> {
                if (!position.containsKey(old.id())) {
                    gone.add(old.id());
                    seeds.add(old);
                }
            });
        }
        if (seeds.isEmpty()) {
            return s;
        }
        // Every desired line sharing a key with a changed one, transitively, in file order: a pass
        // over the lines per round, and a round only while the key set grows (usually two).
        BitSet component = (BitSet) changed.clone();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (int i = 0; i < desired.size(); i++) {
                if (!component.get(i) && seeds.shares(desired.get(i))) {
                    component.set(i);
                    grew |= seeds.add(desired.get(i));
                }
            }
        }
        for (String id : gone) {
            s = s.withoutReservation(id);
            count[1]++;
        }
        for (int i = component.nextSetBit(0); i >= 0; i = component.nextSetBit(i + 1)) {
            Reservation old = s.reservation(desired.get(i).id());
            if (old != null) {
                s = s.withoutReservation(old.id());
                if (changed.get(i)) {
                    count[1]++;         // replaced: the old content is gone
                }
            }
        }
        for (int i = component.nextSetBit(0); i >= 0; i = component.nextSetBit(i + 1)) {
            s = s.withReservation(desired.get(i));
            count[changed.get(i) ? 0 : 2]++;
        }
        return s;
    }

    // ---- option lines ---------------------------------------------------------------------------

    private static NetworkSnapshot options(NetworkSnapshot s, List<OptionLine> desired, int[] count) {
        List<OptionLine> current = s.options().all();
        if (current.equals(desired)) {
            return s;
        }
        Map<OptionLine, Integer> oldPosition = new HashMap<>(current.size() * 2);
        for (int i = 0; i < current.size(); i++) {
            oldPosition.put(current.get(i), i);
        }
        boolean[] keep = longestOrderedRun(desired, oldPosition);
        Set<OptionLine> kept = new HashSet<>();
        for (int i = 0; i < desired.size(); i++) {
            if (keep[i]) {
                kept.add(desired.get(i));
            }
        }
        Set<OptionLine> wanted = new HashSet<>(desired);
        for (OptionLine old : current) {
            if (!kept.contains(old)) {
                s = s.withoutOption(old);
                count[wanted.contains(old) ? 2 : 1]++;
            }
        }
        long[] seq = new long[desired.size()];
        int i = 0;
        long lo = 0;
        while (i < desired.size()) {
            if (keep[i]) {
                lo = s.options().seqOf(desired.get(i));
                seq[i++] = lo;
                continue;
            }
            int j = i;
            while (j < desired.size() && !keep[j]) {
                j++;
            }
            int run = j - i;
            long hi = j < desired.size() ? s.options().seqOf(desired.get(j)) : -1;
            long step = hi < 0 ? SEQ_GAP : (hi - lo) / (run + 1);
            if (step == 0) {
                return renumber(s, desired, count);
            }
            for (int k = 0; k < run; k++) {
                seq[i + k] = lo + step * (k + 1);
            }
            lo = seq[j - 1];
            i = j;
        }
        for (int k = 0; k < desired.size(); k++) {
            if (!keep[k]) {
                s = s.withOption(desired.get(k), seq[k]);
                if (!oldPosition.containsKey(desired.get(k))) {
                    count[0]++;
                }
            }
        }
        return s;
    }

    /** Every option line out, then all in again with fresh spacing. */
    private static NetworkSnapshot renumber(NetworkSnapshot s, List<OptionLine> desired, int[] count) {
        for (OptionLine old : s.options().all()) {
            s = s.withoutOption(old);
        }
        for (int k = 0; k < desired.size(); k++) {
            s = s.withOption(desired.get(k), SEQ_GAP * (k + 1));
        }
        count[2] += desired.size();
        return s;
    }

    /**
     * Marks the desired lines that already exist and can stay: the longest subsequence (in desired
     * order) whose old positions increase, by patience sorting.
     */
    private static boolean[] longestOrderedRun(List<OptionLine> desired, Map<OptionLine, Integer> oldPosition) {
        int n = desired.size();
        int[] tailPos = new int[n + 1];      // old position at the end of the best run of each length
        int[] tailIdx = new int[n + 1];      // its index in desired
        int[] prev = new int[n];
        int length = 0;
        for (int i = 0; i < n; i++) {
            Integer p = oldPosition.get(desired.get(i));
            prev[i] = -1;
            if (p == null) {
                continue;
            }
            int at = Arrays.binarySearch(tailPos, 1, length + 1, p);
            at = at < 0 ? -at - 1 : at;
            tailPos[at] = p;
            tailIdx[at] = i;
            prev[i] = at > 1 ? tailIdx[at - 1] : -1;
            if (at > length) {
                length = at;
            }
        }
        boolean[] keep = new boolean[n];
        for (int i = length > 0 ? tailIdx[length] : -1; i >= 0; i = prev[i]) {
            keep[i] = true;
        }
        return keep;
    }
}
