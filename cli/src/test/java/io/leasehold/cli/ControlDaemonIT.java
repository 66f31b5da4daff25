package io.leasehold.cli;

import io.leasehold.control.ReservationOverlay;
import io.leasehold.daemon.Daemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.leasehold.cli.ControlCommandsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commands against the real daemon ({@link Daemon}, as {@code leasehold serve} runs it) with a
 * configuration naming the control socket: durable release, reload, reservations that survive a
 * reload and a restart. And a non-root peer, run as {@code nobody}, refused by the file's mode and,
 * with the mode loosened by hand, by the peer-credential check. Root only.
 */
class ControlDaemonIT {

    @TempDir
    Path dir;
    private Daemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private static void assumeRoot() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "control daemon test skipped: not root (the daemon opens sockets in namespaces; setpriv needs root)");
    }

    private String config(String dns) {
        return "dataDir: " + dir.resolve("data") + "\n"
                + "controlSocket: " + dir.resolve("run/control.sock") + "\n"
                + "networks:\n"
                + "  - id: net-a\n"
                + "    subnets:\n"
                + "      - {id: s4, cidr: 10.88.0.0/24, gateway: 10.88.0.1, dnsNameservers: [" + dns + "]}\n"
                + "    ports:\n"
                + "      - {id: vm, macAddress: 'fa:16:3e:00:88:11', fixedIps: [{subnetId: s4, ipAddress: 10.88.0.11}]}\n";
    }

    private Run cli(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--socket");
        a.add(dir.resolve("run/control.sock").toString());
        ControlCommandsTest.Run r = run(a.toArray(new String[0]));
        return new Run(r.code(), r.out(), r.err());
    }

    private record Run(int code, String out, String err) {
    }

    @Test
    void releaseReloadAndReservationsAgainstTheDaemon() throws Exception {
        assumeRoot();
        Path file = dir.resolve("leasehold.yaml");
        Files.writeString(file, config("10.88.0.3"));
        Path leaseFile = Daemon.leaseFile(dir.resolve("data"), "net-a");
        Files.createDirectories(leaseFile.getParent());
        long exp = System.currentTimeMillis() / 1000 + 3600;
        Files.writeString(leaseFile, exp + " fa:16:3e:00:88:11 10.88.0.11 vm 01:fa:16:3e:00:88:11\n"
                + exp + " fa:16:3e:00:88:50 10.88.0.50 dyn *\n");
        daemon = Daemon.start(file);

        Run leases = cli("leases");
        assertEquals(ExitCodes.OK, leases.code(), leases.err());
        assertEquals(3, leases.out().split("\n").length, leases.out());
        assertTrue(leases.out().contains("10.88.0.50") && leases.out().contains("dyn"), leases.out());
        Run health = cli("health");
        assertEquals(ExitCodes.OK, health.code(), health.err());

        Run release = cli("release", "10.88.0.50");
        assertEquals(ExitCodes.OK, release.code(), release.err());
        assertFalse(cli("leases").out().contains("10.88.0.50"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Files.readString(leaseFile).contains("10.88.0.50") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(Files.readString(leaseFile).contains("10.88.0.50"), "the release reaches the lease file");

        Run add = cli("reservations", "add", "--network", "net-a", "--mac", "fa:16:3e:00:88:20", "--ip", "10.88.0.20",
                "--hostname", "added-live");
        assertEquals(ExitCodes.OK, add.code(), add.err());
        assertEquals("added reservation mac-fa163e008820 in network net-a\n", add.out());
        assertTrue(Files.exists(dir.resolve("data").resolve(ReservationOverlay.FILE_NAME)));

        Files.writeString(file, config("10.88.0.4"));
        Run reload = cli("reload");
        assertEquals(ExitCodes.OK, reload.code(), reload.err());
        assertTrue(reload.out().startsWith("reloaded: 1 networks changed"), reload.out());
        assertTrue(cli("reservations", "ls").out().contains("added-live"), "kept across the reload");

        Files.writeString(file, config("10.88.0.444"));
        Run refused = cli("reload");
        assertEquals(ExitCodes.FAILURE, refused.code());
        assertTrue(refused.err().startsWith("leasehold: reload refused, nothing changed: "), refused.err());
        assertTrue(refused.err().contains("networks[0].subnets[0].dnsNameservers"), refused.err());
        assertEquals(1, refused.err().split("\n").length, "one line: " + refused.err());

        Files.writeString(file, config("10.88.0.4"));
        daemon.close();
        daemon = null;
        assertEquals(ExitCodes.NO_DAEMON, cli("health").code(), "the socket goes with the daemon");
        daemon = Daemon.start(file);
        Run after = cli("reservations", "ls", "--network", "net-a");
        assertTrue(after.out().contains("mac-fa163e008820") && after.out().contains("added-live"), after.out());
        assertFalse(cli("leases").out().contains("10.88.0.50"), "the release survives the restart");
    }

    @Test
    void aNonRootPeerIsRefused() throws Exception {
        assumeRoot();
        Path jar = Path.of("target", "leasehold.jar").toAbsolutePath();
        Assumptions.assumeTrue(Files.exists(jar), "peer test skipped: " + jar + " not built (run through mvn verify)");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "peer test skipped: no setpriv");
        // A directory nobody can read, outside the 0700 temporary directories.
        Path open = Files.createTempDirectory(Path.of("/tmp"), "leasehold-peer-");
        try {
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path copy = Files.copy(jar, open.resolve("leasehold.jar"));
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
            try (ControlFixture f = new ControlFixture(open, 1)) {
                // 1. The file's mode: nobody cannot even reach the socket.
                Proc byMode = asNobody(copy, f.socket);
                assertEquals(ExitCodes.PERMISSION_DENIED, byMode.code, byMode.output);
                assertEquals("leasehold: permission denied on " + f.socket
                        + " (run as root, or as a member of the daemon's control group)\n", byMode.output);
                // 2. Modes loosened by hand: the peer-credential check still refuses.
                Files.setPosixFilePermissions(f.socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.setPosixFilePermissions(f.socket, PosixFilePermissions.fromString("rw-rw-rw-"));
                Proc byCredentials = asNobody(copy, f.socket);
                assertEquals(ExitCodes.PERMISSION_DENIED, byCredentials.code, byCredentials.output);
                assertEquals("leasehold: permission denied: uid 65534 may not use the control socket (run as root)\n",
                        byCredentials.output);
                // Root, over the same loosened socket, is still served.
                assertEquals(ExitCodes.OK, run("leases", "--socket", f.socket.toString()).code());
            }
        } finally {
            try (Stream<Path> all = Files.walk(open)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private record Proc(int code, String output) {
    }

    private static Proc asNobody(Path jar, Path socket) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "leases", "--socket", socket.toString())
                .directory(jar.getParent().toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Proc(p.exitValue(), out);
    }
}
