package io.leasehold.config;

import io.leasehold.store.FsyncPolicy;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.leasehold.config.LeaseholdConfig.ExtraDhcpOpt;
import io.leasehold.config.LeaseholdConfig.FixedIp;
import io.leasehold.config.LeaseholdConfig.NetworkConfig;
import io.leasehold.config.LeaseholdConfig.PortConfig;
import io.leasehold.config.LeaseholdConfig.SubnetConfig;
import io.leasehold.dnsmasq.NetworkSpec;
import io.leasehold.model.AddressMode;
import io.leasehold.model.AddressRange;
import io.leasehold.model.HostRoute;
import io.leasehold.model.IpPrefix;
import io.leasehold.model.NeutronOptions;
import io.leasehold.model.Subnet;
import io.leasehold.option.OptionCodecs;
import io.leasehold.wire.IpAddresses;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads Leasehold's native configuration (YAML, or JSON, which the YAML reader also takes) the way
 * kea's {@code simple_parser4.cc} reads its own: each section has a keyword table (name and type)
 * and a defaults table; an unknown keyword is an error; every value is checked; and every problem is
 * reported at once, each with its path ({@code networks[0].subnets[1].cidr}), instead of stopping at
 * the first. The result carries, per network, the {@link NetworkSpec} that
 * {@link NeutronDriver} makes of it, so problems in generated lines are reported with the path of
 * the port option they came from.
 *
 * <pre>
 * dataDir: /var/lib/leasehold          # required
 * fsync: batch                         # always | batch | none
 * controlSocket: /run/leasehold/control.sock   # optional
 * controlGroup: leasehold             # optional: who may use it besides root
 * namespaces:
 *   qdhcp-NET: [{interface: tapXXXXXXXX-XX, network: NET}]
 * networks:
 *   - id: NET
 *     mtu: 1450
 *     dnsDomain: openstacklocal
 *     subnets: [{id: S, cidr: 10.0.0.0/24, gateway: 10.0.0.1, ...}]
 *     ports: [{id: P, macAddress: fa:16:3e:00:00:01, fixedIps: [{subnetId: S, ipAddress: 10.0.0.5}]}]
 * </pre>
 */
public final class ConfigLoader {

    /** Value types of the keyword tables. */
    enum Type {
        STRING("a string"), INTEGER("an integer"), BOOLEAN("true or false"), LIST("a list"), MAP("a map"),
        SCALAR("a string or a number");

        final String expected;

        Type(String expected) {
            this.expected = expected;
        }

        boolean accepts(JsonNode n) {
            switch (this) {
                case STRING: return n.isTextual();
                case INTEGER: return n.isIntegralNumber();
                case BOOLEAN: return n.isBoolean();
                case LIST: return n.isArray();
                case MAP: return n.isObject();
                default: return n.isTextual() || n.isNumber();
            }
        }
    }

    // ---- keyword and defaults tables, per section -----------------------------------------------

    static final Map<String, Type> GLOBAL = Map.of("dataDir", Type.STRING, "fsync", Type.STRING,
            "controlSocket", Type.STRING, "controlGroup", Type.STRING, "namespaces", Type.MAP, "networks", Type.LIST);
    static final Map<String, Object> GLOBAL_DEFAULTS = Map.of("fsync", "batch");

    static final Map<String, Type> ATTACHMENT = Map.of("interface", Type.STRING, "network", Type.STRING);

    static final Map<String, Type> NETWORK = Map.ofEntries(Map.entry("id", Type.STRING), Map.entry("mtu", Type.INTEGER),
            Map.entry("dnsDomain", Type.STRING), Map.entry("authoritative", Type.BOOLEAN),
            Map.entry("leaseMax", Type.INTEGER), Map.entry("renewalTime", Type.INTEGER),
            Map.entry("rebindingTime", Type.INTEGER), Map.entry("metadata", Type.MAP),
            Map.entry("subnets", Type.LIST), Map.entry("ports", Type.LIST), Map.entry("dnsmasqOptions", Type.LIST));
    /** Neutron's defaults: {@code dns_domain = openstacklocal}, renewal and rebinding unset (0). */
    static final Map<String, Object> NETWORK_DEFAULTS = Map.of("mtu", 0, "dnsDomain", "openstacklocal",
            "authoritative", false, "renewalTime", 0, "rebindingTime", 0);

