package io.leasehold.netns;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Whether this process can serve namespaces, in the manner of Netty's {@code Epoll}:
 * {@link #isAvailable()}, {@link #ensureAvailability()}, {@link #unavailabilityCause()}.
 *
 * <p>The check runs once, at class initialization, and lists everything that is missing at once:
 * <ul>
 *   <li>the OS is not Linux, or the architecture is not x86_64 or aarch64 (the structure layouts
 *       here are written for those two);</li>
 *   <li>CAP_NET_RAW (bit 13 of {@code CapEff}), for packet sockets and {@code SO_BINDTODEVICE};</li>
 *   <li>CAP_SYS_ADMIN (bit 21 of {@code CapEff}), for {@code setns} into a network namespace;</li>
 *   <li>Netty's epoll native library, which the daemon's event loops run on;</li>
 *   <li>JNA's native library, through which every setup call here is made.</li>
 * </ul>
 * Capabilities are read from {@code /proc/self/status} ({@code proc(5)}, {@code capabilities(7)}).
 */
public final class NetnsSupport {

    /** {@code CAP_NET_RAW} ({@code linux/capability.h}). */
    static final int CAP_NET_RAW = 13;
    /** {@code CAP_SYS_ADMIN} ({@code linux/capability.h}). */
    static final int CAP_SYS_ADMIN = 21;

    private static final Throwable UNAVAILABILITY_CAUSE = probe();

    private NetnsSupport() {
    }

    /** Whether everything listed above is present. */
    public static boolean isAvailable() {
        return UNAVAILABILITY_CAUSE == null;
    }

    /**
     * Throws if anything is missing.
     *
     * @throws IllegalStateException naming every missing item, with the underlying failures as
     *                               its cause and suppressed exceptions
     */
    public static void ensureAvailability() {
        if (UNAVAILABILITY_CAUSE != null) {
            throw new IllegalStateException(UNAVAILABILITY_CAUSE.getMessage(), UNAVAILABILITY_CAUSE);
        }
    }

    /** Why netns support is unavailable, or null if it is available. */
    public static Throwable unavailabilityCause() {
        return UNAVAILABILITY_CAUSE;
    }

    private static Throwable probe() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        boolean linux = os.toLowerCase(Locale.ROOT).startsWith("linux");
        String status = null;
        Throwable statusFailure = null;
        if (linux) {
            try {
                status = Files.readString(Paths.get("/proc/self/status"));
            } catch (IOException | RuntimeException e) {
                statusFailure = e;
            }
        }
        Throwable epoll = null;
        if (linux) {
            try {
                epoll = Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
            } catch (LinkageError e) {
                epoll = e;
            }
        }
        Throwable jna = null;
        try {
            LibC.INSTANCE.getpagesize();
        } catch (LinkageError | RuntimeException e) {
            jna = e;
        }
        return cause(os, arch, status, statusFailure, epoll, jna);
    }

    /**
     * Builds the unavailability cause from what was observed (pure, for tests): null when nothing
     * is missing, else an exception whose message lists each missing item; the first underlying
     * failure is its cause and the others are suppressed.
     *
     * @param procStatus    the text of {@code /proc/self/status}, or null if it was not read
     * @param statusFailure why it could not be read, or null
     * @param epoll         Netty's epoll unavailability cause, or null
     * @param jna           the failure loading JNA's native library, or null
     */
    static Throwable cause(String osName, String osArch, String procStatus, Throwable statusFailure,
            Throwable epoll, Throwable jna) {
        List<String> missing = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            missing.add("not Linux (os.name=" + osName + ")");
        } else {
            if (!osArch.equals("amd64") && !osArch.equals("x86_64") && !osArch.equals("aarch64")) {
                missing.add("unsupported architecture " + osArch + " (expected: amd64 or aarch64)");
            }
            OptionalLong parsed = procStatus == null ? OptionalLong.empty() : capEff(procStatus);
            if (parsed.isEmpty()) {
                missing.add("cannot read CapEff from /proc/self/status"
                        + (statusFailure != null ? " (" + statusFailure + ")" : ""));
                if (statusFailure != null) {
                    causes.add(statusFailure);
                }
            } else {
                long capEff = parsed.getAsLong();
                if ((capEff & 1L << CAP_NET_RAW) == 0) {
                    missing.add("no CAP_NET_RAW (bit 13 of CapEff " + Long.toHexString(capEff) + ")");
                }
                if ((capEff & 1L << CAP_SYS_ADMIN) == 0) {
                    missing.add("no CAP_SYS_ADMIN (bit 21 of CapEff " + Long.toHexString(capEff) + ")");
                }
            }
            if (epoll != null) {
                missing.add("Netty epoll native library unavailable (" + epoll + ")");
                causes.add(epoll);
            }
        }
        if (jna != null) {
            missing.add("JNA native library unavailable (" + jna + ")");
            causes.add(jna);
        }
        if (missing.isEmpty()) {
            return null;
        }
        UnsupportedOperationException e = new UnsupportedOperationException(
                "netns support unavailable: " + String.join("; ", missing));
        if (!causes.isEmpty()) {
            e.initCause(causes.get(0));
            for (Throwable other : causes.subList(1, causes.size())) {
                e.addSuppressed(other);
            }
        }
        return e;
    }

    /** The {@code CapEff:} hex mask of a {@code /proc/PID/status} text, if it has a readable one. */
    static OptionalLong capEff(String procStatus) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("CapEff:")) {
                try {
                    return OptionalLong.of(Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }
}
