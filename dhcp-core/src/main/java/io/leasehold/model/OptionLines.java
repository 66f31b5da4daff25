package io.leasehold.model;

import io.leasehold.option.OptionSpace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A network's option lines, immutable, indexed by tag so that finding the lines that may apply to
 * a client costs one lookup per client tag, however many ports carry options (an Ironic network
 * has a few lines per node).
 *
 * <p>Each line keeps the sequence number of when it was added: dnsmasq keeps its options in a list
 * built by prepending, so when two equally specific lines set the same option the one read last
 * wins, and options go on the wire newest first. Lines are values: adding a line that is already
 * present changes nothing, and removing takes the line out wherever it is.
 */
public final class OptionLines {

    /** A line and when it was added. */
    public record Entry(long seq, OptionLine line) {
    }

    private static final Entry[] NONE = new Entry[0];

    static final OptionLines EMPTY = new OptionLines(PersistentMap.empty(), PersistentMap.empty(), NONE, 0);

    private final PersistentMap<OptionLine, Long> seqOf;
    private final PersistentMap<String, Entry[]> byTag;
    private final Entry[] untagged;
    private final long nextSeq;

    private OptionLines(PersistentMap<OptionLine, Long> seqOf, PersistentMap<String, Entry[]> byTag, Entry[] untagged,
                        long nextSeq) {
        this.seqOf = seqOf;
        this.byTag = byTag;
        this.untagged = untagged;
        this.nextSeq = nextSeq;
    }

    public int size() {
        return seqOf.size();
    }

    public boolean contains(OptionLine line) {
        return seqOf.containsKey(line);
    }

    /** These lines with {@code line} added last; these lines when it is already present. */
    public OptionLines plus(OptionLine line) {
        if (seqOf.containsKey(line)) {
            return this;
        }
        Entry e = new Entry(nextSeq, line);
        String tag = line.indexTag();
        if (tag == null) {
            Entry[] u = Arrays.copyOf(untagged, untagged.length + 1);
            u[untagged.length] = e;
            return new OptionLines(seqOf.plus(line, nextSeq), byTag, u, nextSeq + 1);
        }
        Entry[] old = byTag.getOrDefault(tag, NONE);
        Entry[] bucket = Arrays.copyOf(old, old.length + 1);
        bucket[old.length] = e;
        return new OptionLines(seqOf.plus(line, nextSeq), byTag.plus(tag, bucket), untagged, nextSeq + 1);
    }

    /**
     * These lines with {@code line} added at position {@code seq} of the sequence, so that a reload
     * can put a changed line back where the file has it instead of after every other line; these
     * lines when it is already present. The caller keeps sequence numbers distinct; later plain
     * {@link #plus(OptionLine)} calls still add after the highest one.
     */
    public OptionLines plus(OptionLine line, long seq) {
        if (seqOf.containsKey(line)) {
            return this;
        }
        if (seq < 0) {
            throw new IllegalArgumentException("seq: " + seq + " (expected: >= 0)");
        }
        Entry e = new Entry(seq, line);
        long next = Math.max(nextSeq, seq + 1);
        String tag = line.indexTag();
        if (tag == null) {
            Entry[] u = Arrays.copyOf(untagged, untagged.length + 1);
            u[untagged.length] = e;
            return new OptionLines(seqOf.plus(line, seq), byTag, u, next);
        }
        Entry[] old = byTag.getOrDefault(tag, NONE);
        Entry[] bucket = Arrays.copyOf(old, old.length + 1);
        bucket[old.length] = e;
        return new OptionLines(seqOf.plus(line, seq), byTag.plus(tag, bucket), untagged, next);
    }

    /** The sequence number of {@code line}, or -1 when it is absent. */
    public long seqOf(OptionLine line) {
        Long seq = seqOf.get(line);
        return seq == null ? -1 : seq;
    }

    /** These lines without {@code line}; these lines when it is absent. */
    public OptionLines minus(OptionLine line) {
        Long seq = seqOf.get(line);
        if (seq == null) {
            return this;
        }
        String tag = line.indexTag();
        if (tag == null) {
            return new OptionLines(seqOf.minus(line), byTag, without(untagged, seq, line), nextSeq);
        }
        Entry[] bucket = without(byTag.get(tag), seq, line);
        return new OptionLines(seqOf.minus(line), bucket.length == 0 ? byTag.minus(tag) : byTag.plus(tag, bucket),
                untagged, nextSeq);
    }

    private static Entry[] without(Entry[] entries, long seq, OptionLine line) {
        Entry[] out = new Entry[entries.length - 1];
        int j = 0;
        boolean removed = false;
        for (Entry e : entries) {
            // Match the line too: with caller-chosen sequence numbers, seq alone need not be unique.
            if (!removed && e.seq == seq && e.line.equals(line)) {
                removed = true;
            } else {
                out[j++] = e;
            }
        }
        return out;
    }

    /**
     * Adds to {@code out} every line of {@code space} that may match a client with {@code tags}: the
     * lines without a required tag, and those indexed under one of the tags. The caller checks each
     * line's full condition; the order is unspecified.
     */
    public void candidates(OptionSpace space, Collection<String> tags, List<Entry> out) {
        for (Entry e : untagged) {
            if (e.line.space() == space) {
                out.add(e);
            }
        }
        for (String t : tags) {
            Entry[] bucket = byTag.get(t);
            if (bucket != null) {
                for (Entry e : bucket) {
                    if (e.line.space() == space) {
                        out.add(e);
                    }
                }
            }
        }
    }

    /** Every line, in the order they were added. */
    public List<OptionLine> all() {
        List<Entry> entries = new ArrayList<>(Arrays.asList(untagged));
        byTag.forEach((t, b) -> entries.addAll(Arrays.asList(b)));
        entries.sort((a, b) -> Long.compare(a.seq, b.seq));
        List<OptionLine> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(e.line);
        }
        return out;
    }
}
