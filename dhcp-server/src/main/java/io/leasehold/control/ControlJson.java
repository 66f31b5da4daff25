package io.leasehold.control;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.leasehold.lease.Lease4;
import io.leasehold.lease.Lease6;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.option.Duid;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * How leases and reservations look in the protocol. The daemon and the CLI's offline mode write
 * leases with the same methods, so a script sees the same objects either way.
 */
public final class ControlJson {

    private ControlJson() {
    }

    /**
     * {@code {"network","family":4,"address","mac","clientId","hostname","state","expires"}}; absent
     * values are null; {@code expires} is seconds since the epoch, 0 for never.
     */
    public static void writeLease(JsonGenerator g, String network, Lease4 l) throws IOException {
        g.writeStartObject();
        g.writeStringField("network", network);
        g.writeNumberField("family", 4);
        g.writeStringField("address", IpAddresses.ipv4Text(l.address()));
        g.writeStringField("mac", l.mac() == Lease4.NO_MAC ? null : MacAddress.format(l.mac()));
        g.writeStringField("clientId", l.clientId() == null ? null : l.clientId().toHex());
        g.writeStringField("hostname", l.hostname());
        g.writeStringField("state", l.state().name().toLowerCase(Locale.ROOT));
        g.writeNumberField("expires", l.expiresAt());
        g.writeEndObject();
    }

    /**
     * {@code {"network","family":6,"address","prefixLength","type","iaid","duid","mac","hostname",
     * "state","expires"}}; {@code mac} is the DUID's link-layer address when it has one.
     */
    public static void writeLease(JsonGenerator g, String network, Lease6 l) throws IOException {
        g.writeStartObject();
        g.writeStringField("network", network);
        g.writeNumberField("family", 6);
        g.writeStringField("address", IpAddresses.text(l.address()));
        g.writeNumberField("prefixLength", l.prefixLength());
        g.writeStringField("type", l.type().name());
        g.writeNumberField("iaid", l.iaid());
        g.writeStringField("duid", l.duid().bytes().toHex());
        long mac = LeaseFilter.macOf(l.duid());
        g.writeStringField("mac", mac == Lease4.NO_MAC ? null : MacAddress.format(mac));
        g.writeStringField("hostname", l.hostname());
        g.writeStringField("state", l.state().name().toLowerCase(Locale.ROOT));
        g.writeNumberField("expires", l.expiresAt());
        g.writeEndObject();
    }

    /** A subnet: id, cidr, mode, gateway, dhcpEnabled, leaseSeconds, pools. */
    static void writeSubnet(JsonGenerator g, Subnet s) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", s.id());
        g.writeStringField("cidr", s.cidr().toString());
        g.writeStringField("mode", s.mode().name().toLowerCase(Locale.ROOT));
        g.writeStringField("gateway", s.gateway() == null ? null : IpAddresses.text(s.gateway()));
        g.writeBooleanField("dhcpEnabled", s.dhcpEnabled());
        g.writeNumberField("leaseSeconds", s.leaseSeconds());
        g.writeArrayFieldStart("pools");
        for (var p : s.pools()) {
            g.writeString(p.toString());
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * A reservation: {@code {"id","mac","clientId","duid","hostname","addresses":[..],"setTags":[..],
     * "requiredTags":[..],"leaseSeconds"}}, {@code leaseSeconds} -1 for the subnet's.
     */
    public static void writeReservation(JsonGenerator g, Reservation r) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", r.id());
        g.writeStringField("mac", r.mac() == Lease4.NO_MAC ? null : MacAddress.format(r.mac()));
        g.writeStringField("clientId", r.clientId() == null ? null : r.clientId().toHex());
        g.writeStringField("duid", r.duid() == null ? null : r.duid().bytes().toHex());
        g.writeStringField("hostname", r.hostname());
        g.writeArrayFieldStart("addresses");
        for (InetAddress a : r.addresses()) {
            g.writeString(IpAddresses.text(a));
        }
        g.writeEndArray();
        writeStrings(g, "setTags", r.setTags());
        writeStrings(g, "requiredTags", r.requiredTags());
        g.writeNumberField("leaseSeconds", r.leaseSeconds());
        g.writeEndObject();
    }

    private static void writeStrings(JsonGenerator g, String name, Set<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String s : new TreeSet<>(values)) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    /**
     * Reads a reservation as {@link #writeReservation} writes it; {@code id} and {@code mac} (or
     * {@code clientId}/{@code duid}) are needed, the rest defaults to empty.
     *
     * @throws ControlException BAD_REQUEST naming the bad field
     */
    public static Reservation readReservation(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw ControlException.badRequest("reservation: expected an object");
        }
        String id = Requests.text(n, "id");
        String mac = Requests.optionalText(n, "mac");
        String clientId = Requests.optionalText(n, "clientId");
        String duid = Requests.optionalText(n, "duid");
        List<InetAddress> addresses = new ArrayList<>();
        for (String a : strings(n, "addresses")) {
            addresses.add(Requests.address(a));
        }
        long lease = Subnet.DEFAULT_TIME;
        JsonNode ls = n.get("leaseSeconds");
        if (ls != null && !ls.isNull()) {
            if (!ls.isIntegralNumber() || (ls.asLong() != Subnet.DEFAULT_TIME && (ls.asLong() <= 0 || ls.asLong() > Subnet.INFINITE))) {
                throw ControlException.badRequest("leaseSeconds: " + ls + " (expected: 1.." + Subnet.INFINITE + ", or -1)");
            }
            lease = ls.asLong();
        }
        try {
            return new Reservation(id, mac == null ? Lease4.NO_MAC : Requests.mac(mac),
                    clientId == null ? null : Octets.parseHex(clientId), duid == null ? null : Duid.parse(duid),
                    Requests.optionalText(n, "hostname"), addresses, Set.copyOf(strings(n, "setTags")),
                    Set.copyOf(strings(n, "requiredTags")), lease);
        } catch (IllegalArgumentException e) {
            throw ControlException.badRequest("reservation " + id + ": " + e.getMessage());
        }
    }

    private static List<String> strings(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw ControlException.badRequest(name + ": expected a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw ControlException.badRequest(name + ": expected a list of strings");
            }
            out.add(e.asText());
        }
        return out;
    }
}
