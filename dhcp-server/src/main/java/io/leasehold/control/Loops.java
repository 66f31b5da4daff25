package io.leasehold.control;

import io.leasehold.server.NetworkRuntime;
import io.netty.util.concurrent.EventExecutor;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** Running work where it belongs without waiting for it: lease tables on their network's loop. */
final class Loops {

    private Loops() {
    }

    /**
     * Runs {@code task} on the loop that owns the network's lease table and completes with its
     * result there. A network not yet pinned to a loop (no interface attached) has no packet path
     * touching its table, so the task runs at once on the calling thread.
     */
    static <T> CompletableFuture<T> onNetwork(NetworkRuntime n, Callable<T> task) {
        EventExecutor loop = n.loop();
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable run = () -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        };
        if (loop == null || loop.inEventLoop()) {
            run.run();
        } else {
            try {
                loop.execute(run);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                f.completeExceptionally(new ControlException(ControlProtocol.ErrorCode.UNAVAILABLE,
                        "network " + n.id() + ": the server is stopping"));
            }
        }
        return f;
    }
}
