package io.leasehold.server;

import io.leasehold.lease.LeaseTable;
import io.leasehold.metrics.Counters;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.option.Duid;
import io.netty.util.concurrent.EventExecutor;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * One network as the daemon runs it: its current snapshot (swapped atomically, read without locks
 * by the packet path), its lease table (touched only by the event loop the network is pinned to),
 * its server DUID and its counters.
 */
public final class NetworkRuntime {

    private final String id;
    private final AtomicReference<NetworkSnapshot> snapshot;
    private final LeaseTable leases;
    private final Counters counters = new Counters();
    private volatile Duid serverDuid;
    private volatile EventExecutor loop;
    /** The expiry sweep on {@link #loop}, cancelled when the network is removed. */
    private volatile java.util.concurrent.Future<?> sweep;

    NetworkRuntime(NetworkSnapshot snapshot, LeaseTable leases) {
        this.id = snapshot.id();
        this.snapshot = new AtomicReference<>(snapshot);
        this.leases = Objects.requireNonNull(leases, "leases");
    }

    public String id() {
        return id;
    }

    /** The current snapshot; the packet path reads it once per packet. */
    public NetworkSnapshot snapshot() {
        return snapshot.get();
    }

    /** Applies {@code change} to the snapshot atomically and returns the new one. */
    public NetworkSnapshot update(UnaryOperator<NetworkSnapshot> change) {
        return snapshot.updateAndGet(change);
    }

    /** The lease table; only the network's event loop may touch it. */
    public LeaseTable leases() {
        return leases;
    }

    public Counters counters() {
        return counters;
    }

    /** This server's DUID on the network (the lease file's {@code duid} line), or null until made. */
    public Duid serverDuid() {
        return serverDuid;
    }

    /**
     * Sets this server's DUID on the network. Clients address the server by it, so it must stay the
     * same across restarts: set it from the durable state before the network is served.
     */
    public void serverDuid(Duid duid) {
        this.serverDuid = duid;
    }

    /** The event loop the network is pinned to, or null before it is attached. */
    public EventExecutor loop() {
        return loop;
    }

    void loop(EventExecutor loop) {
        this.loop = loop;
    }

    void sweep(java.util.concurrent.Future<?> sweep) {
        this.sweep = sweep;
    }

    void stopSweep() {
        java.util.concurrent.Future<?> s = sweep;
        if (s != null) {
            s.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "network " + id;
    }
}
