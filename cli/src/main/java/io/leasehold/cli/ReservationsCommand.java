package io.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leasehold.control.MacAddress;
import io.leasehold.wire.IpAddresses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code leasehold reservations ls|add|change|rm}: host reservations, changed live. A change takes
 * effect for the next packet and is kept in the daemon's data directory, so it outlives restarts
 * and reloads.
 */
@Command(name = "reservations", mixinStandardHelpOptions = true,
        description = {"List, add, change and remove host reservations (fixed addresses) live.",
                "Changes take effect for the next packet and are saved in the daemon's data directory "
                        + "(reservations.json), applied over the configuration at every start and reload."},
        subcommands = {ReservationsCommand.Ls.class, ReservationsCommand.Add.class, ReservationsCommand.Change.class,
                ReservationsCommand.Rm.class})
final class ReservationsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a subcommand: ls, add, change or rm");
    }

    static Table table(Iterable<JsonNode> items) {
        Table t = new Table("NETWORK", "ID", "MAC", "ADDRESSES", "HOSTNAME", "TAGS");
        for (JsonNode i : items) {
            JsonNode r = i.path("reservation");
            List<String> addresses = new ArrayList<>();
            r.path("addresses").forEach(a -> addresses.add(a.asText()));
            List<String> tags = new ArrayList<>();
            r.path("setTags").forEach(a -> tags.add("set:" + a.asText()));
            r.path("requiredTags").forEach(a -> tags.add("tag:" + a.asText()));
            String who = LeaseQuery.text(r, "mac");
            if (who == null) {
                who = LeaseQuery.text(r, "clientId") != null ? "id:" + r.path("clientId").asText()
                        : "duid:" + r.path("duid").asText();
            }
            t.row(i.path("network").asText(), r.path("id").asText(), who, String.join(",", addresses),
                    LeaseQuery.text(r, "hostname"), tags.isEmpty() ? null : String.join(",", tags));
        }
        return t;
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List reservations.")
    static final class Ls implements Callable<Integer> {

        @Option(names = "--network", paramLabel = "ID", description = "Only this network's.")
        String network;

        @Option(names = "--mac", paramLabel = "MAC", description = "Only this MAC's.")
        String mac;

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
            if (mac != null) {
                args.put("mac", MacAddress.format(LeaseQuery.mac(mac)));
            }
            JsonNode r = socket.client().call("reservations.list", args);
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                OutputOption.printJson(out, r);
            } else {
                table(r.path("reservations")).print(out);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** What add and change share: the reservation's fields. */
    static final class Fields {
        @Option(names = "--network", paramLabel = "ID", required = true, description = "The network.")
        String network;

        @Option(names = "--mac", paramLabel = "MAC", description = "The client's MAC address.")
        String mac;

        @Option(names = "--ip", paramLabel = "IP", split = ",",
                description = "A fixed address (repeat, or separate with commas, for one per subnet).")
        List<String> ips;

        @Option(names = "--hostname", paramLabel = "NAME", description = "The host name given to the client.")
        String hostname;

        @Option(names = "--id", paramLabel = "ID",
                description = "The reservation's id (add: default mac-<MAC without colons>; change: found by --mac when not given).")
        String id;

        ArrayNode addresses() {
            ArrayNode a = Json.array();
            for (String ip : ips) {
                a.add(IpAddresses.text(LeaseQuery.ip(ip)));
            }
            return a;
        }
    }

    private static Integer print(JsonNode r, String verb, OutputOption output, PrintWriter out) {
        if (output.json()) {
            OutputOption.printJson(out, r);
        } else {
            out.println(verb + " reservation " + r.path("reservation").path("id").asText() + " in network "
                    + r.path("network").asText() + (r.path("durable").asBoolean() ? "" : " (not saved: the daemon keeps it in memory only)"));
        }
        out.flush();
        return ExitCodes.OK;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Reserve addresses for a MAC. Every address must be in a subnet of the network and no other "
                    + "reservation's.", "Exits with " + ExitCodes.CONFLICT + " when the id exists or an address is taken."})
    static final class Add implements Callable<Integer> {

        @Mixin
        Fields f;

        @Mixin
        SocketOption socket;

        @Mixin
        OutputOption output;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (f.mac == null) {
                throw new CliException(ExitCodes.USAGE, "reservations add: --mac is required");
            }
            if (f.ips == null || f.ips.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "reservations add: give at least one --ip");
            }
            long mac = LeaseQuery.mac(f.mac);
            ObjectNode res = Json.object();
            res.put("id", f.id != null ? f.id : "mac-" + MacAddress.format(mac).replace(":", ""));
            res.put("mac", MacAddress.format(mac));
            res.set("addresses", f.addresses());
            if (f.hostname != null) {
                res.put("hostname", f.hostname);
            }
            ObjectNode args = ControlClient.args();
            args.put("network", f.network);
            args.put("mode", "add");
            args.set("reservation", res);
            return print(socket.client().call("reservations.put", args), "added", output, spec.commandLine().getOut());
        }
    }

    @Command(name = "change", mixinStandardHelpOptions = true,
            description = {"Change a reservation, found by --id or by --mac: the options given replace its addresses, "
                    + "host name or MAC; the rest is kept.",
                    "Exits with " + ExitCodes.NOT_FOUND + " when there is no such reservation."})
    static final class Change implements Callable<Integer> {

        @Mixin
        Fields f;

        @Option(names = "--new-mac", paramLabel = "MAC", description = "Give the reservation this MAC instead.")
        String newMac;

        @Mixin
        SocketOption socket;

        @Mixin
        OutputOption output;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if ((f.id == null) == (f.mac == null)) {
                throw new CliException(ExitCodes.USAGE, "reservations change: name the reservation with --id or --mac (one of them)");
            }
            ControlClient client = socket.client();
            ObjectNode query = ControlClient.args();
            query.put("network", f.network);
            if (f.mac != null) {
                query.put("mac", MacAddress.format(LeaseQuery.mac(f.mac)));
            }
            List<JsonNode> found = new ArrayList<>();
            for (JsonNode i : client.call("reservations.list", query).path("reservations")) {
                if (f.id == null || f.id.equals(i.path("reservation").path("id").asText())) {
                    found.add(i.path("reservation"));
                }
            }
            if (found.isEmpty()) {
                throw new CliException(ExitCodes.NOT_FOUND, "no reservation " + (f.id != null ? f.id : "of " + f.mac)
                        + " in network " + f.network);
            }
            if (found.size() > 1) {
                List<String> ids = new ArrayList<>();
                found.forEach(r -> ids.add(r.path("id").asText()));
                throw new CliException(ExitCodes.CONFLICT, f.mac + " has " + found.size() + " reservations in network "
                        + f.network + ": " + String.join(", ", ids) + " (name one with --id)");
            }
            ObjectNode res = (ObjectNode) found.get(0);
            if (newMac != null) {
                res.put("mac", MacAddress.format(LeaseQuery.mac(newMac)));
            }
            if (f.ips != null && !f.ips.isEmpty()) {
                res.set("addresses", f.addresses());
            }
            if (f.hostname != null) {
                res.put("hostname", f.hostname.isEmpty() ? null : f.hostname);
            }
            ObjectNode args = ControlClient.args();
            args.put("network", f.network);
            args.put("mode", "change");
            args.set("reservation", res);
            return print(client.call("reservations.put", args), "changed", output, spec.commandLine().getOut());
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = {"Remove a reservation, named by --id or by --mac. The client's current lease is kept until it ends.",
                    "Exits with " + ExitCodes.NOT_FOUND + " when there is no such reservation."})
    static final class Rm implements Callable<Integer> {

        @Option(names = "--network", paramLabel = "ID", required = true, description = "The network.")
        String network;

        @Option(names = "--mac", paramLabel = "MAC", description = "The reservation's MAC (when it has only one).")
        String mac;

        @Option(names = "--id", paramLabel = "ID", description = "The reservation's id.")
        String id;

        @Mixin
        SocketOption socket;

        @Mixin
        OutputOption output;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if ((id == null) == (mac == null)) {
                throw new CliException(ExitCodes.USAGE, "reservations rm: name the reservation with --id or --mac (one of them)");
            }
            ObjectNode args = ControlClient.args();
            args.put("network", network);
            if (id != null) {
                args.put("id", id);
            } else {
                args.put("mac", MacAddress.format(LeaseQuery.mac(mac)));
            }
            return print(socket.client().call("reservations.remove", args), "removed", output, spec.commandLine().getOut());
        }
    }
}
