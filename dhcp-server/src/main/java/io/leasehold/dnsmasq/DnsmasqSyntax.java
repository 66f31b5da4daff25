package io.leasehold.dnsmasq;

import io.leasehold.model.Hostnames;
import io.leasehold.model.Subnet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lexical rules dnsmasq applies to its configuration text, shared by the argv, hosts-file and
 * opts-file parsers: line splitting and the checks that reject a hostile line alone, comma fields,
 * hex constants, lease times, MAC addresses and host names.
 *
 * <p>Sources: dnsmasq 2.90 {@code option.c} ({@code one_file}/{@code read_file}, {@code 'G'}
 * dhcp-host parsing), {@code util.c} ({@code parse_hex}, {@code check_name}, {@code legal_hostname},
 * {@code canonicalise}), as summarised in dnsmasq-facts.md §4.7 and §8.
 */
final class DnsmasqSyntax {

    /**
     * The longest line accepted. dnsmasq reads configuration lines into a fixed buffer (a few
     * kilobytes); nothing Neutron writes comes near this, so a longer line is an accident or an
     * attack and is rejected alone.
     */
    static final int MAX_LINE_LENGTH = 4096;

    /** dnsmasq clamps every configured lease time to at least two minutes (option.c {@code 'F'}, {@code 'G'}). */
    static final long MIN_LEASE_SECONDS = 120;

    /** The longest host name dnsmasq's {@code check_name} accepts. */
    static final int MAX_NAME_LENGTH = 1025;

    private DnsmasqSyntax() {
    }

    /** One line of a configuration file, with its number and its text (no line terminator). */
    record Line(int number, String text) {
    }

    /**
     * Splits file text into lines on {@code \n}. A trailing {@code \r} is dropped (a file edited on
     * another system); any other control character is left for {@link #checkLine} to reject.
     */
    static List<Line> lines(CharSequence text) {
        List<Line> out = new ArrayList<>();
        int n = text.length();
        int number = 0;
        for (int start = 0; start < n; ) {
            int end = start;
            while (end < n && text.charAt(end) != '\n') {
                end++;
            }
            number++;
            int stop = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            out.add(new Line(number, text.subSequence(start, stop).toString()));
            start = end + 1;
        }
        return out;
    }

