package io.leasehold.dnsmasq;

import sun.misc.Signal;

/**
 * POSIX signal handlers through {@code sun.misc.Signal} (module {@code jdk.unsupported}, present in
 * every JDK since 9): the dnsmasq front reloads on SIGHUP and stops on SIGTERM, as dnsmasq does.
 * Handlers run on the JVM's signal dispatch thread.
 */
final class Signals {

    private Signals() {
    }

    static void on(String name, Runnable action) {
        Signal.handle(new Signal(name), s -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                System.getLogger(Signals.class.getName()).log(System.Logger.Level.WARNING,
                        "SIG" + name + " handler failed: " + e);
            }
        });
    }
}
