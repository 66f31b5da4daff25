package io.leasehold.dnsmasq;

import io.leasehold.model.AddressMode;
import io.leasehold.model.AddressRange;
import io.leasehold.model.IpPrefix;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.OptionLine;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.v4.Dhcp4Options;
import io.leasehold.wire.IpAddresses;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network as dnsmasq sees it when Neutron starts it: the command line ({@link DnsmasqArgs}) plus
 * the hosts and opts files it names, turned into a {@link NetworkSpec} and from there into a
 * snapshot, or applied to the current one on reload (SIGHUP) through {@link SnapshotDiff}.
 *
 * <p>What comes from where:
 * <ul>
 *   <li>Subnets: one per {@code --dhcp-range}. The subnet id is the range's {@code set:subnet-<S>}
 *       tag without its prefix (the tag itself otherwise), its tag set is that tag, and a
 *       {@code static} range has no pool (neutron-compat §1.3). dnsmasq does not know Neutron's
 *       IPv6 address mode: Neutron emits a {@code static} range for stateful and stateless subnets
 *       alike, and a stateless subnet's host lines carry no address. IPv6 ranges are therefore
 *       {@link AddressMode#DHCPV6_STATEFUL}: with no addressed host line a client gets no address
 *       (NoAddrsAvail, as dnsmasq answers) and Information-Requests are answered the same either
 *       way, so the engines behave as dnsmasq does without the mode being known.</li>
 *   <li>Settings: {@code --domain}, {@code --dhcp-lease-max}, {@code --dhcp-authoritative},
 *       {@code --dhcp-rapid-commit}, {@code --dhcp-broadcast}, the MTU from the last untagged
 *       {@code option:mtu} on the command line, DNS served unless {@code --port=0}.</li>
 *   <li>Option lines: the command line's first, then the opts file's, because dnsmasq parses its
 *       command line first and reads the opts file after it, so a file line beats a command-line
 *       line of the same rank (dnsmasq-facts §1.1).</li>
 *   <li>Host lines: the command line's {@code --dhcp-host}s, then the hosts file's (read later, so
 *       later-wins holds the same way).</li>
 *   <li>Match rules: {@code --dhcp-match} and {@code --dhcp-userclass}, in order.</li>
 * </ul>
 * Files are opened by path on every load, since Neutron replaces them by rename (neutron-compat §2.0).
 */
public final class DnsmasqNetwork {

    /**
     * A loaded network: its spec and what was wrong with its inputs (bad lines are skipped, as
     * dnsmasq skips them), plus the parsed files and their digests, so that the next reload can skip
     * a file that did not change (Neutron rewrites all of them on every reload, neutron-compat §3.5).
     *
     * @param spec     the network to serve
     * @param problems rejected file lines and unreadable files
     * @param warnings ranges or settings served differently from dnsmasq, by line
     * @param hosts    the parsed hosts file
     * @param opts     the parsed opts file
     * @param digests  SHA-256 of the hosts and opts files as read (empty arrays when unread)
     * @param addnHosts the {@code --addn-hosts} files, for the DNS side (not part of the snapshot)
     */
    public record Loaded(NetworkSpec spec, List<LineError> problems, List<LineError> warnings, HostsFile.Result hosts,
                         OptsFile.Result opts, List<byte[]> digests, List<AddnHostsFile.Result> addnHosts) {
        public Loaded {
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
            digests = List.copyOf(digests);
            addnHosts = List.copyOf(addnHosts);
        }
    }

    /** A reload: what was loaded and what changed. */
    public record Reloaded(Loaded loaded, SnapshotDiff.Result diff) {
        public NetworkSnapshot snapshot() {
            return diff.snapshot();
        }
    }

    private DnsmasqNetwork() {
    }

    private static final byte[] UNREAD = new byte[0];

    /** Reads the hosts and opts files {@code args} names and builds the network's spec. */
    public static Loaded load(DnsmasqArgs args) {
        return load(args, null);
    }

    private static Loaded load(DnsmasqArgs args, Loaded previous) {
        List<LineError> problems = new ArrayList<>();
        HostsFile.Result hosts = new HostsFile.Result("", List.of(), List.of());
        OptsFile.Result opts = new OptsFile.Result("", List.of(), List.of());
        byte[] hostsDigest = UNREAD;
        byte[] optsDigest = UNREAD;
        if (args.hostsFile() != null) {
            try {
                byte[] bytes = Files.readAllBytes(Path.of(args.hostsFile()));
                hostsDigest = sha256(bytes);
                hosts = previous != null && Arrays.equals(hostsDigest, previous.digests().get(0)) ? previous.hosts()
                        : HostsFile.parse(args.hostsFile(), new String(bytes, StandardCharsets.UTF_8),
                                previous == null ? null : previous.hosts());
            } catch (IOException e) {
                problems.add(unreadable(args.hostsFile(), e));
            }
        }
        if (args.optsFile() != null) {
            try {
                byte[] bytes = Files.readAllBytes(Path.of(args.optsFile()));
                optsDigest = sha256(bytes);
                opts = previous != null && Arrays.equals(optsDigest, previous.digests().get(1)) ? previous.opts()
                        : OptsFile.parse(args.optsFile(), new String(bytes, StandardCharsets.UTF_8));
            } catch (IOException e) {
                problems.add(unreadable(args.optsFile(), e));
            }
        }
        // addn-hosts files are small next to the hosts file (one line per address) and feed DNS only.
        List<AddnHostsFile.Result> addn = new ArrayList<>();
        for (String f : args.addnHostsFiles()) {
            try {
                addn.add(AddnHostsFile.read(Path.of(f)));
            } catch (IOException e) {
                problems.add(unreadable(f, e));
            }
        }
        problems.addAll(hosts.errors());
        problems.addAll(opts.errors());
        for (AddnHostsFile.Result a : addn) {
            problems.addAll(a.errors());
        }
        if (previous != null && hosts == previous.hosts() && opts == previous.opts()) {
            return new Loaded(previous.spec(), problems, previous.warnings(), hosts, opts, previous.digests(), addn);
        }
        List<LineError> warnings = new ArrayList<>();
        NetworkSpec spec = spec(args, hosts, opts, warnings);
        return new Loaded(spec, problems, warnings, hosts, opts, List.of(hostsDigest, optsDigest), addn);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java platform has SHA-256", e);
        }
    }

    /** Loads the network afresh and builds its snapshot. */
    public static NetworkSnapshot snapshot(DnsmasqArgs args) {
        return load(args).spec().build();
    }

    /**
     * Re-reads the files by path and applies the differences to {@code current} (a SIGHUP). The
     * command line is not re-read, as dnsmasq does not re-read it (neutron-compat §3.5).
     */
    public static Reloaded reload(NetworkSnapshot current, DnsmasqArgs args) {
        return reload(current, null, args);
    }

    /**
     * As {@link #reload(NetworkSnapshot, DnsmasqArgs)}, given {@code previous}, what {@code current}
     * was loaded from ({@link #load} or the last {@link Reloaded#loaded()}): a file whose bytes did
     * not change is not parsed again, and the diff compares with the previous spec
     * ({@link SnapshotDiff#apply(NetworkSnapshot, NetworkSpec, NetworkSpec)}).
     */
    public static Reloaded reload(NetworkSnapshot current, Loaded previous, DnsmasqArgs args) {
        Loaded loaded = load(args, previous);
        return new Reloaded(loaded, SnapshotDiff.apply(current, previous == null ? null : previous.spec(), loaded.spec()));
    }

    private static LineError unreadable(String file, IOException e) {
        String why = e instanceof NoSuchFileException ? "no such file" : e.toString();
        return new LineError(file, 1, "cannot read: " + why);
    }

    /** The spec of the network {@code args} describes, with these parsed files. */
    public static NetworkSpec spec(DnsmasqArgs args, HostsFile.Result hosts, OptsFile.Result opts,
                                   List<LineError> warnings) {
        String id = args.networkId() != null ? args.networkId() : "default";
        List<Subnet> subnets = subnets(args, warnings);
        List<OptionLine> options = new ArrayList<>(args.options());
        options.addAll(opts.lines());
        List<Reservation> reservations = new ArrayList<>(args.hosts());
        reservations.addAll(hosts.reservations());
        return new NetworkSpec(id, settings(args), subnets, args.matchRules(), reservations, options);
    }

    /** The network settings of a command line. */
    public static NetworkSnapshot.Settings settings(DnsmasqArgs args) {
        int mtu = 0;
        for (OptionLine o : args.options()) {
            if (o.space() == Dhcp4Options.INTERFACE_MTU.space() && o.code() == Dhcp4Options.INTERFACE_MTU.code()
                    && !o.isTagged() && o.value() != null && o.value().length() == 2) {
                mtu = o.value().unsignedByte(0) << 8 | o.value().unsignedByte(1);
            }
        }
        return new NetworkSnapshot.Settings(mtu, args.domain(), args.authoritative(), args.leaseMax(),
                args.rapidCommit(), args.dhcpBroadcast(), args.port() != 0);
    }

    private static List<Subnet> subnets(DnsmasqArgs args, List<LineError> warnings) {
        Map<String, Subnet> out = new LinkedHashMap<>();
        int n = 0;
        for (DnsmasqArgs.DhcpRange r : args.ranges()) {
            n++;
            String tag = r.setTag();
            String id = tag == null ? "range-" + n : tag.startsWith("subnet-") ? tag.substring(7) : tag;
            boolean v4 = r.isIpv4();
            IpPrefix cidr = prefixOf(r.start(), r.prefixLength());
            List<AddressRange> pools = r.isStatic() ? List.of()
                    : List.of(new AddressRange(IpAddresses.toInt((Inet4Address) r.start()), IpAddresses.toInt((Inet4Address) r.end())));
            Subnet s = new Subnet(id, cidr, null, List.of(), List.of(), true,
                    v4 ? AddressMode.DHCPV4 : AddressMode.DHCPV6_STATEFUL, r.leaseSeconds(), Subnet.DEFAULT_TIME,
                    Subnet.DEFAULT_TIME, tag == null ? Set.of() : Set.of(tag), pools);
            if (out.put(id, s) != null) {
                warnings.add(new LineError("argv", 1, "--dhcp-range for subnet " + id
                        + " given again; the later range is served"));
            }
        }
        return new ArrayList<>(out.values());
    }

    private static IpPrefix prefixOf(InetAddress start, int length) {
        byte[] b = start.getAddress();
        for (int i = 0; i < b.length; i++) {
            int bits = Math.max(0, Math.min(8, length - 8 * i));
            b[i] &= (byte) (bits == 0 ? 0 : 0xff << (8 - bits));
        }
        return IpPrefix.of(b.length == 4 ? IpAddresses.ipv4(b) : IpAddresses.ipv6(b), length);
    }
}
