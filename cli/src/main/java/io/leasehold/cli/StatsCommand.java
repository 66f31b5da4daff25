package io.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code leasehold stats}: each network's counters (packets, outcomes, named drop reasons). */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Print each network's counters: packets received and replied per protocol, decision "
                + "outcomes, and every dropped packet under its reason.")
final class StatsCommand implements Callable<Integer> {

    @Option(names = "--network", paramLabel = "ID", description = "Only this network.")
    String network;

    @Option(names = "--all", description = "Include counters that are zero.")
    boolean all;

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
        JsonNode r = socket.client().call("counters", args);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            OutputOption.printJson(out, r);
        } else {
            Table t = new Table("NETWORK", "COUNTER", "VALUE");
            for (Iterator<Map.Entry<String, JsonNode>> nets = r.fields(); nets.hasNext(); ) {
                Map.Entry<String, JsonNode> n = nets.next();
                for (Iterator<Map.Entry<String, JsonNode>> cs = n.getValue().fields(); cs.hasNext(); ) {
                    Map.Entry<String, JsonNode> c = cs.next();
                    if (all || c.getValue().asLong() != 0) {
                        t.row(n.getKey(), c.getKey(), c.getValue().asText());
                    }
                }
            }
            t.print(out);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
