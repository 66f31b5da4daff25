package io.leasehold.dnsmasq;

import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.OptionLine;
import io.leasehold.model.Reservation;
import io.leasehold.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded property: for a Neutron-shaped hosts and opts file and a random edit of them (lines
 * changed, removed, added, moved), {@code SnapshotDiff(parse(old), parse(new))} equals in content
 * the snapshot built from scratch from the new files (reservations, their order per MAC, client id
 * and DUID, the address index, and the option-line sequence), and touches only the changed lines
 * and the lines sharing a client with them.
 */
class SnapshotDiffPropertyTest {

    static LongStream seeds() {
        return Seeds.of(60);
    }

    /** The host lines of one port, as Neutron writes them (§2.1). */
    static List<String> port(int p, boolean extraOpts, boolean clientId, boolean stateless) {
        String mac = String.format("fa:16:3e:%02x:%02x:%02x", p >> 16 & 0xff, p >> 8 & 0xff, p & 0xff);
        String v4 = "10." + (p >> 16 & 0xff) + "." + (p >> 8 & 0xff) + "." + (p & 0xff);
        String v6 = "fd00::" + Integer.toHexString(p);
        String id = clientId ? "id:cid-" + p + "," : "";
        String set = extraOpts ? ",set:port-" + p : "";
        List<String> out = new ArrayList<>();
        if (stateless && extraOpts) {
            out.add(mac + ",tag:dhcpv6,set:port-" + p);
        }
        out.add(mac + "," + id + "host-" + v4.replace('.', '-') + ".openstacklocal," + v4 + set);
        out.add(mac + ",tag:dhcpv6," + id + "host-" + v6.replace(':', '-') + ".openstacklocal,[" + v6 + "]" + set);
        return out;
    }

    static List<String> portOptions(int p, Random r) {
        List<String> out = new ArrayList<>();
        out.add("tag:port-" + p + ",tag:!ipxe,option:bootfile-name,undionly-" + r.nextInt(3) + ".kpxe");
        out.add("tag:port-" + p + ",tag:ipxe,option:bootfile-name,http://10.0.0.10/boot-" + p + ".ipxe");
        if (r.nextBoolean()) {
            out.add("tag:port-" + p + ",option:server-ip-address,10.0.0." + (1 + r.nextInt(250)));
        }
        return out;
    }

    record Files(List<String> hosts, List<String> opts) {
        String hostText() {
            return String.join("\n", hosts) + "\n";
        }

        String optsText() {
            return String.join("\n", opts);
        }
    }

    static Files generate(Random r, int ports) {
        List<String> hosts = new ArrayList<>();
        List<String> opts = new ArrayList<>();
        opts.add("tag:subnet-s4,option:dns-server,10.0.0.3");
        opts.add("tag:subnet-s4,option:router,10.0.0.1");
        opts.add("tag:subnet-s6,option6:domain-search,openstacklocal");
        for (int p = 1; p <= ports; p++) {
            boolean extra = r.nextInt(3) == 0;
            hosts.addAll(port(p, extra, r.nextInt(5) == 0, r.nextBoolean()));
            if (extra) {
                opts.addAll(portOptions(p, r));
            }
        }
        return new Files(hosts, opts);
    }

    static Files edit(Random r, Files f, int ports) {
        List<String> hosts = new ArrayList<>(f.hosts);
        List<String> opts = new ArrayList<>(f.opts);
        int edits = 1 + r.nextInt(8);
        for (int e = 0; e < edits; e++) {
            switch (r.nextInt(7)) {
                case 0: // a port's line changes (new host name)
                    if (!hosts.isEmpty()) {
                        int i = r.nextInt(hosts.size());
                        hosts.set(i, hosts.get(i).replace(".openstacklocal", ".changed" + r.nextInt(100)));
                    }
                    break;
                case 1: // a line goes
                    if (!hosts.isEmpty()) {
                        hosts.remove(r.nextInt(hosts.size()));
                    }
                    break;
                case 2: // a new port, anywhere (a number no port has: a repeat would be a duplicate address)
                    int p;
                    do {
                        p = ports + 1 + r.nextInt(1000);
                    } while (hasPort(hosts, p));
                    hosts.addAll(r.nextInt(hosts.size() + 1), port(p, r.nextBoolean(), r.nextBoolean(), r.nextBoolean()));
                    break;
                case 3: // two lines swap (order within a MAC matters)
                    if (hosts.size() > 1) {
                        int i = r.nextInt(hosts.size() - 1);
                        String t = hosts.get(i);
                        hosts.set(i, hosts.get(i + 1));
                        hosts.set(i + 1, t);
                    }
                    break;
                case 4: // an option line changes
                    if (!opts.isEmpty()) {
                        int i = r.nextInt(opts.size());
                        opts.set(i, opts.get(i).replace("undionly-", "undionly-x"));
                    }
                    break;
                case 5: // option lines added in the middle, or removed
                    if (r.nextBoolean() || opts.isEmpty()) {
                        opts.addAll(r.nextInt(opts.size() + 1), portOptions(5000 + r.nextInt(100), r));
                    } else {
                        opts.remove(r.nextInt(opts.size()));
                    }
                    break;
                default: // an option line moves
                    if (opts.size() > 1) {
                        String o = opts.remove(r.nextInt(opts.size()));
                        opts.add(r.nextInt(opts.size() + 1), o);
                    }
                    break;
            }
        }
        return new Files(hosts, opts);
    }

