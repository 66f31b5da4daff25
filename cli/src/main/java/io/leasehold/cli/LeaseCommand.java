package io.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code leasehold lease show <mac|ip>}: every field of the leases of one client or address. */
@Command(name = "lease", mixinStandardHelpOptions = true,
        description = "Inspect one lease.",
        subcommands = LeaseCommand.Show.class)
final class LeaseCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a subcommand: show");
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Show the leases of a MAC address, or the lease of an IP address, field by field.",
                    "Exits with " + ExitCodes.NOT_FOUND + " when there is none."})
    static final class Show implements Callable<Integer> {

        @Parameters(paramLabel = "MAC|IP", description = "A MAC (fa:16:3e:00:00:01) or an IPv4/IPv6 address.")
        String key;

        @Mixin
        LeaseQuery query;

        @Mixin
        SocketOption socket;

        @Mixin
        OutputOption output;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            boolean mac = LeaseQuery.isMac(key);
            if (!mac && !io.leasehold.control.MacAddress.looksLikeMac(key)) {
                try {
                    io.leasehold.wire.IpAddresses.parse(key);
                } catch (IllegalArgumentException e) {
                    throw new CliException(ExitCodes.USAGE, "malformed MAC or IP address '" + key
                            + "' (expected: a MAC like fa:16:3e:00:00:01, or an IPv4 or IPv6 address)");
                }
            }
            JsonNode result = query.fetch(socket, mac ? key : null, mac ? null : key, spec.commandLine().getErr());
            if (result.path("leases").isEmpty()) {
                throw new CliException(ExitCodes.NOT_FOUND, "no lease of " + key
                        + (query.network != null ? " in network " + query.network : "")
                        + (query.leaseFile != null ? " in " + query.leaseFile : ""));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                OutputOption.printJson(out, result);
            } else {
                long now = System.currentTimeMillis() / 1000;
                boolean first = true;
                for (JsonNode l : result.path("leases")) {
                    if (!first) {
                        out.println();
                    }
                    first = false;
                    Table t = new Table("FIELD", "VALUE").withoutHeader();
                    for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> f = it.next();
                        String v = f.getValue().isNull() ? null : f.getValue().asText();
                        if (f.getKey().equals("expires")) {
                            long e = f.getValue().asLong();
                            v = e == 0 ? "never" : Instant.ofEpochSecond(e) + " (" + LeaseQuery.expiry(e, now) + ")";
                        }
                        t.row(f.getKey(), v);
                    }
                    t.print(out);
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
