package io.leasehold.dnsmasq;

import io.leasehold.daemon.Signals;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leasehold.control.ControlServer;
import io.leasehold.control.ControlTarget;
import io.leasehold.dns.NamespaceDns;
import io.leasehold.server.LeaseholdServer;
import io.leasehold.store.FsyncPolicy;
import io.leasehold.store.LeaseStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one daemon that serves every network handed over by a {@link DnsmasqFront}, and the front's
 * side of the hand-off.
 *
 * <h2>Hand-off</h2>
 * The daemon listens on a Unix socket, {@code <state>/daemon.sock} (mode 0600, root only). A front
 * sends one JSON line, {@code {"v":1,"op":"start","argv":[...],"namespace":"qdhcp-N",
 * "interfaces":["tap..."]}}, and reads one back: {@code {"ok":true,"pid":P}} or
 * {@code {"ok":false,"code":C,"error":"..."}} (C a dnsmasq exit code). The daemon has by then
 * loaded the files, served the interfaces, spawned the network's process and written the pid file.
 * When no daemon answers, the front starts one ({@code nsenter} into PID 1's network and mount
 * namespaces, since the front runs inside {@code ip netns exec}, then {@code setsid}) and waits for
 * its socket. This is a socket of the front's own, until the control socket (issue 7) carries it.
 *
 * <h2>The per-network process</h2>
 * Neutron checks that the pid file names a live process whose command line contains the network
 * id, signals it (SIGHUP to reload, SIGKILL to stop) and respawns the command line when it dies
 * (neutron-compat §3.3, §3.6). What stays behind is a {@code dash} process, not a JVM:
 * {@code dash -c SCRIPT dnsmasq ARGS...}, so its command line holds the dnsmasq arguments. Its
 * standard output is a pipe the daemon reads and its standard input a pipe the daemon never
 * writes:
 * <ul>
 *   <li>SIGHUP: its trap writes {@code reload}; the daemon re-reads the network's files.</li>
 *   <li>SIGKILL (or SIGTERM): the pipe reaches end of file; the daemon stops serving the network,
 *       so the fresh start Neutron makes next finds it free.</li>
 *   <li>The daemon dies: the process's standard input reaches end of file and it exits, so
 *       Neutron's process monitor sees the network down and respawns it, which starts a new
 *       daemon.</li>
 * </ul>
 */
public final class DnsmasqDaemon {

    private static final System.Logger LOG = System.getLogger(DnsmasqDaemon.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Environment variable: seconds without networks after which the daemon exits (default: never). */
    public static final String IDLE_EXIT_ENV = "LEASEHOLD_DNSMASQ_IDLE_EXIT";

    /**
     * The per-network process: reports SIGHUP on standard output, exits on SIGTERM or when its
     * standard input ends. {@code read} is interrupted by a trapped signal, and the trap runs before
     * the next command, so {@code h} tells an interruption from the end of input.
     */
    static final String STUB_SCRIPT = "trap 'h=1; echo reload' HUP; trap 'exit 0' TERM INT; "
            + "while :; do h=0; read -r _; [ \"$h\" = 1 ] || exit 0; done";

    /** Environment variable: the daemon's JVM flags instead of {@link #DAEMON_JAVA_OPTS}. */
    public static final String DAEMON_JAVA_OPTS_ENV = "LEASEHOLD_DAEMON_JAVA_OPTS";

    /** The daemon's JVM flags: those of {@code leasehold serve} (a flat RSS, benchmarks/RESULTS.md "Scale"). */
    static final String DAEMON_JAVA_OPTS = "-XX:+UseSerialGC -Xms16m -Xmx4g -XX:MinHeapFreeRatio=10"
            + " -XX:MaxHeapFreeRatio=30 -Xss512k -XX:ReservedCodeCacheSize=64m";

    private static final int PROTOCOL = 1;
    private static final long START_WAIT_MILLIS = 30_000;

    private final Path state;
    private final DnsmasqNetworks networks;
    private final LeaseholdServer server;
    private final LeaseStore store;
    private final NamespaceDns dns;
    private final Map<String, Process> stubs = new HashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private ServerSocketChannel listener;
    private long idleSince = System.nanoTime();

    private DnsmasqDaemon(Path state, LeaseStore store, LeaseholdServer server) {
        this.state = state;
        this.store = store;
        this.server = server;
        this.dns = new NamespaceDns();
        this.networks = new DnsmasqNetworks(server, store, dns);
    }

    public static Path socketPath(Path state) {
        return state.resolve("daemon.sock");
    }

    public static Path pidPath(Path state) {
        return state.resolve("daemon.pid");
    }

    /**
     * The control socket the daemon serves ({@code PROTOCOL.md}), so that the operator commands
     * work on the networks handed over: {@code LEASEHOLD_SOCKET=<state>/control/control.sock
     * leasehold leases}. Its {@code reload} re-reads every network's files, as a SIGHUP to each.
     */
    public static Path controlSocketPath(Path state) {
        return state.resolve("control").resolve("control.sock");
    }

    // ---- the daemon --------------------------------------------------------------------------------

    public static void main(String[] argv) throws Exception {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        Path state = argv.length > 0 ? Path.of(argv[0]) : DnsmasqFront.stateDir();
        System.exit(run(state));
    }

    /** Runs the daemon until SIGTERM (or idle exit); returns the exit code. */
    static int run(Path state) throws Exception {
        Files.createDirectories(state);
        FileChannel lockChannel = FileChannel.open(state.resolve("daemon.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = lockChannel.tryLock();
        if (lock == null) {
            LOG.log(Level.INFO, "another daemon holds " + state + "; exiting");
            return 0;
        }
        LeaseStore store = LeaseStore.open(Files.createDirectories(state.resolve("journal")),
                LeaseStore.Options.of(FsyncPolicy.ALWAYS));
        LeaseholdServer server = DnsmasqNetworks.configure(LeaseholdServer.builder(), store)
                .build();
        server.start();
        DnsmasqDaemon d = new DnsmasqDaemon(state, store, server);
        ControlServer control = null;
        try {
            d.listen();
            control = ControlServer.start(d.controlTarget(), ControlServer.Options.of(controlSocketPath(state)));
            Files.writeString(pidPath(state), ProcessHandle.current().pid() + "\n");
            Signals.on("TERM", d.stopped::countDown, "stop it with SIGKILL");
            Signals.on("INT", d.stopped::countDown, "stop it with SIGTERM");
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "leasehold-idle");
                t.setDaemon(true);
                return t;
            });
            long idle = idleExitSeconds();
            if (idle > 0) {
                timer.scheduleAtFixedRate(() -> d.checkIdle(idle), 1, 1, TimeUnit.SECONDS);
            }
            LOG.log(Level.INFO, "dnsmasq front daemon listening on " + socketPath(state));
            d.stopped.await();
            timer.shutdownNow();
        } finally {
            if (control != null) {
                control.close();
            }
            d.shutdown();
            lock.release();
            lockChannel.close();
        }
        return 0;
    }

