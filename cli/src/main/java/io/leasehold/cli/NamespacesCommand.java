package io.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code leasehold namespaces ls|attach|detach}: which interfaces of which namespaces are served, live. */
@Command(name = "namespaces", mixinStandardHelpOptions = true,
        description = {"List, attach and detach served interfaces live.",
                "Attachments made here last until the daemon stops; the configuration file's namespaces are what "
                        + "a restart serves."},
        subcommands = {NamespacesCommand.Ls.class, NamespacesCommand.Attach.class, NamespacesCommand.Detach.class})
final class NamespacesCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a subcommand: ls, attach or detach");
    }

    @Command(name = "ls", mixinStandardHelpOptions = true,
            description = "List the interfaces to be served: namespace, network, and whether their sockets are open.")
    static final class Ls implements Callable<Integer> {
        @Mixin
        SocketOption socket;

        @Mixin
        OutputOption output;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            JsonNode r = socket.client().call("namespaces", ControlClient.args());
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                OutputOption.printJson(out, r);
            } else {
                Table t = new Table("NAMESPACE", "INTERFACE", "NETWORK", "STATE");
                for (JsonNode n : r) {
                    t.row(n.path("namespace").asText().isEmpty() ? "(own)" : n.path("namespace").asText(),
                            n.path("interface").asText(), n.path("network").asText(),
                            n.path("serving").asBoolean() ? "serving" : "waiting for the namespace");
                }
                t.print(out);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** Namespace and interface, shared. */
    static final class Where {
        @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "",
                description = "The namespace under /run/netns (default: the daemon's own).")
        String namespace;

        @Option(names = "--interface", paramLabel = "IFNAME", required = true, description = "The interface.")
        String iface;
    }

    @Command(name = "attach", mixinStandardHelpOptions = true,
            description = "Serve a network on an interface of a namespace (attached now if the namespace exists, else when it appears).")
    static final class Attach implements Callable<Integer> {
        @Mixin
        Where where;

        @Option(names = "--network", paramLabel = "ID", required = true, description = "The network to serve there.")
        String network;

        @Mixin
        SocketOption socket;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            ObjectNode args = ControlClient.args();
            args.put("namespace", where.namespace);
            args.put("interface", where.iface);
            args.put("network", network);
            JsonNode r = socket.client().call("namespaces.attach", args);
            String where1 = where.iface + (where.namespace.isEmpty() ? "" : " in namespace " + where.namespace);
            spec.commandLine().getOut().println(r.path("serving").asBoolean() ? "serving network " + network + " on " + where1
                    : "network " + network + " will be served on " + where1 + " when it can be (now: "
                    + r.path("waiting").asText() + ")");
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "detach", mixinStandardHelpOptions = true,
            description = "Stop serving an interface; its sockets are closed (and the namespace's, when it was the last).")
    static final class Detach implements Callable<Integer> {
        @Mixin
        Where where;

        @Mixin
        SocketOption socket;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            ObjectNode args = ControlClient.args();
            args.put("namespace", where.namespace);
            args.put("interface", where.iface);
            socket.client().call("namespaces.detach", args);
            spec.commandLine().getOut().println("stopped serving " + where.iface
                    + (where.namespace.isEmpty() ? "" : " in namespace " + where.namespace));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
