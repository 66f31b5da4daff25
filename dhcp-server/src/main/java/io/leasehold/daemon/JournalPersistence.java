package io.leasehold.daemon;

import io.leasehold.lease.LeaseChange;
import io.leasehold.server.LeasePersistence;
import io.leasehold.store.LeaseStore;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Lease changes made durable by a {@link LeaseStore}: the reply that grants a change leaves only
 * once the journal has committed it (under the store's fsync policy).
 *
 * <p>A removed lease (a client's RELEASE, or an operator's) also has its network's lease file
 * rewritten at once: whoever reads that file to see which addresses are free (Neutron does,
 * neutron-compat §3.7, and so does {@code leasehold leases --lease-file}) must not see the lease
 * still there. Other changes reach the file at the next compaction; the journal holds them
 * meanwhile, so nothing acknowledged is lost either way.
 */
final class JournalPersistence implements LeasePersistence {

    private final LeaseStore store;

    JournalPersistence(LeaseStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public boolean persist(List<LeaseChange> changes, Executor executor, Consumer<Throwable> done) {
        return store.append(changes, executor, failure -> {
            if (failure == null) {
                rewriteAfterRemovals(changes);
            }
            done.accept(failure);
        });
    }

    private void rewriteAfterRemovals(List<LeaseChange> changes) {
        for (LeaseChange c : changes) {
            if (c.kind() == LeaseChange.Kind.DELETE4 || c.kind() == LeaseChange.Kind.DELETE6) {
                store.compact(c.networkId());   // coalesced by the store, written on its own thread
                return;
            }
        }
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return "journal in " + store.dataDirectory();
    }
}
