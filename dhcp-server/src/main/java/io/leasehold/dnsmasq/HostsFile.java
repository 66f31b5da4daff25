package io.leasehold.dnsmasq;

import io.leasehold.lease.Lease4;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.option.Duid;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import io.netty.util.NetUtil;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * dnsmasq's {@code --dhcp-hostsfile}: one {@code dhcp-host} per line, which Neutron writes for
 * every fixed IP of every port (neutron-compat.md §2.1, neutron {@code agent/linux/dhcp.py:868-929}).
 *
 * <p>Each line is comma-separated fields, classified as dnsmasq 2.90 classifies them
 * (option.c {@code 'G'}; dnsmasq-facts §4.7):
 * <ul>
 *   <li>{@code id:*} ignores the client identifier; {@code id:<hex with colons>} or {@code id:<text>}
 *       names the client by identifier (DHCPv4 option 61; in DHCPv6 the same bytes are matched
 *       against the DUID);</li>
 *   <li>{@code set:X}/{@code net:X} is a tag to set ({@code set:port-<P>}); {@code tag:X} a tag the
 *       request must have ({@code tag:dhcpv6} makes a line DHCPv6-only);</li>
 *   <li>{@code [v6addr]} an IPv6 address (several allowed); a dotted quad the IPv4 address (the last
 *       of several wins);</li>
 *   <li>any other field with a colon is the MAC; digits with an optional unit, or
 *       {@code infinite}, the lease time (at least 120 s);</li>
 *   <li>anything else the host name, lower-cased, checked like dnsmasq's {@code legal_hostname}.</li>
 * </ul>
 *
 * <p>Lines become {@link Reservation}s whose id is the line's text, so an unchanged line keeps its
 * id across reloads and a diff touches only changed lines. Order is kept: dnsmasq prepends host
 * lines, so among lines matching one client the one later in the file wins (dnsmasq-facts §4.7,
 * which overrides neutron-compat §2.1 here); a line repeated verbatim therefore counts at its last
 * position. As in dnsmasq, a line giving an IPv4 address an earlier line already gave is rejected
 * ({@code duplicate dhcp-host IP address}) and the earlier line stays.
 *
 * <p>A bad line costs that line: it is reported with file and line number and the rest of the
 * file applies, as dnsmasq skips and logs it (option.c {@code read_file}).
 */
public final class HostsFile {

    /**
     * A parsed hosts file.
     *
     * @param file         the file's name as given
     * @param reservations the good lines, in effective file order
     * @param errors       the rejected lines
     */
    public record Result(String file, List<Reservation> reservations, List<LineError> errors) {
        public Result {
            reservations = List.copyOf(reservations);
            errors = List.copyOf(errors);
        }
    }

    private HostsFile() {
    }

    /** Reads and parses the file at {@code path}, opened by path each time (Neutron renames files into place). */
    public static Result read(Path path) throws IOException {
        return parse(path.toString(), new String(Files.readAllBytes(path), StandardCharsets.UTF_8));
    }

    /** Parses hosts-file text; never throws for bad content. */
    public static Result parse(String file, CharSequence text) {
        return parse(file, text, null);
    }

    /**
     * As {@link #parse(String, CharSequence)}, taking the reservation of every line that
     * {@code previous} holds already instead of parsing it again: a reservation's id is its line,
     * and parsing a line always gives the same reservation. A reload where one line of 50,000
     * changed then parses one line (the rest costs a hash lookup each).
     *
     * @param previous the last result for this file, or null
     */
    public static Result parse(String file, CharSequence text, Result previous) {
        Map<String, Reservation> known = new HashMap<>();
        if (previous != null) {
            for (Reservation r : previous.reservations()) {
                known.put(r.id(), r);
            }
        }
        Map<String, Reservation> byId = new LinkedHashMap<>();
        Map<Integer, Integer> lineOfIpv4 = new HashMap<>();
        List<LineError> errors = new ArrayList<>();
        for (DnsmasqSyntax.Line line : DnsmasqSyntax.lines(text)) {
            if (DnsmasqSyntax.isBlankOrComment(line.text())) {
                continue;
            }
            // Only a line with no space around it is its reservation's id exactly.
            Reservation r = known.get(line.text());
            try {
                if (r == null) {
                    r = parseLine(line.text());
                }
            } catch (IllegalArgumentException e) {
                errors.add(new LineError(file, line.number(), e.getMessage()));
                continue;
            }
            Integer v4 = ipv4Of(r);
            if (v4 != null) {
                Integer first = lineOfIpv4.putIfAbsent(v4, line.number());
                if (first != null) {
                    errors.add(new LineError(file, line.number(), "duplicate dhcp-host IP address "
                            + IpAddresses.ipv4Text(v4) + " (line " + first + " gives it; that line is kept)"));
                    continue;
                }
            }
            // A verbatim repeat counts where it appears last: dnsmasq finds the later line first.
            byId.remove(r.id());
            byId.put(r.id(), r);
        }
        return new Result(file, new ArrayList<>(byId.values()), errors);
    }

    private static Integer ipv4Of(Reservation r) {
        for (InetAddress a : r.addresses()) {
            if (a instanceof Inet4Address) {
                return IpAddresses.toInt((Inet4Address) a);
            }
        }
        return null;
    }