    private static boolean hasPort(List<String> hosts, int p) {
        String mac = port(p, false, false, false).get(0).substring(0, 17);
        return hosts.stream().anyMatch(h -> h.startsWith(mac));
    }

    static NetworkSpec spec(Files f) {
        DnsmasqArgs args = DnsmasqArgs.parse(List.of("--pid-file=/confs/net/pid",
                "--dhcp-range=set:subnet-s4,10.0.0.0,static,255.0.0.0,86400s",
                "--dhcp-range=set:subnet-s6,fd00::,static,64,86400s", "--dhcp-option-force=option:mtu,1450"));
        HostsFile.Result h = HostsFile.parse("host", f.hostText());
        OptsFile.Result o = OptsFile.parse("opts", f.optsText());
        assertEquals(List.of(), h.errors());
        assertEquals(List.of(), o.errors());
        return DnsmasqNetwork.spec(args, h, o, new ArrayList<>());
    }

    /** Asserts that two snapshots hold the same content, order included. */
    static void assertSameContent(NetworkSnapshot expected, NetworkSnapshot actual) {
        assertEquals(expected.settings(), actual.settings());
        assertEquals(expected.subnets(), actual.subnets());
        assertEquals(expected.matchRules(), actual.matchRules());
        assertEquals(expected.options().all(), actual.options().all(), "option sequence");
        assertEquals(expected.reservationCount(), actual.reservationCount());
        Set<Long> macs = new HashSet<>();
        Set<Object> ids = new HashSet<>();
        Set<InetAddress> addresses = new HashSet<>();
        expected.forEachReservation(r -> {
            assertEquals(r, actual.reservation(r.id()));
            macs.add(r.mac());
            if (r.clientId() != null) {
                ids.add(r.clientId());
            }
            addresses.addAll(r.addresses());
        });
        for (long mac : macs) {
            assertEquals(ids(expected.reservationsByMac(mac)), ids(actual.reservationsByMac(mac)), "order of MAC " + mac);
        }
        for (Object id : ids) {
            var cid = (io.leasehold.wire.Octets) id;
            assertEquals(ids(expected.reservationsByClientId(cid)), ids(actual.reservationsByClientId(cid)));
        }
        for (InetAddress a : addresses) {
            Reservation e = a instanceof Inet4Address ? expected.reservationOf(io.leasehold.wire.IpAddresses.toInt((Inet4Address) a))
                    : expected.reservationOf((Inet6Address) a);
            Reservation g = a instanceof Inet4Address ? actual.reservationOf(io.leasehold.wire.IpAddresses.toInt((Inet4Address) a))
                    : actual.reservationOf((Inet6Address) a);
            assertEquals(e, g, "holder of " + a);
        }
    }

    private static List<String> ids(List<Reservation> rs) {
        return rs.stream().map(Reservation::id).toList();
    }

