package io.leasehold.netns;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open handle to a Linux network namespace: an {@code O_RDONLY | O_CLOEXEC} file descriptor on
 * an nsfs file, plus the namespace's identity (device and inode numbers of that file).
 *
 * <p>A held fd keeps the namespace alive even after {@code ip netns del} removed its name, so every
 * handle MUST be {@linkplain #close() closed}; closing is idempotent and safe against concurrent use
 * by {@link NamespaceOpener}: the fd is released when the last user is done.
 *
 * <p>Two handles denote the same namespace when {@link #sameAs} says so (same device and inode):
 * the fd numbers differ, the identity does not. {@link #initial()} is the namespace the process
 * started in; the opener returns every thread there.
 *
 * @see <a href="https://man7.org/linux/man-pages/man7/network_namespaces.7.html">network_namespaces(7)</a>
 * @see <a href="https://man7.org/linux/man-pages/man8/ip-netns.8.html">ip-netns(8)</a>: names are
 *      bind mounts under {@code /run/netns}
 */
public final class NetNamespace implements AutoCloseable {

    /** Where {@code ip netns add NAME} bind-mounts a namespace ({@code ip-netns(8)}). */
    public static final Path RUN_NETNS = Paths.get("/run/netns");

    // proc(5): /proc/thread-self names the calling thread, which setns(2) moves alone.
    private static final Path THREAD_SELF_NET = Paths.get("/proc/thread-self/ns/net");

    /*
     * proc(5): /proc/self is the thread-group leader, the process's first thread. That thread runs
     * the launcher and never calls setns, so its namespace is the process's starting namespace even
     * if this class happens to be initialized on some other thread.
     */
    private static final Path PROCESS_NET = Paths.get("/proc/self/ns/net");

    private static final NetNamespace INITIAL = openInitial();

    /*
     * Users and the closed flag in one atomic int: bit 0 is "closed", the rest counts users of the
     * fd (NamespaceOpener between acquire and release). The fd is closed by whoever moves the state
     * to exactly CLOSED (no users, closed), which happens once.
     */
    private static final int CLOSED = 1;
    private static final int USER = 2;

    private final int fd;
    private final String label;
    private final Identity identity;
    private final boolean closable;
    private final AtomicInteger state = new AtomicInteger();

    private NetNamespace(int fd, String label, Identity identity, boolean closable) {
        this.fd = fd;
        this.label = label;
        this.identity = identity;
        this.closable = closable;
    }

    /**
     * Opens the namespace {@code ip netns} knows as {@code name}, that is {@code /run/netns/NAME}.
     *
     * @throws IllegalArgumentException if the name is empty, ".", ".." or contains '/' or NUL
     * @throws NativeException          if the file cannot be opened (ENOENT: no such namespace)
     */
    public static NetNamespace open(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
                || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("name: \"" + name + "\" (expected: a file name in /run/netns)");
        }
        return open(RUN_NETNS.resolve(name), name);
    }

    /**
     * Opens the network namespace file at {@code path}: a {@code /run/netns} entry, a
     * {@code /proc/PID/ns/net} link, or any bind mount of one.
     *
     * @throws NativeException       if the file cannot be opened
     * @throws IllegalStateException if the file is not a network namespace
     */
    public static NetNamespace open(Path path) {
        return open(path, path.toString());
    }

    /** Opens the calling thread's current namespace ({@code /proc/thread-self/ns/net}). */
    public static NetNamespace current() {
        return open(THREAD_SELF_NET, "current(" + Thread.currentThread().getName() + ")");
    }

    /**
     * The namespace the process started in, opened once when this class was initialized. It is
     * never closed: {@link #close()} on it does nothing, because the opener needs it to come back.
     */
    public static NetNamespace initial() {
        return INITIAL;
    }

    /** The name or path this handle was opened with, for messages and logs. */
    public String label() {
        return label;
    }

    /** The inode number of the namespace (the number in {@code ip netns identify}'s "net:[N]"). */
    public long inode() {
        return identity.inode();
    }

    /** The device number of the nsfs file system holding the namespace inode. */
    public long device() {
        return identity.device();
    }

    /** Whether both handles denote the same namespace (same device and inode). */
    public boolean sameAs(NetNamespace other) {
        return identity.equals(other.identity);
    }

    /** Whether {@link #close()} has not been called yet (or this is the initial namespace). */
    public boolean isOpen() {
        return (state.get() & CLOSED) == 0;
    }

    /**
     * Releases the fd. Idempotent. If a {@link NamespaceOpener} call is using the fd right now,
     * the fd is closed when that call is done with it; no new call can start after this one.
     */
    @Override
    public void close() {
        if (!closable) {
            return;
        }
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                if (s == 0) {
                    closeFd();
                }
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "NetNamespace(" + label + ", net:[" + identity.inode() + "]" + (isOpen() ? "" : ", closed") + ")";
    }

    /**
     * Marks one user of the fd and returns it; every call MUST be paired with {@link #release()}.
     *
     * @throws IllegalStateException if the handle is closed
     */
    int acquire() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                throw new IllegalStateException(this + " is closed");
            }
            if (state.compareAndSet(s, s + USER)) {
                return fd;
            }
        }
    }

    /**
     * Ends one use begun by {@link #acquire()}; the last user of a closed handle closes the fd.
     * Never throws: it runs on the opener thread between {@code setns} calls, where an exception
     * would skip the way back.
     */
    void release() {
        if (state.addAndGet(-USER) == CLOSED) {
            try {
                closeFd();
            } catch (NativeException e) {
                // The kernel released the fd anyway (see closeFd); there is no caller to tell.
            }
        }
    }

    /** The identity this handle was opened with. */
    Identity identity() {
        return identity;
    }

    /** Device and inode of an nsfs file: the identity of a namespace. */
    record Identity(long device, long inode) {
    }

    /**
     * The identity of the calling thread's network namespace, read by stat(2) on
     * {@code /proc/thread-self/ns/net}. The JDK makes the stat call on the calling thread, which is
     * what makes this a per-thread answer.
     */
    static Identity ofCurrentThread() {
        return identityOf(THREAD_SELF_NET);
    }

    /** The identity of the nsfs file at {@code path}, following the magic link. */
    static Identity identityOf(Path path) {
        try {
            Map<String, Object> attributes = Files.readAttributes(path, "unix:dev,ino");
            return new Identity((Long) attributes.get("dev"), (Long) attributes.get("ino"));
        } catch (IOException e) {
            throw new UncheckedIOException("stat " + path + ": " + e.getMessage(), e);
        }
    }

    private static NetNamespace openInitial() {
        return open(PROCESS_NET, "initial", false);
    }

    private static NetNamespace open(Path path, String label) {
        return open(path, label, true);
    }

    private static NetNamespace open(Path path, String label, boolean closable) {
        int fd;
        try {
            fd = LibC.INSTANCE.open(LibC.cString(path.toString()), LibC.O_RDONLY | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw NativeException.of("open(" + path + ", O_RDONLY|O_CLOEXEC)", e);
        }
        try {
            // Ask the kernel what the fd is, rather than trusting the path: a bind mount under
            // /run/netns shows its path in /proc/self/fd, not "net:[N]", and anything could have
            // been mounted there.
            int type;
            try {
                type = LibC.INSTANCE.ioctl(fd, LibC.NS_GET_NSTYPE);
            } catch (LastErrorException e) {
                throw new IllegalStateException(path + " is not a network namespace ("
                        + NativeException.of("ioctl(fd=" + fd + ", NS_GET_NSTYPE)", e).getMessage() + ")");
            }
            if (type != LibC.CLONE_NEWNET) {
                throw new IllegalStateException(path + " is not a network namespace (NS_GET_NSTYPE: 0x"
                        + Integer.toHexString(type) + ", expected: CLONE_NEWNET 0x40000000)");
            }
            // Identify what the fd refers to, not what the path names now: the path may be
            // replaced between open and stat, the fd cannot.
            return new NetNamespace(fd, label, identityOf(Paths.get("/proc/self/fd/" + fd)), closable);
        } catch (RuntimeException e) {
            closeQuietly(fd, e);
            throw e;
        }
    }

    private void closeFd() {
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException e) {
            // close(2): on Linux the fd is released even when close reports an error (EINTR
            // included), so retrying could close an fd another thread just received.
            throw NativeException.of("close(fd=" + fd + ", " + label + ")", e);
        }
    }

    private static void closeQuietly(int fd, Throwable primary) {
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException e) {
            primary.addSuppressed(NativeException.of("close(fd=" + fd + ")", e));
        }
    }
}
