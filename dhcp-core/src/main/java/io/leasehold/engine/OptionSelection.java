package io.leasehold.engine;

import io.leasehold.model.OptionLine;
import io.leasehold.model.OptionLines;
import io.leasehold.option.OptionSpace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Chooses, for one client, which configured option line supplies each option, the way dnsmasq's
 * {@code option_filter} does, and puts the chosen lines in the order dnsmasq sends them.
 *
 * <p>For each option code, in order of precedence:
 * <ol>
 *   <li>a tagged line whose conditions hold with the client's own tags (host/port tags, match-rule
 *       tags such as {@code ipxe}, {@code known}, {@code dhcpv6}), without its subnet's tags;</li>
 *   <li>a tagged line whose conditions hold once the subnet (range) tags are added;</li>
 *   <li>an untagged line.</li>
 * </ol>
 * Among lines of the same rank the one added last wins, because dnsmasq builds its list by
 * prepending and takes the first match. The chosen lines are returned newest first, which is the
 * order dnsmasq puts them on the wire. A chosen line with no value is kept: it means "send nothing,
 * not even a default".
 *
 * <p>Not thread-safe: an engine keeps one per thread and reuses it, so selecting allocates only when
 * a client has more candidate lines than ever before.
 */
public final class OptionSelection {

    private final List<OptionLines.Entry> candidates = new ArrayList<>();
    private final List<OptionLines.Entry> chosen = new ArrayList<>();
    private final List<String> allTags = new ArrayList<>();
    private final TagSet withContext = new TagSet();

    /**
     * Selects the lines of {@code space} for a client.
     *
     * @param clientTags  the client's tags without its subnet's
     * @param contextTags the tags of the subnet (dnsmasq's range tags)
     * @return the chosen lines, newest first; valid until the next call
     */
    public List<OptionLines.Entry> select(OptionLines lines, OptionSpace space, TagSet clientTags, Set<String> contextTags) {
        candidates.clear();
        chosen.clear();
        allTags.clear();
        allTags.addAll(clientTags.asSet());
        allTags.addAll(contextTags);
        lines.candidates(space, allTags, candidates);
        withContext.clear();
        withContext.addAll(clientTags.asSet());
        withContext.addAll(contextTags);

        // Newest first: the first acceptable line of each rank is then the winner of that rank.
        candidates.sort(NEWEST_FIRST);
        for (OptionLines.Entry e : candidates) {
            OptionLine line = e.line();
            int rank = rank(line, clientTags, withContext);
            if (rank == 0) {
                continue;
            }
            int existing = indexOfCode(line.code());
            if (existing < 0) {
                chosen.add(e);
            } else if (rank < rank(chosen.get(existing).line(), clientTags, withContext)) {
                chosen.set(existing, e);
            }
        }
        chosen.sort(NEWEST_FIRST);
        return chosen;
    }

    /** 1 (best) to 3, or 0 when the line does not apply. */
    private static int rank(OptionLine line, TagSet clientTags, TagSet withContext) {
        if (!line.isTagged()) {
            return 3;
        }
        if (line.matches(clientTags.asSet())) {
            return 1;
        }
        if (line.matches(withContext.asSet())) {
            return 2;
        }
        return 0;
    }

    private int indexOfCode(int code) {
        for (int i = 0; i < chosen.size(); i++) {
            if (chosen.get(i).line().code() == code) {
                return i;
            }
        }
        return -1;
    }

    private static final Comparator<OptionLines.Entry> NEWEST_FIRST = (a, b) -> Long.compare(b.seq(), a.seq());
}
