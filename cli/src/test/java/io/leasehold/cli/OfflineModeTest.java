package io.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.leasehold.cli.ControlCommandsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --lease-file}: the lease commands over a lease file written by a real dnsmasq (see the
 * fixture's README), with no daemon. Expectations are read from the file's own lines, so a fresh
 * run of the fixture script keeps the test valid.
 */
class OfflineModeTest {

    @TempDir
    Path dir;
    Path file;
    /** The file's IPv4 lines: expiry, MAC, address, host name, client id. */
    final List<String[]> v4 = new ArrayList<>();
    String[] v6;

    @BeforeEach
    void copyFixture() throws Exception {
        file = dir.resolve("dnsmasq-real.leases");
        try (InputStream in = getClass().getResourceAsStream("/lease/dnsmasq-real.leases")) {
            assertNotNull(in, "fixture missing");
            Files.copy(in, file);
        }
        boolean afterDuid = false;
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split(" ");
            if (f[0].equals("duid")) {
                afterDuid = true;
            } else if (afterDuid) {
                v6 = f;
            } else {
                v4.add(f);
            }
        }
        assertEquals(3, v4.size());
        assertNotNull(v6);
    }

    @Test
    void everyLeaseOfTheFileIsListedSortedByAddress() throws Exception {
        Run r = run("leases", "--lease-file", file.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertEquals("", r.err());
        String[] lines = r.out().split("\n");
        assertEquals(1 + 4, lines.length, r.out());
        List<String[]> sorted = new ArrayList<>(v4);
        sorted.sort((a, b) -> Integer.compare(Integer.parseInt(a[2].substring(a[2].lastIndexOf('.') + 1)),
                Integer.parseInt(b[2].substring(b[2].lastIndexOf('.') + 1))));
        for (int i = 0; i < 3; i++) {
            String[] f = sorted.get(i);
            assertTrue(lines[1 + i].matches("dnsmasq-real\\.leases +" + f[2].replace(".", "\\.") + " +" + f[1] + " +"
                    + f[3] + " +bound +\\S+ +" + f[4]), lines[1 + i]);
        }
        assertTrue(lines[4].contains(v6[2]) && lines[4].contains("iaid " + v6[1]) && lines[4].contains("duid " + v6[4]),
                lines[4]);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ControlCommandsTest.Run r = ControlCommandsTest.run(args);
        return new Run(r.code(), r.out(), r.err());
    }

    @Test
    void filtersAndJsonWorkOnTheFileAsOnTheDaemon() throws Exception {
        String[] fixed = v4.stream().filter(f -> f[3].equals("fixed-host")).findFirst().orElseThrow();
        JsonNode j = Json.parse(run("leases", "--lease-file", file.toString(), "--hostname", "fixed-*",
                "--network", "net99", "-o", "json").out().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(1, j.path("leases").size());
        JsonNode l = j.path("leases").get(0);
        assertEquals("net99", l.path("network").asText());
        assertEquals(fixed[2], l.path("address").asText());
        assertEquals(fixed[1], l.path("mac").asText());
        assertEquals(fixed[4], l.path("clientId").asText());
        assertEquals(Long.parseLong(fixed[0]), l.path("expires").asLong());
        assertEquals("bound", l.path("state").asText());

        // dhclient's DUID-LLT carries its MAC: the IPv6 lease is found by it.
        String clientMac = v6[4].substring(v6[4].length() - 17);
        Run byMac = run("leases", "--lease-file", file.toString(), "--mac", clientMac);
        assertTrue(byMac.out().contains(v6[2]), byMac.out());

        Run show = run("lease", "show", v4.get(0)[2], "--lease-file", file.toString());
        assertEquals(ExitCodes.OK, show.code(), show.err());
        assertTrue(show.out().contains("hostname  " + v4.get(0)[3]), show.out());
        Run none = run("lease", "show", "10.99.0.254", "--lease-file", file.toString());
        assertEquals(ExitCodes.NOT_FOUND, none.code());
        assertEquals("leasehold: no lease of 10.99.0.254 in " + file + "\n", none.err());
    }

    @Test
    void aMissingFileAndBadLinesAreReported() throws Exception {
        Run missing = run("leases", "--lease-file", dir.resolve("nope.leases").toString());
        assertEquals(ExitCodes.FAILURE, missing.code());
        assertEquals("leasehold: " + dir.resolve("nope.leases") + ": no such file\n", missing.err());

        Files.writeString(file, "garbage line here\n", java.nio.file.StandardOpenOption.APPEND);
        Run bad = run("leases", "--lease-file", file.toString());
        assertEquals(ExitCodes.OK, bad.code());
        assertTrue(bad.err().startsWith("leasehold: " + file + ": line 6: "), bad.err());
        assertEquals(5, bad.out().split("\n").length, "the good lines are still listed");
    }
}
