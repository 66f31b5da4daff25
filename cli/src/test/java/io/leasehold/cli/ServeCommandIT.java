package io.leasehold.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code leasehold serve} as a process: it serves a file, reloads it on SIGHUP (and refuses a bad
 * one, keeping on serving), and stops cleanly on SIGTERM with exit code 0. Serving on real
 * interfaces is covered by the daemon's namespace tests; this is about the command around it.
 */
class ServeCommandIT {

    @TempDir
    Path dir;

    private Process serve;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (serve != null && serve.isAlive()) {
            serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String config(Path dataDir, String dns) {
        return "dataDir: " + dataDir + "\n"
                + "fsync: batch\n"
                + "networks:\n"
                + "  - id: net-a\n"
                + "    subnets:\n"
                + "      - {id: s4, cidr: 10.88.0.0/24, gateway: 10.88.0.1, dnsNameservers: [" + dns + "]}\n"
                + "    ports:\n"
                + "      - {id: vm, macAddress: 'fa:16:3e:00:88:11', fixedIps: [{subnetId: s4, ipAddress: 10.88.0.11}]}\n";
    }

    private boolean logged(Path log, String text, long millis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(text)) {
                return true;
            }
            if (!serve.isAlive()) {
                return Files.readString(log).contains(text);
            }
            Thread.sleep(50);
        }
        return false;
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(serve.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    @Test
    void reloadsOnHangupRefusesABadFileAndStopsOnTerm() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "serve test skipped: not root (the daemon opens sockets in namespaces)");
        Path file = dir.resolve("leasehold.yaml");
        Path log = dir.resolve("serve.log");
        Files.writeString(file, config(dir.resolve("data"), "10.88.0.3"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // env restores SIGHUP's default: a build started under nohup would hand its ignored SIGHUP down.
        serve = new ProcessBuilder(List.of("env", "--default-signal=HUP", java, "-cp", cp, Main.class.getName(), "serve",
                "--config", file.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(logged(log, "leasehold: ready", 30_000), Files.readString(log));
        assertTrue(Files.readString(log).contains("serving 1 networks"), Files.readString(log));

        Files.writeString(file, config(dir.resolve("data"), "10.88.0.4"));
        signal("HUP");
        assertTrue(logged(log, "reloaded: 1 networks changed", 10_000), Files.readString(log));

        Files.writeString(file, config(dir.resolve("data"), "10.88.0.444"));
        signal("HUP");
        assertTrue(logged(log, "reload refused, nothing changed", 10_000), Files.readString(log));
        assertTrue(Files.readString(log).contains("networks[0].subnets[0].dnsNameservers"), Files.readString(log));
        assertTrue(serve.isAlive(), "a bad file does not stop the daemon");

        signal("TERM");
        assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "stopped on SIGTERM");
        assertEquals(0, serve.exitValue(), Files.readString(log));
        assertTrue(Files.exists(dir.resolve("data").resolve("leases").resolve("net-a.leases")),
                "the lease file is written on the way out");
    }
}
