package io.leasehold.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leasehold.control.ControlJson;
import io.leasehold.control.ControlProtocol;
import io.leasehold.control.LeaseFilter;
import io.leasehold.control.MacAddress;
import io.leasehold.lease.DnsmasqLeaseFile;
import io.leasehold.lease.Lease4;
import io.leasehold.lease.Lease6;
import io.leasehold.lease.LeaseState;
import io.leasehold.wire.IpAddresses;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lease filters and the offline mode shared by {@code leases} and {@code lease show}: the
 * daemon's {@code leases} operation, or the same filter over a dnsmasq lease file, both giving the
 * protocol's {@code {"leases":[...]}} so that one printer serves both.
 */
final class LeaseQuery {

    @Option(names = "--network", paramLabel = "ID", description = "Only this network's leases (offline: the label "
            + "shown for the file's leases; default: the file's name).")
    String network;

    @Option(names = "--state", paramLabel = "STATE", description = "Only leases in this state: offered, bound or declined.")
    String state;

    @Option(names = "--hostname", paramLabel = "NAME", description = "Only leases of this host name (any case; * matches any run of characters).")
    String hostname;

    @Option(names = "--lease-file", paramLabel = "FILE", description = "Read a dnsmasq lease file instead of asking "
            + "the daemon (offline mode: no daemon needed).")
    Path leaseFile;

    /** Parses a MAC for an option or parameter, or fails with a usage error naming it. */
    static long mac(String text) {
        try {
            return MacAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
    }

    /** Parses an IP address, or fails with a usage error naming it. */
    static InetAddress ip(String text) {
        try {
            return IpAddresses.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "malformed IP address '" + text + "' (expected: an IPv4 or IPv6 address)");
        }
    }

    /** A MAC or an IP address, as {@code lease show} takes it. */
    static boolean isMac(String text) {
        return MacAddress.looksLikeMac(text);
    }

    private LeaseState parsedState() {
        if (state == null) {
            return null;
        }
        for (LeaseState s : LeaseState.values()) {
            if (s.name().equalsIgnoreCase(state)) {
                return s;
            }
        }
        throw new CliException(ExitCodes.USAGE, "state '" + state + "' (expected: offered, bound or declined)");
    }

    /** The matching leases as {@code {"leases":[...]}}, from the daemon or the lease file. */
    JsonNode fetch(SocketOption socket, String mac, String ip, PrintWriter err) {
        return fetch(socket, mac, ip, err, p -> Json.read(p, p.currentToken()));
    }

