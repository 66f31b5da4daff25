package io.leasehold.v4;

import io.leasehold.option.ClasslessRoute;
import io.leasehold.option.ClientFqdn;
import io.leasehold.option.ClientId;
import io.leasehold.option.DomainNames;
import io.leasehold.option.MachineId;
import io.leasehold.option.NetworkInterfaceId;
import io.leasehold.option.OptionCodec;
import io.leasehold.option.OptionCodecs;
import io.leasehold.option.OptionDef;
import io.leasehold.option.OptionSpace;
import io.leasehold.option.OptionTable;
import io.leasehold.option.SubOption;
import io.leasehold.option.UserClass;
import io.leasehold.option.VendorClass;
import io.leasehold.option.VendorOptions;
import io.leasehold.wire.MalformedPacketException;
import io.leasehold.wire.MalformedPacketException.Reason;
import io.leasehold.wire.Octets;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * The DHCPv4 option definitions: every option of RFC 2132 and the later ones a DHCP server for
 * OpenStack meets, as typed constants, and the {@link #TABLE} that finds them by code or name.
 *
 * <p>Canonical names follow ISC's {@code dhcp-options(5)} spelling (as Kea does); the first alias is
 * dnsmasq's name from {@code dnsmasq --help dhcp}, which Neutron writes into opts files
 * ({@code option:router}, {@code option:dns-server}, {@code option:mtu}, {@code option:T1}...).
 */
public final class Dhcp4Options {

    private Dhcp4Options() {
    }

    private static final List<OptionDef<?>> ALL = new ArrayList<>();

    private static <T> OptionDef<T> def(int code, String name, OptionCodec<T> codec, String reference, String... aliases) {
        OptionDef<T> d = OptionDef.of(OptionSpace.DHCP4, code, name, codec, reference, aliases);
        ALL.add(d);
        return d;
    }

    private static final OptionCodec<List<Inet4Address>> IPV4_LIST_OR_EMPTY = OptionCodecs.list(OptionCodecs.IPV4, 4);

    // RFC 2132 §3: RFC 1497 vendor extensions.
    /** Padding; has no length octet (RFC 2132 §3.1). */
    public static final OptionDef<Boolean> PAD = def(0, "pad", OptionCodecs.PRESENT, "RFC 2132 §3.1");
    public static final OptionDef<Inet4Address> SUBNET_MASK = def(1, "subnet-mask", OptionCodecs.IPV4, "RFC 2132 §3.3", "netmask");
    public static final OptionDef<Integer> TIME_OFFSET = def(2, "time-offset", OptionCodecs.S32, "RFC 2132 §3.4");
    public static final OptionDef<List<Inet4Address>> ROUTERS = def(3, "routers", OptionCodecs.IPV4_LIST, "RFC 2132 §3.5", "router");
    public static final OptionDef<List<Inet4Address>> TIME_SERVERS = def(4, "time-servers", OptionCodecs.IPV4_LIST, "RFC 2132 §3.6");
    public static final OptionDef<List<Inet4Address>> NAME_SERVERS = def(5, "ien116-name-servers", OptionCodecs.IPV4_LIST, "RFC 2132 §3.7");
    public static final OptionDef<List<Inet4Address>> DOMAIN_NAME_SERVERS = def(6, "domain-name-servers", OptionCodecs.IPV4_LIST, "RFC 2132 §3.8", "dns-server");
    public static final OptionDef<List<Inet4Address>> LOG_SERVERS = def(7, "log-servers", OptionCodecs.IPV4_LIST, "RFC 2132 §3.9", "log-server");
    public static final OptionDef<List<Inet4Address>> COOKIE_SERVERS = def(8, "cookie-servers", OptionCodecs.IPV4_LIST, "RFC 2132 §3.10");
    public static final OptionDef<List<Inet4Address>> LPR_SERVERS = def(9, "lpr-servers", OptionCodecs.IPV4_LIST, "RFC 2132 §3.11", "lpr-server");
    public static final OptionDef<List<Inet4Address>> IMPRESS_SERVERS = def(10, "impress-servers", OptionCodecs.IPV4_LIST, "RFC 2132 §3.12");
    public static final OptionDef<List<Inet4Address>> RESOURCE_LOCATION_SERVERS = def(11, "resource-location-servers", OptionCodecs.IPV4_LIST, "RFC 2132 §3.13");
    public static final OptionDef<String> HOST_NAME = def(12, "host-name", OptionCodecs.STRING, "RFC 2132 §3.14", "hostname");
    public static final OptionDef<Integer> BOOT_SIZE = def(13, "boot-size", OptionCodecs.U16, "RFC 2132 §3.15", "boot-file-size");
    public static final OptionDef<String> MERIT_DUMP = def(14, "merit-dump", OptionCodecs.STRING, "RFC 2132 §3.16");
    public static final OptionDef<String> DOMAIN_NAME = def(15, "domain-name", OptionCodecs.STRING, "RFC 2132 §3.17");
    public static final OptionDef<Inet4Address> SWAP_SERVER = def(16, "swap-server", OptionCodecs.IPV4, "RFC 2132 §3.18");
    public static final OptionDef<String> ROOT_PATH = def(17, "root-path", OptionCodecs.STRING, "RFC 2132 §3.19");
    public static final OptionDef<String> EXTENSIONS_PATH = def(18, "extensions-path", OptionCodecs.STRING, "RFC 2132 §3.20", "extension-path");

    // RFC 2132 §4: IP layer parameters per host.
    public static final OptionDef<Boolean> IP_FORWARDING = def(19, "ip-forwarding", OptionCodecs.BOOLEAN, "RFC 2132 §4.1", "ip-forward-enable");
    public static final OptionDef<Boolean> NON_LOCAL_SOURCE_ROUTING = def(20, "non-local-source-routing", OptionCodecs.BOOLEAN, "RFC 2132 §4.2");
    public static final OptionDef<List<Inet4Address>> POLICY_FILTER = def(21, "policy-filter", OptionCodecs.IPV4_PAIRS, "RFC 2132 §4.3");
    public static final OptionDef<Integer> MAX_DGRAM_REASSEMBLY = def(22, "max-dgram-reassembly", OptionCodecs.U16, "RFC 2132 §4.4", "max-datagram-reassembly");
    public static final OptionDef<Integer> DEFAULT_IP_TTL = def(23, "default-ip-ttl", OptionCodecs.U8, "RFC 2132 §4.5", "default-ttl");
    public static final OptionDef<Long> PATH_MTU_AGING_TIMEOUT = def(24, "path-mtu-aging-timeout", OptionCodecs.U32, "RFC 2132 §4.6");
    public static final OptionDef<List<Integer>> PATH_MTU_PLATEAU_TABLE = def(25, "path-mtu-plateau-table", OptionCodecs.nonEmpty(OptionCodecs.U16_LIST), "RFC 2132 §4.7");

    // RFC 2132 §5: IP layer parameters per interface.
    public static final OptionDef<Integer> INTERFACE_MTU = def(26, "interface-mtu", OptionCodecs.U16, "RFC 2132 §5.1", "mtu");
    public static final OptionDef<Boolean> ALL_SUBNETS_LOCAL = def(27, "all-subnets-local", OptionCodecs.BOOLEAN, "RFC 2132 §5.2");
    public static final OptionDef<Inet4Address> BROADCAST_ADDRESS = def(28, "broadcast-address", OptionCodecs.IPV4, "RFC 2132 §5.3", "broadcast");
    public static final OptionDef<Boolean> PERFORM_MASK_DISCOVERY = def(29, "perform-mask-discovery", OptionCodecs.BOOLEAN, "RFC 2132 §5.4");
    public static final OptionDef<Boolean> MASK_SUPPLIER = def(30, "mask-supplier", OptionCodecs.BOOLEAN, "RFC 2132 §5.5");
    public static final OptionDef<Boolean> ROUTER_DISCOVERY = def(31, "router-discovery", OptionCodecs.BOOLEAN, "RFC 2132 §5.6");
    public static final OptionDef<Inet4Address> ROUTER_SOLICITATION_ADDRESS = def(32, "router-solicitation-address", OptionCodecs.IPV4, "RFC 2132 §5.7", "router-solicitation");
    public static final OptionDef<List<Inet4Address>> STATIC_ROUTES = def(33, "static-routes", OptionCodecs.IPV4_PAIRS, "RFC 2132 §5.8", "static-route");

    // RFC 2132 §6: link layer parameters per interface.
    public static final OptionDef<Boolean> TRAILER_ENCAPSULATION = def(34, "trailer-encapsulation", OptionCodecs.BOOLEAN, "RFC 2132 §6.1");
    public static final OptionDef<Long> ARP_CACHE_TIMEOUT = def(35, "arp-cache-timeout", OptionCodecs.U32, "RFC 2132 §6.2", "arp-timeout");
    public static final OptionDef<Boolean> IEEE802_3_ENCAPSULATION = def(36, "ieee802-3-encapsulation", OptionCodecs.BOOLEAN, "RFC 2132 §6.3", "ethernet-encap");

    // RFC 2132 §7: TCP parameters.
    public static final OptionDef<Integer> DEFAULT_TCP_TTL = def(37, "default-tcp-ttl", OptionCodecs.U8, "RFC 2132 §7.1", "tcp-ttl");
    public static final OptionDef<Long> TCP_KEEPALIVE_INTERVAL = def(38, "tcp-keepalive-interval", OptionCodecs.U32, "RFC 2132 §7.2", "tcp-keepalive");
    public static final OptionDef<Boolean> TCP_KEEPALIVE_GARBAGE = def(39, "tcp-keepalive-garbage", OptionCodecs.BOOLEAN, "RFC 2132 §7.3");

    // RFC 2132 §8: application and service parameters.
    public static final OptionDef<String> NIS_DOMAIN = def(40, "nis-domain", OptionCodecs.STRING, "RFC 2132 §8.1");
    public static final OptionDef<List<Inet4Address>> NIS_SERVERS = def(41, "nis-servers", OptionCodecs.IPV4_LIST, "RFC 2132 §8.2", "nis-server");
    public static final OptionDef<List<Inet4Address>> NTP_SERVERS = def(42, "ntp-servers", OptionCodecs.IPV4_LIST, "RFC 2132 §8.3", "ntp-server");
    public static final OptionDef<Octets> VENDOR_ENCAPSULATED_OPTIONS = def(43, "vendor-encapsulated-options", OptionCodecs.OCTETS, "RFC 2132 §8.4");
    public static final OptionDef<List<Inet4Address>> NETBIOS_NAME_SERVERS = def(44, "netbios-name-servers", OptionCodecs.IPV4_LIST, "RFC 2132 §8.5", "netbios-ns");
    public static final OptionDef<List<Inet4Address>> NETBIOS_DD_SERVER = def(45, "netbios-dd-server", OptionCodecs.IPV4_LIST, "RFC 2132 §8.6", "netbios-dd");
    public static final OptionDef<Integer> NETBIOS_NODE_TYPE = def(46, "netbios-node-type", OptionCodecs.U8, "RFC 2132 §8.7", "netbios-nodetype");
    public static final OptionDef<String> NETBIOS_SCOPE = def(47, "netbios-scope", OptionCodecs.STRING, "RFC 2132 §8.8");
    public static final OptionDef<List<Inet4Address>> FONT_SERVERS = def(48, "font-servers", OptionCodecs.IPV4_LIST, "RFC 2132 §8.9", "x-windows-fs");
    public static final OptionDef<List<Inet4Address>> X_DISPLAY_MANAGER = def(49, "x-display-manager", OptionCodecs.IPV4_LIST, "RFC 2132 §8.10", "x-windows-dm");

    // RFC 2132 §9: DHCP extensions.
    public static final OptionDef<Inet4Address> REQUESTED_ADDRESS = def(50, "dhcp-requested-address", OptionCodecs.IPV4, "RFC 2132 §9.1", "requested-address");
    public static final OptionDef<Long> LEASE_TIME = def(51, "dhcp-lease-time", OptionCodecs.SECONDS, "RFC 2132 §9.2", "lease-time");
    /** Option overload: 1 = {@code file} holds options, 2 = {@code sname}, 3 = both. */
    public static final OptionDef<Integer> OPTION_OVERLOAD = def(52, "dhcp-option-overload", OptionCodecs.codec("overload",
            buf -> {
                int v = buf.readUnsignedByte();
                if (v < 1 || v > 3) {
                    throw new MalformedPacketException(
                            Reason.BAD_OVERLOAD, "overload: " + v + " (expected: 1..3)");
                }
                return v;
            },
            (v, out) -> out.writeByte(v),
            text -> (int) OptionCodecs.U8.parse(text),
            v -> Integer.toString(v)), "RFC 2132 §9.3", "option-overload");
    public static final OptionDef<Integer> MESSAGE_TYPE = def(53, "dhcp-message-type", Dhcp4MessageType.CODEC, "RFC 2132 §9.6", "message-type");
    public static final OptionDef<Inet4Address> SERVER_IDENTIFIER = def(54, "dhcp-server-identifier", OptionCodecs.IPV4, "RFC 2132 §9.7", "server-identifier");
    public static final OptionDef<List<Integer>> PARAMETER_REQUEST_LIST = def(55, "dhcp-parameter-request-list", OptionCodecs.U8_LIST, "RFC 2132 §9.8", "parameter-request-list");
    public static final OptionDef<String> MESSAGE = def(56, "dhcp-message", OptionCodecs.STRING, "RFC 2132 §9.9", "message");
    public static final OptionDef<Integer> MAX_MESSAGE_SIZE = def(57, "dhcp-max-message-size", OptionCodecs.U16, "RFC 2132 §9.10", "max-message-size");
    public static final OptionDef<Long> RENEWAL_TIME = def(58, "dhcp-renewal-time", OptionCodecs.SECONDS, "RFC 2132 §9.11", "T1");
    public static final OptionDef<Long> REBINDING_TIME = def(59, "dhcp-rebinding-time", OptionCodecs.SECONDS, "RFC 2132 §9.12", "T2");
    public static final OptionDef<String> VENDOR_CLASS_IDENTIFIER = def(60, "vendor-class-identifier", OptionCodecs.STRING, "RFC 2132 §9.13", "vendor-class");
    public static final OptionDef<ClientId> CLIENT_IDENTIFIER = def(61, "dhcp-client-identifier", ClientId.CODEC, "RFC 2132 §9.14, RFC 4361", "client-id");
    public static final OptionDef<String> NISPLUS_DOMAIN = def(64, "nisplus-domain-name", OptionCodecs.STRING, "RFC 2132 §8.11", "nis+-domain");
    public static final OptionDef<List<Inet4Address>> NISPLUS_SERVERS = def(65, "nisplus-servers", OptionCodecs.IPV4_LIST, "RFC 2132 §8.12", "nis+-server");
    public static final OptionDef<String> TFTP_SERVER_NAME = def(66, "tftp-server-name", OptionCodecs.STRING, "RFC 2132 §9.4", "tftp-server");
    public static final OptionDef<String> BOOT_FILE_NAME = def(67, "boot-file-name", OptionCodecs.STRING, "RFC 2132 §9.5", "bootfile-name");
    /** Zero or more home agents: RFC 2132 §8.13 allows an empty list. */
    public static final OptionDef<List<Inet4Address>> MOBILE_IP_HOME_AGENT = def(68, "mobile-ip-home-agent", IPV4_LIST_OR_EMPTY, "RFC 2132 §8.13", "mobile-ip-home");
    public static final OptionDef<List<Inet4Address>> SMTP_SERVER = def(69, "smtp-server", OptionCodecs.IPV4_LIST, "RFC 2132 §8.14");
    public static final OptionDef<List<Inet4Address>> POP_SERVER = def(70, "pop-server", OptionCodecs.IPV4_LIST, "RFC 2132 §8.15", "pop3-server");
    public static final OptionDef<List<Inet4Address>> NNTP_SERVER = def(71, "nntp-server", OptionCodecs.IPV4_LIST, "RFC 2132 §8.16");
    public static final OptionDef<List<Inet4Address>> WWW_SERVER = def(72, "www-server", OptionCodecs.IPV4_LIST, "RFC 2132 §8.17");
    public static final OptionDef<List<Inet4Address>> FINGER_SERVER = def(73, "finger-server", OptionCodecs.IPV4_LIST, "RFC 2132 §8.18");
    public static final OptionDef<List<Inet4Address>> IRC_SERVER = def(74, "irc-server", OptionCodecs.IPV4_LIST, "RFC 2132 §8.19");
    public static final OptionDef<List<Inet4Address>> STREETTALK_SERVER = def(75, "streettalk-server", OptionCodecs.IPV4_LIST, "RFC 2132 §8.20");
    public static final OptionDef<List<Inet4Address>> STREETTALK_DIRECTORY_ASSISTANCE_SERVER = def(76, "streettalk-directory-assistance-server", OptionCodecs.IPV4_LIST, "RFC 2132 §8.21");

    // Later RFCs.
    public static final OptionDef<UserClass> USER_CLASS = def(77, "user-class", UserClass.CODEC_V4, "RFC 3004");
    public static final OptionDef<Boolean> RAPID_COMMIT = def(80, "rapid-commit", OptionCodecs.PRESENT, "RFC 4039");
    public static final OptionDef<ClientFqdn> CLIENT_FQDN = def(81, "fqdn", ClientFqdn.CODEC, "RFC 4702", "client-fqdn");
    public static final OptionDef<List<SubOption>> RELAY_AGENT_INFORMATION = def(82, "relay-agent-information", SubOption.LIST_U8, "RFC 3046", "agent-info");
    public static final OptionDef<List<Integer>> CLIENT_SYSTEM = def(93, "client-system", OptionCodecs.nonEmpty(OptionCodecs.U16_LIST), "RFC 4578 §2.1", "client-arch", "pxe-client-architecture");
    public static final OptionDef<NetworkInterfaceId> CLIENT_NDI = def(94, "client-ndi", NetworkInterfaceId.CODEC, "RFC 4578 §2.2", "client-interface-id");
    public static final OptionDef<MachineId> UUID_GUID = def(97, "uuid-guid", MachineId.CODEC, "RFC 4578 §2.3", "client-machine-id");
    public static final OptionDef<String> PCODE = def(100, "pcode", OptionCodecs.STRING, "RFC 4833", "posix-timezone");
    public static final OptionDef<String> TCODE = def(101, "tcode", OptionCodecs.STRING, "RFC 4833", "tzdb-timezone");
    public static final OptionDef<Long> V6_ONLY_PREFERRED = def(108, "v6-only-preferred", OptionCodecs.U32, "RFC 8925", "ipv6-only");
    public static final OptionDef<List<String>> DOMAIN_SEARCH = def(119, "domain-search", DomainNames.SEARCH_LIST_COMPRESSED, "RFC 3397");
    public static final OptionDef<List<ClasslessRoute>> CLASSLESS_STATIC_ROUTE = def(121, "classless-static-route", ClasslessRoute.LIST_CODEC, "RFC 3442");
    public static final OptionDef<List<VendorClass>> VIVCO_SUBOPTIONS = def(124, "vivco-suboptions", VendorClass.LIST_CODEC, "RFC 3925 §3", "vendor-identifying-vendor-class");
    public static final OptionDef<List<VendorOptions>> VIVSO_SUBOPTIONS = def(125, "vivso-suboptions", VendorOptions.LIST_CODEC, "RFC 3925 §4", "vendor-id-encap");
    public static final OptionDef<List<Inet4Address>> TFTP_SERVER_ADDRESS = def(150, "tftp-server-address", OptionCodecs.IPV4_LIST, "RFC 5859");
    /** iPXE's encapsulated options; a client that sends it is iPXE (dnsmasq: {@code --dhcp-match=set:ipxe,175}). */
    public static final OptionDef<List<SubOption>> IPXE_ENCAPSULATED = def(175, "ipxe-encapsulated-options", SubOption.LIST_U8, "iPXE (Etherboot)", "ipxe");
    public static final OptionDef<String> CONFIGURATION_FILE = def(209, "configuration-file", OptionCodecs.STRING, "RFC 5071 §5.1", "pxelinux-configfile");
    public static final OptionDef<String> PATH_PREFIX = def(210, "path-prefix", OptionCodecs.STRING, "RFC 5071 §5.2", "pxelinux-pathprefix");
    /** Microsoft's copy of option 121, which Neutron writes alongside it. */
    public static final OptionDef<List<ClasslessRoute>> MS_CLASSLESS_STATIC_ROUTE = def(249, "ms-classless-static-route", ClasslessRoute.LIST_CODEC, "MS-DHCPE §2.2.9");
    /** End of the options; has no length octet (RFC 2132 §3.2). */
    public static final OptionDef<Boolean> END = def(255, "end", OptionCodecs.PRESENT, "RFC 2132 §3.2");

    /** Every definition above, by code and by name. */
    public static final OptionTable TABLE = OptionTable.of(OptionSpace.DHCP4, ALL);

    /**
     * dnsmasq's {@code server-ip-address} is not an option: it sets the {@code siaddr} header field
     * (the next server for network boot). It is a name in opts files, so the opts parser needs it.
     */
    public static final String SIADDR_PSEUDO_OPTION = "server-ip-address";
}