    /**
     * A reload's parse, which takes unchanged lines' reservations from the previous parse, gives
     * exactly what a fresh parse gives; also when lines gain surrounding space, turn bad, or repeat
     * another line's address.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void parsingWithThePreviousResultEqualsAFreshParse(long seed) {
        Random r = new Random(seed);
        int ports = 20 + r.nextInt(200);
        Files before = generate(r, ports);
        List<String> after = new ArrayList<>(edit(r, before, ports).hosts);
        for (int i = 0; i < 3 && !after.isEmpty(); i++) {
            int at = r.nextInt(after.size());
            switch (r.nextInt(3)) {
                case 0 -> after.set(at, "  " + after.get(at) + " ");            // same id, other text
                case 1 -> after.set(at, after.get(at).replace(",", ",,"));       // now malformed
                default -> after.add(after.get(at).replace("openstacklocal", "again"));   // its address again
            }
        }
        HostsFile.Result previous = HostsFile.parse("host", before.hostText());
        String text = String.join("\n", after) + "\n";
        HostsFile.Result fresh = HostsFile.parse("host", text);
        HostsFile.Result reused = HostsFile.parse("host", text, previous);
        assertEquals(fresh, reused);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void diffEqualsAFreshBuildAndTouchesOnlyWhatChanged(long seed) {
        Random r = new Random(seed);
        int ports = 20 + r.nextInt(200);
        Files before = generate(r, ports);
        Files after = edit(r, before, ports);
        NetworkSnapshot old = spec(before).build();
        NetworkSpec desired = spec(after);
        SnapshotDiff.Result diff = SnapshotDiff.apply(old, desired);
        assertSameContent(desired.build(), diff.snapshot());

        // Only changed lines are added or removed; re-added unchanged ones share a MAC with a change.
        Set<String> oldIds = new HashSet<>();
        old.forEachReservation(x -> oldIds.add(x.id()));
        Set<String> newIds = new HashSet<>();
        desired.reservations().forEach(x -> newIds.add(x.id()));
        Set<String> added = new HashSet<>(newIds);
        added.removeAll(oldIds);
        Set<String> removed = new HashSet<>(oldIds);
        removed.removeAll(newIds);
        assertEquals(added.size(), diff.reservationsAdded());
        assertEquals(removed.size(), diff.reservationsRemoved());
        Set<Long> touchedMacs = new HashSet<>();
        for (String id : added) {
            touchedMacs.add(HostsFile.parseLine(id).mac());
        }
        for (String id : removed) {
            touchedMacs.add(HostsFile.parseLine(id).mac());
        }
        // ... or whose MAC's lines were reordered
        Map<Long, List<String>> wantedOrder = new HashMap<>();
        for (Reservation x : desired.reservations()) {
            wantedOrder.computeIfAbsent(x.mac(), k -> new ArrayList<>()).add(x.id());
        }
        wantedOrder.forEach((mac, want) -> {
            List<String> had = new ArrayList<>(ids(old.reservationsByMac(mac)));
            had.retainAll(want);
            List<String> kept = new ArrayList<>(want);
            kept.retainAll(had);
            if (!had.equals(kept)) {
                touchedMacs.add(mac);
            }
        });
        long sharing = desired.reservations().stream().filter(x -> touchedMacs.contains(x.mac()) && oldIds.contains(x.id()))
                .count();
        assertTrue(diff.reservationsReordered() <= sharing,
                diff.reservationsReordered() + " re-added, " + sharing + " share a MAC with a change");
        Set<OptionLine> oldOpts = new HashSet<>(old.options().all());
        long newOpts = desired.options().stream().filter(o -> !oldOpts.contains(o)).count();
        assertEquals(newOpts, diff.optionsAdded());

        // Applying the same spec again changes nothing.
        assertSame(diff.snapshot(), SnapshotDiff.apply(diff.snapshot(), desired).snapshot());

        // The reload path, which compares with the previous spec, gives the same content and counts.
        SnapshotDiff.Result fast = SnapshotDiff.apply(old, spec(before), desired);
        assertSameContent(desired.build(), fast.snapshot());
        assertEquals(added.size(), fast.reservationsAdded());
        assertEquals(removed.size(), fast.reservationsRemoved());
        assertEquals(newOpts, fast.optionsAdded());
        assertSame(fast.snapshot(), SnapshotDiff.apply(fast.snapshot(), desired, desired).snapshot());
    }

    @Test
    void oneChangedHostIn50kTouchesOnlyItsPort() {
        Random r = new Random(7);
        Files before = generate(r, 25_000);
        NetworkSnapshot old = spec(before).build();
        List<String> hosts = new ArrayList<>(before.hosts());
        int i = hosts.size() / 2;
        hosts.set(i, hosts.get(i).replace(".openstacklocal", ".example"));
        NetworkSpec changed = spec(new Files(hosts, before.opts()));
        SnapshotDiff.Result diff = SnapshotDiff.apply(old, changed);
        assertEquals(1, diff.reservationsAdded());
        assertEquals(1, diff.reservationsRemoved());
        assertTrue(diff.reservationsReordered() <= 2, diff.toString());
        assertEquals(0, diff.optionsAdded() + diff.optionsRemoved() + diff.optionsMoved());
        SnapshotDiff.Result fast = SnapshotDiff.apply(old, spec(before), changed);
        assertEquals(diff.toString(), fast.toString());
        assertSameContent(diff.snapshot(), fast.snapshot());
    }

    @Test
    void insertsBetweenTheSameNeighboursNeverRunOutOfRoom() {
        Random r = new Random(3);
        Files f = generate(r, 10);
        NetworkSnapshot s = spec(f).build();
        List<String> opts = new ArrayList<>(f.opts());
        for (int k = 0; k < 80; k++) {
            // always insert right after the first line: the gap halves each time until renumbering
            opts.add(1, "tag:port-x" + k + ",option:mtu,1500");
            NetworkSpec desired = spec(new Files(f.hosts(), opts));
            s = SnapshotDiff.apply(s, desired).snapshot();
            assertEquals(desired.build().options().all(), s.options().all());
        }
    }
}
