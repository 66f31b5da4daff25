package io.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code leasehold reload}: the daemon re-reads its configuration file and applies the difference. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = {"Make the daemon re-read its configuration file and apply what changed (leases are kept).",
                "A refused file changes nothing; its problems are printed and the exit code is " + ExitCodes.FAILURE + "."})
final class ReloadCommand implements Callable<Integer> {

    @Mixin
    SocketOption socket;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        JsonNode r = socket.client().call("reload", ControlClient.args());
        spec.commandLine().getOut().println("reloaded: " + r.path("summary").asText());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
