package io.leasehold.daemon;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * POSIX signal handlers through {@code sun.misc.Signal} (module {@code jdk.unsupported}, present in
 * every JDK since 9), for the daemons: {@code leasehold serve} and the dnsmasq front reload on
 * SIGHUP and stop on SIGTERM. Handlers run on the JVM's signal dispatch thread.
 */
public final class Signals {

    private static final System.Logger LOG = System.getLogger(Signals.class.getName());

    private Signals() {
    }

    /**
     * Runs {@code action} on each signal {@code name} ("HUP", "TERM", ...); a failure is logged.
     *
     * @return false when the signal was inherited ignored (a process started under {@code nohup}
     *         ignores SIGHUP): the JVM then leaves it ignored and {@code action} never runs, which
     *         is logged as a warning naming {@code instead}, the other way to get the same effect
     */
    public static boolean on(String name, Runnable action, String instead) {
        SignalHandler old = Signal.handle(new Signal(name), s -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "SIG" + name + " handler failed: " + e);
            }
        });
        if (old == SignalHandler.SIG_IGN) {
            LOG.log(System.Logger.Level.WARNING, "SIG" + name + " is ignored in this process (started under nohup?),"
                    + " so it does nothing here: " + instead);
            return false;
        }
        return true;
    }
}
