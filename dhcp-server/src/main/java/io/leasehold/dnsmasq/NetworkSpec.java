package io.leasehold.dnsmasq;

import io.leasehold.model.MatchRule;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.OptionLine;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a network should look like after a (re)load, in the order its sources state it: the input
 * of {@link SnapshotDiff}, made by {@link DnsmasqNetwork} from dnsmasq's inputs and by the native
 * configuration from its file.
 *
 * <p>Order is content: among host lines matching one client the later wins, and among option lines
 * of equal rank the later wins and the newer goes first on the wire (dnsmasq-facts §1.3, §4.7). A
 * reservation repeated (same id) or an option line repeated (equal) counts at its last position,
 * as a verbatim repeat does in dnsmasq.
 *
 * @param id           the network id
 * @param settings     network-wide settings
 * @param subnets      subnets in order
 * @param matchRules   tagging rules in order
 * @param reservations host lines in effective order, ids unique
 * @param options      option lines in effective order, unique
 */
public record NetworkSpec(String id, NetworkSnapshot.Settings settings, List<Subnet> subnets, List<MatchRule> matchRules,
                          List<Reservation> reservations, List<OptionLine> options) {

    public NetworkSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(settings, "settings");
        subnets = List.copyOf(subnets);
        matchRules = List.copyOf(matchRules);
        reservations = lastOccurrence(reservations);
        options = List.copyOf(lastOccurrence(options));
    }

    private static List<Reservation> lastOccurrence(List<Reservation> in) {
        Map<String, Reservation> out = new LinkedHashMap<>();
        for (Reservation r : in) {
            out.remove(r.id());
            out.put(r.id(), r);
        }
        return List.copyOf(out.values());
    }

    private static <T> List<T> lastOccurrence(Iterable<T> in) {
        Set<T> out = new LinkedHashSet<>();
        for (T t : in) {
            out.remove(t);
            out.add(t);
        }
        return new ArrayList<>(out);
    }

    /** A fresh snapshot of this network (revision counting from an empty one). */
    public NetworkSnapshot build() {
        return SnapshotDiff.apply(NetworkSnapshot.empty(id), this).snapshot();
    }
}
