package io.leasehold.model;

import io.leasehold.option.ClasslessRoute;
import io.leasehold.option.OptionSpace;
import io.leasehold.v4.Dhcp4Options;
import io.leasehold.v6.Dhcp6Options;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The option lines Neutron's dnsmasq driver writes for a network, made from the network's subnets,
 * so that a network configured natively gets the same answers as one served from Neutron's opts
 * file (neutron {@code agent/linux/dhcp.py}, {@code _generate_opts_per_subnet}).
 *
 * <p>Per DHCP-served subnet, in subnet order:
 * <ol>
 *   <li>DNS servers when configured, or a no-value line (suppressing the default) when the only
 *       server is the unspecified address;</li>
 *   <li>for IPv6, the domain search list of the network's DNS domain;</li>
 *   <li>for IPv4, classless routes (option 121, and the same list as 249): a route to each sibling
 *       IPv4 subnet on the segment, the host routes except the default, the metadata route, and
 *       the default route through the gateway;</li>
 *   <li>for IPv4, the router, or a no-value line when there is no gateway.</li>
 * </ol>
 * Network-wide: {@code option:mtu} forced when the MTU is known, and forced T1/T2 when configured.
 */
public final class NeutronOptions {

    /** The metadata service address Nova's instances fetch from. */
    public static final String METADATA_ADDRESS = "169.254.169.254";

    private NeutronOptions() {
    }

    /**
     * How the metadata route is chosen (neutron {@code _generate_opts_per_subnet}).
     *
     * @param enableIsolatedMetadata {@code enable_isolated_metadata} (Debian's default: true)
     * @param forceMetadata          {@code force_metadata}
     */
    public record Metadata(boolean enableIsolatedMetadata, boolean forceMetadata) {
        public static final Metadata DEBIAN_DEFAULT = new Metadata(true, false);
    }

    /**
     * The subnet lines of {@code subnet}.
     *
     * @param siblings          the other IPv4 subnets of the network (for on-link routes)
     * @param isolated          true when no router interface holds the subnet's gateway address
     * @param dhcpPortAddress   the DHCP port's address on this subnet (for the isolated metadata route)
     * @param dnsDomain         the network's DNS domain, or null
     */
    public static List<OptionLine> forSubnet(Subnet subnet, List<Subnet> siblings, boolean isolated,
                                             InetAddress dhcpPortAddress, String dnsDomain, Metadata metadata) {
        List<OptionLine> lines = new ArrayList<>();
        if (!subnet.isServed()) {
            return lines;
        }
        List<TagMatch> tag = List.of(new TagMatch("subnet-" + subnet.id(), false));
        if (subnet.isIpv4()) {
            dnsLine(subnet, tag, lines);
            List<ClasslessRoute> routes = classlessRoutes(subnet, siblings, isolated, dhcpPortAddress, metadata);
            if (!routes.isEmpty()) {
                lines.add(OptionLine.of(Dhcp4Options.CLASSLESS_STATIC_ROUTE, routes, tag, false));
                lines.add(OptionLine.of(Dhcp4Options.MS_CLASSLESS_STATIC_ROUTE, routes, tag, false));
            }
            if (subnet.gateway() instanceof Inet4Address) {
                lines.add(OptionLine.of(Dhcp4Options.ROUTERS, List.of((Inet4Address) subnet.gateway()), tag, false));
            } else {
                lines.add(new OptionLine(OptionSpace.DHCP4, Dhcp4Options.ROUTERS.code(), null, tag, false, false));
            }
        } else {
            dnsLine(subnet, tag, lines);
            if (dnsDomain != null && !dnsDomain.isEmpty()) {
                lines.add(OptionLine.of(Dhcp6Options.DOMAIN_SEARCH, List.of(dnsDomain), tag, false));
            }
        }
        return lines;
    }