    private static long idleExitSeconds() {
        String s = System.getenv(IDLE_EXIT_ENV);
        try {
            return s == null || s.isEmpty() ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private ControlTarget controlTarget() {
        return new ControlTarget() {
            @Override
            public LeaseholdServer server() {
                return server;
            }

            @Override
            public String reload() {
                int n = 0;
                synchronized (DnsmasqDaemon.this) {
                    for (DnsmasqNetworks.Served s : networks.served()) {
                        networks.reload(s.id());
                        n++;
                    }
                }
                return n + " networks re-read their files";
            }

            @Override
            public io.leasehold.control.ReservationOverlay reservations() {
                return null;   // the agent's files are the reservations
            }
        };
    }

    private synchronized void checkIdle(long seconds) {
        if (!stubs.isEmpty()) {
            idleSince = System.nanoTime();
        } else if (System.nanoTime() - idleSince > TimeUnit.SECONDS.toNanos(seconds)) {
            LOG.log(Level.INFO, "no network for " + seconds + " s; exiting");
            stopped.countDown();
        }
    }

    private void listen() throws IOException {
        Path sock = socketPath(state);
        Files.deleteIfExists(sock);   // we hold the lock: a socket file left is stale
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(sock));
        Files.setPosixFilePermissions(sock, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Thread t = new Thread(this::acceptLoop, "leasehold-handoff");
        t.setDaemon(true);
        t.start();
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            SocketChannel c;
            try {
                c = listener.accept();
            } catch (IOException e) {
                if (listener.isOpen()) {
                    LOG.log(Level.WARNING, "hand-off socket: " + e.getMessage());
                }
                return;
            }
            Thread t = new Thread(() -> handle(c), "leasehold-handoff-client");
            t.setDaemon(true);
            t.start();
        }
    }

    private void handle(SocketChannel c) {
        try (c; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                StandardCharsets.UTF_8))) {
            String line = in.readLine();
            ObjectNode reply;
            if (line == null) {
                return;
            }
            try {
                reply = start(JSON.readTree(line));
            } catch (RuntimeException | IOException e) {
                reply = failure(DnsmasqFront.EC_MISC, e.getMessage() != null ? e.getMessage() : e.toString());
            }
            c.write(ByteBuffer.wrap((JSON.writeValueAsString(reply) + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "hand-off: " + e.getMessage());
        }
    }

    private static ObjectNode failure(int code, String error) {
        ObjectNode r = JSON.createObjectNode();
        r.put("ok", false);
        r.put("code", code);
        r.put("error", error);
        return r;
    }

    private ObjectNode start(JsonNode req) throws IOException {
        if (req.path("v").asInt() != PROTOCOL || !"start".equals(req.path("op").asText())) {
            return failure(DnsmasqFront.EC_MISC, "unsupported request (expected: v " + PROTOCOL + ", op start)");
        }
        List<String> argv = new ArrayList<>();
        req.path("argv").forEach(a -> argv.add(a.asText()));
        List<String> interfaces = new ArrayList<>();
        req.path("interfaces").forEach(a -> interfaces.add(a.asText()));
        String namespace = req.path("namespace").asText("");
        DnsmasqArgs args = DnsmasqArgs.parseCommandLine(argv);
        if (!args.isValid()) {
            return failure(DnsmasqFront.EC_BADCONF, "bad command line options: " + args.errors().get(0).message());
        }
        String id = args.networkId();
        synchronized (this) {
            Process old = stubs.remove(id);
            if (old != null) {
                old.destroyForcibly();   // a respawn while the old process lives: it is replaced
            }
            try {
                networks.add(args, namespace, interfaces);
            } catch (IOException | RuntimeException e) {
                return failure(DnsmasqFront.EC_BADNET, e.getMessage());
            }
            Process stub;
            try {
                stub = spawnStub(argv);
            } catch (IOException e) {
                networks.remove(id);
                return failure(DnsmasqFront.EC_MISC, "cannot start the network's process: " + e.getMessage());
            }
            stubs.put(id, stub);
            idleSince = System.nanoTime();
            try {
                DnsmasqFront.writePidFile(args, stub.pid());
            } catch (IOException e) {
                stubs.remove(id);
                stub.destroyForcibly();
                networks.remove(id);
                return failure(DnsmasqFront.EC_FILE, "cannot write the pid file: " + e.getMessage());
            }
            follow(id, stub);
            ObjectNode r = JSON.createObjectNode();
            r.put("ok", true);
            r.put("pid", stub.pid());
            return r;
        }
    }

    private static Process spawnStub(List<String> argv) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("dash");
        cmd.add("-c");
        cmd.add(STUB_SCRIPT);
        cmd.add("dnsmasq");                      // $0: what ps shows
        cmd.addAll(argv.subList(1, argv.size()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.directory(Path.of("/").toFile());
        return pb.start();
    }

    /** Reads the network's process: {@code reload} lines, then its end. */
    private void follow(String id, Process stub) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stub.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.equals("reload")) {
                        synchronized (this) {
                            if (stubs.get(id) == stub) {
                                networks.reload(id);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "network " + id + ": " + e.getMessage());
            }
            synchronized (this) {
                if (stubs.get(id) == stub) {
                    stubs.remove(id);
                    LOG.log(Level.INFO, "network " + id + ": its process " + stub.pid() + " ended; stopping");
                    try {
                        networks.remove(id);
                    } catch (IOException e) {
                        LOG.log(Level.WARNING, "network " + id + ": " + e.getMessage());
                    }
                }
            }
        }, "leasehold-net-" + id);
        t.setDaemon(true);
        t.start();
    }

    private void shutdown() {
        try {
            if (listener != null) {
                listener.close();
            }
            Files.deleteIfExists(socketPath(state));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the hand-off socket: " + e.getMessage());
        }
        synchronized (this) {
            networks.close();
            for (Process p : stubs.values()) {
                p.destroy();
            }
            stubs.clear();
        }
        dns.close();
        server.stop();
        store.close();
        try {
            Files.deleteIfExists(pidPath(state));
        } catch (IOException ignored) {
            // exiting
        }
    }

    // ---- the front's side ------------------------------------------------------------------------

    /**
     * Hands the network to the daemon (started when none answers) and returns the exit code the
     * front exits with.
     */
    static int handOff(DnsmasqArgs args, List<String> interfaces, PrintStream err) {
        for (String p : new String[] {args.pidFile(), args.hostsFile(), args.optsFile(), args.leaseFile()}) {
            if (p != null && !p.isEmpty() && !Path.of(p).isAbsolute()) {
                err.println("dnsmasq: " + p + ": the shared daemon needs absolute paths (or run with -k)");
                return DnsmasqFront.EC_BADCONF;
            }
        }
        for (String p : args.addnHostsFiles()) {
            if (!Path.of(p).isAbsolute()) {
                err.println("dnsmasq: " + p + ": the shared daemon needs absolute paths (or run with -k)");
                return DnsmasqFront.EC_BADCONF;
            }
        }
        String namespace;
        try {
            namespace = currentNamespace();
        } catch (IOException e) {
            err.println("dnsmasq: " + e.getMessage());
            return DnsmasqFront.EC_BADNET;
        }
        Path state = DnsmasqFront.stateDir();
        ObjectNode req = JSON.createObjectNode();
        req.put("v", PROTOCOL);
        req.put("op", "start");
        ArrayNode a = req.putArray("argv");
        a.add("dnsmasq");
        args.argv().forEach(a::add);
        req.put("namespace", namespace);
        ArrayNode i = req.putArray("interfaces");
        interfaces.forEach(i::add);
        try {
            SocketChannel c = connectOrStart(state);
            try (c; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                    StandardCharsets.UTF_8))) {
                OutputStream out = Channels.newOutputStream(c);
                out.write((JSON.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                String line = in.readLine();
                if (line == null) {
                    err.println("dnsmasq: the Leasehold daemon closed the connection without an answer");
                    return DnsmasqFront.EC_MISC;
                }
                JsonNode r = JSON.readTree(line);
                if (r.path("ok").asBoolean()) {
                    return DnsmasqFront.EC_GOOD;
                }
                err.println("dnsmasq: " + r.path("error").asText());
                return r.path("code").asInt(DnsmasqFront.EC_MISC);
            }
        } catch (IOException e) {
            err.println("dnsmasq: cannot reach the Leasehold daemon at " + socketPath(state) + ": " + e.getMessage()
                    + " (its log: " + state.resolve("daemon.log") + ")");
            return DnsmasqFront.EC_MISC;
        }
    }

    private static SocketChannel connect(Path state) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            c.connect(UnixDomainSocketAddress.of(socketPath(state)));
            return c;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    private static SocketChannel connectOrStart(Path state) throws IOException {
        try {
            return connect(state);
        } catch (IOException first) {
            startDaemon(state);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_WAIT_MILLIS);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return connect(state);
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException("the daemon did not start within " + START_WAIT_MILLIS / 1000 + " s"
                + (last != null ? " (" + last.getMessage() + ")" : ""));
    }

    /**
     * Starts a daemon in PID 1's network and mount namespaces (this front runs inside
     * {@code ip netns exec}, whose namespaces the daemon must not keep), in a session of its own,
     * logging to {@code <state>/daemon.log}.
     */
    private static void startDaemon(Path state) throws IOException {
        Files.createDirectories(state);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        long host = hostPid();
        if (!sameNamespace(host, "net") || !sameNamespace(host, "mnt")) {
            cmd.addAll(List.of("nsenter", "--target", Long.toString(host), "--net", "--mount", "--"));
        }
        cmd.add("setsid");
        cmd.add(java);
        String opts = System.getenv(DAEMON_JAVA_OPTS_ENV);
        cmd.addAll(List.of((opts != null ? opts : DAEMON_JAVA_OPTS).trim().split("\\s+")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DnsmasqDaemon.class.getName(),
                state.toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolve("daemon.log").toFile()));
        pb.redirectErrorStream(true);
        pb.directory(Path.of("/").toFile());
        pb.start();
    }

    /**
     * The process whose namespaces the daemon belongs in: PID 1 when its namespaces can be read,
     * else (a container that hides PID 1) the nearest ancestor in another network namespace: the
     * one that ran {@code ip netns exec}. This process itself when neither exists.
     */
    static long hostPid() {
        if (namespaceOf(1, "net") != null) {
            return 1;
        }
        Object self = namespaceOf(ProcessHandle.current().pid(), "net");
        for (ProcessHandle p = ProcessHandle.current().parent().orElse(null); p != null;
             p = p.parent().orElse(null)) {
            Object ns = namespaceOf(p.pid(), "net");
            if (ns != null && !ns.equals(self)) {
                return p.pid();
            }
        }
        return ProcessHandle.current().pid();
    }

    private static Object namespaceOf(long pid, String kind) {
        try {
            return Files.getAttribute(Path.of("/proc/" + pid + "/ns/" + kind), "unix:ino");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    private static boolean sameNamespace(long pid, String kind) {
        Object mine = namespaceOf(ProcessHandle.current().pid(), kind);
        return mine != null && mine.equals(namespaceOf(pid, kind));
    }

    /**
     * The name under /run/netns of this process's network namespace, "" when it is PID 1's.
     *
     * @throws IOException when it is neither (the daemon could not open it by name)
     */
    static String currentNamespace() throws IOException {
        Object self = Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino");
        if (sameNamespace(hostPid(), "net")) {
            return "";
        }
        Path run = Path.of("/run/netns");
        if (Files.isDirectory(run)) {
            try (var s = Files.list(run)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    try {
                        if (self.equals(Files.getAttribute(p, "unix:ino"))) {
                            return p.getFileName().toString();
                        }
                    } catch (IOException ignored) {
                        // not a namespace (being created or deleted)
                    }
                }
            }
        }
        throw new IOException("this network namespace has no name under /run/netns, so the shared daemon cannot"
                + " enter it (run through ip netns exec, or with -k)");
    }
}
