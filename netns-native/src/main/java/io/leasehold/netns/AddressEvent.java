package io.leasehold.netns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.Objects;

/**
 * An interface address as an {@code RTM_NEWADDR} or {@code RTM_DELADDR} message describes it
 * ({@code rtnetlink(7)}).
 *
 * @param change       whether the address was added ({@code NEW}) or removed ({@code DEL})
 * @param family       {@code INET} or {@code INET6}, from {@code ifa_family}
 * @param ifindex      {@code ifa_index}, {@code > 0}
 * @param address      the interface's own address: {@code IFA_LOCAL} when present (on a
 *                     point-to-point link {@code IFA_ADDRESS} is the peer), else {@code IFA_ADDRESS}
 * @param prefixLength {@code ifa_prefixlen}
 * @param scope        {@code ifa_scope}: 0 universe, 253 link, 254 host ({@code RT_SCOPE_*}, {@code linux/rtnetlink.h})
 * @param flags        {@code IFA_FLAGS} if present, else {@code ifa_flags} ({@code IFA_F_*}, {@code linux/if_addr.h})
 */
public record AddressEvent(Rtnetlink.Change change, StandardProtocolFamily family, int ifindex, InetAddress address,
        int prefixLength, int scope, int flags) {

    /** {@code RT_SCOPE_LINK} ({@code linux/rtnetlink.h}). */
    public static final int SCOPE_LINK = 253;
    /** {@code IFA_F_TENTATIVE} ({@code linux/if_addr.h}): IPv6 duplicate address detection still running. */
    public static final int IFA_F_TENTATIVE = 0x40;

    public AddressEvent {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(address, "address");
        if (ifindex <= 0) {
            throw new IllegalArgumentException("ifindex: " + ifindex + " (expected: > 0)");
        }
        boolean v4 = address instanceof Inet4Address;
        if (v4 != (family == StandardProtocolFamily.INET)) {
            throw new IllegalArgumentException("family: " + family + " (expected: the family of " + address + ")");
        }
        int max = v4 ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefixLength: " + prefixLength + " (expected: 0.." + max + ")");
        }
    }

    @Override
    public String toString() {
        return "AddressEvent(" + change + " " + ifindex + ": " + address.getHostAddress() + "/" + prefixLength
                + " scope " + scope + " flags 0x" + Integer.toHexString(flags) + ")";
    }
}
