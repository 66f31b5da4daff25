package io.leasehold.lease;

import io.leasehold.option.Duid;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import io.netty.util.NetUtil;

import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * dnsmasq's lease file ({@code --dhcp-leasefile}), the format Neutron's DHCP agent seeds before
 * every spawn and reads to decide which leases to release. One lease per line, fields separated by
 * a space, as dnsmasq's {@code lease_update_file} writes them (dnsmasq {@code src/lease.c}):
 *
 * <pre>
 * IPv4:  &lt;expiry&gt; &lt;MAC&gt; &lt;IPv4&gt; &lt;hostname|*&gt; &lt;client-id|*&gt;
 * duid &lt;server DUID&gt;
 * IPv6:  &lt;expiry&gt; &lt;[T]IAID&gt; &lt;IPv6&gt; &lt;hostname|*&gt; &lt;client DUID|*&gt;
 * </pre>
 *
 * <ul>
 *   <li>expiry: seconds since the epoch, {@code 0} for an infinite lease;</li>
 *   <li>MAC: colon hex; dnsmasq prefixes the hardware type in hex and a dash ({@code 06-…}) when it
 *       is not Ethernet or the address is empty, so a lease without a hardware address is
 *       {@code 00-};</li>
 *   <li>IAID: decimal, with a {@code T} before it for a temporary address (IA_TA);</li>
 *   <li>client-id and DUIDs: colon hex, {@code *} for none;</li>
 *   <li>dnsmasq writes the IPv4 leases, then the {@code duid} line (the server's DUID, which must
 *       stay stable across restarts), then the IPv6 leases. Neutron's seed file has the
 *       {@code duid} line first, then {@code <now+lease> <MAC> <IP> * *} per IPv4 port and IPv6
 *       lines copied from the old file.</li>
 * </ul>
 *
 * <p>Parsing never throws for a bad line: the line is skipped (or its bad field dropped) and a
 * {@link Problem} names the line and what was wrong, so one bad line costs that line, not the file.
 * The caller adds the file name when it reports them.
 *
 * <p>Formatting writes only what parses back: bound leases of IPv4 and of IA_NA/IA_TA (dnsmasq
 * neither records offers and declines in the file nor delegates prefixes), and a host name only when
 * it is a legal one ({@link #isLegalHostname}), else {@code *}, as dnsmasq records only legal names.
 * {@link #roundTrips} tells whether a lease comes back from the file unchanged; a store keeps the
 * others elsewhere.
 *
 * <p>Pure: text in and out, no file I/O.
 *
 * @see <a href="https://thekelleys.org.uk/dnsmasq/docs/dnsmasq-man.html">dnsmasq(8), --dhcp-leasefile</a>
 */
public final class DnsmasqLeaseFile {

    /** One thing wrong with a line of a lease file. */
    public record Problem(int line, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    /**
     * What a lease file holds.
     *
     * @param leases4    the IPv4 leases, in file order (bound; a later line of the same address wins
     *                   when applied in order)
     * @param serverDuid the server's DUID from the first {@code duid} line, or null
     * @param leases6    the IPv6 leases (IA_NA and IA_TA, bound), in file order
     * @param problems   the lines skipped or changed, and why
     */
    public record Contents(List<Lease4> leases4, Duid serverDuid, List<Lease6> leases6, List<Problem> problems) {
    }

    /** The longest host name recorded (a DNS name's text form, RFC 1035 §2.3.4). */
    public static final int MAX_HOSTNAME_LENGTH = 255;
    private static final int MAX_LABEL_LENGTH = 63;
    private static final int ARPHRD_ETHER = 1;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private DnsmasqLeaseFile() {
    }

    // ---------------------------------------------------------------------------------------- parse

    /**
     * Parses a lease file's bytes. Every byte is read as one character (ISO-8859-1), so no byte
     * sequence fails to decode; a non-ASCII host name is then simply not a legal one.
     */
    public static Contents parse(byte[] file) {
        return parse(new String(file, StandardCharsets.ISO_8859_1));
    }

    /** Parses a lease file's text. Never throws for bad content; see {@link Contents#problems()}. */
    public static Contents parse(CharSequence text) {
        List<Lease4> leases4 = new ArrayList<>();
        List<Lease6> leases6 = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Duid serverDuid = null;
        int duidLine = 0;
        int length = text.length();
        int lineNo = 0;
        for (int start = 0; start < length; ) {
            int end = start;
            while (end < length && text.charAt(end) != '\n') {
                end++;
            }
            lineNo++;
            String[] f = fields(text, start, end);
            start = end + 1;
            if (f.length == 0 || f[0].startsWith("#")) {
                // Blank lines and comments: dnsmasq never writes them; skipping them is harmless.
                continue;
            }
            if (f[0].equals("duid")) {
                if (f.length != 2) {
                    problems.add(new Problem(lineNo, "duid line of " + f.length + " fields (expected: 2: duid <hex>)"));
                    continue;
                }
                Duid d;
                try {
                    d = Duid.parse(f[1]);
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem(lineNo, "server DUID '" + f[1] + "': " + e.getMessage()));
                    continue;
                }
                if (serverDuid == null) {
                    serverDuid = d;
                    duidLine = lineNo;
                } else {
                    // Neutron's agent warns on the same: there must be one per file (dhcp.py).
                    problems.add(new Problem(lineNo, "another duid line; the one of line " + duidLine + " is kept"));
                }
                continue;
            }
            if (f.length != 5) {
                problems.add(new Problem(lineNo, f.length
                        + " fields (expected: 5: expiry, MAC or IAID, address, hostname, client id)"));
                continue;
            }
            long expiresAt = parseExpiry(f[0]);
            if (expiresAt < 0) {
                problems.add(new Problem(lineNo, "expiry '" + f[0] + "' (expected: seconds since the epoch, 0 for never)"));
                continue;
            }
            if (NetUtil.isValidIpV4Address(f[2])) {
                Lease4 l = lease4(f, expiresAt, lineNo, problems);
                if (l != null) {
                    leases4.add(l);
                }
            } else if (f[2].indexOf(':') >= 0) {
                Lease6 l = lease6(f, expiresAt, lineNo, problems);
                if (l != null) {
                    leases6.add(l);
                }
            } else {
                problems.add(new Problem(lineNo, "address '" + f[2] + "' (expected: an IPv4 or IPv6 address)"));
            }
        }
        return new Contents(Collections.unmodifiableList(leases4), serverDuid, Collections.unmodifiableList(leases6),
                Collections.unmodifiableList(problems));
    }

    /** The fields of text[start, end), separated by runs of blanks; a trailing CR is a blank. */
    private static String[] fields(CharSequence text, int start, int end) {
        List<String> out = new ArrayList<>(5);
        int i = start;
        while (i < end) {
            while (i < end && isBlank(text.charAt(i))) {
                i++;
            }
            int j = i;
            while (j < end && !isBlank(text.charAt(j))) {
                j++;
            }
            if (j > i) {
                out.add(text.subSequence(i, j).toString());
            }
            i = j;
        }
        return out.toArray(new String[0]);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    /** Decimal seconds, or -1 when the text is not a non-negative decimal that fits a long. */
    private static long parseExpiry(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static Lease4 lease4(String[] f, long expiresAt, int lineNo, List<Problem> problems) {
        int address = IpAddresses.toInt(IpAddresses.parseIpv4(f[2]));
        long mac;
        String hw = f[1];
        int dash = hw.indexOf('-');
        int hwType = ARPHRD_ETHER;
        if (dash > 0 && dash <= 2 && isHex(hw, 0, dash)) {
            // dnsmasq's "<type>-<address>" form: written when the type is not Ethernet or the
            // address is empty; type 0 with an address means Ethernet, as no type does
            // (lease.c read_leases).
            hwType = Integer.parseInt(hw.substring(0, dash), 16);
            hw = hw.substring(dash + 1);
        }
        if (hwType != ARPHRD_ETHER && hwType != 0) {
            problems.add(new Problem(lineNo, "hardware type " + hwType + " of '" + f[1]
                    + "' (expected: 1, Ethernet); lease skipped"));
            return null;
        }
        if (hw.isEmpty()) {
            mac = Lease4.NO_MAC;
        } else {
            Octets bytes;
            try {
                bytes = Octets.parseHex(hw);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(lineNo, "hardware address '" + f[1] + "': " + e.getMessage() + "; lease skipped"));
                return null;
            }
            if (bytes.length() != 6) {
                problems.add(new Problem(lineNo, "hardware address '" + f[1] + "' of " + bytes.length()
                        + " bytes (expected: 6, Ethernet); lease skipped"));
                return null;
            }
            mac = 0;
            for (int i = 0; i < 6; i++) {
                mac = mac << 8 | bytes.unsignedByte(i);
            }
        }
        Octets clientId = null;
        if (!f[4].equals("*")) {
            try {
                clientId = Octets.parseHex(f[4]);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(lineNo, "client id '" + f[4] + "': " + e.getMessage() + "; lease skipped"));
                return null;
            }
        }
        return new Lease4(address, mac, clientId, hostname(f[3], lineNo, problems), expiresAt, LeaseState.BOUND);
    }

    private static Lease6 lease6(String[] f, long expiresAt, int lineNo, List<Problem> problems) {
        Inet6Address address;
        try {
            address = IpAddresses.parseIpv6(f[2]);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(lineNo, e.getMessage()));
            return null;
        }
        String ia = f[1];
        Lease6.IaType type = Lease6.IaType.NA;
        if (ia.startsWith("T")) {
            type = Lease6.IaType.TA;
            ia = ia.substring(1);
        }
        long iaid = parseExpiry(ia);
        if (iaid < 0 || iaid > 0xffffffffL) {
            problems.add(new Problem(lineNo, "IAID '" + f[1] + "' (expected: 0..4294967295, T before it for IA_TA)"));
            return null;
        }
        if (f[4].equals("*")) {
            problems.add(new Problem(lineNo, "IPv6 lease of " + f[2] + " has no client DUID, so no client to bind it to; skipped"));
            return null;
        }
        Duid duid;
        try {
            duid = Duid.parse(f[4]);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(lineNo, "client DUID '" + f[4] + "': " + e.getMessage() + "; lease skipped"));
            return null;
        }
        return new Lease6(address, 128, type, duid, iaid, hostname(f[3], lineNo, problems), expiresAt, LeaseState.BOUND);
    }

    private static String hostname(String field, int lineNo, List<Problem> problems) {
        if (field.equals("*")) {
            return null;
        }
        if (!isLegalHostname(field)) {
            problems.add(new Problem(lineNo, "hostname '" + field + "' is not a legal host name; recorded as none"));
            return null;
        }
        return field;
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * True for a host name dnsmasq would record (its {@code legal_hostname}, {@code src/util.c}):
     * dot-separated labels of 1..63 letters, digits, hyphens and underscores, each starting with a
     * letter or digit, at most 255 characters in all. Such a name has no blank, control character,
     * comma or {@code *}, so it is one field of a lease line and reads back as itself.
     */
    public static boolean isLegalHostname(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_HOSTNAME_LENGTH) {
            return false;
        }
        int label = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (label == 0) {
                    return false;
                }
                label = 0;
                continue;
            }
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && (label == 0 || (c != '-' && c != '_'))) {
                return false;
            }
            if (++label > MAX_LABEL_LENGTH) {
                return false;
            }
        }
        return label > 0;
    }

    // ---------------------------------------------------------------------------------------- format

    /** True when {@link #format} writes the lease: a bound one. */
    public static boolean writes(Lease4 lease) {
        return lease.state() == LeaseState.BOUND;
    }

    /** True when {@link #format} writes the lease: a bound IA_NA or IA_TA address. */
    public static boolean writes(Lease6 lease) {
        return lease.state() == LeaseState.BOUND && lease.type() != Lease6.IaType.PD;
    }

    /**
     * True when the lease reads back from the file exactly as it is: it is written, its host name
     * is legal or null, and its client id is not empty (an empty one is written as {@code *}, the
     * same as none).
     */
    public static boolean roundTrips(Lease4 lease) {
        return writes(lease) && (lease.hostname() == null || isLegalHostname(lease.hostname()))
                && (lease.clientId() == null || !lease.clientId().isEmpty());
    }

    /** True when the lease reads back from the file exactly as it is. */
    public static boolean roundTrips(Lease6 lease) {
        return writes(lease) && (lease.hostname() == null || isLegalHostname(lease.hostname()));
    }

    /**
     * A lease file of these leases: IPv4 lines, the {@code duid} line when {@code serverDuid} is
     * not null, IPv6 lines, each line ending in a newline; leases {@link #writes} refuses are left
     * out. ASCII only.
     */
    public static String format(Duid serverDuid, Iterable<Lease4> leases4, Iterable<Lease6> leases6) {
        StringBuilder sb = new StringBuilder(4096);
        format(sb, serverDuid, leases4, leases6);
        return sb.toString();
    }

    /** Appends a lease file of these leases to {@code out}; see {@link #format(Duid, Iterable, Iterable)}. */
    public static void format(StringBuilder out, Duid serverDuid, Iterable<Lease4> leases4, Iterable<Lease6> leases6) {
        for (Lease4 l : leases4) {
            if (writes(l)) {
                line(out, l);
            }
        }
        if (serverDuid != null) {
            out.append("duid ");
            hex(out, serverDuid.bytes());
            out.append('\n');
        }
        for (Lease6 l : leases6) {
            if (writes(l)) {
                line(out, l);
            }
        }
    }

    /** Appends the line of one IPv4 lease. */
    public static void line(StringBuilder out, Lease4 l) {
        out.append(l.expiresAt()).append(' ');
        if (l.mac() == Lease4.NO_MAC) {
            out.append("00-");
        } else {
            for (int shift = 40; shift >= 0; shift -= 8) {
                int b = (int) (l.mac() >>> shift) & 0xff;
                out.append(HEX[b >> 4]).append(HEX[b & 0xf]);
                if (shift > 0) {
                    out.append(':');
                }
            }
        }
        int a = l.address();
        out.append(' ').append(a >>> 24).append('.').append((a >>> 16) & 0xff).append('.')
                .append((a >>> 8) & 0xff).append('.').append(a & 0xff).append(' ');
        hostnameField(out, l.hostname());
        out.append(' ');
        if (l.clientId() == null || l.clientId().isEmpty()) {
            out.append('*');
        } else {
            hex(out, l.clientId());
        }
        out.append('\n');
    }

    /** Appends the line of one IPv6 lease. */
    public static void line(StringBuilder out, Lease6 l) {
        out.append(l.expiresAt()).append(' ');
        if (l.type() == Lease6.IaType.TA) {
            out.append('T');
        }
        out.append(l.iaid()).append(' ').append(IpAddresses.text(l.address())).append(' ');
        hostnameField(out, l.hostname());
        out.append(' ');
        hex(out, l.duid().bytes());
        out.append('\n');
    }

    private static void hostnameField(StringBuilder out, String hostname) {
        out.append(hostname != null && isLegalHostname(hostname) ? hostname : "*");
    }

    private static void hex(StringBuilder out, Octets bytes) {
        for (int i = 0; i < bytes.length(); i++) {
            if (i > 0) {
                out.append(':');
            }
            int b = bytes.unsignedByte(i);
            out.append(HEX[b >> 4]).append(HEX[b & 0xf]);
        }
    }
}
