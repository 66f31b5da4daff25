package io.leasehold.dnsmasq;

import io.leasehold.demo.Sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SIGHUP to reloaded, with Neutron's files for a network of N ports (hosts and addn_hosts of N
 * lines each, 50,000 by default), for dnsmasq 2.90 and for the Leasehold dnsmasq front, each run as
 * Neutron runs it (the same command line, in a namespace) but in the foreground ({@code -k}) so the
 * measuring process owns it. Between reloads one host line changes (a port's MAC), and each file is
 * replaced by rename, as the agent writes it.
 *
 * <p>"Reloaded" is when the server says so: dnsmasq's {@code read <opts file>} log line (the last
 * file it re-reads on SIGHUP: addn-hosts, hosts file, opts file; option.c {@code reread_dhcp}),
 * Leasehold's {@code network <N>: reloaded} (after the new snapshot and the DNS names are in
 * place). Both logs are followed by polling their size every 0.2 ms.
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl benchmarks -am
 * java -cp benchmarks/target/benchmarks.jar io.leasehold.dnsmasq.ReloadLatencyBenchmark 50000 10
 * </pre>
 * Prints one {@code key=value} line per measurement. Needs root; removes everything it creates.
 */
public final class ReloadLatencyBenchmark {

    private static final String NET = "6f5c0a1e-8d2b-4c3a-9e71-2b7d4c0e9a10";
    private static final String SUBNET = "1a2b3c4d-0000-4000-8000-000000000004";

