package io.leasehold.examples;

import io.leasehold.lease.Lease4;
import io.leasehold.model.AddressMode;
import io.leasehold.model.IpPrefix;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.server.LeaseholdServer;
import io.leasehold.wire.IpAddresses;

import java.util.List;

/**
 * The embedding example of the README, compiled by the build and run by {@link EmbeddingExampleIT};
 * {@link ReadmeExampleTest} checks that the README shows exactly the lines between the markers.
 */
public final class EmbeddingExample {

    private EmbeddingExample() {
    }

    /** Serves one network on interface {@code tap} of namespace {@code namespace}, as the README shows. */
    public static LeaseholdServer start(String namespace, String tap) {
        // README:begin
        NetworkSnapshot network = NetworkSnapshot.builder("net1")
                .settings(NetworkSnapshot.Settings.DEFAULT.withDomain("openstacklocal").withMtu(1450))
                .subnet(Subnet.of("s4", IpPrefix.parse("10.0.0.0/24"), AddressMode.DHCPV4)
                        .withGateway(IpAddresses.parse("10.0.0.1"))
                        .withDnsServers(List.of(IpAddresses.parse("10.0.0.2"))))
                .reservation(Reservation.of("vm-1", 0xfa163e000011L, "vm-1", IpAddresses.parse("10.0.0.11")))
                .build();

        LeaseholdServer server = LeaseholdServer.builder()
                .network(network)
                .serve(namespace, tap, "net1")      // a namespace under /run/netns ("" for this one)
                .build()
                .start();                            // needs root: sockets are opened inside the namespace

        // A port added: a new snapshot sharing all the rest with the old one, used from the next packet.
        server.update("net1", n -> n.withReservation(
                Reservation.of("vm-2", 0xfa163e000012L, "vm-2", IpAddresses.parse("10.0.0.12"))));

        for (Lease4 lease : server.leases4("net1")) {
            System.out.println(lease);
        }
        // ... and server.close() when done.
        // README:end
        return server;
    }
}
