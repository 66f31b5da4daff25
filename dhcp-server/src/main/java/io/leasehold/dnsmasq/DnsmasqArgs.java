package io.leasehold.dnsmasq;

import io.leasehold.model.MatchRule;
import io.leasehold.model.OptionLine;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.wire.IpAddresses;
import io.netty.util.NetUtil;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dnsmasq command line as Neutron's DHCP agent builds it ({@code Dnsmasq._build_cmdline_callback},
 * neutron {@code agent/linux/dhcp.py:400-512}; every row of neutron-compat §1.2), read into values.
 *
 * <p>Syntax follows dnsmasq 2.90's GNU {@code getopt_long} use, checked against the installed
 * binary's {@code --test}: {@code --opt=value} and {@code --opt value} for options that require a
 * value, only {@code --opt=value} for those whose value is optional ({@code --pid-file},
 * {@code --dhcp-leasefile}, {@code --conf-file}, {@code --local-service}, {@code --log-queries},
 * {@code --dhcp-broadcast}), the short forms dnsmasq accepts for these ({@code -x /run/pid} and
 * {@code -x/run/pid} both), and empty argv elements, which Neutron passes in place of
 * {@code --no-resolv} and dnsmasq ignores.
 *
 * <p>Errors are collected, never thrown: {@link #errors()} holds what makes dnsmasq exit ("bad
 * command line options"; facts §2.9: command-line errors are fatal), {@link #warnings()} what it
 * accepts but Leasehold ignores (a dnsmasq option Leasehold does not implement, or a value form it
 * does not serve), so an operator sees them. An option dnsmasq does not know at all is an error, as
 * it is for dnsmasq.
 */
public final class DnsmasqArgs {

    /** The {@code dhcp-lease-max} dnsmasq uses when none is given. */
    public static final int DEFAULT_LEASE_MAX = 1000;

    /** dnsmasq's lease time for a v4 range that names none ({@code DEFLEASE}, facts §3.1). */
    public static final long DEFAULT_LEASE_V4 = 3600;

    /** dnsmasq's lease time for a v6 range that names none (facts §3.1). */
    public static final long DEFAULT_LEASE_V6 = 86400;

    /**
     * One {@code --dhcp-range}: Neutron's {@code set:subnet-<S>,<net>,static,<mask or plen>,<lease>}
     * (neutron-compat §1.2 rows 14 and 15).
     *
     * @param setTag       the tag clients of the range get ({@code subnet-<S>}), or null
     * @param start        the first address (the network address for Neutron's static ranges)
     * @param end          the last address of a dynamic range, or null for a static one
     * @param prefixLength the netmask as a prefix length (v4), or the prefix length (v6)
     * @param leaseSeconds the lease time, {@link Subnet#INFINITE} for {@code infinite}
     */
    public record DhcpRange(String setTag, InetAddress start, InetAddress end, int prefixLength, long leaseSeconds) {
        public boolean isStatic() {
            return end == null;
        }

        public boolean isIpv4() {
            return start instanceof Inet4Address;
        }
    }

    private final List<String> argv;
    private String pidFile;
    private String hostsFile;
    private final List<String> addnHostsFiles = new ArrayList<>();
    private String optsFile;
    private String leaseFile;
    private final List<String> confFiles = new ArrayList<>();
    private final List<DhcpRange> ranges = new ArrayList<>();
    private final List<OptionLine> options = new ArrayList<>();
    private final List<Reservation> hosts = new ArrayList<>();
    private final List<MatchRule> matchRules = new ArrayList<>();
    private Integer leaseMax;
    private final List<String> servers = new ArrayList<>();
    private String domain;
    private final List<String> interfaces = new ArrayList<>();
    private final List<String> bridgeInterfaces = new ArrayList<>();
    private String logFacility;
    private int port = 53;
    private boolean noHosts;
    private boolean noResolv;
    private boolean localService;
    private boolean bindDynamic;
    private boolean dhcpBroadcast;
    private boolean logQueries;
    private boolean logDhcp;
    private boolean authoritative;
    private boolean rapidCommit;
    private boolean keepInForeground;
    private boolean noDaemon;
    private boolean test;
    private boolean version;
    private boolean help;
    private final List<LineError> errors = new ArrayList<>();
    private final List<LineError> warnings = new ArrayList<>();

    private DnsmasqArgs(List<String> argv) {
        this.argv = List.copyOf(argv);
    }

    // ---- the option table -----------------------------------------------------------------------

    private enum Arg { NONE, REQUIRED, OPTIONAL }

    private record Spec(char shortName, String longName, Arg arg, boolean once) {
    }

    /** The options Leasehold implements; {@code once}: dnsmasq refuses a repeat ("illegal repeated flag"). */
    private static final List<Spec> SUPPORTED = List.of(
            new Spec('h', "no-hosts", Arg.NONE, false),
            new Spec('R', "no-resolv", Arg.NONE, false),
            new Spec('x', "pid-file", Arg.OPTIONAL, true),
            new Spec('\0', "dhcp-hostsfile", Arg.REQUIRED, false),
            new Spec('H', "addn-hosts", Arg.REQUIRED, false),
            new Spec('\0', "dhcp-optsfile", Arg.REQUIRED, false),
            new Spec('l', "dhcp-leasefile", Arg.OPTIONAL, true),
            new Spec('\0', "dhcp-lease", Arg.OPTIONAL, true),
            new Spec('F', "dhcp-range", Arg.REQUIRED, false),
            new Spec('O', "dhcp-option", Arg.REQUIRED, false),
            new Spec('\0', "dhcp-option-force", Arg.REQUIRED, false),
            new Spec('G', "dhcp-host", Arg.REQUIRED, false),
            new Spec('\0', "dhcp-match", Arg.REQUIRED, false),
            new Spec('j', "dhcp-userclass", Arg.REQUIRED, false),
            new Spec('\0', "local-service", Arg.OPTIONAL, false),
            new Spec('\0', "bind-dynamic", Arg.NONE, false),
            new Spec('\0', "bridge-interface", Arg.REQUIRED, false),
            new Spec('X', "dhcp-lease-max", Arg.REQUIRED, true),
            new Spec('C', "conf-file", Arg.OPTIONAL, false),
            new Spec('S', "server", Arg.REQUIRED, false),
            new Spec('s', "domain", Arg.REQUIRED, false),
            new Spec('\0', "dhcp-broadcast", Arg.OPTIONAL, false),
            new Spec('q', "log-queries", Arg.OPTIONAL, false),
            new Spec('\0', "log-dhcp", Arg.NONE, false),
            new Spec('8', "log-facility", Arg.REQUIRED, true),
            new Spec('K', "dhcp-authoritative", Arg.NONE, false),
            new Spec('\0', "dhcp-rapid-commit", Arg.NONE, false),
            new Spec('i', "interface", Arg.REQUIRED, false),
            new Spec('k', "keep-in-foreground", Arg.NONE, false),
            new Spec('d', "no-daemon", Arg.NONE, false),
            new Spec('\0', "test", Arg.NONE, false),
            new Spec('v', "version", Arg.NONE, false),
            new Spec('w', "help", Arg.OPTIONAL, false),
            new Spec('p', "port", Arg.REQUIRED, true));

    private static final Map<String, Spec> BY_LONG = new HashMap<>();
    private static final Map<Character, Spec> BY_SHORT = new HashMap<>();
    private static final Set<String> IGNORED = new HashSet<>();

    static {
        for (Spec s : SUPPORTED) {
            index(s);
        }
        // Every other option dnsmasq 2.90 knows: accepted with a warning.
        try (InputStream in = DnsmasqArgs.class.getResourceAsStream("dnsmasq-options.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                Arg arg = f[2].equals("none") ? Arg.NONE : f[2].equals("optional") ? Arg.OPTIONAL : Arg.REQUIRED;
                Spec s = new Spec(f[0].equals("-") ? '\0' : f[0].charAt(0), f[1], arg, false);
                if (!BY_LONG.containsKey(s.longName)) {
                    index(s);
                    IGNORED.add(s.longName);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void index(Spec s) {
        BY_LONG.put(s.longName, s);
        if (s.shortName != '\0') {
            BY_SHORT.putIfAbsent(s.shortName, s);
        }
    }

    // ---- parsing --------------------------------------------------------------------------------

    /**
     * Parses a full command line whose first element is the program ({@code dnsmasq}), as Neutron's
     * list and {@code /proc/<pid>/cmdline} hold it.
     */
    public static DnsmasqArgs parseCommandLine(List<String> commandLine) {
        if (commandLine.isEmpty()) {
            return parse(List.of());
        }
        return parse(commandLine.subList(1, commandLine.size()), 2);
    }

    /** Parses the arguments after the program name. Never throws for bad arguments; see {@link #errors()}. */
    public static DnsmasqArgs parse(List<String> args) {
        return parse(args, 1);
    }

    private static DnsmasqArgs parse(List<String> args, int firstIndex) {
        DnsmasqArgs a = new DnsmasqArgs(args);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int where = i + firstIndex;
            if (arg == null || arg.isEmpty()) {
                continue;   // Neutron passes '' in place of --no-resolv; dnsmasq ignores it (neutron-compat §1.2 row 3)
            }
            if (arg.equals("--")) {
                for (int j = i + 1; j < args.size(); j++) {
                    a.errors.add(new LineError("argv", j + firstIndex, "junk found in command line: '" + args.get(j) + "'"));
                }
                break;
            }
            Spec spec;
            String value = null;
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
                spec = BY_LONG.get(name);
                if (spec == null) {
                    a.errors.add(new LineError("argv", where, "unrecognized option '--" + name + "'"));
                    continue;
                }
                if (eq >= 0) {
                    if (spec.arg == Arg.NONE) {
                        a.errors.add(new LineError("argv", where, "option '--" + name + "' takes no value"));
                        continue;
                    }
                    value = arg.substring(eq + 1);
                } else if (spec.arg == Arg.REQUIRED) {
                    if (i + 1 >= args.size()) {
                        a.errors.add(new LineError("argv", where, "option '--" + name + "' needs a value"));
                        continue;
                    }
                    value = args.get(++i);
                }
            } else if (arg.startsWith("-") && arg.length() > 1) {
                // Short options may be grouped (-kd); one taking a value ends the group.
                int k = 1;
                spec = null;
                while (k < arg.length()) {
                    char c = arg.charAt(k);
                    Spec s = BY_SHORT.get(c);
                    if (s == null) {
                        a.errors.add(new LineError("argv", where, "unrecognized option '-" + c + "'"));
                        spec = null;
                        break;
                    }
                    if (!takesShortValue(s)) {
                        a.apply(s, null, where, seen);
                        k++;
                        continue;
                    }
                    // getopt's short string gives these a required value: the rest, or the next argument.
                    if (k + 1 < arg.length()) {
                        value = arg.substring(k + 1);
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        a.errors.add(new LineError("argv", where, "option '-" + c + "' needs a value"));
                        break;
                    }
                    spec = s;
                    break;
                }
                if (spec == null) {
                    continue;
                }
            } else {
                a.errors.add(new LineError("argv", where, "junk found in command line: '" + arg + "'"));
                continue;
            }
            a.apply(spec, value, where, seen);
        }
        return a;
    }

    /**
     * Whether the short form takes a value: dnsmasq's getopt string gives one to every option with a
     * value in its long form, except {@code -q} and {@code -w}, whose long forms take an optional
     * {@code =value} and whose short forms take none.
     */
    private static boolean takesShortValue(Spec s) {
        return s.arg == Arg.REQUIRED || (s.arg == Arg.OPTIONAL && s.shortName != 'q' && s.shortName != 'w');
    }

    private void apply(Spec spec, String value, int where, Set<String> seen) {
        String name = spec.longName.equals("dhcp-lease") ? "dhcp-leasefile" : spec.longName;
        if (spec.once && !seen.add(name)) {
            errors.add(new LineError("argv", where, "illegal repeated flag --" + name));
            return;
        }
        if (IGNORED.contains(name)) {
            warnings.add(new LineError("argv", where, "--" + name + (value != null ? "=" + value : "")
                    + ": a dnsmasq option Leasehold does not implement; ignored"));
            return;
        }
        try {
            switch (name) {
                case "no-hosts": noHosts = true; break;
                case "no-resolv": noResolv = true; break;
                case "pid-file": pidFile = value; break;
                case "dhcp-hostsfile": hostsFile = required(value, name); break;
                case "addn-hosts": addnHostsFiles.add(required(value, name)); break;
                case "dhcp-optsfile": optsFile = required(value, name); break;
                case "dhcp-leasefile": leaseFile = value; break;
                case "dhcp-range": ranges.add(range(required(value, name))); break;
                case "dhcp-option": options.add(OptsFile.parseLine(required(value, name), false)); break;
                case "dhcp-option-force": options.add(OptsFile.parseLine(required(value, name), true)); break;
                case "dhcp-host": host(required(value, name), where); break;
                case "dhcp-match": match(required(value, name), where); break;
                case "dhcp-userclass": userClass(required(value, name)); break;
                case "local-service": localService = true; break;
                case "bind-dynamic": bindDynamic = true; break;
                case "bridge-interface": bridgeInterfaces.add(required(value, name)); break;
                case "dhcp-lease-max": leaseMax = leaseMax(required(value, name)); break;
                case "conf-file": confFile(value, where); break;
                case "server": servers.add(required(value, name)); break;
                case "domain": domain(required(value, name), where); break;
                case "dhcp-broadcast": broadcast(value, where); break;
                case "log-queries": logQueries = true; break;
                case "log-dhcp": logDhcp = true; break;
                case "log-facility": logFacility = required(value, name); break;
                case "dhcp-authoritative": authoritative = true; break;
                case "dhcp-rapid-commit": rapidCommit = true; break;
                case "interface": interfaces.add(required(value, name)); break;
                case "keep-in-foreground": keepInForeground = true; break;
                case "no-daemon": noDaemon = true; break;
                case "test": test = true; break;
                case "version": version = true; break;
                case "help": help = true; break;
                case "port": port = port(required(value, name)); break;
                default: throw new AssertionError(name);
            }
        } catch (IllegalArgumentException e) {
            errors.add(new LineError("argv", where, "--" + name + ": " + e.getMessage()));
        }
    }

    private static String required(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("empty value");
        }
        return value;
    }

    /**
     * {@code [tag:T,...][set:T,]start[,end|static|mode][,netmask|prefix][,broadcast][,lease]}
     * (dnsmasq option.c {@code 'F'}). Tag filters and v6 modes other than {@code static} are valid
     * dnsmasq that Leasehold does not serve, reported as errors because serving the range without
     * them would differ from dnsmasq.
     */
    private static DhcpRange range(String value) {
        List<String> f = DnsmasqSyntax.fields(value);
        String setTag = null;
        int k = 0;
        while (k < f.size() && (f.get(k).startsWith("set:") || f.get(k).startsWith("tag:") || f.get(k).startsWith("net:"))) {
            String t = f.get(k);
            if (t.startsWith("tag:")) {
                throw new IllegalArgumentException("'" + t + "': tag filters on dhcp-range are not supported");
            }
            setTag = DnsmasqSyntax.tagName(t);
            k++;
        }
        if (k >= f.size()) {
            throw new IllegalArgumentException("bad dhcp-range '" + value + "': no address");
        }
        InetAddress start = address(f.get(k++), value);
        boolean v4 = start instanceof Inet4Address;
        InetAddress end = null;
        boolean isStatic = false;
        if (k < f.size()) {
            String t = f.get(k);
            if (t.equals("static")) {
                isStatic = true;
                k++;
            } else if (isAddress(t) && (v4 || t.indexOf(':') >= 0)) {
                end = address(t, value);
                k++;
            } else if (!v4 && !Character.isDigit(t.charAt(0)) && DnsmasqSyntax.leaseTime(t) < 0) {
                throw new IllegalArgumentException("'" + t + "': DHCPv6 range mode not supported (expected: static)");
            }
        }
        if (!isStatic && end == null) {
            throw new IllegalArgumentException("bad dhcp-range '" + value + "' (expected: static or an end address)");
        }
        if (end != null && !v4) {
            throw new IllegalArgumentException("dynamic DHCPv6 ranges are not supported (expected: static)");
        }
        int prefix = -1;
        long lease = -1;
        if (!v4 && k < f.size() && !f.get(k).isEmpty() && f.get(k).length() <= 5
                && f.get(k).chars().allMatch(Character::isDigit)) {
            prefix = Integer.parseInt(f.get(k++));      // v6: a bare number after the mode is the prefix length
        }
        for (; k < f.size(); k++) {
            String t = f.get(k);
            if (v4 && NetUtil.isValidIpV4Address(t)) {
                if (prefix < 0) {
                    prefix = IpAddresses.maskPrefixLength(IpAddresses.toInt(IpAddresses.parseIpv4(t)));
                    if (prefix < 0) {
                        throw new IllegalArgumentException("bad netmask '" + t + "' in '" + value + "'");
                    }
                }
                // a second address is the broadcast address, which the subnet implies
                continue;
            }
            long l = DnsmasqSyntax.leaseTime(t);
            if (l < 0 || lease >= 0) {
                throw new IllegalArgumentException("bad dhcp-range '" + value + "': '" + t + "'");
            }
            lease = l;
        }
        if (prefix < 0) {
            if (!v4) {
                prefix = 64;
            } else {
                throw new IllegalArgumentException("bad dhcp-range '" + value + "': no netmask (Leasehold cannot take it"
                        + " from the interface)");
            }
        }
        if (!v4 && (prefix < 64 || prefix > 128)) {
            throw new IllegalArgumentException("prefix length must be at least 64: " + prefix);
        }
        if (lease < 0) {
            lease = v4 ? DEFAULT_LEASE_V4 : DEFAULT_LEASE_V6;
        }
        return new DhcpRange(setTag, start, end, prefix, lease);
    }

    private static boolean isAddress(String t) {
        return NetUtil.isValidIpV4Address(t) || NetUtil.isValidIpV6Address(t);
    }

    private static InetAddress address(String t, String whole) {
        if (!isAddress(t)) {
            throw new IllegalArgumentException("bad dhcp-range '" + whole + "': '" + t + "' is not an address");
        }
        return IpAddresses.parse(t);
    }

    private void host(String value, int where) {
        try {
            hosts.add(HostsFile.parseLine(value));
        } catch (IllegalArgumentException e) {
            // dnsmasq accepts lines Leasehold cannot serve; Neutron's runtime check passes
            // --dhcp-host=tag:foo and must see "syntax check OK" (neutron-compat §1.6).
            if (e.getMessage().startsWith("names no client")) {
                warnings.add(new LineError("argv", where, "--dhcp-host=" + value + ": " + e.getMessage()));
            } else {
                throw e;
            }
        }
    }

    /** {@code set:TAG,CODE} or {@code set:TAG,option6:CODE}; matching on the option's value is not supported. */
    private void match(String value, int where) {
        List<String> f = DnsmasqSyntax.fields(value);
        if (f.size() < 2 || !(f.get(0).startsWith("set:") || f.get(0).startsWith("net:"))) {
            throw new IllegalArgumentException("illegal dhcp-match '" + value + "' (expected: set:TAG,OPTION)");
        }
        String tag = DnsmasqSyntax.tagName(f.get(0));
        String opt = f.get(1);
        boolean v6 = opt.startsWith("option6:");
        String code = v6 ? opt.substring(8) : opt.startsWith("option:") ? opt.substring(7) : opt;
        int c;
        if (!code.isEmpty() && code.length() <= 5 && code.chars().allMatch(Character::isDigit)) {
            c = Integer.parseInt(code);
        } else {
            var def = (v6 ? io.leasehold.v6.Dhcp6Options.TABLE : io.leasehold.v4.Dhcp4Options.TABLE).byName(code);
            if (def == null) {
                throw new IllegalArgumentException("illegal dhcp-match '" + value + "': unknown option '" + code + "'");
            }
            c = def.code();
        }
        if (f.size() > 2) {
            warnings.add(new LineError("argv", where, "--dhcp-match=" + value
                    + ": matching on the option's value is not supported; the rule is ignored"));
            return;
        }
        matchRules.add(new MatchRule(tag, v6 ? MatchRule.Kind.DHCP6_OPTION : MatchRule.Kind.DHCP4_OPTION, c, null));
    }

    private void userClass(String value) {
        int comma = value.indexOf(',');
        if (comma < 0 || !(value.startsWith("set:") || value.startsWith("net:"))) {
            throw new IllegalArgumentException("'" + value + "' (expected: set:TAG,CLASS)");
        }
        String cls = value.substring(comma + 1);
        if (cls.isEmpty()) {
            throw new IllegalArgumentException("'" + value + "': empty class");
        }
        matchRules.add(new MatchRule(DnsmasqSyntax.tagName(value.substring(0, comma)), MatchRule.Kind.USER_CLASS, 0, cls));
    }

    private static int leaseMax(String value) {
        if (!value.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + value + "' (expected: a number)");
        }
        // dnsmasq reads it with atoi; anything beyond an int is "no limit" in practice.
        return value.length() > 9 ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, Long.parseLong(value));
    }

    private void confFile(String value, int where) {
        String file = value == null ? "" : value;
        confFiles.add(file);
        if (!file.isEmpty() && !file.equals("/dev/null")) {
            // Neutron passes /dev/null unless dnsmasq_config_file is set (neutron-compat §1.2 row 20).
            warnings.add(new LineError("argv", where, "--conf-file=" + file + ": configuration files are not read;"
                    + " pass their options on the command line"));
        }
    }

    private void domain(String value, int where) {
        int comma = value.indexOf(',');
        if (comma >= 0) {
            warnings.add(new LineError("argv", where, "--domain=" + value
                    + ": per-subnet domains are not supported; using " + value.substring(0, comma)));
            value = value.substring(0, comma);
        }
        domain = value;
    }

    private void broadcast(String value, int where) {
        if (value != null && !value.isEmpty()) {
            warnings.add(new LineError("argv", where, "--dhcp-broadcast=" + value
                    + ": tag-limited broadcast is not supported; every reply is broadcast"));
        }
        dhcpBroadcast = true;
    }

    private static int port(String value) {
        if (!value.chars().allMatch(Character::isDigit) || value.length() > 5 || Integer.parseInt(value) > 65535) {
            throw new IllegalArgumentException("port: " + value + " (expected: 0..65535)");
        }
        return Integer.parseInt(value);
    }

    // ---- accessors ------------------------------------------------------------------------------

    /** The arguments as given. */
    public List<String> argv() {
        return argv;
    }

    /** What makes dnsmasq refuse this command line; empty when it would run. */
    public List<LineError> errors() {
        return Collections.unmodifiableList(errors);
    }

    /** What dnsmasq accepts but Leasehold ignores or serves differently. */
    public List<LineError> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** True when {@link #errors()} is empty. */
    public boolean isValid() {
        return errors.isEmpty();
    }

    /**
     * The network id: the name of the directory holding the pid file, Neutron's
     * {@code <confs>/<N>/pid}, else that of the hosts file; null when neither is given.
     */
    public String networkId() {
        for (String p : new String[] {pidFile, hostsFile, optsFile, leaseFile}) {
            if (p != null && !p.isEmpty()) {
                Path parent = Path.of(p).getParent();
                if (parent != null && parent.getFileName() != null) {
                    return parent.getFileName().toString();
                }
            }
        }
        return null;
    }

    public String pidFile() {
        return pidFile;
    }

    public String hostsFile() {
        return hostsFile;
    }

    public List<String> addnHostsFiles() {
        return Collections.unmodifiableList(addnHostsFiles);
    }

    public String optsFile() {
        return optsFile;
    }

    public String leaseFile() {
        return leaseFile;
    }

    public List<String> confFiles() {
        return Collections.unmodifiableList(confFiles);
    }

    public List<DhcpRange> ranges() {
        return Collections.unmodifiableList(ranges);
    }

    /** {@code --dhcp-option} and {@code --dhcp-option-force} lines, in command-line order. */
    public List<OptionLine> options() {
        return Collections.unmodifiableList(options);
    }

    /** {@code --dhcp-host} lines that name a client, in command-line order. */
    public List<Reservation> hosts() {
        return Collections.unmodifiableList(hosts);
    }

    /** {@code --dhcp-match} and {@code --dhcp-userclass} rules, in command-line order. */
    public List<MatchRule> matchRules() {
        return Collections.unmodifiableList(matchRules);
    }

    /** {@code --dhcp-lease-max}, or {@value #DEFAULT_LEASE_MAX} when absent. */
    public int leaseMax() {
        return leaseMax != null ? leaseMax : DEFAULT_LEASE_MAX;
    }

    public List<String> servers() {
        return Collections.unmodifiableList(servers);
    }

    public String domain() {
        return domain;
    }

    public List<String> interfaces() {
        return Collections.unmodifiableList(interfaces);
    }

    public List<String> bridgeInterfaces() {
        return Collections.unmodifiableList(bridgeInterfaces);
    }

    public String logFacility() {
        return logFacility;
    }

    /** The DNS port; 0 turns DNS off, which also drops this server as the default DNS server. */
    public int port() {
        return port;
    }

    public boolean noHosts() {
        return noHosts;
    }

    public boolean noResolv() {
        return noResolv;
    }

    public boolean localService() {
        return localService;
    }

    public boolean bindDynamic() {
        return bindDynamic;
    }

    public boolean dhcpBroadcast() {
        return dhcpBroadcast;
    }

    public boolean logQueries() {
        return logQueries;
    }

    public boolean logDhcp() {
        return logDhcp;
    }

    public boolean authoritative() {
        return authoritative;
    }

    public boolean rapidCommit() {
        return rapidCommit;
    }

    /** {@code -k}/{@code --keep-in-foreground}: do not daemonize. */
    public boolean keepInForeground() {
        return keepInForeground;
    }

    /** {@code -d}/{@code --no-daemon}: do not daemonize, log to stderr. */
    public boolean noDaemon() {
        return noDaemon;
    }

    /** {@code --test}: check the command line, print {@code dnsmasq: syntax check OK.}, exit 0. */
    public boolean test() {
        return test;
    }

    /** {@code --version}: print the version banner (neutron-sanity-check matches {@code version (\d+\.\d+)}). */
    public boolean version() {
        return version;
    }

    public boolean help() {
        return help;
    }

    @Override
    public String toString() {
        return "dnsmasq " + String.join(" ", argv);
    }
}
