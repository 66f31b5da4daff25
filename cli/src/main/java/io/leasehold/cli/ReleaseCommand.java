package io.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leasehold.wire.IpAddresses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code leasehold release <ip>}: ends a lease as if its client had sent RELEASE. */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = {"Release the lease of an address, with the same effect as the client's RELEASE: the address "
                + "is free again, and the release is on disk before this command returns.",
                "Exits with " + ExitCodes.NOT_FOUND + " when the address has no lease."})
final class ReleaseCommand implements Callable<Integer> {

    @Parameters(paramLabel = "IP", description = "The leased IPv4 or IPv6 address.")
    String ip;

    @Option(names = "--network", paramLabel = "ID",
            description = "The lease's network (default: the one network with a subnet holding IP).")
    String network;

    @Mixin
    SocketOption socket;

    @Mixin
    OutputOption output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ObjectNode args = ControlClient.args();
        args.put("ip", IpAddresses.text(LeaseQuery.ip(ip)));
        if (network != null) {
            args.put("network", network);
        }
        JsonNode r = socket.client().call("release", args);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            OutputOption.printJson(out, r);
        } else {
            out.println("released " + r.path("address").asText() + " in network " + r.path("network").asText());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
