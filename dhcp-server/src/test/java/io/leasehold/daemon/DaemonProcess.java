package io.leasehold.daemon;

import java.nio.file.Path;

/** A daemon in a process of its own, for tests that kill it: serves the file of args[0] until killed. */
public final class DaemonProcess {

    /** Printed once the daemon serves. */
    static final String READY = "daemon process serving";

    private DaemonProcess() {
    }

    public static void main(String[] args) throws Exception {
        Daemon d = Daemon.start(Path.of(args[0]));
        for (var a : d.config().attachments()) {
            if (!d.server().awaitServing(a.namespace(), a.iface(), java.time.Duration.ofSeconds(30))) {
                throw new IllegalStateException(a + " not served");
            }
        }
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
