package io.leasehold.server;

import io.leasehold.lab.Lab;
import io.leasehold.model.AddressMode;
import io.leasehold.model.IpPrefix;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.wire.IpAddresses;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ServeSmokeIT {

    @Test
    void udhcpcGetsItsReservedAddress() throws Exception {
        Lab.assumeCommand("busybox", "busybox");
        try (Lab lab = Lab.create()) {
            String srv = lab.namespace("srv");
            String cli = lab.namespace("cli");
            String s = lab.prefix() + "s";
            String c = lab.prefix() + "c";
            lab.veth(srv, s, "fa:16:3e:00:00:02", cli, c, "fa:16:3e:00:00:11");
            lab.address(srv, s, "10.99.0.2/24");
            NetworkSnapshot net = NetworkSnapshot.builder("net").subnet(
                    Subnet.of("s4", IpPrefix.parse("10.99.0.0/24"), AddressMode.DHCPV4))
                    .reservation(Reservation.of("p1", 0xfa163e000011L, "vm1", IpAddresses.parse("10.99.0.11")))
                    .build();
            try (LeaseholdServer server = LeaseholdServer.builder().network(net).serve(srv, s, "net")
                    .watchNamespaces(false).eventLoopThreads(1).build().start()) {
                assertTrue(server.awaitServing(srv, s, Duration.ofSeconds(10)), "serving");
                Path env = lab.dir().resolve("env");
                Path script = lab.dir().resolve("script.sh");
                Files.writeString(script, "#!/bin/sh\nenv > " + env + "\n");
                script.toFile().setExecutable(true);
                Lab.Result r = lab.exec(cli, Duration.ofSeconds(20), "busybox", "udhcpc", "-i", c, "-n", "-q", "-f",
                        "-t", "5", "-T", "1", "-s", script.toString());
                String out = Files.exists(env) ? Files.readString(env) : "(no env)";
                assertTrue(r.ok(), r + "\n" + out + "\n" + server.network("net").counters().snapshot());
                assertTrue(out.contains("ip=10.99.0.11"), out);
            }
        }
    }
}