    /** The matching leases' {@code {"leases":[...]}} read by {@code reader}, from the daemon or the lease file. */
    <T> T fetch(SocketOption socket, String mac, String ip, PrintWriter err, ControlClient.ResultReader<T> reader) {
        long m = mac == null ? Lease4.NO_MAC : mac(mac);
        InetAddress a = ip == null ? null : ip(ip);
        LeaseState st = parsedState();
        if (leaseFile != null) {
            byte[] json = offline(new LeaseFilter(null, m, a, hostname, st), err);
            try (JsonParser p = ControlProtocol.RESPONSES.createParser(json)) {
                p.nextToken();
                return reader.read(p);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        ObjectNode args = ControlClient.args();
        if (network != null) {
            args.put("network", network);
        }
        if (mac != null) {
            args.put("mac", MacAddress.format(m));
        }
        if (ip != null) {
            args.put("ip", IpAddresses.text(a));
        }
        if (hostname != null) {
            args.put("hostname", hostname);
        }
        if (st != null) {
            args.put("state", st.name().toLowerCase());
        }
        return socket.client().call("leases", args, reader);
    }

    private byte[] offline(LeaseFilter filter, PrintWriter err) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(leaseFile);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.FAILURE, leaseFile + ": no such file");
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, leaseFile + ": " + e.getMessage());
        }
        DnsmasqLeaseFile.Contents c = DnsmasqLeaseFile.parse(bytes);
        for (DnsmasqLeaseFile.Problem p : c.problems()) {
            err.println("leasehold: " + leaseFile + ": " + p);
        }
        String label = network != null ? network : String.valueOf(leaseFile.getFileName());
        List<Lease4> v4 = new ArrayList<>();
        List<Lease6> v6 = new ArrayList<>();
        filter.collect(c.leases4(), c.leases6(), v4, v6);
        v4.sort((x, y) -> Integer.compareUnsigned(x.address(), y.address()));
        v6.sort((x, y) -> java.util.Arrays.compareUnsigned(x.address().getAddress(), y.address().getAddress()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = ControlProtocol.RESPONSES.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("leases");
            for (Lease4 l : v4) {
                ControlJson.writeLease(g, label, l);
            }
            for (Lease6 l : v6) {
                ControlJson.writeLease(g, label, l);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** The leases of {@code {"leases":[...]}} as a table, read straight from the parser. */
    static Table table(JsonParser p, long nowSeconds) throws IOException {
        Table t = new Table("NETWORK", "ADDRESS", "MAC", "HOSTNAME", "STATE", "EXPIRES", "CLIENT");
        java.util.Map<String, String> l = new java.util.HashMap<>();
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException("expected an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            JsonToken v = p.nextToken();
            if (!"leases".equals(p.currentName()) || v != JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                l.clear();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken f = p.nextToken();
                    if (f == JsonToken.START_OBJECT || f == JsonToken.START_ARRAY) {
                        p.skipChildren();
                    } else if (f != JsonToken.VALUE_NULL) {
                        l.put(name, p.getText());
                    }
                }
                boolean v6 = "6".equals(l.get("family"));
                String address = l.get("address");
                String length = l.get("prefixLength");
                if (v6 && length != null && !length.equals("128")) {
                    address += "/" + length;
                }
                String client = v6 ? l.get("type") + " iaid " + l.get("iaid") + " duid " + l.get("duid") : l.get("clientId");
                String expires = l.get("expires");
                t.row(l.get("network"), address, l.get("mac"), l.get("hostname"), l.get("state"),
                        expiry(expires == null ? 0 : Long.parseLong(expires), nowSeconds), client);
            }
        }
        return t;
    }

    /** The leases as a table: NETWORK ADDRESS MAC HOSTNAME STATE EXPIRES CLIENT. */
    static Table table(JsonNode leases, long nowSeconds) {
        Table t = new Table("NETWORK", "ADDRESS", "MAC", "HOSTNAME", "STATE", "EXPIRES", "CLIENT");
        for (JsonNode l : leases.path("leases")) {
            boolean v6 = l.path("family").asInt() == 6;
            String address = l.path("address").asText();
            if (v6 && l.path("prefixLength").asInt(128) != 128) {
                address += "/" + l.path("prefixLength").asInt();
            }
            String client = v6 ? (l.path("type").asText() + " iaid " + l.path("iaid").asText() + " duid "
                    + l.path("duid").asText()) : text(l, "clientId");
            t.row(l.path("network").asText(), address, text(l, "mac"), text(l, "hostname"), l.path("state").asText(),
                    expiry(l.path("expires").asLong(), nowSeconds), client);
        }
        return t;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** {@code never}, {@code expired}, or what is left: {@code 3d04h}, {@code 23h59m}, {@code 4m05s}, {@code 9s}. */
    static String expiry(long expires, long now) {
        if (expires == Lease4.NEVER) {
            return "never";
        }
        if (expires <= now) {
            return "expired";
        }
        return duration(expires - now);
    }

    /** A span of seconds the short way: {@code 3d04h}, {@code 23h59m}, {@code 4m05s}, {@code 9s}. */
    static String duration(long seconds) {
        // Once per lease printed: plain concatenation, String.format costs 10k leases a tenth of a second.
        long s = Math.max(0, seconds);
        if (s >= 86400) {
            return s / 86400 + "d" + two(s % 86400 / 3600) + "h";
        }
        if (s >= 3600) {
            return s / 3600 + "h" + two(s % 3600 / 60) + "m";
        }
        if (s >= 60) {
            return s / 60 + "m" + two(s % 60) + "s";
        }
        return s + "s";
    }

    private static String two(long v) {
        return v < 10 ? "0" + v : Long.toString(v);
    }
}
