package io.leasehold.demo;

import io.leasehold.lab.Lab;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main job, {@code leasehold demo}, runs as a user would see it, and leaves nothing behind. */
class DemoIT {

    @Test
    void theDemoServesARealClientAndCleansUp() throws Exception {
        Lab.assumeAvailable();
        Lab.assumeCommand("busybox", "busybox");
        StringWriter text = new StringWriter();
        int exit = new Demo(new PrintWriter(text, true)).run();
        String out = text.toString();
        assertEquals(0, exit, out);
        assertTrue(out.contains("lease of 10.99.0.11 obtained from 10.99.0.2"), out);
        assertTrue(out.contains("address: 10.99.0.11/24"), out);
        assertTrue(out.contains("169.254.169.254 via 10.99.0.2"), out);
        assertTrue(out.contains("mtu:     1450"), out);
        assertTrue(out.contains("nameserver 10.99.0.2"), out);
        assertTrue(out.contains("10.99.0.11      fa:16:3e:99:00:11 demo-vm"), out);
        if (io.leasehold.demo.Sandbox.hasCommand("dhclient")) {
            assertTrue(out.contains("address: fd00:99::11/128"), out);
        }
        String netns = Lab.run("ip", "netns", "list").out();
        assertFalse(netns.contains("lhdemo"), "namespaces removed: " + netns);
        assertFalse(Files.exists(Path.of("/etc/netns")) && Files.list(Path.of("/etc/netns")).anyMatch(
                p -> p.getFileName().toString().startsWith("lhdemo")), "no /etc/netns leftovers");
    }
}
