package io.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code leasehold networks}: the networks served, their subnets, leases and reservations. */
@Command(name = "networks", mixinStandardHelpOptions = true,
        description = "List the networks the daemon serves: subnets, lease counts, reservation counts.")
final class NetworksCommand implements Callable<Integer> {

    @Option(names = "--network", paramLabel = "ID", description = "Only this network.")
    String network;

    @Option(names = "--subnets", description = "One row per subnet, with its mode, gateway and lease time.")
    boolean subnets;

    @Mixin
    SocketOption socket;

    @Mixin
    OutputOption output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ObjectNode args = ControlClient.args();
        if (network != null) {
            args.put("network", network);
        }
        if (output.json()) {
            args.put("reservations", true);
        }
        JsonNode r = socket.client().call("networks", args);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            OutputOption.printJson(out, r);
        } else if (subnets) {
            Table t = new Table("NETWORK", "SUBNET", "CIDR", "MODE", "GATEWAY", "DHCP", "LEASE");
            for (JsonNode n : r) {
                for (JsonNode s : n.path("subnets")) {
                    t.row(n.path("id").asText(), s.path("id").asText(), s.path("cidr").asText(), s.path("mode").asText(),
                            LeaseQuery.text(s, "gateway"), s.path("dhcpEnabled").asBoolean() ? "on" : "off",
                            s.path("leaseSeconds").asLong() == 0xffffffffL ? "infinite" : s.path("leaseSeconds").asText() + "s");
                }
            }
            t.print(out);
        } else {
            Table t = new Table("NETWORK", "SERVED", "SUBNETS", "LEASES4", "LEASES6", "MAX", "RESERVATIONS");
            for (JsonNode n : r) {
                List<String> cidrs = new ArrayList<>();
                n.path("subnets").forEach(s -> cidrs.add(s.path("cidr").asText()));
                t.row(n.path("id").asText(), n.path("served").asBoolean() ? "yes" : "no", String.join(",", cidrs),
                        n.path("leases4").asText(), n.path("leases6").asText(), n.path("leaseMax").asText(),
                        n.path("reservationCount").asText());
            }
            t.print(out);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
