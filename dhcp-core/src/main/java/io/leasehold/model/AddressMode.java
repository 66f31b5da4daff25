package io.leasehold.model;

/**
 * How a subnet's clients get addresses: Neutron's {@code ipv6_address_mode} for IPv6 subnets, and
 * plain DHCP for IPv4 ones.
 */
public enum AddressMode {
    /** An IPv4 subnet: DHCPv4. */
    DHCPV4,
    /** IPv6, addresses and options over DHCPv6 (RFC 8415 stateful). */
    DHCPV6_STATEFUL,
    /** IPv6, addresses by SLAAC, options over DHCPv6 Information-request. */
    DHCPV6_STATELESS,
    /** IPv6 by SLAAC only: no DHCPv6 service (Neutron emits no dhcp-range). */
    SLAAC;

    /** Parses Neutron's spelling ({@code dhcpv6-stateful}, {@code slaac}...); null or empty is stateful, the legacy default. */
    public static AddressMode parseIpv6(String text) {
        if (text == null || text.isEmpty() || text.equals("null")) {
            return DHCPV6_STATEFUL;
        }
        switch (text) {
            case "dhcpv6-stateful": return DHCPV6_STATEFUL;
            case "dhcpv6-stateless": return DHCPV6_STATELESS;
            case "slaac": return SLAAC;
            default:
                throw new IllegalArgumentException("ipv6 address mode: '" + text
                        + "' (expected: slaac, dhcpv6-stateful or dhcpv6-stateless)");
        }
    }

    /** Neutron's spelling. */
    public String neutronName() {
        switch (this) {
            case DHCPV6_STATEFUL: return "dhcpv6-stateful";
            case DHCPV6_STATELESS: return "dhcpv6-stateless";
            case SLAAC: return "slaac";
            default: return "dhcpv4";
        }
    }
}
