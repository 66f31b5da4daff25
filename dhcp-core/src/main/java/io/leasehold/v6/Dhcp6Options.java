package io.leasehold.v6;

import io.leasehold.option.DomainNames;
import io.leasehold.option.Duid;
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
import io.leasehold.wire.Octets;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;

/**
 * The DHCPv6 option definitions: the options of RFC 8415 §21 and the later ones a DHCPv6 server
 * for OpenStack meets, as typed constants, and the {@link #TABLE} that finds them by code or name.
 *
 * <p>Canonical names are Kea's (the IANA names, lowercase with hyphens); the first alias is
 * dnsmasq's name from {@code dnsmasq --help dhcp6} where it differs, which Neutron writes into opts
 * files ({@code option6:dns-server,[fd00::53]}, {@code option6:domain-search,openstacklocal}), then
 * Neutron's own spelling ({@code ia-addr}). IPv6 values accept the brackets Neutron puts around
 * them.
 *
 * <p>Unlike DHCPv4 there is no pad, no end and no concatenation (RFC 3396 is DHCPv4 only): an
 * option that appears twice is two options, as several IA_NA options are several IAs.
 */
public final class Dhcp6Options {

    private Dhcp6Options() {
    }

    private static final List<OptionDef<?>> ALL = new ArrayList<>();

    private static <T> OptionDef<T> def(int code, String name, OptionCodec<T> codec, String reference, String... aliases) {
        OptionDef<T> d = OptionDef.of(OptionSpace.DHCP6, code, name, codec, reference, aliases);
        ALL.add(d);
        return d;
    }

