package io.leasehold.netns;

import com.sun.jna.LastErrorException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates sockets inside a network namespace, one fresh platform thread per call.
 *
 * <p>A socket belongs to the namespace of the thread that called {@code socket(2)}, for its whole
 * life; {@code setns(2)} moves only the calling thread. So each call of {@link #open}:
 * <ol>
 *   <li>starts a new platform thread (never pooled, never virtual: a pooled thread could be reused
 *       while still inside, and a virtual thread may hop carriers between two system calls);</li>
 *   <li>that thread does {@code setns(target, CLONE_NEWNET)} and checks, by stat-ing
 *       {@code /proc/thread-self/ns/net}, that it is now in the target;</li>
 *   <li>runs the task, which MUST only create sockets (and ask {@code if_nametoindex});</li>
 *   <li>does {@code setns} back to {@link NetNamespace#initial()}, checks that too, and exits.</li>
 * </ol>
 * Bind, setsockopt, filters and event-loop registration happen afterwards on the thread that owns
 * the fds; none of them depends on the calling thread's namespace.
 *
 * <p>If the task throws, or entering or leaving cannot be verified, every fd the task
 * {@linkplain Fds#add registered} is closed and the future completes exceptionally. The future also
 * fails with a {@link TimeoutException} after {@link #timeout()}; a thread that finishes after that
 * closes its fds itself, so a slow or hung call leaks no socket (a thread blocked forever in a
 * system call cannot be reclaimed by Java, but it is a daemon thread and holds nothing else).
 *
 * <p>Threads started by a thread inherit its namespace, so a task MUST NOT start threads, nor do
 * anything that may start one lazily: submit to a pool, use {@code CompletableFuture} async
 * methods, allocate JNA {@code Memory}. The helpers in {@link Sockets} and {@link Rtnetlink} that
 * are documented as safe inside a namespace allocate nothing native.
 *
 * <p>Example, from the daemon's attach path:
 * <pre>{@code
 * opener.open(ns, fds -> new V4Sockets(fds.add(Sockets.openPacket()), fds.add(Sockets.openUdp4()),
 *                                      Sockets.ifNameToIndex("tap1234")))
 *       .thenAcceptAsync(s -> configureAndRegister(s), loop);
 * }</pre>
 *
 * @see <a href="https://man7.org/linux/man-pages/man2/setns.2.html">setns(2)</a>
 */
public final class NamespaceOpener {

    /** The default bound on one call: entering, creating a few sockets and leaving take milliseconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /*
     * Where a future is completed when the opener thread is not known to be back in the initial
     * namespace. Completion runs dependent stages on the completing thread; if that were a thread
     * stuck in a tenant namespace, any thread those stages start would be stuck there too. The JDK's
     * delay scheduler thread is started by the first timeout scheduled in open(), on the caller's
     * thread, so it lives in the caller's namespace.
     */
    private static final Executor OUTSIDE = CompletableFuture.delayedExecutor(0, TimeUnit.MILLISECONDS, Runnable::run);

    private final Duration timeout;

    /** An opener whose calls time out after {@link #DEFAULT_TIMEOUT}. */
    public NamespaceOpener() {
        this(DEFAULT_TIMEOUT);
    }

    /** An opener whose calls time out after {@code timeout}. */
    public NamespaceOpener(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        this.timeout = timeout;
    }

    /** How long a call may take before its future fails with a {@link TimeoutException}. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * What runs inside the namespace. It MUST only create sockets (plus {@code if_nametoindex}
     * lookups) and MUST hand every fd it creates to {@link Fds#add} as soon as it exists, so the
     * opener can close them if anything fails. The value it returns is the caller's, and with it
     * the ownership of the fds.
     */
    @FunctionalInterface
    public interface SocketTask<T> {
        T open(Fds fds) throws Exception;
    }

    /** The fds a task created, closed by the opener if the call fails. Used by the opener thread only. */
    public static final class Fds {

        private int[] fds = new int[4];
        private int size;

        private Fds() {
        }

        /** Registers {@code fd} as created by this call and returns it. */
        public int add(int fd) {
            if (fd < 0) {
                throw new IllegalArgumentException("fd: " + fd + " (expected: >= 0)");
            }
            if (size == fds.length) {
                fds = Arrays.copyOf(fds, size * 2);
            }
            fds[size++] = fd;
            return fd;
        }

        /** Closes every registered fd, newest first; close errors are added to {@code primary}. */
        void closeAll(Throwable primary) {
            for (int i = size - 1; i >= 0; i--) {
                try {
                    Sockets.close(fds[i]);
                } catch (NativeException e) {
                    if (primary != null) {
                        primary.addSuppressed(e);
                    }
                }
            }
            size = 0;
        }
    }

    /**
     * Runs {@code task} on a fresh platform thread inside {@code target}.
     *
     * <p>The future completes with the task's value, or exceptionally with: the task's exception;
     * a {@link NativeException} if {@code setns} failed (EPERM without CAP_SYS_ADMIN); an
     * {@link IllegalStateException} if {@code target} is closed or a namespace check failed; a
     * {@link TimeoutException} after {@link #timeout()}. It is completed on a thread in the
     * initial namespace.
     */
    public <T> CompletableFuture<T> open(NetNamespace target, SocketTask<T> task) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(task, "task");
        // Class initialization loads libc through JNA, which registers a cleaner and may start the
        // "JNA Cleaner" thread: make sure that happens here, outside any tenant namespace.
        NetNamespace initial = NetNamespace.initial();
        Objects.requireNonNull(LibC.INSTANCE);

        int targetFd;
        try {
            targetFd = target.acquire();
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS, Runnable::run)
                .execute(() -> future.completeExceptionally(new TimeoutException(
                        "opening sockets in " + target.label() + " took longer than " + timeout)));

        Thread thread = new Thread(() -> run(target, targetFd, initial, task, future),
                "netns-opener-" + target.label());
        thread.setDaemon(true);
        try {
            thread.start();
        } catch (Throwable e) {
            target.release();
            future.completeExceptionally(e);
        }
        return future;
    }

    private static <T> void run(NetNamespace target, int targetFd, NetNamespace initial, SocketTask<T> task,
            CompletableFuture<T> future) {
        // Step 1: enter. A failed setns leaves the thread where it was, in the caller's namespace.
        try {
            setns(targetFd);
        } catch (NativeException e) {
            future.completeExceptionally(e);
            return;
        } finally {
            // Once inside, the thread's own reference keeps the namespace alive; the fd is not needed.
            target.release();
        }

        Fds fds = new Fds();
        T result = null;
        Throwable failure = null;
        try {
            NetNamespace.Identity now = NetNamespace.ofCurrentThread();
            if (!now.equals(target.identity())) {
                failure = new IllegalStateException("setns into " + target + " returned, but the thread is in net:["
                        + now.inode() + "]");
            } else {
                result = task.open(fds);
            }
        } catch (Throwable e) {
            failure = e;
        }

        // Step 2: leave, whatever happened inside.
        Throwable stuck = null;
        int initialFd = initial.acquire();
        try {
            setns(initialFd);
            NetNamespace.Identity back = NetNamespace.ofCurrentThread();
            if (!back.equals(initial.identity())) {
                stuck = new IllegalStateException("setns back to the initial namespace net:[" + initial.inode()
                        + "] returned, but the thread is in net:[" + back.inode() + "]");
            }
        } catch (Throwable e) {
            stuck = e;
        } finally {
            initial.release();
        }

        if (stuck != null) {
            if (failure != null) {
                stuck.addSuppressed(failure);
            }
            fds.closeAll(stuck);
            Throwable reported = stuck;
            OUTSIDE.execute(() -> future.completeExceptionally(reported));
            return;
        }
        if (failure != null) {
            fds.closeAll(failure);
            future.completeExceptionally(failure);
            return;
        }
        if (!future.complete(result)) {
            // Timed out (or cancelled) meanwhile: nobody will take ownership of the fds.
            fds.closeAll(null);
        }
    }

    private static void setns(int fd) {
        try {
            LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw NativeException.of("setns(fd=" + fd + ", CLONE_NEWNET)", e);
        }
    }

}