    private ReloadLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int ports = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int reloads = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        try (Sandbox sb = Sandbox.create("rl")) {
            String srv = sb.namespace("srv");
            String cli = sb.namespace("cli");
            String tap = sb.prefix() + "t";
            sb.veth(srv, tap, "fa:16:3e:ff:00:02", cli, sb.prefix() + "c", null);
            sb.address(srv, tap, "10.128.0.2/16");
            Path dir = Files.createDirectories(sb.dir().resolve("confs").resolve(NET));
            Files.setPosixFilePermissions(sb.dir(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(dir.resolve("interface"), tap);
            Files.writeString(dir.resolve("opts"), "tag:subnet-" + SUBNET + ",option:router,10.128.0.1\n"
                    + "tag:subnet-" + SUBNET + ",option:dns-server,10.128.0.2");
            List<String> argv = List.of("--no-hosts", "--no-resolv", "--pid-file=" + dir.resolve("pid"),
                    "--dhcp-hostsfile=" + dir.resolve("host"), "--addn-hosts=" + dir.resolve("addn_hosts"),
                    "--dhcp-optsfile=" + dir.resolve("opts"), "--dhcp-leasefile=" + dir.resolve("leases"),
                    "--dhcp-match=set:ipxe,175", "--dhcp-userclass=set:ipxe6,iPXE", "--local-service", "--bind-dynamic",
                    "--dhcp-range=set:subnet-" + SUBNET + ",10.128.0.0,static,255.255.0.0,86400s",
                    "--dhcp-option-force=option:mtu,1450", "--dhcp-lease-max=65536", "--conf-file=/dev/null",
                    "--domain=openstacklocal", "-k");

            if (Sandbox.hasCommand("dnsmasq")) {
                writeFiles(dir, ports, 0);
                Path log = sb.dir().resolve("dnsmasq.log");
                List<String> cmd = new ArrayList<>(List.of("dnsmasq", "--log-facility=" + log));
                cmd.addAll(argv);
                Process p = sb.spawn(srv, sb.dir().resolve("dnsmasq.out"), cmd.toArray(new String[0]));
                measure("dnsmasq", p, sb, dir, log, "read " + dir.resolve("opts"), ports, reloads);
            }
            writeFiles(dir, ports, 0);
            Files.deleteIfExists(dir.resolve("leases"));
            Path log = sb.dir().resolve("leasehold.log");
            List<String> cmd = new ArrayList<>(List.of("env", DnsmasqFront.STATE_DIR_ENV + "=" + sb.dir().resolve("state"),
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            cmd.addAll(Arrays.asList(DnsmasqDaemon.DAEMON_JAVA_OPTS.split(" ")));
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DnsmasqFront.class.getName()));
            cmd.addAll(argv);
            Process p = sb.spawn(srv, log, cmd.toArray(new String[0]));
            measure("leasehold", p, sb, dir, log, "network " + NET + ": reloaded", ports, reloads);
        }
    }

    /** Neutron's lines for {@code ports} ports on 10.128.0.0/16; port {@code changed} gets a new MAC. */
    private static void writeFiles(Path dir, int ports, int generation) throws IOException {
        StringBuilder host = new StringBuilder(ports * 64);
        StringBuilder addn = new StringBuilder(ports * 96);
        for (int i = 0; i < ports; i++) {
            int a = 10 + i;
            String ip = "10.128." + (a >> 8) + "." + (a & 0xff);
            String name = "host-10-128-" + (a >> 8) + "-" + (a & 0xff);
            int macLow = i == 0 ? 0xf00000 + generation : i;
            host.append(String.format("fa:16:3e:%02x:%02x:%02x,%s.openstacklocal,%s%n", (macLow >> 16) & 0xff,
                    (macLow >> 8) & 0xff, macLow & 0xff, name, ip));
            addn.append(ip).append('\t').append(name).append(".openstacklocal ").append(name).append('\n');
        }
        replace(dir.resolve("host"), host.toString());
        replace(dir.resolve("addn_hosts"), addn.toString());
        replace(dir.resolve("opts"), Files.exists(dir.resolve("opts")) ? Files.readString(dir.resolve("opts")) : "");
    }

    private static void replace(Path p, String content) throws IOException {
        Path tmp = p.resolveSibling("." + p.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void measure(String who, Process p, Sandbox sb, Path dir, Path log, String marker, int ports,
                                int reloads) throws Exception {
        try {
            long t0 = System.nanoTime();
            if (!Sandbox.await(Duration.ofSeconds(120), () -> pid(dir) > 0 && countLines(log, marker) >= 0
                    && (who.equals("dnsmasq") ? countLines(log, "read " + dir.resolve("opts")) >= 1 : pid(dir) == p.pid()))) {
                System.out.println(who + ".error=did not start: " + tail(log));
                return;
            }
            System.out.printf("%s.ports=%d%n%s.start_ms=%.0f%n", who, ports, who, (System.nanoTime() - t0) / 1e6);
            long[] ms = new long[reloads];
            for (int r = 0; r < reloads; r++) {
                writeFiles(dir, ports, r + 1);
                int before = countLines(log, marker);
                long start = System.nanoTime();
                Sandbox.run("kill", "-HUP", Long.toString(pid(dir)));
                long deadline = start + TimeUnit.SECONDS.toNanos(60);
                while (countLines(log, marker) <= before && System.nanoTime() < deadline) {
                    Thread.sleep(0, 200_000);
                }
                ms[r] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
                Thread.sleep(300);
            }
            long[] sorted = ms.clone();
            Arrays.sort(sorted);
            System.out.printf("%s.reload_ms_median=%.1f%n%s.reload_ms_min=%.1f%n%s.reload_ms_max=%.1f%n", who,
                    sorted[sorted.length / 2] / 1000.0, who, sorted[0] / 1000.0, who, sorted[sorted.length - 1] / 1000.0);
            System.out.printf("%s.rss_kb=%d%n", who, rss(pid(dir)));
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static long pid(Path dir) {
        try {
            return Long.parseLong(Files.readString(dir.resolve("pid")).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static int countLines(Path log, String marker) {
        try {
            if (!Files.exists(log)) {
                return 0;
            }
            int n = 0;
            for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (l.contains(marker)) {
                    n++;
                }
            }
            return n;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> l = Files.readAllLines(log);
            return String.join(" | ", l.subList(Math.max(0, l.size() - 5), l.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static long rss(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