    /**
     * A DHCPv6 vendor class (RFC 8415 §21.16): one enterprise number, then class items with
     * two-octet lengths. Text: {@code enterprise:item,item}, items as {@link UserClass} writes them.
     */
    private static final OptionCodec<VendorClass> VENDOR_CLASS_CODEC = OptionCodecs.codec("vendor-class6",
            buf -> {
                if (buf.readableBytes() < 4) {
                    throw OptionCodecs.malformed("vendor class: " + buf.readableBytes() + " bytes (expected: at least 4)");
                }
                long enterprise = buf.readUnsignedInt();
                return new VendorClass(enterprise, Dhcp6Codecs.readItems(buf, "vendor class " + enterprise));
            },
            (v, out) -> {
                out.writeInt((int) v.enterpriseNumber());
                Dhcp6Codecs.writeItems(v.items(), out);
            },
            text -> {
                int colon = text.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("vendor class: '" + text + "' (expected: enterprise:item,item)");
                }
                return new VendorClass(Dhcp6Codecs.u32(text.substring(0, colon), "enterprise number"),
                        Dhcp6Codecs.parseItems(text.substring(colon + 1)));
            },
            v -> v.enterpriseNumber() + ":" + Dhcp6Codecs.formatItems(v.items()));

    /**
     * DHCPv6 vendor-specific information (RFC 8415 §21.17): one enterprise number, then the vendor's
     * options with two-octet codes and lengths. Text: {@code enterprise:code=hex,code=hex}.
     */
    private static final OptionCodec<VendorOptions> VENDOR_OPTS_CODEC = OptionCodecs.codec("vendor-opts6",
            buf -> {
                if (buf.readableBytes() < 4) {
                    throw OptionCodecs.malformed("vendor options: " + buf.readableBytes() + " bytes (expected: at least 4)");
                }
                long enterprise = buf.readUnsignedInt();
                return new VendorOptions(enterprise, SubOption.LIST_U16.decode(buf));
            },
            (v, out) -> {
                out.writeInt((int) v.enterpriseNumber());
                SubOption.LIST_U16.encode(v.options(), out);
            },
            text -> {
                int colon = text.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("vendor options: '" + text + "' (expected: enterprise:code=hex,...)");
                }
                return new VendorOptions(Dhcp6Codecs.u32(text.substring(0, colon), "enterprise number"),
                        SubOption.LIST_U16.parse(text.substring(colon + 1)));
            },
            v -> v.enterpriseNumber() + ":" + SubOption.LIST_U16.format(v.options()));

    // RFC 8415 §21: the base protocol.
    public static final OptionDef<Duid> CLIENT_ID = def(1, "client-id", Duid.CODEC, "RFC 8415 §21.2");
    public static final OptionDef<Duid> SERVER_ID = def(2, "server-id", Duid.CODEC, "RFC 8415 §21.3");
    public static final OptionDef<IaNa> IA_NA = def(3, "ia-na", IaNa.CODEC, "RFC 8415 §21.4");
    public static final OptionDef<IaTa> IA_TA = def(4, "ia-ta", IaTa.CODEC, "RFC 8415 §21.5");
    public static final OptionDef<IaAddress> IAADDR = def(5, "iaaddr", IaAddress.CODEC, "RFC 8415 §21.6", "ia-addr");
    /** Option request: the codes the client asks for; RFC 8415 §21.7 allows an empty list. */
    public static final OptionDef<List<Integer>> ORO = def(6, "oro", OptionCodecs.U16_LIST, "RFC 8415 §21.7");
    public static final OptionDef<Integer> PREFERENCE = def(7, "preference", OptionCodecs.U8, "RFC 8415 §21.8");
    /** Hundredths of a second since the client began the exchange; 0xffff means longer. */
    public static final OptionDef<Integer> ELAPSED_TIME = def(8, "elapsed-time", OptionCodecs.U16, "RFC 8415 §21.9");
    /** The relayed message, raw; {@link Dhcp6Message#relayMessage} reads it as a message. */
    public static final OptionDef<Octets> RELAY_MSG = def(9, "relay-msg", OptionCodecs.OCTETS, "RFC 8415 §21.10");
    public static final OptionDef<Authentication> AUTH = def(11, "auth", Authentication.CODEC, "RFC 8415 §21.11");
    public static final OptionDef<Inet6Address> UNICAST = def(12, "unicast", OptionCodecs.IPV6, "RFC 8415 §21.12");
    public static final OptionDef<StatusCode> STATUS_CODE = def(13, "status-code", StatusCode.CODEC, "RFC 8415 §21.13");
    public static final OptionDef<Boolean> RAPID_COMMIT = def(14, "rapid-commit", OptionCodecs.PRESENT, "RFC 8415 §21.14");
    public static final OptionDef<UserClass> USER_CLASS = def(15, "user-class", UserClass.CODEC_V6, "RFC 8415 §21.15");
    public static final OptionDef<VendorClass> VENDOR_CLASS = def(16, "vendor-class", VENDOR_CLASS_CODEC, "RFC 8415 §21.16");
    public static final OptionDef<VendorOptions> VENDOR_OPTS = def(17, "vendor-opts", VENDOR_OPTS_CODEC, "RFC 8415 §21.17");
    /** Set by a relay agent; a server copies it into its Relay-reply unchanged (RFC 8415 §21.18). */
    public static final OptionDef<Octets> INTERFACE_ID = def(18, "interface-id", OptionCodecs.OCTETS, "RFC 8415 §21.18");
    public static final OptionDef<Integer> RECONF_MSG = def(19, "reconf-msg", Dhcp6MessageType.CODEC, "RFC 8415 §21.19");
    public static final OptionDef<Boolean> RECONF_ACCEPT = def(20, "reconf-accept", OptionCodecs.PRESENT, "RFC 8415 §21.20");

    // Configuration options (RFC 8415 §21.1 framing; domain names uncompressed, RFC 8415 §10).
    public static final OptionDef<List<String>> SIP_SERVER_DNS = def(21, "sip-server-dns", DomainNames.SEARCH_LIST, "RFC 3319 §3.1", "sip-server-domain");
    public static final OptionDef<List<Inet6Address>> SIP_SERVER_ADDR = def(22, "sip-server-addr", OptionCodecs.IPV6_LIST, "RFC 3319 §3.2", "sip-server");
    public static final OptionDef<List<Inet6Address>> DNS_SERVERS = def(23, "dns-servers", OptionCodecs.IPV6_LIST, "RFC 3646 §3", "dns-server");
    public static final OptionDef<List<String>> DOMAIN_SEARCH = def(24, "domain-search", DomainNames.SEARCH_LIST, "RFC 3646 §4");
    public static final OptionDef<IaPd> IA_PD = def(25, "ia-pd", IaPd.CODEC, "RFC 8415 §21.21");
    public static final OptionDef<IaPrefix> IAPREFIX = def(26, "iaprefix", IaPrefix.CODEC, "RFC 8415 §21.22");
    public static final OptionDef<List<Inet6Address>> NIS_SERVERS = def(27, "nis-servers", OptionCodecs.IPV6_LIST, "RFC 3898 §3", "nis-server");
    public static final OptionDef<List<Inet6Address>> NISP_SERVERS = def(28, "nisp-servers", OptionCodecs.IPV6_LIST, "RFC 3898 §4", "nis+-server");
    public static final OptionDef<List<String>> NIS_DOMAIN_NAME = def(29, "nis-domain-name", DomainNames.SEARCH_LIST, "RFC 3898 §5", "nis-domain");
    public static final OptionDef<List<String>> NISP_DOMAIN_NAME = def(30, "nisp-domain-name", DomainNames.SEARCH_LIST, "RFC 3898 §6", "nis+-domain");
    public static final OptionDef<List<Inet6Address>> SNTP_SERVERS = def(31, "sntp-servers", OptionCodecs.IPV6_LIST, "RFC 4075 §4", "sntp-server");
    /** How long a stateless client may use its configuration (dnsmasq sends 600 s). */
    public static final OptionDef<Long> INFORMATION_REFRESH_TIME = def(32, "information-refresh-time", OptionCodecs.SECONDS, "RFC 8415 §21.23");
    public static final OptionDef<RemoteId> REMOTE_ID = def(37, "remote-id", RemoteId.CODEC, "RFC 4649 §3");
    public static final OptionDef<Octets> SUBSCRIBER_ID = def(38, "subscriber-id", OptionCodecs.OCTETS, "RFC 4580 §2");
    public static final OptionDef<Fqdn6> CLIENT_FQDN = def(39, "client-fqdn", Fqdn6.CODEC, "RFC 4704 §4");
    public static final OptionDef<String> NEW_POSIX_TIMEZONE = def(41, "new-posix-timezone", OptionCodecs.UTF8, "RFC 4833 §3", "posix-timezone");
    public static final OptionDef<String> NEW_TZDB_TIMEZONE = def(42, "new-tzdb-timezone", OptionCodecs.UTF8, "RFC 4833 §3", "tzdb-timezone");
    public static final OptionDef<List<NtpServer>> NTP_SERVER = def(56, "ntp-server", NtpServer.LIST_CODEC, "RFC 5908 §4");
    public static final OptionDef<String> BOOTFILE_URL = def(59, "bootfile-url", OptionCodecs.UTF8, "RFC 5970 §3.1");
    public static final OptionDef<List<Octets>> BOOTFILE_PARAM = def(60, "bootfile-param", Dhcp6Codecs.OPAQUE_LIST, "RFC 5970 §3.2");
    public static final OptionDef<List<Integer>> CLIENT_ARCH_TYPE = def(61, "client-arch-type", OptionCodecs.nonEmpty(OptionCodecs.U16_LIST), "RFC 5970 §3.3");
    public static final OptionDef<NetworkInterfaceId> NII = def(62, "nii", NetworkInterfaceId.CODEC, "RFC 5970 §3.4");
    public static final OptionDef<LinkLayerAddress> CLIENT_LINKLAYER_ADDR = def(79, "client-linklayer-addr", LinkLayerAddress.CODEC, "RFC 6939 §4");
    public static final OptionDef<Long> SOL_MAX_RT = def(82, "sol-max-rt", OptionCodecs.SECONDS, "RFC 8415 §21.24");
    public static final OptionDef<Long> INF_MAX_RT = def(83, "inf-max-rt", OptionCodecs.SECONDS, "RFC 8415 §21.25");

    /** Every definition above, by code and by name. */
    public static final OptionTable TABLE = OptionTable.of(OptionSpace.DHCP6, ALL);

    /**
     * Where the nested options start in the value of a container option: after IA_NA's and IA_PD's
     * IAID, T1 and T2 (12), IA_TA's IAID (4), IAADDR's address and lifetimes (24), IAPREFIX's
     * lifetimes, length and prefix (25). -1 for an option that holds no options.
     */
    public static int nestedOptionsOffset(int code) {
        switch (code) {
            case 3: case 25: return IaNa.FIXED_LENGTH;
            case 4: return IaTa.FIXED_LENGTH;
            case 5: return IaAddress.FIXED_LENGTH;
            case 26: return IaPrefix.FIXED_LENGTH;
            default: return -1;
        }
    }
}