    /**
     * Rejects what no configuration line may hold: control characters (a NUL or CR inside a line is
     * an injection attempt; Neutron cuts values at the first newline, dhcp.py {@code _format_option}),
     * undecodable bytes, and excessive length.
     *
     * @throws IllegalArgumentException naming the problem and its column
     */
    static void checkLine(String text) {
        if (text.length() > MAX_LINE_LENGTH) {
            throw new IllegalArgumentException("line of " + text.length() + " characters (expected: at most "
                    + MAX_LINE_LENGTH + ")");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new IllegalArgumentException(String.format("control character 0x%02x at column %d", (int) c, i + 1));
            }
            if (c == '\ufffd') {
                throw new IllegalArgumentException("bytes that are not UTF-8 at column " + (i + 1));
            }
        }
    }

    /** True for a line dnsmasq skips: empty, blank, or a {@code #} comment. */
    static boolean isBlankOrComment(String text) {
        String t = text.strip();
        return t.isEmpty() || t.charAt(0) == '#';
    }

    /**
     * Splits on commas that are not inside double quotes, trimming each field. dnsmasq's
     * {@code one_file} lets a quoted string carry commas; the quotes stay in the field for the
     * string codec to remove.
     */
    static List<String> fields(String text) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(text.substring(start, i).strip());
                start = i + 1;
            }
        }
        out.add(text.substring(start).strip());
        return out;
    }

    /**
     * Reads hex as dnsmasq's {@code parse_hex} does: groups of hex digits separated by {@code :},
     * {@code -} or a space; a group of more than two digits gives several bytes, taken in pairs from
     * the left, an odd last digit alone ({@code abc} is {@code ab:0c}).
     *
     * @return the bytes, or null when the text is not such hex
     */
    static byte[] hex(String text) {
        if (text.isEmpty()) {
            return null;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i < text.length() && text.charAt(i) != ':' && text.charAt(i) != '-' && text.charAt(i) != ' ') {
                if (Character.digit(text.charAt(i), 16) < 0) {
                    return null;
                }
                continue;
            }
            if (i == start) {
                return null;        // an empty group
            }
            for (int k = start; k < i; k += 2) {
                int hi = Character.digit(text.charAt(k), 16);
                out.write(k + 1 < i ? hi << 4 | Character.digit(text.charAt(k + 1), 16) : hi);
            }
            start = i + 1;
        }
        return out.toByteArray();
    }

    /**
     * Reads a dnsmasq lease time: {@code infinite}, or decimal digits with an optional unit
     * {@code s}, {@code m}, {@code h}, {@code d} or {@code w}; clamped to at least
     * {@value #MIN_LEASE_SECONDS} s as dnsmasq clamps it.
     *
     * @return seconds, {@link Subnet#INFINITE} for {@code infinite}, or -1 when the text is not a
     *         lease time at all
     * @throws IllegalArgumentException when it is a lease time too large for 32 bits
     */
    static long leaseTime(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.equals("infinite")) {
            return Subnet.INFINITE;
        }
        if (t.isEmpty()) {
            return -1;
        }
        long unit = 1;
        int digits = t.length();
        switch (t.charAt(t.length() - 1)) {
            case 's': unit = 1; digits--; break;
            case 'm': unit = 60; digits--; break;
            case 'h': unit = 3600; digits--; break;
            case 'd': unit = 86400; digits--; break;
            case 'w': unit = 604800; digits--; break;
            default: break;
        }
        if (digits == 0 || digits > 10) {
            return digits > 10 && allDigits(t, digits) ? tooLong(text) : -1;
        }
        if (!allDigits(t, digits)) {
            return -1;
        }
        long seconds = Long.parseLong(t.substring(0, digits)) * unit;
        if (seconds >= Subnet.INFINITE) {
            return tooLong(text);
        }
        return Math.max(MIN_LEASE_SECONDS, seconds);
    }

    private static long tooLong(String text) {
        throw new IllegalArgumentException("lease time '" + text + "' (expected: less than 4294967295s, or infinite)");
    }

    private static boolean allDigits(String t, int n) {
        for (int i = 0; i < n; i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads an Ethernet MAC: six hex octets separated by colons (or dashes), optionally preceded by
     * the hardware type {@code 01-} as dnsmasq allows. Wildcard octets ({@code *}) and other
     * hardware types are valid dnsmasq but not served by Leasehold, and are refused by name.
     *
     * @return the MAC in the low 48 bits
     * @throws IllegalArgumentException naming the text
     */
    static long mac(String text) {
        String t = text;
        int dash = t.indexOf('-');
        if (dash > 0 && dash <= 2 && t.indexOf(':') > dash) {
            String type = t.substring(0, dash);
            if (!type.equals("1") && !type.equals("01")) {
                throw new IllegalArgumentException("MAC '" + text + "': hardware type " + type
                        + " (expected: 1, Ethernet; Leasehold serves Ethernet only)");
            }
            t = t.substring(dash + 1);
        }
        if (t.indexOf('*') >= 0) {
            throw new IllegalArgumentException("MAC '" + text + "': wildcard octets are not supported");
        }
        long mac = 0;
        int octets = 0;
        int start = 0;
        for (int i = 0; i <= t.length(); i++) {
            if (i < t.length() && t.charAt(i) != ':' && t.charAt(i) != '-') {
                continue;
            }
            int len = i - start;
            if (len == 0 || len > 2 || ++octets > 6) {
                throw new IllegalArgumentException("MAC '" + text + "' (expected: six octets like fa:16:3e:00:00:01)");
            }
            int v = 0;
            for (int k = start; k < i; k++) {
                int d = Character.digit(t.charAt(k), 16);
                if (d < 0) {
                    throw new IllegalArgumentException("MAC '" + text + "': '" + t.substring(start, i) + "' is not hex");
                }
                v = v * 16 + d;
            }
            mac = mac << 8 | v;
            start = i + 1;
        }
        if (octets != 6) {
            throw new IllegalArgumentException("MAC '" + text + "' (expected: six octets like fa:16:3e:00:00:01)");
        }
        return mac;
    }

    /**
     * Canonicalises a configured host name as dnsmasq does for dhcp-host names ({@code canonicalise},
     * {@code check_name}, {@code legal_hostname}; dnsmasq-facts §8): one trailing dot removed, lower
     * case (Debian's IDN2 build lower-cases), at most {@value #MAX_NAME_LENGTH} characters, labels of
     * 1..63 characters without control characters, and a first label of letters, digits, {@code -}
     * and {@code _} (not first). Non-ASCII names would be IDNA-encoded by dnsmasq; Leasehold refuses
     * them rather than guess.
     *
     * @return the canonical name
     * @throws IllegalArgumentException naming the rule broken
     */
    static String hostname(String text) {
        String t = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (t.isEmpty()) {
            throw new IllegalArgumentException("host name '" + text + "': empty");
        }
        if (t.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("host name of " + t.length() + " characters (expected: at most "
                    + MAX_NAME_LENGTH + ")");
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c > 0x7e || c <= 0x20) {
                throw new IllegalArgumentException("host name '" + text + "': character "
                        + String.format("U+%04X", (int) c) + " (expected: ASCII letters, digits, '-', '_', '.')");
            }
        }
        String lower = t.toLowerCase(Locale.ROOT);
        String[] labels = lower.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63) {
                throw new IllegalArgumentException("host name '" + text + "': a label of " + label.length()
                        + " characters (expected: 1..63)");
            }
        }
        if (!Hostnames.isLegalHostLabel(labels[0])) {
            throw new IllegalArgumentException("bad DHCP host name '" + text
                    + "' (expected: a first label of letters, digits, '-' and '_', not starting with '-' or '_')");
        }
        return lower;
    }

    /**
     * A tag name as dnsmasq stores it, {@code tag:}, {@code net:} or {@code set:} prefix removed;
     * {@code !} or {@code #} marks negation and stays.
     *
     * @throws IllegalArgumentException when nothing is left
     */
    static String tagName(String text) {
        String t = text;
        if (t.startsWith("tag:") || t.startsWith("net:") || t.startsWith("set:")) {
            t = t.substring(4);
        }
        String bare = t.startsWith("!") || t.startsWith("#") ? t.substring(1) : t;
        if (bare.isEmpty()) {
            throw new IllegalArgumentException("tag '" + text + "': empty name");
        }
        return t;
    }
}
