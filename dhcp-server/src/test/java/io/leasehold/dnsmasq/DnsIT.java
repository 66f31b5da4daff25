package io.leasehold.dnsmasq;

import io.leasehold.lab.Lab;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DNS as dnsmasq serves it to instances, side by side: the same queries from the instance's
 * namespace to dnsmasq 2.90 and then to the Leasehold front, started with the same command line and
 * files (Neutron's), must get the same answers, decoded ({@code dns-tool.py}): local names (A, AAAA,
 * PTR) over UDP and TCP, names forwarded to a fake upstream over UDP and TCP, REFUSED without
 * upstreams, and {@code --local-service} dropping a query from outside the namespace's subnets.
 */
class DnsIT {

    private static final Path TOOL = Path.of("src/test/resources/io/leasehold/dnsmasq/dns-tool.py").toAbsolutePath();
    private NeutronBed bed;

    @AfterEach
    void tearDown() {
        if (bed != null) {
            bed.close();
        }
    }

    /** The queries, as {@code dns-tool.py query} arguments after the server, by label. */
    private static Map<String, List<String>> queries(String server) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        q.put("A fqdn", List.of(server, "host-10-20-0-21.openstacklocal", "A"));
        q.put("A short", List.of(server, "host-10-20-0-31", "A"));
        q.put("AAAA", List.of(server, "host-fd00-20-1--21.openstacklocal", "AAAA"));
        q.put("no AAAA", List.of(server, "host-10-20-0-21.openstacklocal", "AAAA"));
        q.put("PTR v4", List.of(server, "21.0.20.10.in-addr.arpa", "PTR"));
        q.put("A over TCP", List.of(server, "host-10-20-0-21.openstacklocal", "A", "tcp"));
        q.put("forwarded", List.of(server, "example.org", "A"));
        q.put("forwarded over TCP", List.of(server, "www.example.org", "A", "tcp"));
        q.put("over IPv6", List.of("fd00:20:1::2", "host-10-20-0-11", "A"));
        q.put("from outside", List.of(server, "host-10-20-0-21", "A", "source=198.51.100.9", "timeout=2"));
        return q;
    }

    private Map<String, String> ask(Map<String, List<String>> queries) throws IOException, InterruptedException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : queries.entrySet()) {
            List<String> cmd = new ArrayList<>(List.of("python3", TOOL.toString(), "query"));
            cmd.addAll(e.getValue());
            String answer = bed.lab.exec(bed.cli, Duration.ofSeconds(15), cmd.toArray(new String[0])).out().trim();
            if (answer.contains(" aa=0 ")) {
                // dnsmasq caches forwarded answers and counts their TTL down; Leasehold does not cache
                answer = answer.replaceAll("/\\d+(,|$)", "$1");
            }
            out.put(e.getKey(), answer);
        }
        return out;
    }

    private Process dnsmasq(List<String> args, String log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("dnsmasq"));
        cmd.addAll(args);
        return bed.lab.spawn(bed.srv, bed.lab.dir().resolve(log), cmd.toArray(new String[0]));
    }

    private boolean answering() {
        try {
            return bed.lab.exec(bed.cli, Duration.ofSeconds(5), "python3", TOOL.toString(), "query", "10.20.0.2",
                    "host-10-20-0-11", "A", "timeout=1").out().contains("rcode=0");
        } catch (Exception e) {
            return false;
        }
    }

    private static List<String> withServers(List<String> args, boolean upstream, boolean localService) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--server=") || (!localService && a.equals("--local-service"))) {
                continue;
            }
            out.add(a);
        }
        if (upstream) {
            out.add("--server=10.20.0.53");
        }
        out.add("-k");
        return out;
    }

    private Map<String, String> both(List<String> args, Map<String, List<String>> queries, String tag) throws Exception {
        Process d = dnsmasq(args, "dnsmasq-" + tag + ".log");
        Map<String, String> fromDnsmasq;
        try {
            assertTrue(Lab.await(Duration.ofSeconds(10), this::answering), "dnsmasq answers: " + bed.log("dnsmasq-" + tag + ".log"));
            fromDnsmasq = ask(queries);
        } finally {
            d.destroy();
            d.waitFor(5, TimeUnit.SECONDS);
        }
        Process f = bed.front(args, "front-" + tag + ".log");
        Map<String, String> fromLeasehold;
        try {
            assertTrue(Lab.await(Duration.ofSeconds(40), this::answering), "Leasehold answers: " + bed.log("front-" + tag + ".log"));
            fromLeasehold = ask(queries);
        } finally {
            f.destroy();
            f.waitFor(10, TimeUnit.SECONDS);
        }
        System.out.println("dnsmasq:   " + fromDnsmasq);
        System.out.println("Leasehold: " + fromLeasehold);
        assertEquals(fromDnsmasq, fromLeasehold);
        return fromLeasehold;
    }

    @Test
    void answersAsDnsmasqDoes() throws Exception {
        Lab.assumeAvailable();
        Lab.assumeCommand("python3", "python3");
        Lab.assumeCommand("dnsmasq", "dnsmasq-base");
        bed = NeutronBed.create();
        bed.lab.address(bed.cli, bed.eth, "10.20.0.11/24");
        bed.lab.address(bed.cli, bed.eth, "10.20.0.53/24");
        bed.lab.address(bed.cli, bed.eth, "fd00:20:1::11/64");
        bed.lab.address(bed.cli, bed.eth, "198.51.100.9/32");
        Lab.run("ip", "-n", bed.srv, "route", "add", "198.51.100.9/32", "dev", bed.tap).orThrow("route");
        Process upstream = bed.lab.spawn(bed.cli, bed.lab.dir().resolve("upstream.log"), "python3", TOOL.toString(),
                "serve", "10.20.0.53", "203.0.113.7");
        try {
            assertTrue(Lab.await(Duration.ofSeconds(10), () -> bed.log("upstream.log").contains("serving")));

            Map<String, String> r = both(withServers(bed.args(), true, true), queries("10.20.0.2"), "forwarding");
            assertEquals("rcode=0 aa=1 ra=1 answers=A/10.20.0.21/0", r.get("A fqdn"));
            assertEquals("rcode=0 aa=1 ra=1 answers=PTR/host-10-20-0-21.openstacklocal/0", r.get("PTR v4"));
            assertEquals("rcode=0 aa=0 ra=1 answers=A/203.0.113.7", r.get("forwarded over TCP"));
            assertEquals("timeout", r.get("from outside"));
            assertTrue(bed.log("upstream.log").contains("tcp query"), bed.log("upstream.log"));

            Map<String, List<String>> q = new LinkedHashMap<>();
            q.put("refused", List.of("10.20.0.2", "example.org", "A"));
            q.put("refused over TCP", List.of("10.20.0.2", "example.org", "A", "tcp"));
            q.put("from outside", List.of("10.20.0.2", "host-10-20-0-21", "A", "source=198.51.100.9", "timeout=2"));
            Map<String, String> n = both(withServers(bed.args(), false, false), q, "alone");
            assertTrue(n.get("refused").startsWith("rcode=5"), n.toString());
            assertTrue(n.get("from outside").startsWith("rcode=0"), "answered without --local-service: " + n);
        } finally {
            upstream.destroy();
        }
    }
}