    /**
     * Parses one dhcp-host line into a reservation whose id is the trimmed line.
     *
     * @throws IllegalArgumentException naming the offending field, for a malformed line, for a form
     *         Leasehold does not serve ({@code ignore}, wildcard MACs, negated tags, address
     *         prefixes), or for a line that names no client (no MAC and no {@code id:}: dnsmasq would
     *         match it by the client's own host name, which Leasehold does not do)
     */
    public static Reservation parseLine(String line) {
        DnsmasqSyntax.checkLine(line);
        String text = line.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty dhcp-host");
        }
        long mac = Lease4.NO_MAC;
        Octets clientId = null;
        String hostname = null;
        Inet4Address ipv4 = null;
        List<InetAddress> ipv6 = new ArrayList<>();
        Set<String> setTags = new LinkedHashSet<>();
        Set<String> requiredTags = new LinkedHashSet<>();
        long lease = Subnet.DEFAULT_TIME;
        for (String f : DnsmasqSyntax.fields(text)) {
            if (f.isEmpty()) {
                throw new IllegalArgumentException("empty field in '" + text + "'");
            }
            if (f.indexOf(':') >= 0) {
                if (f.startsWith("id:")) {
                    // id:* tells dnsmasq to ignore the client identifier for this host and match it
                    // by MAC, which is how a line without id: is matched here anyway.
                    if (!f.equals("id:*")) {
                        clientId = clientId(f.substring(3));
                    }
                } else if (f.startsWith("set:") || f.startsWith("net:")) {
                    setTags.add(DnsmasqSyntax.tagName(f));
                } else if (f.startsWith("tag:")) {
                    String tag = DnsmasqSyntax.tagName(f);
                    if (tag.startsWith("!") || tag.startsWith("#")) {
                        throw new IllegalArgumentException("'" + f + "': negated tag filters on dhcp-host lines are not supported");
                    }
                    requiredTags.add(tag);
                } else if (f.startsWith("[")) {
                    ipv6.add(ipv6(f));
                } else {
                    if (mac != Lease4.NO_MAC) {
                        throw new IllegalArgumentException("second MAC '" + f
                                + "' (Leasehold takes one MAC per dhcp-host line)");
                    }
                    mac = DnsmasqSyntax.mac(f);
                }
            } else if (NetUtil.isValidIpV4Address(f)) {
                ipv4 = IpAddresses.parseIpv4(f);    // dnsmasq: the last of several wins
            } else {
                long t = DnsmasqSyntax.leaseTime(f);
                if (t >= 0) {
                    lease = t;
                } else if (f.equals("ignore")) {
                    throw new IllegalArgumentException("'ignore' hosts are not supported");
                } else if (hostname != null) {
                    throw new IllegalArgumentException("second host name '" + f + "' (first: '" + hostname
                            + "'), or a malformed address");
                } else {
                    hostname = DnsmasqSyntax.hostname(f);
                }
            }
        }
        if (mac == Lease4.NO_MAC && clientId == null) {
            throw new IllegalArgumentException("names no client (expected: a MAC or id:); dnsmasq would match it by"
                    + " the client's own host name, which Leasehold does not do");
        }
        List<InetAddress> addresses = new ArrayList<>(ipv6.size() + 1);
        if (ipv4 != null) {
            addresses.add(ipv4);
        }
        addresses.addAll(ipv6);
        // In DHCPv6 dnsmasq compares id: with the client's DUID (dnsmasq-facts §6.8).
        Duid duid = clientId != null && clientId.length() >= Duid.MIN_LENGTH && clientId.length() <= Duid.MAX_LENGTH
                ? Duid.of(clientId) : null;
        return new Reservation(text, mac, clientId, duid, hostname, addresses, setTags, requiredTags, lease);
    }

    /**
     * The bytes of an {@code id:} value: colon-separated hex when it holds a colon, else its text
     * (dnsmasq option.c {@code 'G'}: {@code strchr(arg, ':')} selects {@code parse_hex}).
     */
    static Octets clientId(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("'id:': empty client identifier");
        }
        if (value.indexOf(':') >= 0) {
            byte[] b = DnsmasqSyntax.hex(value);
            if (b == null) {
                throw new IllegalArgumentException("bad hex constant 'id:" + value + "'");
            }
            return Octets.of(b);
        }
        return Octets.of(value.getBytes(StandardCharsets.UTF_8));
    }

    private static Inet6Address ipv6(String field) {
        if (!field.endsWith("]")) {
            throw new IllegalArgumentException("IPv6 address '" + field + "' (expected: [address])");
        }
        String inner = field.substring(1, field.length() - 1);
        if (inner.indexOf('/') >= 0) {
            throw new IllegalArgumentException("'" + field + "': address prefixes on dhcp-host lines are not supported");
        }
        Inet6Address a;
        try {
            a = IpAddresses.parseIpv6(inner);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad IPv6 address '" + field + "'");
        }
        byte[] b = a.getAddress();
        boolean networkZero = true;
        for (int i = 0; i < 8; i++) {
            networkZero &= b[i] == 0;
        }
        if (networkZero) {
            // dnsmasq reads [::5] as "::5 in whatever /64 the client is on"; not supported.
            throw new IllegalArgumentException("'" + field + "': wildcard-prefix addresses are not supported");
        }
        return a;
    }
}
