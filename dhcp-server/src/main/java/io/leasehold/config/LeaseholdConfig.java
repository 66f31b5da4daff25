package io.leasehold.config;

import io.leasehold.dnsmasq.NetworkSpec;
import io.leasehold.store.FsyncPolicy;
import io.leasehold.model.AddressMode;
import io.leasehold.model.AddressRange;
import io.leasehold.model.HostRoute;
import io.leasehold.model.IpPrefix;
import io.leasehold.model.NeutronOptions;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Leasehold's native configuration, as {@link ConfigLoader} reads it from YAML or JSON: where state
 * lives, how it is synced, the control socket, which interfaces in which namespaces serve which
 * network, and the networks themselves in Neutron's shape (subnets and ports as the Neutron API and
 * the DHCP agent's RPC describe them, neutron-compat §4.5), so that a network configured here is
 * served exactly as Neutron's dnsmasq driver would have it served.
 *
 * @param dataDir       where leases and journals are kept
 * @param fsync         when the journal is forced to disk
 * @param controlSocket the control socket's path, or null for none
 * @param controlGroup  the group whose members may use the control socket besides root, or null
 * @param attachments   served interfaces, in file order
 * @param networks      networks, in file order
 * @param specs         each network as the engines will serve it, by id, in file order
 */
public record LeaseholdConfig(Path dataDir, FsyncPolicy fsync, Path controlSocket, String controlGroup,
                              List<Attachment> attachments,
                              List<NetworkConfig> networks, Map<String, NetworkSpec> specs) {

    public LeaseholdConfig {
        attachments = List.copyOf(attachments);
        networks = List.copyOf(networks);
        specs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(specs));
    }

    /** Each network's snapshot, built fresh, by id in file order: what the daemon serves at start. */
    public Map<String, io.leasehold.model.NetworkSnapshot> snapshots() {
        Map<String, io.leasehold.model.NetworkSnapshot> out = new LinkedHashMap<>();
        specs.forEach((id, spec) -> out.put(id, spec.build()));
        return out;
    }

    /**
     * A network.
     *
     * @param id             Neutron's network id
     * @param mtu            the MTU, 0 when unknown (then no option 26)
     * @param dnsDomain      the DNS domain ({@code --domain}), or null
     * @param authoritative  NAK unknown or wrong addresses ({@code --dhcp-authoritative})
     * @param leaseMax       the most leases held ({@code --dhcp-lease-max})
     * @param renewalTime    Neutron's {@code dhcp_renewal_time}, forced as option 58 when > 0
     * @param rebindingTime  Neutron's {@code dhcp_rebinding_time}, forced as option 59 when > 0
     * @param metadata       Neutron's {@code enable_isolated_metadata} and {@code force_metadata}
     * @param subnets        subnets in order (Neutron sorts them by id)
     * @param ports          ports in order
     * @param dnsmasqOptions extra option lines in dnsmasq syntax, served after Neutron's
     */
    public record NetworkConfig(String id, int mtu, String dnsDomain, boolean authoritative, int leaseMax,
                                long renewalTime, long rebindingTime, NeutronOptions.Metadata metadata,
                                List<SubnetConfig> subnets, List<PortConfig> ports, List<String> dnsmasqOptions) {
        public NetworkConfig {
            subnets = List.copyOf(subnets);
            ports = List.copyOf(ports);
            dnsmasqOptions = List.copyOf(dnsmasqOptions);
        }
    }

    /**
     * A subnet, as the Neutron API has it.
     *
     * @param id              Neutron's subnet id
     * @param cidr            the prefix
     * @param gateway         the gateway, or null
     * @param dnsNameservers  DNS servers; {@code [0.0.0.0]} means "announce none"
     * @param hostRoutes      host routes
     * @param enableDhcp      whether DHCP serves the subnet
     * @param ipv6AddressMode the IPv6 address mode (DHCPV4 for IPv4 subnets)
     * @param leaseSeconds    the lease time ({@code Subnet.INFINITE} for infinite)
     * @param pools           dynamic IPv4 ranges (Neutron serves static only: usually empty)
     * @param isolated        whether no router interface holds the gateway; null to work it out
     *                        from the ports as Neutron does
     */
    public record SubnetConfig(String id, IpPrefix cidr, InetAddress gateway, List<InetAddress> dnsNameservers,
                               List<HostRoute> hostRoutes, boolean enableDhcp, AddressMode ipv6AddressMode,
                               long leaseSeconds, List<AddressRange> pools, Boolean isolated) {
        public SubnetConfig {
            dnsNameservers = List.copyOf(dnsNameservers);
            hostRoutes = List.copyOf(hostRoutes);
            pools = List.copyOf(pools);
        }
    }

    /**
     * A port, as the Neutron API has it.
     *
     * @param id            Neutron's port id
     * @param macAddress    the MAC as given (Neutron keeps its case)
     * @param deviceOwner   e.g. {@code compute:nova}, {@code network:dhcp}; null when not given
     * @param fixedIps      its addresses
     * @param extraDhcpOpts its extra DHCP options
     * @param dnsName       Neutron's {@code dns_name}, or null
     * @param hostname      an explicit FQDN (Neutron's {@code dns_assignment} fqdn), or null
     */
    public record PortConfig(String id, String macAddress, String deviceOwner, List<FixedIp> fixedIps,
                             List<ExtraDhcpOpt> extraDhcpOpts, String dnsName, String hostname) {
        public PortConfig {
            fixedIps = List.copyOf(fixedIps);
            extraDhcpOpts = List.copyOf(extraDhcpOpts);
        }
    }

    /** A fixed IP of a port. */
    public record FixedIp(String subnetId, InetAddress ipAddress) {
    }

    /** An extra DHCP option of a port: Neutron's {@code extra_dhcp_opts} entry. */
    public record ExtraDhcpOpt(String optName, String optValue, int ipVersion) {
    }
}
