package io.leasehold.config;

/** When the lease journal is forced to disk. */
public enum FsyncPolicy {
    /** Before every acknowledgement leaves (dnsmasq fsyncs its lease file after every change, facts §7.1). */
    ALWAYS,
    /** Group commit: acknowledgements wait for the batch's fsync. The default. */
    BATCH,
    /** Never; leases survive a process crash but not a power loss. For tests and throwaway networks. */
    NONE
}
