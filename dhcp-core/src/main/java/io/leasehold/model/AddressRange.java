package io.leasehold.model;

import io.leasehold.wire.IpAddresses;

/**
 * An inclusive range of IPv4 addresses that a subnet hands out dynamically, network order ints.
 */
public record AddressRange(int first, int last) {

    public AddressRange {
        if (Integer.compareUnsigned(first, last) > 0) {
            throw new IllegalArgumentException("range: " + IpAddresses.ipv4Text(first) + "-" + IpAddresses.ipv4Text(last)
                    + " (expected: first <= last)");
        }
    }

    /** Parses {@code a.b.c.d-e.f.g.h}. */
    public static AddressRange parse(String text) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException("range: '" + text + "' (expected: first-last)");
        }
        return new AddressRange(IpAddresses.toInt(IpAddresses.parseIpv4(text.substring(0, dash))),
                IpAddresses.toInt(IpAddresses.parseIpv4(text.substring(dash + 1))));
    }

    public boolean contains(int address) {
        return Integer.compareUnsigned(address, first) >= 0 && Integer.compareUnsigned(address, last) <= 0;
    }

    /** The number of addresses in the range. */
    public long size() {
        return (last & 0xffffffffL) - (first & 0xffffffffL) + 1;
    }

    @Override
    public String toString() {
        return IpAddresses.ipv4Text(first) + "-" + IpAddresses.ipv4Text(last);
    }
}
