package io.leasehold.cli;

import io.leasehold.demo.Sandbox;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.leasehold.cli.ControlCommandsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code leasehold namespaces attach|ls|detach} on real namespaces, with a real client between
 * attach and detach: busybox udhcpc gets its reserved address, which {@code leases} then shows and
 * {@code release} frees. Root only.
 */
class NamespacesCommandIT {

    @TempDir
    Path dir;

    @Test
    void attachServeReleaseDetach() throws Exception {
        Assumptions.assumeTrue(Sandbox.isRoot(), "namespace command test skipped: not root");
        Assumptions.assumeTrue(Sandbox.hasCommand("busybox"), "namespace command test skipped: no busybox (apt-get install busybox)");
        try (Sandbox sb = Sandbox.create("lhc"); ControlFixture f = new ControlFixture(dir, 0)) {
            String srv = sb.namespace("s");
            String cli = sb.namespace("c");
            sb.veth(srv, "s0", "fa:16:3e:00:00:02", cli, "c0", "fa:16:3e:aa:00:01");
            sb.address(srv, "s0", "10.0.0.2/24");
            String sock = f.socket.toString();

            Run attach = cli(sock, "namespaces", "attach", "--namespace", srv, "--interface", "s0", "--network", "net1");
            assertEquals(ExitCodes.OK, attach.code, attach.err);
            assertEquals("serving network net1 on s0 in namespace " + srv + "\n", attach.out);
            assertTrue(f.server.awaitServing(srv, "s0", Duration.ofSeconds(10)));
            Run ls = cli(sock, "namespaces", "ls");
            assertTrue(ls.out.matches("(?s)NAMESPACE +INTERFACE +NETWORK +STATE\n" + srv + " +s0 +net1 +serving\n"), ls.out);
            Run waiting = cli(sock, "namespaces", "attach", "--namespace", srv + "-later", "--interface", "t0", "--network", "net2");
            assertEquals(ExitCodes.OK, waiting.code, waiting.err);
            assertTrue(cli(sock, "namespaces", "ls").out.contains(srv + "-later  t0         net2     waiting for the namespace"),
                    cli(sock, "namespaces", "ls").out);
            assertEquals(ExitCodes.OK, cli(sock, "namespaces", "detach", "--namespace", srv + "-later", "--interface", "t0").code);

            Sandbox.Result dhcp = sb.exec(cli, Duration.ofSeconds(30), "busybox", "udhcpc", "-i", "c0", "-q", "-n",
                    "-t", "5", "-T", "1", "-s", "/bin/true");
            assertTrue(dhcp.out().contains("lease of 10.0.0.5 obtained") || dhcp.err().contains("lease of 10.0.0.5 obtained"),
                    dhcp.toString());
            Run leases = cli(sock, "leases", "--mac", "fa:16:3e:aa:00:01");
            assertTrue(leases.out.matches("(?s).*\nnet1 +10\\.0\\.0\\.5 +fa:16:3e:aa:00:01 +fixed-a +bound .*"), leases.out);
            assertEquals(ExitCodes.OK, cli(sock, "release", "10.0.0.5").code);
            assertFalse(cli(sock, "leases", "--network", "net1").out.contains("10.0.0.5"), "released");

            Run detach = cli(sock, "namespaces", "detach", "--namespace", srv, "--interface", "s0");
            assertEquals(ExitCodes.OK, detach.code, detach.err);
            assertFalse(f.server.attachedNamespaces().contains(srv));
            Run again = cli(sock, "namespaces", "detach", "--namespace", srv, "--interface", "s0");
            assertEquals(ExitCodes.NOT_FOUND, again.code, again.err);
            assertEquals("leasehold: interface s0 of namespace '" + srv + "' is not served\n", again.err);
            Run unknown = cli(sock, "namespaces", "attach", "--namespace", srv, "--interface", "s0", "--network", "nope");
            assertEquals(ExitCodes.UNKNOWN_NETWORK, unknown.code);
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run cli(String socket, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--socket");
        a.add(socket);
        ControlCommandsTest.Run r = run(a.toArray(new String[0]));
        return new Run(r.code(), r.out(), r.err());
    }
}
