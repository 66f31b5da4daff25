package io.leasehold.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Throwaway network namespaces joined by veth pairs, for the demo and the tests: everything it
 * makes carries a prefix unique to it, and {@link #close()} removes all of it (processes first, by
 * their own PID, then namespaces, then scratch files), also when called from a shutdown hook.
 *
 * <p>It drives the {@code ip} command of iproute2; every command it runs has a time limit.
 */
public final class Sandbox implements AutoCloseable {

    /** A finished command: exit code and what it printed. */
    public record Result(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }

        /** Throws, with the command's output, unless it succeeded. */
        public Result orThrow(String what) throws IOException {
            if (exit != 0) {
                throw new IOException(what + " failed: " + this);
            }
            return this;
        }

        @Override
        public String toString() {
            return "exit " + exit + (out.isBlank() ? "" : "\nstdout: " + out.trim()) + (err.isBlank() ? "" : "\nstderr: " + err.trim());
        }
    }

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final String prefix;
    private final Path dir;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> netnsEtc = new ArrayList<>();
    private boolean closed;

    private Sandbox(String prefix) throws IOException {
        this.prefix = prefix;
        this.dir = Files.createTempDirectory(prefix);
    }

    /**
     * A sandbox whose names start with {@code tag}, this process's PID and a random suffix; keep
     * {@code tag} short, interface names are at most 15 characters.
     */
    public static Sandbox create(String tag) throws IOException {
        long pid = ProcessHandle.current().pid() % 10000;
        return new Sandbox(tag + pid + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36));
    }

    /** True when this process is root, which namespaces need. */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");   // effective uid
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** True when {@code command} is on the PATH (or in /sbin, /usr/sbin). */
    public static boolean hasCommand(String command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin") + ":/usr/sbin:/sbin";
        for (String d : path.split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }

    /** The sandbox's unique prefix. */
    public String prefix() {
        return prefix;
    }

    /** A scratch directory removed with the sandbox. */
    public Path dir() {
        return dir;
    }

    /**
     * Creates namespace {@code <prefix>-<role>}, loopback up and duplicate address detection off
     * (a link-local address is then usable at once, as DHCPv6 clients need), and returns its name.
     */
    public String namespace(String role) throws IOException, InterruptedException {
        String name = prefix + "-" + role;
        run("ip", "netns", "add", name).orThrow("ip netns add " + name);
        namespaces.add(name);
        run("ip", "-n", name, "link", "set", "lo", "up").orThrow("lo up");
        for (String scope : new String[] {"all", "default"}) {
            run("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf." + scope + ".accept_dad=0")
                    .orThrow("sysctl accept_dad");
        }
        return name;
    }

    /**
     * Creates {@code count} namespaces {@code <prefix>-<role><i>} at once, with one {@code ip -batch}
     * (loopback left down, DAD left on: for scale runs, not for clients).
     */
    public List<String> namespaces(String role, int count) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + "-" + role + i;
            names.add(name);
            lines.add("netns add " + name);
        }
        batch(null, lines);
        namespaces.addAll(names);
        return names;
    }

    /**
     * Runs {@code ip} commands (one per line, without the leading {@code ip}) in one process, in
     * namespace {@code ns} (null: the current one). Thousands of commands take a fraction of a
     * second this way, instead of a process each.
     */
    public Result batch(String ns, List<String> commands) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "ip", ".batch");
        Files.write(file, commands);
        try {
            return ns == null ? run(Duration.ofMinutes(5), "ip", "-batch", file.toString()).orThrow("ip -batch")
                    : run(Duration.ofMinutes(5), "ip", "-n", ns, "-batch", file.toString()).orThrow("ip -n " + ns + " -batch");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Deletes one of this sandbox's namespaces now, as an operator would. */
    public void deleteNamespace(String name) throws IOException, InterruptedException {
        run("ip", "netns", "del", name).orThrow("ip netns del " + name);
        namespaces.remove(name);
    }

    /** A veth pair {@code a} in {@code nsA} and {@code b} in {@code nsB}, both up, with the given MACs (null: the kernel's). */
    public void veth(String nsA, String a, String macA, String nsB, String b, String macB)
            throws IOException, InterruptedException {
        run("ip", "link", "add", a, "netns", nsA, "type", "veth", "peer", "name", b, "netns", nsB).orThrow("veth " + a);
        if (macA != null) {
            run("ip", "-n", nsA, "link", "set", a, "address", macA).orThrow("mac " + a);
        }
        if (macB != null) {
            run("ip", "-n", nsB, "link", "set", b, "address", macB).orThrow("mac " + b);
        }
        run("ip", "-n", nsA, "link", "set", a, "up").orThrow("up " + a);
        run("ip", "-n", nsB, "link", "set", b, "up").orThrow("up " + b);
    }

    /** Adds an address ({@code a.b.c.d/len} or {@code x::y/len}). */
    public void address(String ns, String ifname, String cidr) throws IOException, InterruptedException {
        run("ip", "-n", ns, "addr", "add", cidr, "dev", ifname).orThrow("addr " + cidr);
    }

    /** Waits (at most 10 s) until {@code ifname} has its IPv6 link-local address. */
    public void awaitLinkLocal(String ns, String ifname) throws IOException, InterruptedException {
        boolean ok = await(Duration.ofSeconds(10), () -> {
            try {
                return run("ip", "-n", ns, "-6", "addr", "show", "dev", ifname, "scope", "link").out().contains("fe80::");
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        if (!ok) {
            throw new IOException(ifname + " in " + ns + " has no link-local address after 10 s");
        }
    }

    /**
     * Gives the namespace its own {@code resolv.conf} ({@code /etc/netns/<ns>/resolv.conf}, which
     * {@code ip netns exec} mounts over {@code /etc/resolv.conf}), so a DHCP client's script writes
     * there and never into the machine's. Returns its path; removed with the sandbox.
     */
    public Path resolvConf(String ns) throws IOException {
        Path d = Path.of("/etc/netns", ns);
        Files.createDirectories(d);
        netnsEtc.add(d);
        Path f = d.resolve("resolv.conf");
        Files.writeString(f, "");
        return f;
    }

    /** Runs a command inside a namespace and waits for it, at most {@code timeout}. */
    public Result exec(String ns, Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, inNamespace(ns, command));
    }

    /** Starts a command inside a namespace, output to {@code log}; it is ended (by PID) when the sandbox closes. */
    public synchronized Process spawn(String ns, Path log, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(inNamespace(ns, command)).redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static String[] inNamespace(String ns, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        return cmd.toArray(new String[0]);
    }

    /** Sends {@code signal} (e.g. {@code USR1}) to a process this sandbox spawned. */
    public void signal(Process p, String signal) throws IOException, InterruptedException {
        run("kill", "-" + signal, Long.toString(p.pid())).orThrow("kill -" + signal + " " + p.pid());
    }

    /** Runs a command in the current namespace, at most 30 s. */
    public static Result run(String... command) throws IOException, InterruptedException {
        return run(COMMAND_TIMEOUT, command);
    }

    /** Runs a command in the current namespace, at most {@code timeout}. */
    public static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        // Read both streams while the command runs, so a chatty command cannot block on a full pipe.
        var out = readLater(p.getInputStream());
        var err = readLater(p.getErrorStream());
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        String o = out.join();
        String e = err.join();
        return new Result(done ? p.exitValue() : -1, o, done ? e : e + "\n(timed out after " + timeout + ")");
    }

    private static java.util.concurrent.CompletableFuture<String> readLater(java.io.InputStream in) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    /** Waits until {@code condition} holds, checking every 100 ms, at most {@code timeout}. */
    public static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    /** Ends the processes it started, deletes its namespaces and files. Idempotent; safe in a shutdown hook. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroy();
                try {
                    if (!p.waitFor(3, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (!namespaces.isEmpty()) {
            List<String> lines = new ArrayList<>();
            for (String ns : namespaces) {
                lines.add("netns del " + ns);
            }
            try {
                // -force: a namespace already gone must not stop the others from being deleted.
                Path file = Files.createTempFile("lh", ".batch");
                Files.write(file, lines);
                run(Duration.ofMinutes(5), "ip", "-force", "-batch", file.toString());
                Files.deleteIfExists(file);
            } catch (IOException | InterruptedException e) {
                // best effort
            }
        }
        namespaces.clear();
        for (Path d : netnsEtc) {
            deleteTree(d);
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path root) {
        try (var files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // already gone, or scratch files left in /tmp: harmless
        }
    }
}
