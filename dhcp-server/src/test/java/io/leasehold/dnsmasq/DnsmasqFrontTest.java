package io.leasehold.dnsmasq;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The front's answers that need no network: version, --test, bad command lines, as dnsmasq 2.90 gives them. */
class DnsmasqFrontTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new DnsmasqFront(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(List.of(args));
    }

    @Test
    void versionPassesNeutronsSanityCheck() {
        assertEquals(0, run("--version"));
        // neutron/cmd/sanity/checks.py: re.search(r"version (\d+\.\d+)", out) >= 2.67, 2.81 for addr6 lists
        Matcher m = Pattern.compile("version (\\d+\\.\\d+)").matcher(out.toString(StandardCharsets.UTF_8));
        assertTrue(m.find(), out.toString(StandardCharsets.UTF_8));
        assertEquals("2.90", m.group(1));
    }

    @Test
    void testAnswersSyntaxCheckOkOnStandardError() {
        // neutron/cmd/runtime_checks.py: dnsmasq --test --dhcp-host=tag:foo must exit 0
        assertEquals(0, run("--test", "--dhcp-host=tag:foo"));
        assertEquals("dnsmasq: syntax check OK.\n", err.toString(StandardCharsets.UTF_8));
        assertEquals(0, run("--test", "--local-service"));
    }

    @Test
    void neutronsWholeCommandLinePassesTest() throws Exception {
        List<String> args = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/neutron-generated/dnsmasq-args"));
        for (String l : lines.subList(1, lines.size())) {
            args.add(l.replace("{CONFS}", "/var/lib/neutron/dhcp"));
        }
        args.add(2, "");   // the empty element Neutron passes when local resolv is on
        args.add("--test");
        assertEquals(0, run(args.toArray(new String[0])), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBadCommandLineIsExitOneWithDnsmasqsMessage() {
        assertEquals(1, run("--no-such-option"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("dnsmasq: bad command line options: "), err.toString());
    }

    @Test
    void anUnreadableConfFileIsExitThree() {
        assertEquals(3, run("--test", "--conf-file=/nonexistent/leasehold.conf"));
    }

    /** The same exit code as the installed dnsmasq for the same command line. */
    @ParameterizedTest
    @ValueSource(strings = {"--test", "--test --local-service", "--test --dhcp-host=tag:foo", "--bogus",
            "--test --dhcp-leasefile=/a --dhcp-leasefile=/b", "--test --conf-file=/nonexistent",
            "--test --dhcp-range=set:x,10.0.0.0,static,255.255.255.0,86400s --dhcp-option-force=option:mtu,1450",
            "--test --dhcp-lease-max=abc", "--test junk"})
    void exitCodesMatchDnsmasq(String line) throws Exception {
        Path dnsmasq = Path.of("/usr/sbin/dnsmasq");
        Assumptions.assumeTrue(Files.isExecutable(dnsmasq), "dnsmasq is not installed (apt-get install dnsmasq-base)");
        List<String> cmd = new ArrayList<>(List.of(dnsmasq.toString()));
        cmd.addAll(List.of(line.split(" ")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(p.exitValue(), run(line.split(" ")), line + ": " + err.toString(StandardCharsets.UTF_8));
    }
}
