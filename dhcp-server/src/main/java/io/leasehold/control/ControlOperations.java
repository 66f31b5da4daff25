package io.leasehold.control;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.leasehold.lease.Lease4;
import io.leasehold.lease.Lease6;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.server.LeaseholdServer;
import io.leasehold.server.NetworkRuntime;
import io.leasehold.wire.IpAddresses;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The operations of {@link ControlProtocol}, by name. Each returns a future of the answer's
 * {@code result}; none blocks the caller: lease tables are read and changed on their network's
 * loop, and anything that does file I/O or waits (reservation overlay, reload, namespaces) runs on
 * the single worker thread, which also serializes every change made through the socket.
 */
final class ControlOperations {

    /** The {@code result} of an answer, written straight into the response. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private final ControlTarget target;
    private final ExecutorService worker;
    private final long startedAt = System.currentTimeMillis();
    private final Map<String, Function<JsonNode, CompletableFuture<Body>>> ops = Map.ofEntries(
            Map.entry("health", this::health),
            Map.entry("networks", this::networks),
            Map.entry("leases", this::leases),
            Map.entry("counters", this::counters),
            Map.entry("release", this::release),
            Map.entry("reservations.list", this::reservationsList),
            Map.entry("reservations.put", this::reservationsPut),
            Map.entry("reservations.remove", this::reservationsRemove),
            Map.entry("namespaces", this::namespaces),
            Map.entry("namespaces.attach", this::attach),
            Map.entry("namespaces.detach", this::detach),
            Map.entry("reload", this::reload));

    ControlOperations(ControlTarget target, ExecutorService worker) {
        this.target = target;
        this.worker = worker;
    }

    /** The answer to one request (already parsed within the protocol's limits). */
    CompletableFuture<Body> dispatch(JsonNode request) {
        if (request == null || !request.isObject()) {
            throw ControlException.badRequest("request: expected a JSON object");
        }
        JsonNode v = request.get("v");
        if (v == null || !v.isInt() || v.asInt() != ControlProtocol.VERSION) {
            throw new ControlException(ControlProtocol.ErrorCode.UNSUPPORTED_VERSION, "protocol version "
                    + (v == null ? "missing" : v.toString()) + " (expected: " + ControlProtocol.VERSION + ")");
        }
        String op = Requests.text(request, "op");
        Function<JsonNode, CompletableFuture<Body>> f = ops.get(op);
        if (f == null) {
            throw new ControlException(ControlProtocol.ErrorCode.UNKNOWN_OP, "unknown operation: " + op
                    + " (expected one of: " + String.join(", ", new java.util.TreeSet<>(ops.keySet())) + ")");
        }
        JsonNode args = request.get("args");
        if (args != null && !args.isNull() && !args.isObject()) {
            throw ControlException.badRequest("args: expected an object");
        }
        return f.apply(args);
    }

    private LeaseholdServer server() {
        return target.server();
    }

    private NetworkRuntime network(String id) {
        for (NetworkRuntime n : server().networks()) {
            if (n.id().equals(id)) {
                return n;
            }
        }
        throw ControlException.unknownNetwork(id);
    }

    /** The networks a request names: its {@code network} argument, or all. */
    private List<NetworkRuntime> selected(String id) {
        return id == null ? server().networks() : List.of(network(id));
    }