    private static void dnsLine(Subnet subnet, List<TagMatch> tag, List<OptionLine> lines) {
        List<InetAddress> dns = subnet.dnsServers();
        if (dns.isEmpty()) {
            return;
        }
        OptionSpace space = subnet.isIpv4() ? OptionSpace.DHCP4 : OptionSpace.DHCP6;
        int code = subnet.isIpv4() ? Dhcp4Options.DOMAIN_NAME_SERVERS.code() : Dhcp6Options.DNS_SERVERS.code();
        if (dns.size() == 1 && dns.get(0).isAnyLocalAddress()) {
            // Neutron's way of saying "no DNS server": a line with no value.
            lines.add(new OptionLine(space, code, null, tag, false, false));
            return;
        }
        if (subnet.isIpv4()) {
            List<Inet4Address> v4 = dns.stream().filter(a -> a instanceof Inet4Address).map(a -> (Inet4Address) a).toList();
            lines.add(OptionLine.of(Dhcp4Options.DOMAIN_NAME_SERVERS, v4, tag, false));
        } else {
            List<Inet6Address> v6 = dns.stream().filter(a -> a instanceof Inet6Address).map(a -> (Inet6Address) a).toList();
            lines.add(OptionLine.of(Dhcp6Options.DNS_SERVERS, v6, tag, false));
        }
    }

    /** The classless route list of an IPv4 subnet, in Neutron's order; empty when there is none. */
    public static List<ClasslessRoute> classlessRoutes(Subnet subnet, List<Subnet> siblings, boolean isolated,
                                                       InetAddress dhcpPortAddress, Metadata metadata) {
        List<ClasslessRoute> routes = new ArrayList<>();
        Inet4Address any = IpAddresses.parseIpv4("0.0.0.0");
        Inet4Address gateway = subnet.gateway() instanceof Inet4Address ? (Inet4Address) subnet.gateway() : null;
        for (Subnet s : siblings) {
            if (s.isIpv4() && !s.id().equals(subnet.id())) {
                // Neutron inserts each sibling at the front of the list.
                routes.add(0, new ClasslessRoute((Inet4Address) s.cidr().address(), s.cidr().length(), any));
            }
        }
        for (HostRoute hr : subnet.hostRoutes()) {
            if (!hr.destination().isIpv4() || !(hr.nexthop() instanceof Inet4Address)) {
                continue;
            }
            if (hr.destination().length() == 0) {
                if (gateway == null) {
                    gateway = (Inet4Address) hr.nexthop();
                }
                continue;
            }
            routes.add(new ClasslessRoute((Inet4Address) hr.destination().address(), hr.destination().length(),
                    (Inet4Address) hr.nexthop()));
        }
        Inet4Address metadataAddress = IpAddresses.parseIpv4(METADATA_ADDRESS);
        if ((metadata.forceMetadata() || (isolated && metadata.enableIsolatedMetadata()))
                && dhcpPortAddress instanceof Inet4Address) {
            routes.add(new ClasslessRoute(metadataAddress, 32, (Inet4Address) dhcpPortAddress));
        } else if (!isolated && gateway != null) {
            routes.add(new ClasslessRoute(metadataAddress, 32, gateway));
        }
        if (!routes.isEmpty() && gateway != null) {
            routes.add(new ClasslessRoute(any, 0, gateway));
        }
        return routes;
    }

    /**
     * The network-wide lines Neutron puts on dnsmasq's command line: {@code option:mtu} forced when
     * the MTU is known, and {@code option:T1}/{@code option:T2} forced when configured (0 = not).
     */
    public static List<OptionLine> forNetwork(int mtu, long renewalSeconds, long rebindingSeconds) {
        List<OptionLine> lines = new ArrayList<>();
        if (mtu > 0) {
            lines.add(OptionLine.of(Dhcp4Options.INTERFACE_MTU, mtu, List.of(), true));
        }
        if (renewalSeconds > 0) {
            lines.add(OptionLine.of(Dhcp4Options.RENEWAL_TIME, renewalSeconds, List.of(), true));
        }
        if (rebindingSeconds > 0) {
            lines.add(OptionLine.of(Dhcp4Options.REBINDING_TIME, rebindingSeconds, List.of(), true));
        }
        return lines;
    }

    /** A port's extra option as a line tagged {@code port-<id>} (plus any tag in the option name). */
    public static OptionLine forPort(String portId, OptionSpace space, int code, Octets value, List<TagMatch> extraTags) {
        List<TagMatch> tags = new ArrayList<>();
        tags.add(new TagMatch("port-" + portId, false));
        tags.addAll(extraTags);
        return new OptionLine(space, code, value, tags, false, false);
    }
}
