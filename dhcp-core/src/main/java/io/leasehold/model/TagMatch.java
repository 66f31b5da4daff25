package io.leasehold.model;

import java.util.Objects;
import java.util.Set;

/**
 * One tag condition of an option line or host line: {@code tag:ipxe} requires the tag,
 * {@code tag:!ipxe} requires its absence (dnsmasq's syntax; {@code #} is the old spelling of {@code !}).
 */
public record TagMatch(String tag, boolean negated) {

    public TagMatch {
        Objects.requireNonNull(tag, "tag");
        if (tag.isEmpty()) {
            throw new IllegalArgumentException("tag: empty");
        }
    }

    /** Parses {@code name} or {@code !name}. */
    public static TagMatch parse(String text) {
        if (text.startsWith("!") || text.startsWith("#")) {
            return new TagMatch(text.substring(1), true);
        }
        return new TagMatch(text, false);
    }

    /** True when {@code tags} satisfies this condition. */
    public boolean test(Set<String> tags) {
        return tags.contains(tag) != negated;
    }

    @Override
    public String toString() {
        return (negated ? "!" : "") + tag;
    }
}
