package io.leasehold.store;

/**
 * When the lease journal calls {@code fsync} (on Linux, {@link java.nio.channels.FileChannel#force}
 * is {@code fdatasync(2)}), and so when a change counts as durable and its reply may leave.
 *
 * @see <a href="https://man7.org/linux/man-pages/man2/fsync.2.html">fsync(2)</a>
 */
public enum FsyncPolicy {
    /**
     * A change is acknowledged only after the journal data holding it has been forced to the disk.
     * Group commit: changes that arrive while a force is in progress are written and forced together
     * in the next round, so one force covers many changes and throughput grows with the number of
     * concurrent appenders rather than being one force per change. Survives a power failure.
     */
    ALWAYS,
    /**
     * A change is acknowledged once written to the operating system; the journal is forced at most
     * once per batch interval (and on close). Survives a crash of the daemon, not a power failure
     * within the interval.
     */
    BATCH,
    /**
     * A change is acknowledged once written to the operating system and never forced by the journal
     * (except on close); the kernel writes it back when it will. Survives a crash of the daemon only.
     */
    NONE
}
