package io.leasehold.cli;

import io.leasehold.control.ControlProtocol;

/**
 * The exit codes every {@code leasehold} command uses, so scripts can rely on them. Their numbers
 * never change; new ones are added at the end.
 */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** The command ran and failed (bad input file, a daemon-side error, an unhealthy daemon...). */
    public static final int FAILURE = 1;
    /** The command line itself is wrong, including a malformed MAC or IP address (picocli's usage code). */
    public static final int USAGE = 2;
    /** No daemon listens on the control socket. */
    public static final int NO_DAEMON = 3;
    /** The control socket refused us: not root, not in the control group. */
    public static final int PERMISSION_DENIED = 4;
    /** The network named is not one the daemon serves. */
    public static final int UNKNOWN_NETWORK = 5;
    /** The lease, reservation or interface named does not exist. */
    public static final int NOT_FOUND = 6;
    /** The change clashes with what exists (an address reserved by another, an id taken). */
    public static final int CONFLICT = 7;

    private ExitCodes() {
    }

    /** The exit code of an error the daemon answered with. */
    static int of(ControlProtocol.ErrorCode code) {
        switch (code) {
            case BAD_REQUEST:
            case TOO_LARGE:
                return USAGE;
            case PERMISSION_DENIED:
                return PERMISSION_DENIED;
            case UNKNOWN_NETWORK:
                return UNKNOWN_NETWORK;
            case NOT_FOUND:
                return NOT_FOUND;
            case CONFLICT:
                return CONFLICT;
            default:
                return FAILURE;
        }
    }
}
