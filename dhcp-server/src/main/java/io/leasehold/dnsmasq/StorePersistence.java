package io.leasehold.dnsmasq;

import io.leasehold.lease.LeaseChange;
import io.leasehold.server.LeasePersistence;
import io.leasehold.store.LeaseStore;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Lease changes made durable in a {@link LeaseStore}'s journal, and then the changed network's
 * dnsmasq lease file rewritten: Neutron's agent reads that file to decide which leases to release,
 * so it MUST be current right after every change, a release above all (neutron-compat §3.7;
 * dnsmasq rewrites it after every packet that changed state, dnsmasq-facts §7.3). The rewrite is
 * queued, not awaited: the reply leaves as soon as the journal has the change, and requests made
 * while a write is under way are coalesced into the next one.
 */
final class StorePersistence implements LeasePersistence {

    private final LeaseStore store;

    StorePersistence(LeaseStore store) {
        this.store = store;
    }

    @Override
    public boolean persist(List<LeaseChange> changes, Executor executor, Consumer<Throwable> done) {
        Set<String> networks = new LinkedHashSet<>();
        for (LeaseChange c : changes) {
            networks.add(c.networkId());
        }
        return store.append(changes, executor, failure -> {
            done.accept(failure);
            if (failure == null) {
                for (String n : networks) {
                    store.compact(n);
                }
            }
        });
    }

    @Override
    public void close() {
        // The store outlives the server that uses this; its owner closes it.
    }

    @Override
    public String toString() {
        return "journal in " + store.dataDirectory() + ", lease files rewritten after each change";
    }
}
