package io.leasehold.cli;

import io.leasehold.demo.Demo;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code leasehold demo}: a real DHCP client served by Leasehold in throwaway namespaces. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Serve a real DHCP client end to end: create two throwaway network namespaces joined by a veth "
                + "pair, start Leasehold in one with a built-in Neutron-shaped network and in-memory leases, run "
                + "udhcpc (and dhclient -6 when installed) in the other, print the leases and what the client "
                + "applied, and remove everything, also on Ctrl-C.",
                "Needs root (sudo) and busybox."})
final class DemoCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int exit = new Demo(out).run();
        out.flush();
        return exit;
    }
}
