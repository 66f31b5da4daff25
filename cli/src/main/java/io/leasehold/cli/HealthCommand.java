package io.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code leasehold health}: is the daemon up and serving; exit 0 only when it is. */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = {"Ask the daemon whether it is serving: status, uptime, networks, attached namespaces.",
                "Exits with 0 when the status is ok, " + ExitCodes.FAILURE + " otherwise, " + ExitCodes.NO_DAEMON
                        + " when no daemon answers."})
final class HealthCommand implements Callable<Integer> {

    @Mixin
    SocketOption socket;

    @Mixin
    OutputOption output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        JsonNode r = socket.client().call("health", ControlClient.args());
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            OutputOption.printJson(out, r);
        } else {
            List<String> ns = new ArrayList<>();
            r.path("namespaces").forEach(n -> ns.add(n.asText().isEmpty() ? "(own)" : n.asText()));
            List<String> idle = new ArrayList<>();
            r.path("networksNotServed").forEach(n -> idle.add(n.asText()));
            Table t = new Table("FIELD", "VALUE").withoutHeader();
            t.row("status", r.path("status").asText());
            t.row("uptime", LeaseQuery.duration(r.path("uptimeSeconds").asLong()));
            t.row("networks", r.path("networks").asText());
            t.row("namespaces", ns.isEmpty() ? "none" : String.join(", ", ns));
            t.row("not served", idle.isEmpty() ? "none" : String.join(", ", idle));
            t.print(out);
        }
        out.flush();
        return "ok".equals(r.path("status").asText()) ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
