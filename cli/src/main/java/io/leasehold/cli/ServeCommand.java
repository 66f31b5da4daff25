package io.leasehold.cli;

import io.leasehold.config.ConfigException;
import io.leasehold.config.ConfigLoader;
import io.leasehold.config.LeaseholdConfig;
import io.leasehold.daemon.Daemon;
import io.leasehold.daemon.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;

/**
 * {@code leasehold serve --config FILE}: the daemon, in the foreground (a service manager such as
 * systemd supervises it). SIGHUP reloads the file; SIGTERM or SIGINT stops it cleanly, bringing
 * every lease file up to date.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the Leasehold daemon for the networks of a configuration file (YAML or JSON), in the "
                + "foreground. SIGHUP re-reads the file and applies only its differences, keeping every lease; "
                + "a file with problems is reported and changes nothing. SIGTERM or Ctrl-C stops it.",
                "Needs root (it opens sockets inside network namespaces)."})
final class ServeCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The configuration file.")
    private Path config;

    @Option(names = "--check", description = "Only read the configuration and report its problems, then exit.")
    private boolean check;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LeaseholdConfig c;
        try {
            c = ConfigLoader.load(config);
        } catch (ConfigException e) {
            err.println("leasehold: " + e.getMessage());
            return ExitCodes.FAILURE;
        } catch (java.io.IOException e) {
            err.println("leasehold: cannot read " + config + ": " + e);
            return ExitCodes.FAILURE;
        }
        if (check) {
            out.println(config + ": " + c.networks().size() + " networks, " + c.attachments().size()
                    + " interfaces: OK");
            out.flush();
            return ExitCodes.OK;
        }
        Main.logLevel(Level.INFO);
        // Handlers first: the JVM's default for SIGHUP is to exit, and a reload may come at any time.
        AtomicReference<Daemon> running = new AtomicReference<>();
        CountDownLatch stop = new CountDownLatch(1);
        Signals.on("HUP", () -> reload(running.get(), err), "reload with `leasehold reload` (the control socket)");
        Signals.on("TERM", stop::countDown, "stop it with SIGINT or SIGKILL");
        Signals.on("INT", stop::countDown, "stop it with SIGTERM");
        Daemon daemon = Daemon.start(c, config);
        running.set(daemon);
        err.println("leasehold: ready (pid " + ProcessHandle.current().pid() + "; SIGHUP reloads " + config
                + ", SIGTERM stops)");
        err.flush();
        stop.await();
        daemon.close();
        return ExitCodes.OK;
    }

    /** On the signal thread: a reload that fails leaves the daemon serving what it served. */
    private static void reload(Daemon daemon, PrintWriter err) {
        if (daemon == null) {
            err.println("leasehold: reload ignored: still starting; send SIGHUP again once ready");
            err.flush();
            return;
        }
        try {
            daemon.reload();
        } catch (ConfigException e) {
            err.println("leasehold: reload refused, nothing changed: " + e.getMessage());
            err.flush();
        } catch (Exception e) {
            err.println("leasehold: reload failed: " + e.getMessage());
            err.flush();
        }
    }
}
