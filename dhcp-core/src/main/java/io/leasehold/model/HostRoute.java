package io.leasehold.model;

import java.net.InetAddress;
import java.util.Objects;

/** A Neutron subnet host route: a destination prefix and its next hop. */
public record HostRoute(IpPrefix destination, InetAddress nexthop) {
    public HostRoute {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(nexthop, "nexthop");
    }
}
