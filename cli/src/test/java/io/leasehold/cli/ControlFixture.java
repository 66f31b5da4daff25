package io.leasehold.cli;

import io.leasehold.control.ControlServer;
import io.leasehold.control.ControlTarget;
import io.leasehold.control.PeerPolicy;
import io.leasehold.control.ReservationOverlay;
import io.leasehold.lease.Lease4;
import io.leasehold.lease.Lease6;
import io.leasehold.lease.LeaseState;
import io.leasehold.lease.LeaseTable;
import io.leasehold.model.AddressMode;
import io.leasehold.model.IpPrefix;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.netns.NetnsSupport;
import io.leasehold.option.Duid;
import io.leasehold.server.LeaseholdServer;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;

import java.io.IOException;
import java.net.Inet6Address;
import java.nio.file.Path;

/**
 * A server with two networks and known leases, its control socket in a temporary directory:
 * what the command tests talk to. The server is started (event loops and all) where this machine
 * can run it, else left unstarted; the control socket is real either way.
 *
 * <pre>
 * net1: 10.0.0.0/24 + fd00:1::/64   leases 10.0.0.10..10.0.0.10+n-1 (MAC fa:16:3e:00:01:xx, host vm-N),
 *                                   one declined 10.0.0.250, one v6 fd00:1::5 (DUID-LL of fa:16:3e:00:01:00)
 *                                   reservation port-a: fa:16:3e:aa:00:01 -> 10.0.0.5 (host fixed-a)
 * net2: 10.2.0.0/24                 lease 10.2.0.7 (fa:16:3e:00:02:07, host other)
 * </pre>
 */
final class ControlFixture implements AutoCloseable {

    static final long NOW = System.currentTimeMillis() / 1000;

    final LeaseholdServer server;
    final ControlServer control;
    final Path socket;
    final Path dataDir;
    final ReservationOverlay overlay;

    ControlFixture(Path dir, int leases) throws IOException {
        this(dir, leases, null);
    }

    ControlFixture(Path dir, int leases, PeerPolicy policy) throws IOException {
        dataDir = dir.resolve("data");
        overlay = ReservationOverlay.open(dataDir);
        NetworkSnapshot net1 = overlay.apply(NetworkSnapshot.builder("net1")
                .subnet(Subnet.of("s1", IpPrefix.parse("10.0.0.0/24"), AddressMode.DHCPV4))
                .subnet(Subnet.of("s1v6", IpPrefix.parse("fd00:1::/64"), AddressMode.DHCPV6_STATEFUL))
                .reservation(Reservation.of("port-a", 0xfa163eaa0001L, "fixed-a", IpAddresses.parse("10.0.0.5")))
                .build());
        NetworkSnapshot net2 = overlay.apply(NetworkSnapshot.builder("net2")
                .subnet(Subnet.of("s2", IpPrefix.parse("10.2.0.0/24"), AddressMode.DHCPV4))
                .build());
        server = LeaseholdServer.builder().eventLoopThreads(1).watchNamespaces(false)
                .network(net1).network(net2)
                .leaseTables(n -> table(n.id(), leases))
                .build();
        if (NetnsSupport.isAvailable()) {
            server.start();
        }
        socket = dir.resolve("run").resolve("control.sock");
        ControlServer.Options options = ControlServer.Options.of(socket);
        control = ControlServer.start(ControlTarget.inMemory(server, overlay),
                policy == null ? options : options.withPeerPolicy(policy));
    }

    static LeaseTable table(String network, int leases) {
        LeaseTable t = new LeaseTable(network, 1 << 20);
        if (network.equals("net1")) {
            for (int i = 0; i < leases; i++) {
                int address = IpAddresses.toInt(IpAddresses.parseIpv4("10.0.0.10")) + i;
                t.put(new Lease4(address, 0xfa163e000100L + i, Octets.of((byte) 1, (byte) i), "vm-" + i,
                        NOW + 3600 + i, LeaseState.BOUND));
            }
            t.put(new Lease4(IpAddresses.toInt(IpAddresses.parseIpv4("10.0.0.250")), 0xfa163e0001ffL, null, null,
                    NOW + 600, LeaseState.DECLINED));
            t.put(new Lease6((Inet6Address) IpAddresses.parse("fd00:1::5"), 128, Lease6.IaType.NA,
                    Duid.ll(1, Octets.of((byte) 0xfa, (byte) 0x16, (byte) 0x3e, (byte) 0, (byte) 1, (byte) 0)),
                    7, "vm-0", NOW + 120, LeaseState.BOUND));
        } else {
            t.put(new Lease4(IpAddresses.toInt(IpAddresses.parseIpv4("10.2.0.7")), 0xfa163e000207L, null, "other",
                    Lease4.NEVER, LeaseState.BOUND));
        }
        return t;
    }

    @Override
    public void close() {
        control.close();
        server.stop();
    }
}
