package io.leasehold.dnsmasq;

import io.leasehold.wire.IpAddresses;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * dnsmasq's {@code --addn-hosts}: an /etc/hosts-style file, {@code IP<whitespace>NAME [NAME...]}
 * per line. Neutron writes one line per fixed IP of every port, the FQDN first and then the short
 * name, including addresses DHCP does not serve (SLAAC, DHCP-disabled subnets) so every agent
 * resolves every port (neutron-compat §2.2, {@code dhcp.py:1112-1131}). It feeds the DNS side and
 * the host-name fallback of DHCPINFORM, not the DHCP snapshot.
 *
 * <p>Names are checked with dnsmasq's {@code check_name} rules and lower-cased; a {@code #} starts
 * a comment anywhere on the line, as in /etc/hosts. A bad line is reported and skipped.
 */
public final class AddnHostsFile {

    /**
     * One line: an address and its names, the first being the one PTR queries answer with.
     *
     * @param address the address
     * @param names   the names, canonical (lower case, no trailing dot), at least one
     */
    public record Entry(InetAddress address, List<String> names) {
        public Entry {
            names = List.copyOf(names);
            if (names.isEmpty()) {
                throw new IllegalArgumentException("entry for " + IpAddresses.text(address) + ": no names");
            }
        }
    }

    /**
     * A parsed file.
     *
     * @param file    the file's name as given
     * @param entries the good lines, in file order
     * @param errors  the rejected lines
     */
    public record Result(String file, List<Entry> entries, List<LineError> errors) {
        public Result {
            entries = List.copyOf(entries);
            errors = List.copyOf(errors);
        }
    }

    private AddnHostsFile() {
    }

    /** Reads and parses the file at {@code path}. */
    public static Result read(Path path) throws IOException {
        return parse(path.toString(), new String(Files.readAllBytes(path), StandardCharsets.UTF_8));
    }

    /** Parses addn-hosts text; never throws for bad content. */
    public static Result parse(String file, CharSequence text) {
        List<Entry> entries = new ArrayList<>();
        List<LineError> errors = new ArrayList<>();
        for (DnsmasqSyntax.Line line : DnsmasqSyntax.lines(text)) {
            String t = line.text();
            int hash = t.indexOf('#');
            if (hash >= 0) {
                t = t.substring(0, hash);
            }
            if (t.isBlank()) {
                continue;
            }
            try {
                entries.add(parseLine(t));
            } catch (IllegalArgumentException e) {
                errors.add(new LineError(file, line.number(), e.getMessage()));
            }
        }
        return new Result(file, entries, errors);
    }

    /**
     * Parses one line (without comment).
     *
     * @throws IllegalArgumentException naming the offending field
     */
    public static Entry parseLine(String line) {
        DnsmasqSyntax.checkLine(line);
        String[] f = line.strip().split("[ \t]+");
        if (f.length < 2) {
            throw new IllegalArgumentException("'" + line.strip() + "' (expected: address name [name...])");
        }
        InetAddress address;
        try {
            address = IpAddresses.parse(f[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad address '" + f[0] + "'");
        }
        List<String> names = new ArrayList<>(f.length - 1);
        for (int i = 1; i < f.length; i++) {
            names.add(name(f[i]));
        }
        return new Entry(address, names);
    }

    /** {@code check_name}: one trailing dot removed, labels of 1..63 characters, printable ASCII, lower case. */
    private static String name(String text) {
        String t = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (t.isEmpty() || t.length() > DnsmasqSyntax.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("bad name '" + text + "' (expected: 1.." + DnsmasqSyntax.MAX_NAME_LENGTH
                    + " characters)");
        }
        for (String label : t.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                throw new IllegalArgumentException("bad name '" + text + "': a label of " + label.length()
                        + " characters (expected: 1..63)");
            }
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c <= 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("bad name '" + text + "': character " + String.format("U+%04X", (int) c));
            }
        }
        return t.toLowerCase(java.util.Locale.ROOT);
    }
}
