package io.leasehold.netns;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A link as an {@code RTM_NEWLINK} or {@code RTM_DELLINK} message describes it ({@code rtnetlink(7)}):
 * in a dump, one per interface; as an event, the interface after (or, for {@code DEL}, at) the
 * change.
 *
 * @param change          whether the link appeared or changed ({@code NEW}) or went away ({@code DEL})
 * @param ifindex         {@code ifi_index}, {@code > 0}, meaningful in the namespace the socket belongs to
 * @param name            {@code IFLA_IFNAME}
 * @param flags           {@code ifi_flags}, the {@code IFF_*} bits of {@code linux/if.h}
 * @param mtu             {@code IFLA_MTU}, or 0 if the message had none
 * @param hardwareAddress {@code IFLA_ADDRESS} (6 bytes for Ethernet), empty if the message had none
 */
public record LinkEvent(Rtnetlink.Change change, int ifindex, String name, int flags, int mtu, byte[] hardwareAddress) {

    /** {@code IFF_UP} ({@code linux/if.h}): administratively up. */
    public static final int IFF_UP = 0x1;
    /** {@code IFF_RUNNING} ({@code linux/if.h}): operationally up (RFC 2863 "up"). */
    public static final int IFF_RUNNING = 0x40;
    /** {@code IFF_LOWER_UP} ({@code linux/if.h}): the driver reports carrier. */
    public static final int IFF_LOWER_UP = 0x10000;

    public LinkEvent {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(name, "name");
        if (ifindex <= 0) {
            throw new IllegalArgumentException("ifindex: " + ifindex + " (expected: > 0)");
        }
        hardwareAddress = hardwareAddress.clone();
    }

    /** Administratively up ({@code IFF_UP}). */
    public boolean up() {
        return (flags & IFF_UP) != 0;
    }

    /** Operationally up ({@code IFF_RUNNING}). */
    public boolean running() {
        return (flags & IFF_RUNNING) != 0;
    }

    /** A copy of {@code IFLA_ADDRESS}. */
    @Override
    public byte[] hardwareAddress() {
        return hardwareAddress.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkEvent e && change == e.change && ifindex == e.ifindex && name.equals(e.name)
                && flags == e.flags && mtu == e.mtu && Arrays.equals(hardwareAddress, e.hardwareAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(change, ifindex, name, flags, mtu) * 31 + Arrays.hashCode(hardwareAddress);
    }

    @Override
    public String toString() {
        return "LinkEvent(" + change + " " + ifindex + ": " + name + (up() ? " UP" : "") + (running() ? " RUNNING" : "")
                + " mtu " + mtu + " " + HexFormat.ofDelimiter(":").formatHex(hardwareAddress) + ")";
    }
}
