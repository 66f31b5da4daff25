package io.leasehold.server;

import io.leasehold.demo.Sandbox;
import io.leasehold.model.AddressMode;
import io.leasehold.model.IpPrefix;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.NeutronOptions;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.wire.IpAddresses;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How one Leasehold daemon scales with the number of namespaces it serves, next to one dnsmasq per
 * namespace as Neutron runs them: start-up (attach) time and resident memory for 1, 100 and 1000
 * namespaces, each with one veth and a network of ten reservations.
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar io.leasehold.server.ScaleBenchmark 1 100 1000
 * </pre>
 * Prints one {@code key=value} line per measurement. Needs root; removes everything it creates.
 * This JVM is the daemon: its heap flags are the daemon's.
 */
public final class ScaleBenchmark {

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean dnsmasq = Sandbox.hasCommand("dnsmasq");
        for (String a : args) {
            int n = Integer.parseInt(a);
            leasehold(n);
            if (dnsmasq) {
                dnsmasq(n);
            }
        }
    }

    private static NetworkSnapshot network(int i) {
        Subnet s = Subnet.of("s" + i, IpPrefix.parse("10.0.0.0/24"), AddressMode.DHCPV4)
                .withGateway(IpAddresses.parse("10.0.0.1"));
        NetworkSnapshot.Builder b = NetworkSnapshot.builder("net" + i).subnet(s)
                .settings(NetworkSnapshot.Settings.DEFAULT.withDomain("openstacklocal").withMtu(1450));
        NeutronOptions.forNetwork(1450, 0, 0).forEach(b::option);
        NeutronOptions.forSubnet(s, List.of(s), true, IpAddresses.parse("10.0.0.2"), "openstacklocal",
                NeutronOptions.Metadata.DEBIAN_DEFAULT).forEach(b::option);
        for (int h = 0; h < 10; h++) {
            b.reservation(Reservation.of("p" + h, 0xfa163e000000L | ((i & 0xff) << 8) | (10 + h), "host-" + h,
                    IpAddresses.parse("10.0.0." + (10 + h))));
        }
        return b.build();
    }

    /** Namespaces {@code <prefix>-n<i>}, each with a veth pair s<i>/c<i> up and 10.0.0.2/24 on s<i>. */
    private static List<String> topology(Sandbox box, int n) throws IOException, InterruptedException {
        List<String> names = box.namespaces("n", n);
        List<String> links = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // The client end carries the MAC of the network's first reservation.
            links.add("link add s" + i + " netns " + names.get(i) + " type veth peer name c" + i + " address "
                    + String.format("fa:16:3e:00:%02x:0a", i & 0xff) + " netns " + names.get(i));
        }
        box.batch(null, links);
        for (int i = 0; i < n; i++) {
            box.batch(names.get(i), List.of("link set lo up", "link set s" + i + " up", "link set c" + i + " up",
                    "addr add 10.0.0.2/24 dev s" + i));
        }
        return names;
    }

    private static void leasehold(int n) throws Exception {
        try (Sandbox box = Sandbox.create("lhsc")) {
            List<String> names = topology(box, n);
            LeaseholdServer.Builder b = LeaseholdServer.builder().watchNamespaces(false)
                    .attachTimeout(Duration.ofMinutes(5));
            for (int i = 0; i < n; i++) {
                b.network(network(i)).serve(names.get(i), "s" + i, "net" + i);
            }
            long rssBefore = rssKib(ProcessHandle.current().pid());
            long t0 = System.nanoTime();
            LeaseholdServer server = b.build().start();
            int served = 0;
            for (int i = 0; i < n; i++) {
                if (server.awaitServing(names.get(i), "s" + i, Duration.ofSeconds(30))) {
                    served++;
                }
            }
            double attachMs = (System.nanoTime() - t0) / 1e6;
            // One real client in the last namespace, to show the served networks answer.
            String last = names.get(n - 1);
            Sandbox.Result client = box.exec(last, Duration.ofSeconds(15), "busybox", "udhcpc", "-i", "c" + (n - 1), "-n",
                    "-q", "-f", "-t", "3", "-T", "1", "-s", "/bin/true");
            System.gc();
            Thread.sleep(500);
            long rss = rssKib(ProcessHandle.current().pid());
            Runtime rt = Runtime.getRuntime();
            long heapUsed = (rt.totalMemory() - rt.freeMemory()) / 1024;
            System.out.printf(Locale.ROOT, "server=leasehold namespaces=%d served=%d attach_ms=%.0f rss_kib=%d "
                            + "rss_before_kib=%d heap_used_kib=%d client_ok=%b%n",
                    n, served, attachMs, rss, rssBefore, heapUsed, client.ok());
            server.stop();
        }
    }

    private static void dnsmasq(int n) throws Exception {
        try (Sandbox box = Sandbox.create("lhsd")) {
            List<String> names = topology(box, n);
            List<Path> pids = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Path conf = box.dir().resolve("net" + i);
                Files.createDirectories(conf);
                StringBuilder hosts = new StringBuilder();
                for (int h = 0; h < 10; h++) {
                    hosts.append(String.format("fa:16:3e:00:%02x:%02x,host-%d.openstacklocal,10.0.0.%d%n", i & 0xff,
                            10 + h, h, 10 + h));
                }
                Files.writeString(conf.resolve("host"), hosts);
                Files.writeString(conf.resolve("addn_hosts"), "");
                Files.writeString(conf.resolve("opts"), "tag:subnet-s,option:router,10.0.0.1\n"
                        + "tag:subnet-s,option:classless-static-route,169.254.169.254/32,10.0.0.2,0.0.0.0/0,10.0.0.1");
                Files.writeString(conf.resolve("leases"), "");
                Path pid = conf.resolve("pid");
                pids.add(pid);
                // Neutron's command line (neutron-compat §1.2): dnsmasq daemonizes, then writes its pid file.
                Sandbox.Result r = box.exec(names.get(i), Duration.ofSeconds(30), "dnsmasq", "--no-hosts", "--no-resolv",
                        "--pid-file=" + pid, "--dhcp-hostsfile=" + conf.resolve("host"),
                        "--addn-hosts=" + conf.resolve("addn_hosts"), "--dhcp-optsfile=" + conf.resolve("opts"),
                        "--dhcp-leasefile=" + conf.resolve("leases"), "--dhcp-match=set:ipxe,175",
                        "--dhcp-userclass=set:ipxe6,iPXE", "--local-service", "--bind-dynamic",
                        "--dhcp-range=set:subnet-s,10.0.0.0,static,255.255.255.0,86400s",
                        "--dhcp-option-force=option:mtu,1450", "--dhcp-lease-max=256", "--conf-file=/dev/null",
                        "--domain=openstacklocal");
                if (!r.ok()) {
                    throw new IOException("dnsmasq " + i + ": " + r);
                }
            }
            boolean started = Sandbox.await(Duration.ofMinutes(2), () -> pids.stream().allMatch(Files::exists));
            double startMs = (System.nanoTime() - t0) / 1e6;
            long total = 0;
            List<Long> running = new ArrayList<>();
            for (Path p : pids) {
                if (Files.exists(p)) {
                    long pid = Long.parseLong(Files.readString(p).trim());
                    running.add(pid);
                    total += rssKib(pid);
                }
            }
            System.out.printf(Locale.ROOT, "server=dnsmasq namespaces=%d started=%b start_ms=%.0f processes=%d "
                    + "rss_total_kib=%d rss_per_process_kib=%d%n", n, started, startMs, running.size(), total,
                    running.isEmpty() ? 0 : total / running.size());
            for (long pid : running) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            }
            for (long pid : running) {
                ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
                        .exceptionally(e -> null).join());
            }
        }
    }

    /** VmRSS of a process, in KiB. */
    static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        return -1;
    }
}
