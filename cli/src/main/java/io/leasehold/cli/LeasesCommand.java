package io.leasehold.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code leasehold leases}: the leases the daemon holds (or a dnsmasq lease file holds), filtered. */
@Command(name = "leases", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List leases: every network's, or those matching the filters (which combine).",
                "With --lease-file, read a dnsmasq-format lease file instead; no daemon is needed."})
final class LeasesCommand implements Callable<Integer> {

    @Mixin
    LeaseQuery query;

    @Option(names = "--mac", paramLabel = "MAC", description = "Only leases of this MAC (IPv6: a link-layer DUID's).")
    String mac;

    @Option(names = "--ip", paramLabel = "IP", description = "Only the lease of this IPv4 or IPv6 address.")
    String ip;

    @Mixin
    SocketOption socket;

    @Mixin
    OutputOption output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (output.json()) {
            // The daemon's result, copied token by token: no tree for thousands of leases.
            out.println(query.fetch(socket, mac, ip, err, OutputOption::copy));
        } else {
            long now = System.currentTimeMillis() / 1000;
            query.fetch(socket, mac, ip, err, p -> LeaseQuery.table(p, now)).print(out);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
