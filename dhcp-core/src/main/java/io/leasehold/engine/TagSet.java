package io.leasehold.engine;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * The tags of one transaction (dnsmasq's "tags: subnet-…, known, ns-dhcp" log line), reusable
 * from packet to packet so that collecting them does not allocate once the set has grown.
 */
public final class TagSet {

    /** The tag of every client that matched a host reservation. */
    public static final String KNOWN = "known";

    private final Set<String> tags = new HashSet<>();
    private final Set<String> view = Collections.unmodifiableSet(tags);

    public TagSet clear() {
        tags.clear();
        return this;
    }

    public TagSet add(String tag) {
        tags.add(tag);
        return this;
    }

    public TagSet addAll(Collection<String> more) {
        tags.addAll(more);
        return this;
    }

    public boolean contains(String tag) {
        return tags.contains(tag);
    }

    /** A read-only view, valid until the set changes. */
    public Set<String> asSet() {
        return view;
    }

    @Override
    public String toString() {
        return String.join(", ", new java.util.TreeSet<>(tags));
    }
}
