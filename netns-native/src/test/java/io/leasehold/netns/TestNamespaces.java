package io.leasehold.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Network namespaces made by one test with {@code ip netns add} and deleted by {@link #close()}
 * (called from {@code @AfterEach}, so it runs even when the test fails). Every name starts with a
 * prefix unique to this JVM, {@code lh-nn-<pid>-<random>}, so concurrent runs never touch each
 * other's namespaces, and {@link #deleteLeftovers()} can remove exactly ours.
 *
 * <p>Topology used by the traffic tests, all inside namespaces this run created:
 * <pre>
 *   ns A                               ns B
 *   lhA 10.99.67.1/24 ──── veth ──── lhB 10.99.67.2/24
 * </pre>
 */
final class TestNamespaces implements AutoCloseable {

    static final String PREFIX = "lh-nn-" + ProcessHandle.current().pid() + "-"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));

    // Not RUN_NETNS: cleanup must work even where NetNamespace cannot load (no JNA).
    private static final Path RUN_NETNS = Paths.get("/run/netns");

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static int counter;

    private final List<String> created = new ArrayList<>();

    /** Skips the calling test, with the reason, unless namespaces can be made and entered here. */
    static void assumeAvailable() {
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"),
                "namespace tests skipped: not Linux");
        String status;
        try {
            status = Files.readString(Paths.get("/proc/self/status"));
        } catch (IOException e) {
            Assumptions.abort("namespace tests skipped: cannot read /proc/self/status: " + e);
            return;
        }
        String uid = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: ?").split("\\s+")[1];
        Assumptions.assumeTrue(uid.equals("0"), "namespace tests skipped: not running as root (uid " + uid
                + "); they need root for ip netns add");
        long capEff = NetnsSupport.capEff(status).orElse(0);
        Assumptions.assumeTrue((capEff & 1L << NetnsSupport.CAP_SYS_ADMIN) != 0,
                "namespace tests skipped: no CAP_SYS_ADMIN (CapEff " + Long.toHexString(capEff) + ")");
        Assumptions.assumeTrue((capEff & 1L << NetnsSupport.CAP_NET_RAW) != 0,
                "namespace tests skipped: no CAP_NET_RAW (CapEff " + Long.toHexString(capEff) + ")");
        Assumptions.assumeTrue(ipBinary().isPresent(), "namespace tests skipped: no `ip` binary (iproute2) on PATH, "
                + "/usr/sbin or /sbin");
    }

    /** Creates a namespace named {@code PREFIX-suffixN} and returns its name. */
    String create(String suffix) {
        String name;
        synchronized (TestNamespaces.class) {
            name = PREFIX + "-" + suffix + (counter++);
        }
        created.add(name);
        ip("netns", "add", name);
        ip("-n", name, "link", "set", "lo", "up");
        return name;
    }

    /**
     * Creates two namespaces joined by a veth pair, lhA in the first and lhB in the second, with
     * the addresses of the class comment, everything up. Returns {nameA, nameB}.
     */
    String[] createVethPair() {
        String a = create("a");
        String b = create("b");
        ip("-n", a, "link", "add", "lhA", "type", "veth", "peer", "name", "lhB", "netns", b);
        ip("-n", a, "addr", "add", "10.99.67.1/24", "dev", "lhA");
        ip("-n", b, "addr", "add", "10.99.67.2/24", "dev", "lhB");
        ip("-n", a, "link", "set", "lhA", "up");
        ip("-n", b, "link", "set", "lhB", "up");
        return new String[] {a, b};
    }

    /** Runs {@code ip args...}, failing the test if it does not exit 0; returns its output. */
    static String ip(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ipBinary().orElseThrow().toString());
        command.addAll(List.of(args));
        Result r = run(command);
        assertEquals(0, r.exitCode, () -> String.join(" ", command) + " failed: " + r.output);
        return r.output;
    }

    /** Runs {@code ip args...} and returns its exit code, for commands allowed to fail. */
    static int ipExitCode(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ipBinary().orElseThrow().toString());
        command.addAll(List.of(args));
        return run(command).exitCode;
    }

    /** Deletes every namespace this object created. Errors are ignored: a test may have deleted one. */
    @Override
    public void close() {
        for (String name : created) {
            if (Files.exists(RUN_NETNS.resolve(name))) {
                ipExitCode("netns", "del", name);
            }
        }
        created.clear();
    }

    /** Deletes any namespace with this run's prefix that is still there (for {@code @AfterAll}). */
    static void deleteLeftovers() {
        if (!Files.isDirectory(RUN_NETNS) || ipBinary().isEmpty()) {
            return;
        }
        try (Stream<Path> entries = Files.list(RUN_NETNS)) {
            entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX))
                    .forEach(n -> ipExitCode("netns", "del", n));
        } catch (IOException e) {
            // Nothing more to do from a cleanup hook; the names carry the pid for manual removal.
        }
    }

    /** Polls {@code condition} every 20 ms until it holds or {@code max} passes (at most 1000 polls). */
    static boolean await(BooleanSupplier condition, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        for (int i = 0; i < 1000; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    /** The fd numbers open in this process, from /proc/self/fd. */
    static List<String> openFds() {
        try (Stream<Path> fds = Files.list(Paths.get("/proc/self/fd"))) {
            return fds.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The /proc/self/fd entries whose link target is exactly {@code target} ("net:[N]", "socket:[N]"). */
    static List<String> fdsLinkingTo(String target) {
        List<String> hits = new ArrayList<>();
        for (String fd : openFds()) {
            try {
                if (Files.readSymbolicLink(Paths.get("/proc/self/fd", fd)).toString().equals(target)) {
                    hits.add(fd);
                }
            } catch (IOException e) {
                // The fd was closed between listing and reading (the listing's own fd, for one).
            }
        }
        return hits;
    }

    /**
     * The /proc/self/fd entries that refer to the file with identity {@code id}: stat follows each
     * link, so an fd opened through a /run/netns bind mount is found by its nsfs inode even though
     * its link text is the path.
     */
    static List<String> fdsReferringTo(NetNamespace.Identity id) {
        List<String> hits = new ArrayList<>();
        for (String fd : openFds()) {
            try {
                if (NetNamespace.identityOf(Paths.get("/proc/self/fd", fd)).equals(id)) {
                    hits.add(fd);
                }
            } catch (RuntimeException e) {
                // Closed between listing and stat.
            }
        }
        return hits;
    }

    /** The thread ids of this process whose network namespace is net:[inode]. */
    static List<String> threadsIn(long inode) {
        List<String> hits = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Paths.get("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readSymbolicLink(task.resolve("ns/net")).toString().equals("net:[" + inode + "]")) {
                        hits.add(task.getFileName().toString());
                    }
                } catch (IOException e) {
                    // The thread exited meanwhile.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return hits;
    }

    /** The "link/ether" address `ip` reports for {@code dev} in namespace {@code ns}. */
    static String macOf(String ns, String dev) {
        String out = ip("-n", ns, "-o", "link", "show", "dev", dev);
        String[] words = out.trim().split("\\s+");
        for (int i = 0; i < words.length - 1; i++) {
            if (words[i].equals("link/ether")) {
                return words[i + 1];
            }
        }
        throw new IllegalStateException("no link/ether in: " + out);
    }

    private static Optional<Path> ipBinary() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Paths.get(dir, "ip"));
            }
        }
        candidates.add(Paths.get("/usr/sbin/ip"));
        candidates.add(Paths.get("/sbin/ip"));
        candidates.add(Paths.get("/usr/bin/ip"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                // Our own child, by its handle: never a broad kill.
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, String.join(" ", command) + " timed out after " + COMMAND_TIMEOUT);
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
