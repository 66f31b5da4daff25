package io.leasehold.netns;

import com.sun.jna.LastErrorException;

/**
 * The one exception for a failed native call: it names the call with its arguments and carries
 * the {@code errno} the call left behind.
 *
 * <p>A message reads {@code "setns(fd=12, CLONE_NEWNET): Operation not permitted (errno 1)"}: the
 * call as written in C with the arguments that matter, then {@code strerror(3)} text and number.
 * It is unchecked because every caller handles it the same way: the setup step that failed (an
 * attachment, a bind) is abandoned and its fds are closed at one boundary in the daemon.
 *
 * <p>The errno constants below are the handful the daemon branches on; their values come from
 * {@code asm-generic/errno-base.h} and {@code asm-generic/errno.h}, which x86_64 and aarch64 share.
 */
public final class NativeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Operation not permitted: a missing capability ({@code errno-base.h}). */
    public static final int EPERM = 1;
    /** No such file or directory: for example a namespace name not in {@code /run/netns}. */
    public static final int ENOENT = 2;
    /** Interrupted system call ({@code errno-base.h}). */
    public static final int EINTR = 4;
    /** Bad file descriptor ({@code errno-base.h}). */
    public static final int EBADF = 9;
    /** Resource temporarily unavailable: a non-blocking socket has nothing to read. */
    public static final int EAGAIN = 11;
    /** Invalid argument ({@code errno-base.h}). */
    public static final int EINVAL = 22;
    /** No such device: an interface name or index unknown in the calling thread's namespace. */
    public static final int ENODEV = 19;
    /**
     * No buffer space: on a netlink socket it means the receive queue overflowed and events were
     * lost, so the reader MUST dump again ({@code netlink(7)}, "ENOBUFS").
     */
    public static final int ENOBUFS = 105;
    /** Address already in use ({@code asm-generic/errno.h}). */
    public static final int EADDRINUSE = 98;

    private final String call;
    private final int errno;

    /**
     * @param call  the C call with its arguments, for example {@code "bind(fd=7, 0.0.0.0:67)"}
     * @param errno the positive error number
     * @param text  the {@code strerror(3)} text for {@code errno}
     */
    NativeException(String call, int errno, String text) {
        super(call + ": " + text + " (errno " + errno + ")");
        this.call = call;
        this.errno = errno;
    }

    /**
     * Wraps JNA's exception for a call declared {@code throws LastErrorException}. JNA formats its
     * message as {@code "[errno] text"} with the text from {@code strerror}; that text is reused so
     * the failing thread makes no further native call.
     */
    static NativeException of(String call, LastErrorException e) {
        int errno = e.getErrorCode();
        String message = e.getMessage();
        String prefix = "[" + errno + "] ";
        String text = message != null && message.startsWith(prefix)
                ? message.substring(prefix.length())
                : LibC.errorText(errno);
        NativeException wrapped = new NativeException(call, errno, text);
        wrapped.initCause(e);
        return wrapped;
    }

    /** For calls that report failure by their return value and leave the cause in errno. */
    static NativeException of(String call, int errno) {
        return new NativeException(call, errno, LibC.errorText(errno));
    }

    /** The C call with the arguments that identify it, without the error text. */
    public String call() {
        return call;
    }

    /** The positive {@code errno} value the call failed with. */
    public int errno() {
        return errno;
    }
}
