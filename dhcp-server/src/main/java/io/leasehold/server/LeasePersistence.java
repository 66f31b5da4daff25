package io.leasehold.server;

import io.leasehold.lease.LeaseChange;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Makes lease changes durable before the reply that grants them leaves: the journal with group
 * commit for a daemon, or nothing for the demo and tests ({@link #inMemory()}).
 */
public interface LeasePersistence extends AutoCloseable {

    /**
     * Queues {@code changes} and calls {@code done} on {@code executor} once they are durable, with
     * null, or with the reason they cannot be (then the reply must not be sent).
     *
     * @return false when the changes could not even be queued (the journal is full): {@code done}
     *         is not called and the caller drops the reply
     */
    boolean persist(List<LeaseChange> changes, Executor executor, Consumer<Throwable> done);

    @Override
    void close();

    /** Leases that live only in memory: every change is "durable" at once, on the caller's thread. */
    static LeasePersistence inMemory() {
        return new LeasePersistence() {
            @Override
            public boolean persist(List<LeaseChange> changes, Executor executor, Consumer<Throwable> done) {
                done.accept(null);
                return true;
            }

            @Override
            public void close() {
            }

            @Override
            public String toString() {
                return "in-memory leases";
            }
        };
    }
}
