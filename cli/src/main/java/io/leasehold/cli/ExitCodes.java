package io.leasehold.cli;

/**
 * The exit codes every {@code leasehold} command uses, so scripts can rely on them.
 */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** The command ran and failed (bad input file, unreachable daemon...). */
    public static final int FAILURE = 1;
    /** The command line itself is wrong (picocli's usage error code). */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
