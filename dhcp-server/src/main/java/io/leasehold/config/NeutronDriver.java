package io.leasehold.config;

import io.leasehold.config.LeaseholdConfig.ExtraDhcpOpt;
import io.leasehold.config.LeaseholdConfig.FixedIp;
import io.leasehold.config.LeaseholdConfig.NetworkConfig;
import io.leasehold.config.LeaseholdConfig.PortConfig;
import io.leasehold.config.LeaseholdConfig.SubnetConfig;
import io.leasehold.dnsmasq.HostsFile;
import io.leasehold.dnsmasq.NetworkSpec;
import io.leasehold.dnsmasq.OptsFile;
import io.leasehold.model.AddressMode;
import io.leasehold.model.MatchRule;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.NeutronOptions;
import io.leasehold.model.OptionLine;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.wire.IpAddresses;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a configured network into what Neutron's Dnsmasq driver would make of it, line for line:
 * the host lines of {@code _output_hosts_file} and the option lines of {@code _output_opts_file}
 * (neutron-compat §2.1, §2.3; neutron {@code agent/linux/dhcp.py:868-929, 1133-1336}), then parsed by
 * the same {@link HostsFile} and {@link OptsFile} code that reads Neutron's real files, so a port
 * configured here is served exactly as the same port in Neutron's files. Subnet lines come from
 * {@link NeutronOptions#forSubnet}, the model's copy of {@code _generate_opts_per_subnet}.
 */
public final class NeutronDriver {

    /** Ports that get no host line (neutron {@code dhcp.py:61-75}); router interfaces are kept. */
    public static final Set<String> SKIPPED_OWNERS = Set.of("network:dhcp", "network:router_ha_interface",
            "network:floatingip", "network:distributed");

    /** Owners whose holding the gateway address makes a subnet not isolated ({@code dhcp.py:1345-1365}). */
    public static final Set<String> ROUTER_OWNERS = Set.of("network:router_interface",
            "network:ha_router_replicated_interface", "network:router_interface_distributed");

    /** The DHCP ports' owner. */
    public static final String DHCP_OWNER = "network:dhcp";

    private NeutronDriver() {
    }

    /** A generated line and the configuration path it comes from, for error reports. */
    public record Line(String text, String path) {
    }

    /** The host-file lines of {@code n}, in Neutron's order (ports, then fixed IPs, stateless v6 first). */
    public static List<Line> hostLines(NetworkConfig n, String path) {
        return hostLines(n, portPaths(n, path));
    }

    /** Each port's configuration path: {@code <network>.ports[i]}. */
    static List<String> portPaths(NetworkConfig n, String path) {
        List<String> out = new ArrayList<>();
        for (int p = 0; p < n.ports().size(); p++) {
            out.add(path + ".ports[" + p + "]");
        }
        return out;
    }

    static List<Line> hostLines(NetworkConfig n, List<String> portPaths) {
        Map<String, SubnetConfig> subnets = subnetsById(n);
        List<Line> out = new ArrayList<>();
        for (int p = 0; p < n.ports().size(); p++) {
            PortConfig port = n.ports().get(p);
            if (port.deviceOwner() != null && SKIPPED_OWNERS.contains(port.deviceOwner())) {
                continue;
            }
            String where = portPaths.get(p);
            String clientId = clientId(port);
            boolean opts = !port.extraDhcpOpts().isEmpty();
            List<FixedIp> ips = new ArrayList<>(port.fixedIps());
            // Stateless-v6 allocations first: dnsmasq then finds the addressed lines first (dhcp.py:605-641).
            ips.sort(Comparator.comparing((FixedIp f) -> !isMode(subnets.get(f.subnetId()), AddressMode.DHCPV6_STATELESS)));
            for (FixedIp ip : ips) {
                SubnetConfig s = subnets.get(ip.subnetId());
                if (s == null) {
                    continue;       // reported by the loader
                }
                boolean v6 = !s.cidr().isIpv4();
                String tag = v6 ? "tag:dhcpv6," : "";
                if (v6 && (s.ipv6AddressMode() == AddressMode.SLAAC || s.ipv6AddressMode() == AddressMode.DHCPV6_STATELESS)) {
                    if (s.ipv6AddressMode() == AddressMode.DHCPV6_STATELESS && opts) {
                        out.add(new Line(port.macAddress() + "," + tag + "set:port-" + port.id(), where));
                    }
                    continue;
                }
                if (!s.enableDhcp()) {
                    continue;
                }
                String address = v6 ? "[" + IpAddresses.text(ip.ipAddress()) + "]" : IpAddresses.text(ip.ipAddress());
                String name = fqdn(port, ip.ipAddress(), n.dnsDomain());
                String line;
                if (opts && clientId != null && port.extraDhcpOpts().size() > 1) {
                    line = port.macAddress() + "," + tag + "id:" + clientId + "," + name + "," + address + ",set:port-" + port.id();
                } else if (opts && clientId != null) {
                    line = port.macAddress() + "," + tag + "id:" + clientId + "," + name + "," + address;
                } else if (opts) {
                    line = port.macAddress() + "," + tag + name + "," + address + ",set:port-" + port.id();
                } else {
                    line = port.macAddress() + "," + tag + name + "," + address;
                }
                out.add(new Line(line, where));
            }
        }
        return out;
    }

    /**
     * The option lines of {@code n} that come from ports, as text: each extra option but the client id
     * as {@code tag:port-<P>,[tag:X,]option:NAME,value} (v4 numeric codes bare, v6 as
     * {@code option6:}), only when the port has an address of the option's IP version; then, for each
     * subnet without DNS servers served by several DHCP ports, those ports' addresses as its DNS
     * servers.
     */
    public static List<Line> portOptionLines(NetworkConfig n, String path) {
        return portOptionLines(n, path, portPaths(n, path));
    }

    static List<Line> portOptionLines(NetworkConfig n, String path, List<String> portPaths) {
        List<Line> out = new ArrayList<>();
        Map<String, SubnetConfig> subnets = subnetsById(n);
        Map<String, List<InetAddress>> dhcpIps = new LinkedHashMap<>();
        for (int p = 0; p < n.ports().size(); p++) {
            PortConfig port = n.ports().get(p);
            String where = portPaths.get(p);
            if (!port.extraDhcpOpts().isEmpty()) {
                boolean has4 = port.fixedIps().stream().anyMatch(f -> f.ipAddress() instanceof Inet4Address);
                boolean has6 = port.fixedIps().stream().anyMatch(f -> f.ipAddress() instanceof Inet6Address);
                for (int k = 0; k < port.extraDhcpOpts().size(); k++) {
                    ExtraDhcpOpt o = port.extraDhcpOpts().get(k);
                    if (isClientId(o.optName())) {
                        continue;
                    }
                    // Neutron logs and skips an option of an IP version the port has no address of.
                    if (o.ipVersion() == 4 ? has4 : has6) {
                        out.add(new Line(formatOption(o.ipVersion(), "port-" + port.id(), o.optName(), o.optValue()),
                                where + ".extraDhcpOpts[" + k + "]"));
                    }
                }
            }
            if (DHCP_OWNER.equals(port.deviceOwner())) {
                for (FixedIp ip : port.fixedIps()) {
                    SubnetConfig s = subnets.get(ip.subnetId());
                    if (s != null && servedByNeutron(s) && s.dnsNameservers().isEmpty()) {
                        dhcpIps.computeIfAbsent(s.id(), x -> new ArrayList<>()).add(ip.ipAddress());
                    }
                }
            }
        }
        dhcpIps.forEach((subnet, ips) -> {
            for (int version : new int[] {4, 6}) {
                List<String> v = new ArrayList<>();
                for (InetAddress a : ips) {
                    if ((a instanceof Inet4Address) == (version == 4)) {
                        v.add(version == 4 ? IpAddresses.text(a) : "[" + IpAddresses.text(a) + "]");
                    }
                }
                if (v.size() > 1) {
                    out.add(new Line(formatOption(version, "subnet-" + subnet, "dns-server", String.join(",", v)),
                            path + ".ports"));
                }
            }
        });
        return out;
    }

    /** Neutron's {@code _format_option}: text before a newline only, an extra {@code tag:} kept, v6 as {@code option6:}. */
    static String formatOption(int ipVersion, String tag, String name, String value) {
        String option = firstLine(name);
        String extra = null;
        int comma = option.lastIndexOf(',');
        if (option.startsWith("tag:") && comma > 0) {
            extra = option.substring(0, comma);
            option = option.substring(comma + 1);
        }
        if (ipVersion == 6) {
            option = "option6:" + option;
        } else if (option.isEmpty() || !option.chars().allMatch(Character::isDigit)) {
            option = "option:" + option;
        }
        StringBuilder sb = new StringBuilder("tag:").append(tag);
        if (extra != null) {
            sb.append(',').append(extra);
        }
        sb.append(',').append(option);
        if (value != null) {
            sb.append(',').append(firstLine(value));
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The spec of {@code n}; problems with its generated lines are added to {@code problems} with their path. */
    public static NetworkSpec spec(NetworkConfig n, String path, List<ConfigProblem> problems) {
        return spec(n, path, portPaths(n, path), problems);
    }

    /** As {@link #spec(NetworkConfig, String, List)}, with each port's path given (the loader drops bad ports). */
    static NetworkSpec spec(NetworkConfig n, String path, List<String> portPaths, List<ConfigProblem> problems) {
        List<Subnet> model = new ArrayList<>();
        for (SubnetConfig s : n.subnets()) {
            model.add(subnet(s));
        }
        List<OptionLine> options = new ArrayList<>(NeutronOptions.forNetwork(n.mtu(), n.renewalTime(), n.rebindingTime()));
        Map<String, InetAddress> dhcpAddress = dhcpPortAddresses(n);
        for (int i = 0; i < n.subnets().size(); i++) {
            SubnetConfig s = n.subnets().get(i);
            if (!servedByNeutron(s)) {
                continue;
            }
            boolean isolated = s.isolated() != null ? s.isolated() : isolated(n, s);
            options.addAll(NeutronOptions.forSubnet(model.get(i), model, isolated, dhcpAddress.get(s.id()),
                    n.dnsDomain(), n.metadata()));
        }
        for (Line l : portOptionLines(n, path, portPaths)) {
            try {
                options.add(OptsFile.parseLine(l.text(), false));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(l.path(), "'" + l.text() + "': " + e.getMessage()));
            }
        }
        for (int k = 0; k < n.dnsmasqOptions().size(); k++) {
            String text = n.dnsmasqOptions().get(k);
            try {
                options.add(OptsFile.parseLine(text, false));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(path + ".dnsmasqOptions[" + k + "]", "'" + text + "': " + e.getMessage()));
            }
        }
        List<Reservation> reservations = new ArrayList<>();
        for (Line l : hostLines(n, portPaths)) {
            try {
                reservations.add(HostsFile.parseLine(l.text()));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(l.path(), "'" + l.text() + "': " + e.getMessage()));
            }
        }
        NetworkSnapshot.Settings settings = new NetworkSnapshot.Settings(n.mtu(), n.dnsDomain(), n.authoritative(),
                n.leaseMax(), false, false, true);
        return new NetworkSpec(n.id(), settings, model, List.of(MatchRule.NEUTRON_IPXE, MatchRule.NEUTRON_IPXE6),
                reservations, options);
    }

    /** The model subnet: Neutron's tag {@code subnet-<id>}; not served when Neutron emits no range for it. */
    static Subnet subnet(SubnetConfig s) {
        boolean v4 = s.cidr().isIpv4();
        AddressMode mode = v4 ? AddressMode.DHCPV4 : s.ipv6AddressMode();
        // Neutron skips (and logs) IPv6 subnets with a prefix shorter than 64 (neutron-compat §1.3).
        boolean served = s.enableDhcp() && (v4 || s.cidr().length() >= 64);
        return new Subnet(s.id(), s.cidr(), s.gateway(), s.dnsNameservers(), s.hostRoutes(), served, mode,
                s.leaseSeconds(), Subnet.DEFAULT_TIME, Subnet.DEFAULT_TIME, Set.of("subnet-" + s.id()), s.pools());
    }

    /** Whether Neutron writes a range and subnet options for {@code s}. */
    static boolean servedByNeutron(SubnetConfig s) {
        return subnet(s).isServed();
    }

    /** Neutron's {@code dhcp_lease_max} default: the addresses of every ranged subnet, at most 2^24. */
    static int defaultLeaseMax(List<SubnetConfig> subnets) {
        long sum = 0;
        for (SubnetConfig s : subnets) {
            if (servedByNeutron(s)) {
                sum = Math.min(1L << 24, sum + Math.min(1L << 24, s.cidr().addressCount()));
            }
        }
        return (int) sum;
    }

    private static boolean isolated(NetworkConfig n, SubnetConfig s) {
        if (s.gateway() == null) {
            return true;
        }
        for (PortConfig p : n.ports()) {
            if (p.deviceOwner() != null && ROUTER_OWNERS.contains(p.deviceOwner())) {
                for (FixedIp ip : p.fixedIps()) {
                    if (ip.subnetId().equals(s.id()) && ip.ipAddress().equals(s.gateway())) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** The first DHCP port's address on each subnet: the metadata route's next hop on isolated subnets. */
    private static Map<String, InetAddress> dhcpPortAddresses(NetworkConfig n) {
        Map<String, InetAddress> out = new HashMap<>();
        for (PortConfig p : n.ports()) {
            if (DHCP_OWNER.equals(p.deviceOwner())) {
                for (FixedIp ip : p.fixedIps()) {
                    out.putIfAbsent(ip.subnetId(), ip.ipAddress());
                }
            }
        }
        return out;
    }

    private static Map<String, SubnetConfig> subnetsById(NetworkConfig n) {
        Map<String, SubnetConfig> out = new HashMap<>();
        for (SubnetConfig s : n.subnets()) {
            out.put(s.id(), s);
        }
        return out;
    }

    private static boolean isMode(SubnetConfig s, AddressMode mode) {
        return s != null && !s.cidr().isIpv4() && s.ipv6AddressMode() == mode;
    }

    private static boolean isClientId(String name) {
        return name.equals("client-id") || name.equals("61");
    }

    /** The value of the port's {@code client-id} (or {@code 61}) extra option, or null. */
    static String clientId(PortConfig port) {
        for (ExtraDhcpOpt o : port.extraDhcpOpts()) {
            if (isClientId(o.optName())) {
                return o.optValue();
            }
        }
        return null;
    }

    /**
     * The name Neutron writes: the explicit FQDN, else {@code dns_name.<domain>.} (the server's form,
     * with a trailing dot), else {@code host-<ip with . and : as ->[.<domain>]} (dhcp.py
     * {@code _get_dns_assignment}).
     */
    static String fqdn(PortConfig port, InetAddress ip, String domain) {
        if (port.hostname() != null && !port.hostname().isEmpty()) {
            return port.hostname();
        }
        boolean hasDomain = domain != null && !domain.isEmpty();
        if (port.dnsName() != null && !port.dnsName().isEmpty()) {
            return hasDomain ? port.dnsName() + "." + domain + "." : port.dnsName();
        }
        String host = "host-" + IpAddresses.text(ip).replace('.', '-').replace(':', '-');
        return hasDomain ? host + "." + domain : host;
    }
}
