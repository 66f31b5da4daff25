package io.leasehold.dnsmasq;

import io.leasehold.model.NetworkSnapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a SIGHUP costs on a large network: parsing Neutron-shaped hosts and opts files of
 * {@code lines} lines each, and applying a reload in which one host line changed to the current
 * snapshot ({@link SnapshotDiff}) — the diff alone, and the whole reload (parse both files, build
 * the spec, diff). The diff has two forms: the reload path, given the spec the snapshot was built
 * from, and the general one, given only the snapshot.
 *
 * <p>The hosts file has a v4 and a v6 line per port ({@code MAC,host-…,10.x.y.z} and
 * {@code MAC,tag:dhcpv6,host-…,[fd00::…]}, a third of them with {@code set:port-<P>}); the opts file
 * Ironic-style port lines ({@code tag:port-<P>,tag:!ipxe,option:bootfile-name,…},
 * {@code tag:port-<P>,option:server-ip-address,…}).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar 'io.leasehold.dnsmasq' -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DnsmasqInputsBenchmark {

    @Param({"50000"})
    public int lines;

    private String hosts;
    private String opts;
    private String hostsOneChanged;
    private DnsmasqArgs args;
    private NetworkSnapshot current;
    private NetworkSpec currentSpec;
    private NetworkSpec oneChanged;
    private HostsFile.Result parsedHosts;
    private OptsFile.Result parsedOpts;
    private byte[] hostsOneChangedBytes;
    private byte[] optsBytes;

    @Setup
    public void setup() {
        StringBuilder h = new StringBuilder();
        List<String> hostLines = new ArrayList<>(lines);
        for (int p = 0; hostLines.size() < lines; p++) {
            String mac = String.format("fa:16:3e:%02x:%02x:%02x", p >> 16 & 0xff, p >> 8 & 0xff, p & 0xff);
            String v4 = "10." + (p >> 16 & 0xff) + "." + (p >> 8 & 0xff) + "." + (p & 0xff);
            String v6 = "fd00::" + Integer.toHexString(p);
            String set = p % 3 == 0 ? ",set:port-" + p : "";
            hostLines.add(mac + ",host-" + v4.replace('.', '-') + ".openstacklocal," + v4 + set);
            hostLines.add(mac + ",tag:dhcpv6,host-" + v6.replace(':', '-') + ".openstacklocal,[" + v6 + "]" + set);
        }
        for (String l : hostLines) {
            h.append(l).append('\n');
        }
        hosts = h.toString();
        int middle = hostLines.size() / 2;
        hostLines.set(middle, hostLines.get(middle).replace(".openstacklocal", ".example"));
        StringBuilder c = new StringBuilder();
        for (String l : hostLines) {
            c.append(l).append('\n');
        }
        hostsOneChanged = c.toString();

        StringBuilder o = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            int p = i / 2;
            o.append(i % 2 == 0
                    ? "tag:port-" + p + ",tag:!ipxe,option:bootfile-name,undionly-" + p + ".kpxe"
                    : "tag:port-" + p + ",option:server-ip-address,10.0." + (p >> 8 & 0xff) + "." + (p & 0xff));
            o.append('\n');
        }
        opts = o.toString();

        args = DnsmasqArgs.parse(List.of("--pid-file=/var/lib/neutron/dhcp/net/pid",
                "--dhcp-range=set:subnet-s4,10.0.0.0,static,255.0.0.0,86400s",
                "--dhcp-range=set:subnet-s6,fd00::,static,64,86400s", "--dhcp-option-force=option:mtu,1450",
                "--dhcp-lease-max=16777216", "--domain=openstacklocal"));
        parsedOpts = OptsFile.parse("opts", opts);
        parsedHosts = HostsFile.parse("host", hosts);
        hostsOneChangedBytes = hostsOneChanged.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        optsBytes = opts.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        currentSpec = DnsmasqNetwork.spec(args, parsedHosts, parsedOpts, new ArrayList<>());
        current = currentSpec.build();
        oneChanged = DnsmasqNetwork.spec(args, HostsFile.parse("host", hostsOneChanged), parsedOpts, new ArrayList<>());
        for (SnapshotDiff.Result r : List.of(SnapshotDiff.apply(current, oneChanged),
                SnapshotDiff.apply(current, currentSpec, oneChanged))) {
            if (r.reservationsAdded() != 1 || r.reservationsRemoved() != 1 || r.optionsAdded() != 0) {
                throw new IllegalStateException("setup: " + r);
            }
        }
    }

    @Benchmark
    public HostsFile.Result parseHostsFile() {
        return HostsFile.parse("host", hosts);
    }

    @Benchmark
    public OptsFile.Result parseOptsFile() {
        return OptsFile.parse("opts", opts);
    }

    /** The diff alone on the reload path: the new files are parsed, the previous spec is known. */
    @Benchmark
    public SnapshotDiff.Result diffOneHostChanged() {
        return SnapshotDiff.apply(current, currentSpec, oneChanged);
    }

    /** The diff against the snapshot alone (no previous spec): one snapshot lookup per line. */
    @Benchmark
    public SnapshotDiff.Result diffOneHostChangedWithoutPreviousSpec() {
        return SnapshotDiff.apply(current, oneChanged);
    }

    /** A whole reload: both files parsed, the spec built, the diff applied. */
    @Benchmark
    public SnapshotDiff.Result reloadOneHostChanged() {
        NetworkSpec spec = DnsmasqNetwork.spec(args, HostsFile.parse("host", hostsOneChanged),
                OptsFile.parse("opts", opts), new ArrayList<>());
        return SnapshotDiff.apply(current, currentSpec, spec);
    }

    /**
     * A reload as {@code DnsmasqNetwork.reload} does it: both files' SHA-256 taken, the unchanged
     * opts file not parsed again, the hosts file parsed reusing every unchanged line's reservation
     * from the previous parse, the spec built, the diff applied.
     */
    @Benchmark
    public SnapshotDiff.Result reloadOneHostChangedIncremental() throws java.security.NoSuchAlgorithmException {
        java.security.MessageDigest.getInstance("SHA-256").digest(hostsOneChangedBytes);
        java.security.MessageDigest.getInstance("SHA-256").digest(optsBytes);
        NetworkSpec spec = DnsmasqNetwork.spec(args, HostsFile.parse("host",
                new String(hostsOneChangedBytes, java.nio.charset.StandardCharsets.UTF_8), parsedHosts),
                parsedOpts, new ArrayList<>());
        return SnapshotDiff.apply(current, currentSpec, spec);
    }
}
