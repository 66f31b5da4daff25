package io.leasehold.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code leasehold} command. Each subcommand is its own class; this one only wires them up and
 * maps outcomes to the stable exit codes of {@link ExitCodes}.
 */
@Command(name = "leasehold",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "An embedded DHCPv4/DHCPv6 server for OpenStack network nodes.",
        subcommands = {DecodeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line {@code args} and returns its exit code; for tests and embedding. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("leasehold: " + e.getMessage());
            return ExitCodes.FAILURE;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        // No subcommand: show what there is.
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"leasehold " + (v != null ? v : "development build")};
        }
    }
}
