package io.leasehold.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The {@code leasehold} command. Each subcommand is its own class; this one only wires them up and
 * maps outcomes to the stable exit codes of {@link ExitCodes}.
 */
@Command(name = "leasehold",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "An embedded DHCPv4/DHCPv6 server for OpenStack network nodes.",
        subcommands = {ServeCommand.class, DemoCommand.class, DecodeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        logLevel(Level.WARNING);
        System.exit(run(args));
    }

    /**
     * Logs go to standard error, one line each, at {@code level} and above: warnings for the
     * commands people run by hand, information for the daemon ({@code serve}).
     */
    static void logLevel(Level level) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        Logger root = LogManager.getLogManager().getLogger("");
        root.setLevel(level);
        for (Handler h : root.getHandlers()) {
            h.setLevel(level);
            h.setFormatter(new SimpleFormatter());
        }
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
