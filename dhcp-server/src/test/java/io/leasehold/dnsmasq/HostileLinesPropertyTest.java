package io.leasehold.dnsmasq;

import io.leasehold.model.OptionLine;
import io.leasehold.model.Reservation;
import io.leasehold.testing.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded property: hostile and random lines interleaved with good ones. Every good line survives in
 * order, every bad line is reported exactly once with its line number, and nothing throws. (Run
 * with {@code -Dleasehold.seed=N} to reproduce; the seed is in the test name.)
 */
class HostileLinesPropertyTest {

    static LongStream seeds() {
        return Seeds.of(40);
    }

    /** Lines no parser may accept: injections, bad separators, bad MACs and addresses, garbage. */
    private static final String[] HOSTILE = {
            "fa:16:3e:00:00:01,h\u0000x,10.0.0.1",
            "fa:16:3e:00:00:01,h\rset:port-evil,10.0.0.1",
            "fa:16:3e:00:00:01;h;10.0.0.1",
            "fa:16:3e:00:00:01 h 10.0.0.1",
            "fa:16:3e:00:00:0g,h,10.0.0.1",
            "fa:16:3e:00:00:01,h,10.0.0.256",
            "fa:16:3e:00:00:01,h,[fd00:::1]",
            "fa:16:3e:00:00:01,,10.0.0.1",
            ",,,",
            "\u001b[31m",
            "fa:16:3e:00:00:01,h," + "x".repeat(4100),
            "tag:port-x,option:router,",
            "tag:port-x,option:nonesuch,1",
            "option:mtu,70000",
            "\ufffd\ufffd",
    };

    private static String garbage(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(40);
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(10) == 0 ? r.nextInt(32) : 33 + r.nextInt(94);
            sb.append(c == '\n' || c == '#' ? '\u0001' : (char) c);
        }
        // A blank line is skipped by the file parsers, as dnsmasq skips it: make garbage visible.
        return sb.toString().isBlank() ? sb.append('!').toString() : sb.toString();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void hostsFileKeepsEveryGoodLineAndReportsEachBadOneOnce(long seed) {
        Random r = new Random(seed);
        StringBuilder text = new StringBuilder();
        List<String> good = new ArrayList<>();
        Set<Integer> badLines = new HashSet<>();
        int line = 0;
        for (int i = 0; i < 200; i++) {
            line++;
            if (r.nextInt(3) == 0) {
                String bad = r.nextBoolean() ? HOSTILE[r.nextInt(HOSTILE.length)] : garbage(r);
                // garbage may by chance be a valid line; count it as bad only when it is refused
                boolean refused;
                try {
                    HostsFile.parseLine(bad);
                    refused = false;
                } catch (IllegalArgumentException e) {
                    refused = true;
                }
                if (!refused) {
                    line--;
                    continue;
                }
                text.append(bad).append('\n');
                badLines.add(line);
            } else {
                String g = String.format("fa:16:3e:00:00:%02x,host-%d,10.0.0.%d", i, i, i + 1);
                good.add(g);
                text.append(g).append('\n');
            }
        }
        HostsFile.Result result = HostsFile.parse("host", text);
        assertEquals(good, result.reservations().stream().map(Reservation::id).toList());
        Set<Integer> reported = new HashSet<>();
        for (LineError e : result.errors()) {
            assertTrue(reported.add(e.line()), "line " + e.line() + " reported twice");
            assertFalse(e.message().isEmpty());
        }
        assertEquals(badLines, reported);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void optsFileKeepsEveryGoodLineAndReportsEachBadOneOnce(long seed) {
        Random r = new Random(seed);
        StringBuilder text = new StringBuilder();
        List<OptionLine> good = new ArrayList<>();
        int bad = 0;
        for (int i = 0; i < 200; i++) {
            if (r.nextInt(3) == 0) {
                String b = r.nextBoolean() ? HOSTILE[r.nextInt(HOSTILE.length)] : garbage(r);
                try {
                    OptsFile.parseLine(b, false);
                    continue;       // valid by chance
                } catch (IllegalArgumentException e) {
                    bad++;
                }
                text.append(b).append('\n');
            } else {
                String g = "tag:port-" + i + ",option:mtu," + (1000 + i);
                good.add(OptsFile.parseLine(g, false));
                text.append(g).append('\n');
            }
        }
        OptsFile.Result result = OptsFile.parse("opts", text);
        assertEquals(good, result.lines());
        assertEquals(bad, result.errors().size());
        assertEquals(bad, result.errors().stream().map(LineError::line).distinct().count());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomArgvNeverThrows(long seed) {
        Random r = new Random(seed);
        List<String> argv = new ArrayList<>();
        String[] pieces = {"--dhcp-range=", "--dhcp-option=", "-x", "--", "-", "--pid-file", "--dhcp-host=",
                "--dhcp-match=", "-kd", "--domain", "", "--test", "-F", "--dhcp-lease-max="};
        for (int i = 0; i < 12; i++) {
            argv.add(pieces[r.nextInt(pieces.length)] + (r.nextBoolean() ? garbage(r) : ""));
        }
        DnsmasqArgs a = DnsmasqArgs.parse(argv);
        assertTrue(a.errors().size() + a.warnings().size() >= 0);
    }
}
