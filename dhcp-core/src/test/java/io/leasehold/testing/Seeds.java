package io.leasehold.testing;

import java.util.Random;
import java.util.stream.LongStream;

/**
 * Seeds for property tests. Each run draws fresh seeds unless {@code -Dleasehold.seed=N} pins the
 * base; the seed is part of every test's display name, so a failing case reproduces with
 * {@code -Dleasehold.seed=<the base printed in the name>} or directly from its own seed.
 */
public final class Seeds {

    /** The base seed of this run. */
    public static final long BASE = Long.getLong("leasehold.seed", new Random().nextLong());

    private Seeds() {
    }

    /** {@code n} seeds derived from the base. */
    public static LongStream of(int n) {
        Random r = new Random(BASE);
        return LongStream.generate(r::nextLong).limit(n);
    }
}