    static final Map<String, Type> METADATA = Map.of("enableIsolatedMetadata", Type.BOOLEAN, "forceMetadata", Type.BOOLEAN);
    /** Debian's {@code dhcp_agent.ini}: {@code enable_isolated_metadata = True}. */
    static final Map<String, Object> METADATA_DEFAULTS = Map.of("enableIsolatedMetadata", true, "forceMetadata", false);

    static final Map<String, Type> SUBNET = Map.ofEntries(Map.entry("id", Type.STRING), Map.entry("cidr", Type.STRING),
            Map.entry("gateway", Type.STRING), Map.entry("dnsNameservers", Type.LIST), Map.entry("hostRoutes", Type.LIST),
            Map.entry("enableDhcp", Type.BOOLEAN), Map.entry("ipv6AddressMode", Type.STRING),
            Map.entry("leaseTime", Type.SCALAR), Map.entry("pools", Type.LIST), Map.entry("isolated", Type.BOOLEAN));
    /** Neutron's {@code dhcp_lease_duration = 86400}. */
    static final Map<String, Object> SUBNET_DEFAULTS = Map.of("enableDhcp", true, "leaseTime", 86400);

    static final Map<String, Type> ROUTE = Map.of("destination", Type.STRING, "nexthop", Type.STRING);

    static final Map<String, Type> PORT = Map.of("id", Type.STRING, "macAddress", Type.STRING, "deviceOwner", Type.STRING,
            "fixedIps", Type.LIST, "extraDhcpOpts", Type.LIST, "dnsName", Type.STRING, "hostname", Type.STRING);

    static final Map<String, Type> FIXED_IP = Map.of("subnetId", Type.STRING, "ipAddress", Type.STRING);

    static final Map<String, Type> EXTRA_OPT = Map.of("optName", Type.STRING, "optValue", Type.SCALAR,
            "ipVersion", Type.INTEGER);
    /** Neutron's extra_dhcp_opts default: {@code ip_version = 4}. */
    static final Map<String, Object> EXTRA_OPT_DEFAULTS = Map.of("ipVersion", 4);

    private final List<ConfigProblem> problems = new ArrayList<>();
    /** Where each kept port of a network was in the file (bad ports are dropped, so indexes shift). */
    private final Map<NetworkConfig, List<String>> portPaths = new java.util.IdentityHashMap<>();

    private ConfigLoader() {
    }