    private <T> CompletableFuture<T> onWorker(Supplier<T> task) {
        try {
            return CompletableFuture.supplyAsync(task, worker);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new ControlException(ControlProtocol.ErrorCode.UNAVAILABLE,
                    "the daemon is stopping"));
        }
    }

    // ---- health, networks, counters ----------------------------------------------------------------

    private CompletableFuture<Body> health(JsonNode args) {
        LeaseholdServer s = server();
        List<NetworkRuntime> nets = s.networks();
        List<String> unattached = new ArrayList<>();
        for (NetworkRuntime n : nets) {
            if (n.loop() == null) {
                unattached.add(n.id());
            }
        }
        List<String> namespaces = s.attachedNamespaces();
        boolean running = s.isRunning();
        long uptime = (System.currentTimeMillis() - startedAt) / 1000;
        return CompletableFuture.completedFuture(g -> {
            g.writeStartObject();
            g.writeStringField("status", running ? "ok" : "stopped");
            g.writeNumberField("protocol", ControlProtocol.VERSION);
            g.writeNumberField("uptimeSeconds", uptime);
            g.writeNumberField("networks", nets.size());
            writeStrings(g, "namespaces", namespaces);
            writeStrings(g, "networksNotServed", unattached);
            g.writeEndObject();
        });
    }

    private CompletableFuture<Body> networks(JsonNode args) {
        List<NetworkRuntime> nets = selected(Requests.optionalText(args, "network"));
        boolean withReservations = Requests.flag(args, "reservations");
        List<CompletableFuture<int[]>> sizes = new ArrayList<>();
        for (NetworkRuntime n : nets) {
            sizes.add(Loops.onNetwork(n, () -> new int[] {n.leases().size4(), n.leases().size6(), n.leases().capacity()}));
        }
        return CompletableFuture.allOf(sizes.toArray(new CompletableFuture[0])).thenApply(v -> g -> {
            g.writeStartArray();
            for (int i = 0; i < nets.size(); i++) {
                NetworkRuntime n = nets.get(i);
                NetworkSnapshot s = n.snapshot();
                int[] size = sizes.get(i).join();
                g.writeStartObject();
                g.writeStringField("id", n.id());
                g.writeNumberField("revision", s.revision());
                g.writeBooleanField("served", n.loop() != null);
                g.writeNumberField("leases4", size[0]);
                g.writeNumberField("leases6", size[1]);
                g.writeNumberField("leaseMax", size[2]);
                g.writeNumberField("reservationCount", s.reservationCount());
                g.writeArrayFieldStart("subnets");
                for (Subnet sub : s.subnets()) {
                    ControlJson.writeSubnet(g, sub);
                }
                g.writeEndArray();
                if (withReservations) {
                    g.writeArrayFieldStart("reservations");
                    for (Reservation r : sortedReservations(s)) {
                        ControlJson.writeReservation(g, r);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private CompletableFuture<Body> counters(JsonNode args) {
        List<NetworkRuntime> nets = selected(Requests.optionalText(args, "network"));
        return CompletableFuture.completedFuture(g -> {
            g.writeStartObject();
            for (NetworkRuntime n : nets) {
                g.writeObjectFieldStart(n.id());
                for (Map.Entry<String, Long> e : n.counters().snapshot().entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    // ---- leases ---------------------------------------------------------------------------------------

    private record Found(String network, List<Lease4> v4, List<Lease6> v6) {
    }

    private CompletableFuture<Body> leases(JsonNode args) {
        LeaseFilter filter = LeaseFilter.fromArgs(args);
        List<NetworkRuntime> nets = selected(filter.network());
        List<CompletableFuture<Found>> parts = new ArrayList<>();
        for (NetworkRuntime n : nets) {
            parts.add(Loops.onNetwork(n, () -> {
                List<Lease4> v4 = new ArrayList<>();
                List<Lease6> v6 = new ArrayList<>();
                filter.collect(n.leases(), v4, v6);
                return new Found(n.id(), v4, v6);
            }));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenApply(v -> {
            // Sorting here, on the control loop, keeps the network loops' share to the copy.
            List<Found> sorted = new ArrayList<>();
            for (CompletableFuture<Found> p : parts) {
                Found f = p.join();
                sorted.add(new Found(f.network, LeaseFilter.sorted4(f.v4), LeaseFilter.sorted6(f.v6)));
            }
            return g -> {
                g.writeStartObject();
                g.writeArrayFieldStart("leases");
                for (Found f : sorted) {
                    for (Lease4 l : f.v4) {
                        ControlJson.writeLease(g, f.network, l);
                    }
                    for (Lease6 l : f.v6) {
                        ControlJson.writeLease(g, f.network, l);
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            };
        });
    }

    private CompletableFuture<Body> release(JsonNode args) {
        InetAddress address = Requests.address(Requests.text(args, "ip"));
        String net = Requests.optionalText(args, "network");
        if (net == null) {
            net = networkHolding(address);
        } else {
            network(net);
        }
        String network = net;
        return target.release(network, address).thenApply(released -> {
            if (!released) {
                throw ControlException.notFound("no lease of " + IpAddresses.text(address) + " in network " + network);
            }
            return g -> {
                g.writeStartObject();
                g.writeStringField("network", network);
                g.writeStringField("address", IpAddresses.text(address));
                g.writeBooleanField("released", true);
                g.writeEndObject();
            };
        });
    }

    /** The one network with a subnet holding {@code address}. */
    private String networkHolding(InetAddress address) {
        List<String> found = new ArrayList<>();
        for (NetworkRuntime n : server().networks()) {
            NetworkSnapshot s = n.snapshot();
            Subnet sub = address instanceof Inet4Address ? s.ipv4SubnetOf(IpAddresses.toInt((Inet4Address) address))
                    : s.ipv6SubnetOf(address);
            if (sub != null) {
                found.add(n.id());
            }
        }
        if (found.isEmpty()) {
            throw ControlException.notFound("no network has a subnet holding " + IpAddresses.text(address));
        }
        if (found.size() > 1) {
            throw ControlException.badRequest(IpAddresses.text(address) + " is in networks " + String.join(", ", found)
                    + " (name one with network)");
        }
        return found.get(0);
    }

    // ---- reservations ----------------------------------------------------------------------------------

    private static List<Reservation> sortedReservations(NetworkSnapshot s) {
        List<Reservation> out = new ArrayList<>(s.reservationCount());
        s.forEachReservation(out::add);
        out.sort(java.util.Comparator.comparing(Reservation::id));
        return out;
    }

    private CompletableFuture<Body> reservationsList(JsonNode args) {
        List<NetworkRuntime> nets = selected(Requests.optionalText(args, "network"));
        String mac = Requests.optionalText(args, "mac");
        long wanted = mac == null ? Lease4.NO_MAC : Requests.mac(mac);
        return CompletableFuture.completedFuture(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("reservations");
            for (NetworkRuntime n : nets) {
                for (Reservation r : sortedReservations(n.snapshot())) {
                    if (wanted != Lease4.NO_MAC && r.mac() != wanted) {
                        continue;
                    }
                    g.writeStartObject();
                    g.writeStringField("network", n.id());
                    g.writeFieldName("reservation");
                    ControlJson.writeReservation(g, r);
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * {@code {network, reservation, mode}}: {@code add} refuses an existing id, {@code change}
     * needs one, {@code set} does either. Every address must lie in a subnet of the network and be
     * no other reservation's.
     */
    private CompletableFuture<Body> reservationsPut(JsonNode args) {
        NetworkRuntime n = network(Requests.text(args, "network"));
        Reservation r = ControlJson.readReservation(args.get("reservation"));
        String mode = Requests.optionalText(args, "mode");
        String m = mode == null ? "set" : mode;
        if (!Set.of("add", "change", "set").contains(m)) {
            throw ControlException.badRequest("mode '" + mode + "' (expected: add, change or set)");
        }
        for (InetAddress a : r.addresses()) {
            NetworkSnapshot s = n.snapshot();
            Subnet sub = a instanceof Inet4Address ? s.ipv4SubnetOf(IpAddresses.toInt((Inet4Address) a)) : s.ipv6SubnetOf(a);
            if (sub == null) {
                throw ControlException.badRequest(IpAddresses.text(a) + " is in no subnet of network " + n.id());
            }
        }
        return onWorker(() -> {
            check(n.snapshot(), r, m);
            ReservationOverlay overlay = target.reservations();
            if (overlay != null) {
                try {
                    overlay.put(n.id(), r);
                } catch (IOException e) {
                    throw new ControlException(ControlProtocol.ErrorCode.INTERNAL, "reservation not saved: " + e.getMessage());
                }
            }
            NetworkSnapshot now = n.update(s -> {
                check(s, r, m);
                return s.withReservation(r);
            });
            return reservationBody(n.id(), r, now.revision(), overlay != null);
        });
    }

    private static void check(NetworkSnapshot s, Reservation r, String mode) {
        Reservation old = s.reservation(r.id());
        if (mode.equals("add") && old != null) {
            throw new ControlException(ControlProtocol.ErrorCode.CONFLICT, "reservation " + r.id() + " exists in network "
                    + s.id() + " (change it instead)");
        }
        if (mode.equals("change") && old == null) {
            throw ControlException.notFound("no reservation " + r.id() + " in network " + s.id());
        }
        Set<String> clash = NetworkSnapshot.conflicts(s, r);
        if (!clash.isEmpty()) {
            throw new ControlException(ControlProtocol.ErrorCode.CONFLICT, "reservation " + r.id()
                    + ": an address is already reserved by " + String.join(", ", clash));
        }
    }

    private static Body reservationBody(String network, Reservation r, long revision, boolean durable) {
        return g -> {
            g.writeStartObject();
            g.writeStringField("network", network);
            g.writeNumberField("revision", revision);
            g.writeBooleanField("durable", durable);
            g.writeFieldName("reservation");
            ControlJson.writeReservation(g, r);
            g.writeEndObject();
        };
    }

    /** {@code {network, id}} or {@code {network, mac}} (which must name one reservation). */
    private CompletableFuture<Body> reservationsRemove(JsonNode args) {
        NetworkRuntime n = network(Requests.text(args, "network"));
        String id = Requests.optionalText(args, "id");
        String mac = Requests.optionalText(args, "mac");
        if ((id == null) == (mac == null)) {
            throw ControlException.badRequest("name the reservation by id or by mac (one of them)");
        }
        long wanted = mac == null ? Lease4.NO_MAC : Requests.mac(mac);
        return onWorker(() -> {
            Reservation r = find(n.snapshot(), id, wanted);
            ReservationOverlay overlay = target.reservations();
            if (overlay != null) {
                try {
                    overlay.remove(n.id(), r);
                } catch (IOException e) {
                    throw new ControlException(ControlProtocol.ErrorCode.INTERNAL, "removal not saved: " + e.getMessage());
                }
            }
            NetworkSnapshot now = n.update(s -> s.withoutReservation(r.id()));
            return reservationBody(n.id(), r, now.revision(), overlay != null);
        });
    }

    private static Reservation find(NetworkSnapshot s, String id, long mac) {
        if (id != null) {
            Reservation r = s.reservation(id);
            if (r == null) {
                throw ControlException.notFound("no reservation " + id + " in network " + s.id());
            }
            return r;
        }
        List<Reservation> byMac = s.reservationsByMac(mac);
        if (byMac.isEmpty()) {
            throw ControlException.notFound("no reservation of " + MacAddress.format(mac) + " in network " + s.id());
        }
        if (byMac.size() > 1) {
            List<String> ids = byMac.stream().map(Reservation::id).sorted().toList();
            throw new ControlException(ControlProtocol.ErrorCode.CONFLICT, MacAddress.format(mac) + " has "
                    + ids.size() + " reservations in network " + s.id() + ": " + String.join(", ", ids) + " (name one by id)");
        }
        return byMac.get(0);
    }

    // ---- namespaces, reload ----------------------------------------------------------------------------

    /** Every interface to be served: its namespace, network, and whether its sockets are open. */
    private CompletableFuture<Body> namespaces(JsonNode args) {
        return onWorker(() -> {
            LeaseholdServer s = server();
            Map<String, Map<String, String>> configured = s.servedConfiguration();
            Map<String, List<String>> open = new java.util.HashMap<>();
            for (String ns : configured.keySet()) {
                open.put(ns, s.servedInterfaces(ns));
            }
            return g -> {
                g.writeStartArray();
                for (Map.Entry<String, Map<String, String>> ns : configured.entrySet()) {
                    for (Map.Entry<String, String> i : ns.getValue().entrySet()) {
                        g.writeStartObject();
                        g.writeStringField("namespace", ns.getKey());
                        g.writeStringField("interface", i.getKey());
                        g.writeStringField("network", i.getValue());
                        g.writeBooleanField("serving", open.get(ns.getKey()).contains(i.getKey()));
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
            };
        });
    }

    private CompletableFuture<Body> attach(JsonNode args) {
        String ns = Requests.optionalText(args, "namespace");
        String iface = Requests.text(args, "interface");
        String net = Requests.text(args, "network");
        network(net);
        String namespace = ns == null ? "" : ns;
        return onWorker(() -> {
            try {
                return server().serve(namespace, iface, net);
            } catch (IllegalArgumentException e) {
                throw new ControlException(ControlProtocol.ErrorCode.CONFLICT, e.getMessage());
            }
        }).thenCompose(f -> f.handle((v, failure) -> {
            // A namespace that does not exist yet is attached when it appears: the interface is
            // configured either way, and the answer says whether it is serving now.
            String waiting = failure == null ? null : rootMessage(failure);
            Body b = g -> {
                g.writeStartObject();
                g.writeStringField("namespace", namespace);
                g.writeStringField("interface", iface);
                g.writeStringField("network", net);
                g.writeBooleanField("serving", waiting == null);
                g.writeStringField("waiting", waiting);
                g.writeEndObject();
            };
            return b;
        }));
    }

    private CompletableFuture<Body> detach(JsonNode args) {
        String ns = Requests.optionalText(args, "namespace");
        String iface = Requests.text(args, "interface");
        String namespace = ns == null ? "" : ns;
        return onWorker(() -> {
            Map<String, String> ifaces = server().servedConfiguration().get(namespace);
            if (ifaces == null || !ifaces.containsKey(iface)) {
                throw ControlException.notFound("interface " + iface + " of namespace '" + namespace + "' is not served");
            }
            return server().unserve(namespace, iface);
        }).thenCompose(f -> f).thenApply(v -> g -> {
            g.writeStartObject();
            g.writeStringField("namespace", namespace);
            g.writeStringField("interface", iface);
            g.writeBooleanField("detached", true);
            g.writeEndObject();
        });
    }

    private CompletableFuture<Body> reload(JsonNode args) {
        return onWorker(() -> {
            String summary = target.reload();
            return g -> {
                g.writeStartObject();
                g.writeStringField("summary", summary);
                g.writeEndObject();
            };
        });
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    private static void writeStrings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }
}
