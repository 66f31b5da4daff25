package io.leasehold.dnsmasq;

import io.leasehold.daemon.Signals;
import io.leasehold.dns.DnsService;
import io.leasehold.dns.NamespaceDns;
import io.leasehold.server.LeaseholdServer;
import io.leasehold.store.FsyncPolicy;
import io.leasehold.store.LeaseStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code leasehold dnsmasq ARGS}, or Leasehold installed as {@code dnsmasq}: takes the command line
 * Neutron's DHCP agent starts dnsmasq with (neutron-compat §1) and does what dnsmasq would.
 *
 * <ul>
 *   <li>{@code --version}, {@code --help}, {@code --test} and bad arguments answer as dnsmasq 2.90
 *       does: the banner Neutron's version check parses, "syntax check OK." on standard error,
 *       "bad command line options: ..." and exit 1.</li>
 *   <li>With {@code -k}/{@code --keep-in-foreground} or {@code -d}/{@code --no-daemon}: this
 *       process serves the network itself until SIGTERM; its pid goes in the pid file; SIGHUP
 *       re-reads the files.</li>
 *   <li>Otherwise (how Neutron runs it): the network is handed to the one shared daemon
 *       ({@link DnsmasqDaemon}, started if none runs), which leaves a small per-network process
 *       behind whose pid is written to the pid file, and this process exits, as a daemonizing
 *       dnsmasq's parent does.</li>
 * </ul>
 *
 * <p>Exit codes are dnsmasq's: 0; 1 bad command line; 2 network problem; 3 file problem; 5 other
 * ({@code EC_*} in dnsmasq.h).
 */
public final class DnsmasqFront {

    /** The dnsmasq version whose behaviour and command line this front reproduces. */
    public static final String COMPATIBLE_VERSION = "2.90";

    public static final int EC_GOOD = 0;
    public static final int EC_BADCONF = 1;
    public static final int EC_BADNET = 2;
    public static final int EC_FILE = 3;
    public static final int EC_MISC = 5;

    /** Environment variable naming the state directory (default {@value #DEFAULT_STATE_DIR}). */
    public static final String STATE_DIR_ENV = "LEASEHOLD_DNSMASQ_STATE";
    public static final String DEFAULT_STATE_DIR = "/var/lib/leasehold/dnsmasq";

    private final PrintStream out;
    private final PrintStream err;