    /**
     * Loads the file at {@code path}: JSON when it ends in {@code .json}, YAML otherwise.
     *
     * @throws ConfigException with every problem found
     * @throws IOException when the file cannot be read
     */
    public static LeaseholdConfig load(Path path) throws IOException {
        return parse(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
    }

    /**
     * Parses configuration text (YAML or JSON).
     *
     * @param source the name used in the exception's message
     * @throws ConfigException with every problem found
     */
    public static LeaseholdConfig parse(String source, String text) {
        JsonNode root;
        try {
            ObjectMapper mapper = source.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, List.of(new ConfigProblem("",
                    "not valid " + (source.endsWith(".json") ? "JSON" : "YAML") + ": " + e.getOriginalMessage()
                            + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : ""))));
        }
        ConfigLoader l = new ConfigLoader();
        LeaseholdConfig config = l.root(root == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : root);
        if (!l.problems.isEmpty()) {
            throw new ConfigException(source, l.problems);
        }
        return config;
    }

    // ---- sections ---------------------------------------------------------------------------------

    /** A map node checked against its keyword table, with its defaults; reading a value never throws. */
    private final class Section {
        final JsonNode node;
        final String path;
        final Map<String, Type> keywords;
        final Map<String, Object> defaults;

        Section(JsonNode node, String path, Map<String, Type> keywords, Map<String, Object> defaults) {
            this.path = path;
            this.keywords = keywords;
            this.defaults = defaults;
            if (!node.isObject()) {
                problem(path, describe(node) + " (expected: a map)");
                this.node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                return;
            }
            this.node = node;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Type t = keywords.get(e.getKey());
                if (t == null) {
                    problem(at(e.getKey()), "unknown keyword (expected one of: "
                            + String.join(", ", new java.util.TreeSet<>(keywords.keySet())) + ")");
                } else if (!e.getValue().isNull() && !t.accepts(e.getValue())) {
                    problem(at(e.getKey()), describe(e.getValue()) + " (expected: " + t.expected + ")");
                }
            }
        }

        String at(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        /** The value if present and well typed, else null (a bad type was reported already). */
        JsonNode get(String key) {
            JsonNode v = node.get(key);
            return v == null || v.isNull() || !keywords.get(key).accepts(v) ? null : v;
        }

        boolean present(String key) {
            JsonNode v = node.get(key);
            return v != null && !v.isNull();
        }

        JsonNode required(String key) {
            if (!present(key)) {
                problem(at(key), "missing (required)");
                return null;
            }
            return get(key);
        }

        String string(String key) {
            JsonNode v = get(key);
            return v != null ? v.asText() : present(key) ? null : (String) defaults.get(key);
        }

        long integer(String key, long min, long max) {
            JsonNode v = get(key);
            if (v == null) {
                Object d = defaults.get(key);
                return d == null ? -1 : ((Number) d).longValue();
            }
            long x = v.asLong();
            if (!v.canConvertToLong() || x < min || x > max) {
                problem(at(key), v.asText() + " (expected: " + min + ".." + max + ")");
                return min;
            }
            return x;
        }

        boolean bool(String key) {
            JsonNode v = get(key);
            return v != null ? v.asBoolean() : Boolean.TRUE.equals(defaults.get(key));
        }

        List<JsonNode> list(String key) {
            JsonNode v = get(key);
            List<JsonNode> out = new ArrayList<>();
            if (v != null) {
                v.forEach(out::add);
            }
            return out;
        }
    }

    private void problem(String path, String message) {
        problems.add(new ConfigProblem(path, message));
    }

    private static String describe(JsonNode n) {
        if (n.isTextual()) {
            return "'" + n.asText() + "'";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isObject()) {
            return "a map";
        }
        return n.isMissingNode() ? "nothing" : n.toString();
    }

    /** Runs {@code parse} on a text value; a failure is a problem at {@code path} naming the text. */
    private <T> T value(String path, String text, Function<String, T> parse) {
        if (text == null) {
            return null;
        }
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            // "prefix: 10.0.0.1/24 has host bits..." -> "'10.0.0.1/24' has host bits..."
            int colon = m.indexOf(": ");
            String detail = colon >= 0 && colon < 24 ? m.substring(colon + 2) : m;
            if (detail.startsWith(text + " ")) {
                detail = detail.substring(text.length() + 1);
            } else if (detail.startsWith("'" + text + "' ")) {
                detail = detail.substring(text.length() + 3);
            }
            problem(path, "'" + text + "' " + detail);
            return null;
        }
    }

    // ---- the tree ---------------------------------------------------------------------------------

    private LeaseholdConfig root(JsonNode root) {
        Section g = new Section(root, "", GLOBAL, GLOBAL_DEFAULTS);
        g.required("dataDir");
        Path dataDir = value("dataDir", g.string("dataDir"), Path::of);
        FsyncPolicy fsync = value("fsync", g.string("fsync"), t -> {
            try {
                return FsyncPolicy.valueOf(t.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("fsync: " + t + " (expected: always, batch or none)");
            }
        });
        Path control = value("controlSocket", g.string("controlSocket"), Path::of);
        String controlGroup = g.string("controlGroup");

        List<NetworkConfig> networks = new ArrayList<>();
        Map<String, NetworkSpec> specs = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        List<JsonNode> nets = g.list("networks");
        for (int i = 0; i < nets.size(); i++) {
            String path = "networks[" + i + "]";
            NetworkConfig n = network(nets.get(i), path);
            if (n == null) {
                continue;
            }
            if (!ids.add(n.id())) {
                problem(path + ".id", "'" + n.id() + "' is used by another network");
                continue;
            }
            networks.add(n);
            specs.put(n.id(), NeutronDriver.spec(n, path, portPaths.remove(n), problems));
        }

        List<Attachment> attachments = new ArrayList<>();
        JsonNode ns = g.get("namespaces");
        if (ns != null) {
            Set<String> seen = new HashSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = ns.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = "namespaces." + e.getKey();
                if (!e.getValue().isArray()) {
                    problem(path, describe(e.getValue()) + " (expected: a list of {interface, network})");
                    continue;
                }
                for (int k = 0; k < e.getValue().size(); k++) {
                    Section a = new Section(e.getValue().get(k), path + "[" + k + "]", ATTACHMENT, Map.of());
                    a.required("interface");
                    a.required("network");
                    String iface = a.string("interface");
                    String net = a.string("network");
                    if (iface != null && (iface.isEmpty() || iface.length() > 15 || iface.contains("/") || iface.contains(" "))) {
                        problem(a.at("interface"), "'" + iface + "' (expected: a Linux interface name of 1..15 characters)");
                    } else if (net != null && !ids.contains(net)) {
                        problem(a.at("network"), "'" + net + "' names no network of this file");
                    } else if (iface != null && net != null) {
                        if (!seen.add(e.getKey() + "/" + iface)) {
                            problem(a.at("interface"), "'" + iface + "' is attached twice in " + e.getKey());
                        } else {
                            attachments.add(new Attachment(e.getKey(), iface, net));
                        }
                    }
                }
            }
        }
        return new LeaseholdConfig(dataDir, fsync, control, controlGroup, attachments, networks, specs);
    }

    private NetworkConfig network(JsonNode node, String path) {
        Section n = new Section(node, path, NETWORK, NETWORK_DEFAULTS);
        n.required("id");
        String id = n.string("id");
        int mtu = (int) n.integer("mtu", 0, 65535);
        String domain = n.string("dnsDomain");
        if (domain != null && domain.isEmpty()) {
            domain = null;
        }
        Section m = new Section(n.get("metadata") != null ? n.get("metadata")
                : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), n.at("metadata"), METADATA,
                METADATA_DEFAULTS);
        NeutronOptions.Metadata metadata = new NeutronOptions.Metadata(m.bool("enableIsolatedMetadata"), m.bool("forceMetadata"));

        List<SubnetConfig> subnets = new ArrayList<>();
        Map<String, SubnetConfig> byId = new HashMap<>();
        List<JsonNode> sn = n.list("subnets");
        for (int i = 0; i < sn.size(); i++) {
            SubnetConfig s = subnet(sn.get(i), path + ".subnets[" + i + "]");
            if (s != null) {
                if (byId.putIfAbsent(s.id(), s) != null) {
                    problem(path + ".subnets[" + i + "].id", "'" + s.id() + "' is used by another subnet");
                } else {
                    subnets.add(s);
                }
            }
        }
        List<PortConfig> ports = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        Set<String> portIds = new HashSet<>();
        Map<InetAddress, String> holders = new HashMap<>();
        List<JsonNode> pn = n.list("ports");
        for (int i = 0; i < pn.size(); i++) {
            String pp = path + ".ports[" + i + "]";
            PortConfig p = port(pn.get(i), pp, byId, holders);
            if (p != null) {
                if (!portIds.add(p.id())) {
                    problem(pp + ".id", "'" + p.id() + "' is used by another port");
                } else {
                    ports.add(p);
                    paths.add(pp);
                }
            }
        }
        List<String> raw = new ArrayList<>();
        List<JsonNode> rn = n.list("dnsmasqOptions");
        for (int i = 0; i < rn.size(); i++) {
            if (!rn.get(i).isTextual()) {
                problem(path + ".dnsmasqOptions[" + i + "]", describe(rn.get(i)) + " (expected: a dnsmasq option line)");
            } else {
                raw.add(rn.get(i).asText());
            }
        }
        int leaseMax = n.present("leaseMax") ? (int) n.integer("leaseMax", 0, Integer.MAX_VALUE)
                : NeutronDriver.defaultLeaseMax(subnets);
        long renewal = n.integer("renewalTime", 0, 0xfffffffeL);
        long rebinding = n.integer("rebindingTime", 0, 0xfffffffeL);
        if (id == null) {
            return null;
        }
        NetworkConfig config = new NetworkConfig(id, mtu, domain, n.bool("authoritative"), leaseMax, renewal, rebinding,
                metadata, subnets, ports, raw);
        portPaths.put(config, paths);
        return config;
    }

    private SubnetConfig subnet(JsonNode node, String path) {
        Section s = new Section(node, path, SUBNET, SUBNET_DEFAULTS);
        s.required("id");
        s.required("cidr");
        String id = s.string("id");
        IpPrefix cidr = value(s.at("cidr"), s.string("cidr"), IpPrefix::parse);
        boolean v4 = cidr == null || cidr.isIpv4();
        InetAddress gateway = address(s.at("gateway"), s.string("gateway"), cidr);
        List<InetAddress> dns = new ArrayList<>();
        List<JsonNode> dn = s.list("dnsNameservers");
        for (int i = 0; i < dn.size(); i++) {
            InetAddress a = address(s.at("dnsNameservers") + "[" + i + "]", dn.get(i).asText(), cidr);
            if (a != null) {
                dns.add(a);
            }
        }
        List<HostRoute> routes = new ArrayList<>();
        List<JsonNode> rn = s.list("hostRoutes");
        for (int i = 0; i < rn.size(); i++) {
            Section r = new Section(rn.get(i), s.at("hostRoutes") + "[" + i + "]", ROUTE, Map.of());
            r.required("destination");
            r.required("nexthop");
            IpPrefix dest = value(r.at("destination"), r.string("destination"), IpPrefix::parse);
            InetAddress hop = address(r.at("nexthop"), r.string("nexthop"), dest);
            if (dest != null && hop != null) {
                routes.add(new HostRoute(dest, hop));
            }
        }
        AddressMode mode = AddressMode.DHCPV4;
        String modeText = s.string("ipv6AddressMode");
        if (v4 && modeText != null) {
            problem(s.at("ipv6AddressMode"), "'" + modeText + "' given for an IPv4 subnet");
        } else if (!v4) {
            mode = value(s.at("ipv6AddressMode"), modeText == null ? "" : modeText, AddressMode::parseIpv6);
        }
        long lease = Subnet.DEFAULT_LEASE_SECONDS;
        JsonNode lt = s.get("leaseTime");
        if (lt != null) {
            Long l = value(s.at("leaseTime"), lt.asText(), t -> {
                long x = OptionCodecs.parseSeconds(t);
                if (x == 0) {
                    throw new IllegalArgumentException("lease time: " + t + " (expected: 1s or more, or infinite)");
                }
                return x;
            });
            lease = l == null ? lease : l;
        }
        List<AddressRange> pools = new ArrayList<>();
        List<JsonNode> pn = s.list("pools");
        for (int i = 0; i < pn.size(); i++) {
            String pp = s.at("pools") + "[" + i + "]";
            if (!v4) {
                problem(pp, "dynamic pools are IPv4 only (Neutron serves IPv6 statically)");
                continue;
            }
            AddressRange r = value(pp, pn.get(i).asText(), AddressRange::parse);
            if (r != null && cidr != null && !(cidr.contains(r.first()) && cidr.contains(r.last()))) {
                problem(pp, "'" + r + "' is outside " + cidr);
            } else if (r != null) {
                pools.add(r);
            }
        }
        Boolean isolated = s.get("isolated") != null ? s.get("isolated").asBoolean() : null;
        if (id == null || cidr == null || mode == null) {
            return null;
        }
        return new SubnetConfig(id, cidr, gateway, dns, routes, s.bool("enableDhcp"), mode, lease, pools, isolated);
    }

    /** An address of the family of {@code family} (when known). */
    private InetAddress address(String path, String text, IpPrefix family) {
        InetAddress a = value(path, text, t -> {
            try {
                return IpAddresses.parse(t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("address: " + t + " (expected: an IPv4 or IPv6 address)");
            }
        });
        if (a != null && family != null && (a instanceof Inet4Address) != family.isIpv4()) {
            problem(path, "'" + text + "' is not an IPv" + (family.isIpv4() ? "4" : "6") + " address");
            return null;
        }
        return a;
    }

    private PortConfig port(JsonNode node, String path, Map<String, SubnetConfig> subnets, Map<InetAddress, String> holders) {
        Section p = new Section(node, path, PORT, Map.of());
        p.required("id");
        p.required("macAddress");
        String id = p.string("id");
        String mac = p.string("macAddress");
        if (mac != null && !mac.matches("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}")) {
            problem(p.at("macAddress"), "'" + mac + "' (expected: a MAC like fa:16:3e:00:00:01)");
            mac = null;
        }
        List<FixedIp> ips = new ArrayList<>();
        List<JsonNode> fn = p.list("fixedIps");
        for (int i = 0; i < fn.size(); i++) {
            Section f = new Section(fn.get(i), p.at("fixedIps") + "[" + i + "]", FIXED_IP, Map.of());
            f.required("subnetId");
            f.required("ipAddress");
            String subnetId = f.string("subnetId");
            SubnetConfig s = subnetId == null ? null : subnets.get(subnetId);
            if (subnetId != null && s == null) {
                problem(f.at("subnetId"), "'" + subnetId + "' names no subnet of this network");
            }
            InetAddress a = address(f.at("ipAddress"), f.string("ipAddress"), s == null ? null : s.cidr());
            if (a != null && s != null && !s.cidr().contains(a)) {
                problem(f.at("ipAddress"), "'" + f.string("ipAddress") + "' is outside " + s.cidr());
            } else if (a != null && holders.containsKey(a)) {
                problem(f.at("ipAddress"), "'" + f.string("ipAddress") + "' is already held by " + holders.get(a));
            } else if (a != null && s != null) {
                holders.put(a, path);
                ips.add(new FixedIp(subnetId, a));
            }
        }
        List<ExtraDhcpOpt> opts = new ArrayList<>();
        List<JsonNode> on = p.list("extraDhcpOpts");
        for (int i = 0; i < on.size(); i++) {
            Section o = new Section(on.get(i), p.at("extraDhcpOpts") + "[" + i + "]", EXTRA_OPT, EXTRA_OPT_DEFAULTS);
            o.required("optName");
            String name = o.string("optName");
            JsonNode v = o.get("optValue");
            long version = o.integer("ipVersion", 4, 6);
            if (version == 5) {
                problem(o.at("ipVersion"), "5 (expected: 4 or 6)");
            } else if (name != null && name.isBlank()) {
                problem(o.at("optName"), "empty (expected: an option name or number)");
            } else if (name != null) {
                opts.add(new ExtraDhcpOpt(name, v == null ? "" : v.asText(), (int) version));
            }
        }
        if (id == null || mac == null) {
            return null;
        }
        return new PortConfig(id, mac, p.string("deviceOwner"), ips, opts, p.string("dnsName"), p.string("hostname"));
    }
}
