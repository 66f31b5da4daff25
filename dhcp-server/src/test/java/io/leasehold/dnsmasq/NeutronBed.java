package io.leasehold.dnsmasq;

import io.leasehold.lab.Lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A Neutron DHCP network as the agent leaves it for dnsmasq, in throwaway namespaces: the
 * {@code qdhcp}-like server namespace with the DHCP port's tap and its addresses
 * (10.20.0.2/24, fd00:20:1::2/64, fd00:20:2::2/64), a client namespace across a veth, and
 * {@code <confs>/<N>/} holding the files and command line Neutron's own driver wrote
 * ({@code src/test/resources/neutron-generated}), plus the {@code interface} file and a seeded
 * lease file.
 *
 * <p>The front runs as its own process, {@code ip netns exec <srv> java -cp <test classpath>
 * DnsmasqFront ARGS}, exactly as the agent runs {@code dnsmasq}; its state directory (the shared
 * daemon's socket, journal and log) is private to the bed.
 */
final class NeutronBed implements AutoCloseable {

    static final String NETWORK = "6f5c0a1e-8d2b-4c3a-9e71-2b7d4c0e9a10";
    static final String SERVER_MAC = "fa:16:3e:00:20:02";
    static final String VM_MAC = "fa:16:3e:00:20:11";
    static final String SEEDED_DUID = "00:01:00:01:2a:2b:2c:2d:fa:16:3e:00:20:02";
    /** The files Neutron's driver wrote, checked in (see the README there). */
    static final Path CHECKED_IN = Path.of("src/test/resources/neutron-generated");

    final Lab lab;
    final String srv;
    final String cli;
    final String tap;
    final String eth;
    final Path confs;
    final Path dir;
    final Path state;
    private final String network;
    private final List<Process> fronts = new ArrayList<>();
    private final boolean ownsLab;
    private final Path generated;

    private NeutronBed(Lab lab, String network, String role, Path generated) throws IOException, InterruptedException {
        this.lab = lab;
        this.generated = generated;
        this.ownsLab = role.isEmpty();
        this.network = network;
        srv = lab.namespace(role + "srv");
        cli = lab.namespace(role + "cli");
        tap = lab.prefix() + role + "t";
        eth = lab.prefix() + role + "c";
        lab.veth(srv, tap, SERVER_MAC, cli, eth, VM_MAC);
        lab.address(srv, tap, "10.20.0.2/24");
        lab.address(srv, tap, "fd00:20:1::2/64");
        lab.address(srv, tap, "fd00:20:2::2/64");
        // dnsmasq (side by side) reads its files after dropping to nobody: the agent's tree is 0755/0644.
        java.nio.file.attribute.PosixFileAttributeView view = Files.getFileAttributeView(lab.dir(),
                java.nio.file.attribute.PosixFileAttributeView.class);
        view.setPermissions(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        confs = lab.dir().resolve("confs");
        dir = Files.createDirectories(confs.resolve(network));
        state = lab.dir().resolve("state");
        for (String f : new String[] {"host", "opts", "addn_hosts"}) {
            Files.copy(generated.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(dir.resolve("interface"), tap);   // no newline, as the agent writes it
        seedLeases();
        lab.awaitLinkLocal(cli, eth);
        lab.awaitLinkLocal(srv, tap);
    }

    /** A bed for Neutron's generated network. */
    static NeutronBed create() throws IOException, InterruptedException {
        return new NeutronBed(Lab.create(), NETWORK, "", CHECKED_IN);
    }

    /**
     * A bed for the network as Debian's python3-neutron driver writes it now: {@code generate.py}
     * (the script of the README in {@link #CHECKED_IN}) is run into the lab's directory, or the
     * test is skipped when python3-neutron is not installed.
     */
    static NeutronBed generated() throws IOException, InterruptedException {
        Lab lab = Lab.create();
        Lab.Result check = Lab.run("/usr/bin/python3", "-c", "import neutron.agent.linux.dhcp");
        if (!check.ok()) {
            lab.close();
            org.junit.jupiter.api.Assumptions.abort("python3-neutron is not installed (apt-get install python3-neutron)");
        }
        Path out = lab.dir().resolve("generated");
        Lab.Result r = Lab.run("/usr/bin/python3", CHECKED_IN.resolve("generate.py").toAbsolutePath().toString(),
                out.toString());
        if (!r.ok()) {
            lab.close();
            throw new IOException("generate.py: " + r);
        }
        Path dir = out.resolve(NETWORK);
        // dnsmasq-args holds the real output path: make it the placeholder the bed substitutes.
        Files.writeString(dir.resolve("dnsmasq-args"), Files.readString(dir.resolve("dnsmasq-args"))
                .replace(out.toString(), "{CONFS}"));
        return new NeutronBed(lab, NETWORK, "", dir);
    }

    /** A second network (another id, namespaces and tap) sharing this bed's lab and state. */
    NeutronBed another(String networkId, String role) throws IOException, InterruptedException {
        return new NeutronBed(lab, networkId, role, generated);
    }

    /** The agent's seed (neutron-compat §2.4): the kept duid line, then one line per v4 allocation. */
    void seedLeases() throws IOException {
        long exp = System.currentTimeMillis() / 1000 + 86400;
        Files.writeString(dir.resolve("leases"), "duid " + SEEDED_DUID + "\n" + exp + " " + VM_MAC + " 10.20.0.11 * *\n");
    }

    /** Neutron's command line for this network (without the program name), edited. */
    List<String> args(UnaryOperator<List<String>> edit) throws IOException {
        List<String> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(generated.resolve("dnsmasq-args"), StandardCharsets.UTF_8);
        for (String l : lines.subList(1, lines.size())) {
            out.add(l.replace("{CONFS}", confs.toString()).replace(NETWORK, network));
        }
        return edit.apply(out);
    }

    List<String> args() throws IOException {
        return args(a -> a);
    }

    Path pidFile() {
        return dir.resolve("pid");
    }

    Path leaseFile() {
        return dir.resolve("leases");
    }

    /** Starts the front in the server namespace, as the agent starts dnsmasq. */
    Process front(List<String> args, String log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("env", DnsmasqFront.STATE_DIR_ENV + "=" + state,
                DnsmasqDaemon.IDLE_EXIT_ENV + "=60",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), DnsmasqFront.class.getName()));
        cmd.addAll(args);
        Process p = lab.spawn(srv, lab.dir().resolve(log), cmd.toArray(new String[0]));
        fronts.add(p);
        return p;
    }

    String log(String name) {
        try {
            Path p = lab.dir().resolve(name);
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The pid in the pid file, or -1. */
    long pid() {
        try {
            return Long.parseLong(Files.readString(pidFile()).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    String leases() {
        try {
            return Files.exists(leaseFile()) ? Files.readString(leaseFile()) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Replaces a file of the network the way the agent does: a temporary file renamed into place. */
    void replace(String name, String content) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** busybox udhcpc in the client namespace, once; the address it obtained, or its output. */
    Lab.Result udhcpc() throws IOException, InterruptedException {
        return lab.exec(cli, Duration.ofSeconds(20), "unshare", "--uts", "busybox", "udhcpc", "-i", eth, "-n", "-q",
                "-f", "-t", "4", "-T", "2", "-s", "/bin/true");
    }

    void kill(long pid, String signal) throws IOException, InterruptedException {
        Lab.run("kill", "-" + signal, Long.toString(pid));
    }

    static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Whether something in the server namespace listens on UDP {@code port}. */
    boolean listening(int port) throws IOException, InterruptedException {
        return Lab.run("ip", "netns", "exec", srv, "ss", "-Hlun", "sport", "= :" + port).out().contains(":" + port);
    }

    /** Ends this network's processes; the first bed also ends the daemon and the lab. */
    @Override
    public void close() {
        for (Process p : fronts) {
            p.destroyForcibly();
        }
        long stub = pid();
        if (alive(stub)) {
            ProcessHandle.of(stub).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (!ownsLab) {
            return;
        }
        try {
            Path daemonPid = DnsmasqDaemon.pidPath(state);
            if (Files.exists(daemonPid)) {
                long d = Long.parseLong(Files.readString(daemonPid).trim());
                ProcessHandle.of(d).ifPresent(h -> {
                    h.destroy();
                    try {
                        h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        h.destroyForcibly();
                    }
                });
            }
        } catch (IOException | NumberFormatException e) {
            // nothing started
        }
        if (ownsLab) {
            lab.close();
        }
    }
}
