package io.leasehold.cli;

import io.leasehold.dnsmasq.DnsmasqFront;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;
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
        description = {"An embedded DHCPv4/DHCPv6 server for OpenStack network nodes.",
                "",
                "leasehold dnsmasq ARGS...: a dnsmasq-compatible front for Neutron's DHCP agent (see the README)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success",
                "1:failure (a bad input file, an error the daemon reported, an unhealthy daemon)",
                "2:usage error, including a malformed MAC or IP address",
                "3:no daemon listens on the control socket",
                "4:permission denied on the control socket",
                "5:unknown network",
                "6:no such lease, reservation or interface",
                "7:conflict (an address or id taken)"})
public final class Main implements Runnable {

    /** Every subcommand, in the order {@code --help} lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(ServeCommand.class, LeasesCommand.class, LeaseCommand.class,
            ReleaseCommand.class, NetworksCommand.class, ReservationsCommand.class, StatsCommand.class,
            HealthCommand.class, NamespacesCommand.class, ReloadCommand.class, DemoCommand.class, DecodeCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        logLevel(Level.WARNING);
        if (args.length > 0 && args[0].equals("dnsmasq")) {
            // dnsmasq's own command line, empty arguments and all: no picocli parsing.
            System.exit(new DnsmasqFront(System.out, System.err).run(List.of(args).subList(1, args.length)));
        }
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
        return commandLine(args).execute(args);
    }

    /** The whole command line, every subcommand registered (help, completion, man pages). */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command line with its error handling: a {@link CliException} is its one line on standard
     * error and its exit code; anything else is one line and {@link ExitCodes#FAILURE}.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        // Picocli builds the model of every registered command up front, by reflection: a third of a
        // second for all of them on a busy node. A command line naming a subcommand gets only that
        // one; anything else (no argument, --help, help, a typo to suggest for) gets them all.
        Class<?> only = null;
        if (args.length > 0) {
            for (Class<?> c : SUBCOMMANDS) {
                if (c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(args[0])) {
                    only = c;
                }
            }
        }
        for (Class<?> c : SUBCOMMANDS) {
            if (only == null || c == only) {
                cl.addSubcommand(c);
            }
        }
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("leasehold: " + e.getMessage());
            commandLine.getErr().flush();
            return e instanceof CliException ? ((CliException) e).exitCode() : ExitCodes.FAILURE;
        });
        return cl;
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
