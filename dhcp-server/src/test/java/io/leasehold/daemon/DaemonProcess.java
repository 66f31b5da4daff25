package io.leasehold.daemon;

import java.nio.file.Path;

/** A daemon in a process of its own, for tests that kill it: serves the file of args[0] until killed. */
public final class DaemonProcess {

    private DaemonProcess() {
    }

    public static void main(String[] args) throws Exception {
        Daemon.start(Path.of(args[0]));
        System.out.println("serving " + args[0]);
        Thread.sleep(Long.MAX_VALUE);
    }
}
