package io.leasehold.examples;

import io.leasehold.lab.Lab;
import io.leasehold.server.LeaseholdServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's example serves a real client: the port it adds at runtime gets its address. */
class EmbeddingExampleIT {

    @Test
    void theReadmeExampleServesARealClient() throws Exception {
        Lab.assumeCommand("busybox", "busybox");
        try (Lab lab = Lab.create()) {
            String srv = lab.namespace("srv");
            String cli = lab.namespace("cli");
            String s = lab.prefix() + "s";
            String c = lab.prefix() + "c";
            lab.veth(srv, s, "fa:16:3e:00:00:02", cli, c, "fa:16:3e:00:00:12");
            lab.address(srv, s, "10.0.0.2/24");
            try (LeaseholdServer server = EmbeddingExample.start(srv, s)) {
                assertTrue(server.awaitServing(srv, s, Duration.ofSeconds(10)));
                Lab.Result r = lab.exec(cli, Duration.ofSeconds(30), "busybox", "udhcpc", "-i", c, "-n", "-q", "-f",
                        "-t", "10", "-T", "1", "-s", "/bin/true");
                assertTrue(r.ok(), r.toString());
                assertEquals(1, server.leases4("net1").size());
                assertEquals("10.0.0.12", io.leasehold.wire.IpAddresses.ipv4Text(server.leases4("net1").get(0).address()));
            }
        }
    }
}
