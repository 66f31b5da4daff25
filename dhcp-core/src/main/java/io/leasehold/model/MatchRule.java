package io.leasehold.model;

import java.util.Objects;

/**
 * A rule that tags clients by what they send: dnsmasq's {@code --dhcp-match} and
 * {@code --dhcp-userclass}. Neutron always passes two: {@code --dhcp-match=set:ipxe,175} (a DHCPv4
 * client sending option 175 is iPXE) and {@code --dhcp-userclass=set:ipxe6,iPXE}.
 *
 * @param setTag the tag to set
 * @param kind   what to look at
 * @param code   the option code, for {@link Kind#DHCP4_OPTION} and {@link Kind#DHCP6_OPTION}
 * @param value  the user class text, for {@link Kind#USER_CLASS}
 */
public record MatchRule(String setTag, Kind kind, int code, String value) {

    public enum Kind {
        /** The DHCPv4 client sent option {@code code}. */
        DHCP4_OPTION,
        /** The DHCPv6 client sent option {@code code}. */
        DHCP6_OPTION,
        /** The client's user class (DHCPv4 77, DHCPv6 15) contains {@code value}. */
        USER_CLASS
    }

    public MatchRule {
        Objects.requireNonNull(setTag, "setTag");
        Objects.requireNonNull(kind, "kind");
    }

    /** {@code --dhcp-match=set:ipxe,175}. */
    public static final MatchRule NEUTRON_IPXE = new MatchRule("ipxe", Kind.DHCP4_OPTION, 175, null);

    /** {@code --dhcp-userclass=set:ipxe6,iPXE}. */
    public static final MatchRule NEUTRON_IPXE6 = new MatchRule("ipxe6", Kind.USER_CLASS, 0, "iPXE");
}
