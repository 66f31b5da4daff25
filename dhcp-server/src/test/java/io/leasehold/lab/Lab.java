package io.leasehold.lab;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway network namespaces for tests that need real sockets and real DHCP clients.
 *
 * <p>Every name carries a prefix unique to this lab ({@code lh<pid><random>}), every namespace and
 * process it creates is removed by {@link #close()} even when the test fails, processes are ended
 * by their own PID only, and every wait is bounded. Traffic stays inside the lab's namespaces.
 */
public final class Lab implements AutoCloseable {

    /** A finished command: exit code and what it printed. */
    public record Result(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }

        /** Throws, with the output, unless the command succeeded. */
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

    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> netnsEtc = new ArrayList<>();
    private final Path dir;

    private Lab(String prefix) throws IOException {
        this.prefix = prefix;
        this.dir = Files.createTempDirectory(prefix);
    }

    /**
     * A new lab, or a skipped test (with the reason) when this process cannot create namespaces:
     * not root, or no {@code ip} command. CI runs as root, so there the tests run.
     */
    public static Lab create() throws IOException {
        assumeAvailable();
        long pid = ProcessHandle.current().pid() % 10000;
        return new Lab("lh" + pid + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36));
    }

    /** Skips the calling test, saying why, when namespaces cannot be made here. */
    public static void assumeAvailable() {
        String user = System.getProperty("user.name");
        boolean root = "root".equals(user) || isUidZero();
        Assumptions.assumeTrue(root, "namespace tests skipped: not running as root (they need root for ip netns add)");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip")), "namespace tests skipped: no ip command (apt-get install iproute2)");
    }

    private static boolean isUidZero() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Skips the calling test when a client program is not installed, naming the package. */
    public static void assumeCommand(String command, String debianPackage) {
        boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, command)))
                || Files.isExecutable(Path.of("/usr/sbin", command)) || Files.isExecutable(Path.of("/sbin", command));
        Assumptions.assumeTrue(found, command + " is not installed (apt-get install " + debianPackage + ")");
    }

    /** The lab's unique prefix, for names of its own. */
    public String prefix() {
        return prefix;
    }

    /** A scratch directory removed with the lab. */
    public Path dir() {
        return dir;
    }

    /** Creates namespace {@code <prefix>-<role>} with loopback up, and returns its name. */
    public String namespace(String role) throws IOException, InterruptedException {
        String name = prefix + "-" + role;
        run("ip", "netns", "add", name).orThrow("ip netns add " + name);
        namespaces.add(name);
        run("ip", "-n", name, "link", "set", "lo", "up").orThrow("lo up");
        // No duplicate address detection: a link-local address is usable the moment a link is up,
        // as DHCPv6 clients need to bind to it (the shared captures were made the same way).
        for (String scope : new String[] {"all", "default"}) {
            run("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf." + scope + ".accept_dad=0")
                    .orThrow("sysctl accept_dad");
        }
        return name;
    }

    /**
     * Gives the namespace its own {@code resolv.conf} ({@code /etc/netns/<ns>/resolv.conf}, which
     * {@code ip netns exec} mounts over {@code /etc/resolv.conf}), so a DHCP client's script writes
     * there and never into the machine's; returns its path. Removed with the lab.
     */
    public Path resolvConf(String ns) throws IOException {
        Path d = Path.of("/etc/netns", ns);
        Files.createDirectories(d);
        netnsEtc.add(d);
        Path f = d.resolve("resolv.conf");
        Files.writeString(f, "");
        return f;
    }

    /** Sends {@code signal} (e.g. {@code USR1}) to a process this lab spawned. */
    public void signal(Process p, String signal) throws IOException, InterruptedException {
        run("kill", "-" + signal, Long.toString(p.pid())).orThrow("kill -" + signal + " " + p.pid());
    }

    /** Waits until {@code condition} holds, checking every 100 ms, for at most {@code timeout}. */
    public static boolean await(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    /** Deletes a namespace of this lab now (as an operator would). */
    public void deleteNamespace(String name) throws IOException, InterruptedException {
        run("ip", "netns", "del", name).orThrow("ip netns del " + name);
        namespaces.remove(name);
    }

    /**
     * A veth pair {@code a} in {@code nsA} and {@code b} in {@code nsB}, both up, with the given
     * MACs (null: the kernel's). Interface names are at most 15 characters.
     */
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

    /** Waits (at most 10 s) until {@code ifname} has its IPv6 link-local address, which DHCPv6 clients bind to. */
    public void awaitLinkLocal(String ns, String ifname) throws IOException, InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (run("ip", "-n", ns, "-6", "addr", "show", "dev", ifname, "scope", "link").out().contains("fe80::")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException(ifname + " in " + ns + " has no link-local address after 10 s");
    }

    /** Adds an address (with /len); IPv6 ones without duplicate address detection, so they work at once. */
    public void address(String ns, String ifname, String cidr) throws IOException, InterruptedException {
        if (cidr.contains(":")) {
            run("ip", "-n", ns, "addr", "add", cidr, "dev", ifname, "nodad").orThrow("addr " + cidr);
        } else {
            run("ip", "-n", ns, "addr", "add", cidr, "dev", ifname).orThrow("addr " + cidr);
        }
    }

    /** Runs a command inside a namespace and waits for it (at most {@code timeout}). */
    public Result exec(String ns, Duration timeout, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        return run(timeout, cmd.toArray(new String[0]));
    }

    /** Starts a command inside a namespace; it is ended (by its PID) when the lab closes. */
    public Process spawn(String ns, Path log, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /** Runs a command in the current namespace (30 s at most). */
    public static Result run(String... command) throws IOException, InterruptedException {
        return run(Duration.ofSeconds(30), command);
    }

    public static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(done ? p.exitValue() : -1, out, done ? err : err + "\n(timed out after " + timeout + ")");
    }

    @Override
    public void close() {
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
        for (String ns : new ArrayList<>(namespaces)) {
            try {
                run("ip", "netns", "del", ns);
            } catch (IOException | InterruptedException e) {
                // best effort; the next line still tries the others
            }
        }
        namespaces.clear();
        for (Path d : netnsEtc) {
            try (var files = Files.walk(d)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // best effort
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // scratch files in /tmp; harmless
        }
    }
}