    public DnsmasqFront(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] argv) {
        System.exit(new DnsmasqFront(System.out, System.err).run(List.of(argv)));
    }

    /** The state directory: the daemon's socket, lock, journal and log. */
    public static Path stateDir() {
        String s = System.getenv(STATE_DIR_ENV);
        return Path.of(s != null && !s.isEmpty() ? s : DEFAULT_STATE_DIR);
    }

    /** Runs the arguments after the program name and returns the exit code (blocks in the foreground case). */
    public int run(List<String> argv) {
        List<String> cmd = new ArrayList<>();
        cmd.add("dnsmasq");
        cmd.addAll(argv);
        DnsmasqArgs args = DnsmasqArgs.parseCommandLine(cmd);
        if (args.version()) {
            out.println(versionBanner());
            return EC_GOOD;
        }
        if (args.help()) {
            out.println("Usage: dnsmasq [options]");
            out.println();
            out.println("Leasehold's dnsmasq-compatible front takes the options Neutron's DHCP agent passes");
            out.println("(see the README); other dnsmasq options are accepted and ignored with a warning.");
            return EC_GOOD;
        }
        if (!args.isValid()) {
            // dnsmasq reports the first problem and stops (option.c: "bad command line options: %s").
            err.println("dnsmasq: bad command line options: " + args.errors().get(0).message());
            return EC_BADCONF;
        }
        for (String conf : args.confFiles()) {
            if (!conf.isEmpty() && !Files.isReadable(Path.of(conf))) {
                err.println("dnsmasq: cannot read " + conf + ": No such file or directory");
                return EC_FILE;
            }
        }
        if (args.test()) {
            err.println("dnsmasq: syntax check OK.");
            return EC_GOOD;
        }
        for (LineError w : args.warnings()) {
            err.println("dnsmasq: warning: " + w.message());
        }
        if (args.networkId() == null) {
            err.println("dnsmasq: no --pid-file, --dhcp-hostsfile or --dhcp-leasefile names the network");
            return EC_BADCONF;
        }
        List<String> interfaces;
        try {
            interfaces = interfaces(args);
        } catch (IOException e) {
            err.println("dnsmasq: " + e.getMessage());
            return EC_BADNET;
        }
        if (args.keepInForeground() || args.noDaemon()) {
            return foreground(args, interfaces);
        }
        return DnsmasqDaemon.handOff(args, interfaces, err);
    }

    /** dnsmasq's first line, which neutron-sanity-check reads with {@code version (\d+\.\d+)}. */
    public static String versionBanner() {
        String v = DnsmasqFront.class.getPackage().getImplementationVersion();
        return "Dnsmasq version " + COMPATIBLE_VERSION + "  (Leasehold " + (v != null ? v : "development build")
                + ", a dnsmasq-compatible DHCP and DNS server)\n"
                + "Compile time options: IPv6 GNU-getopt no-DBus no-UBus no-i18n no-IDN DHCP DHCPv6 no-Lua no-TFTP"
                + " no-conntrack no-ipset no-nftset no-auth no-cryptohash no-DNSSEC no-loop-detect no-inotify"
                + " no-dumpfile";
    }

    /**
     * The interfaces to serve: {@code --interface}s, else Neutron's {@code <confs>/<N>/interface}
     * file next to the pid file (the device name, no newline; neutron-compat §2.0), else every
     * interface but {@code lo} this process sees ({@code ip netns exec} mounts the namespace's sysfs).
     */
    static List<String> interfaces(DnsmasqArgs args) throws IOException {
        if (!args.interfaces().isEmpty()) {
            return List.copyOf(args.interfaces());
        }
        if (args.pidFile() != null && !args.pidFile().isEmpty()) {
            Path dir = Path.of(args.pidFile()).toAbsolutePath().getParent();
            Path f = dir == null ? null : dir.resolve("interface");
            if (f != null && Files.isRegularFile(f)) {
                String name = Files.readString(f, StandardCharsets.UTF_8).trim();
                if (!name.isEmpty()) {
                    return List.of(name);
                }
            }
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("lo")).sorted().forEach(out::add);
        }
        if (out.isEmpty()) {
            throw new IOException("no interface to serve (no --interface, no interface file, no interface but lo)");
        }
        return out;
    }

    /** Serves the network in this process until SIGTERM or SIGINT. */
    private int foreground(DnsmasqArgs args, List<String> interfaces) {
        String id = args.networkId();
        Path dataDir = stateDir().resolve("foreground-" + id);
        LeaseStore store;
        try {
            Files.createDirectories(dataDir);
            store = LeaseStore.open(dataDir, LeaseStore.Options.of(FsyncPolicy.ALWAYS));
        } catch (IOException e) {
            err.println("dnsmasq: cannot open the lease journal in " + dataDir + ": " + e.getMessage());
            return EC_FILE;
        }
        LeaseholdServer server = DnsmasqNetworks.configure(LeaseholdServer.builder(), store)
                .eventLoopThreads(1)
                .watchNamespaces(false)
                .build();
        DnsService dns = null;
        try {
            server.start();
            dns = new NamespaceDns();
            DnsmasqNetworks networks = new DnsmasqNetworks(server, store, dns);
            networks.add(args, "", interfaces);
            writePidFile(args, ProcessHandle.current().pid());
            CountDownLatch stop = new CountDownLatch(1);
            Signals.on("HUP", () -> networks.reload(id), "restart the process to re-read the files");
            Signals.on("TERM", stop::countDown, "stop it with SIGKILL");
            Signals.on("INT", stop::countDown, "stop it with SIGTERM");
            stop.await();
            networks.close();
            return EC_GOOD;
        } catch (IOException | RuntimeException e) {
            err.println("dnsmasq: " + e.getMessage());
            return EC_BADNET;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EC_MISC;
        } finally {
            if (dns instanceof AutoCloseable) {
                try {
                    ((AutoCloseable) dns).close();
                } catch (Exception ignored) {
                    // closing
                }
            }
            server.stop();
            store.close();
        }
    }

    /** Writes the pid file as dnsmasq does: the decimal pid and a newline, replacing any old file. */
    static void writePidFile(DnsmasqArgs args, long pid) throws IOException {
        if (args.pidFile() == null || args.pidFile().isEmpty()) {
            return;
        }
        Path p = Path.of(args.pidFile());
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
        Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
