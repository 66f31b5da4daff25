package io.leasehold.dnsmasq;

import io.leasehold.model.OptionLine;
import io.leasehold.model.TagMatch;
import io.leasehold.option.OptionDef;
import io.leasehold.option.OptionSpace;
import io.leasehold.option.OptionTable;
import io.leasehold.v4.Dhcp4Options;
import io.leasehold.v6.Dhcp6Options;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * dnsmasq's {@code --dhcp-optsfile}, and the option text of {@code --dhcp-option} and
 * {@code --dhcp-option-force}: the one place where option text becomes option bytes.
 *
 * <p>A line is {@code [tag,...]option,[value]} (dnsmasq-facts §1.1; neutron-compat §2.3):
 * <ul>
 *   <li>leading fields that are neither a bare number nor start with {@code option:}/{@code option6:}
 *       are tags, {@code tag:}/{@code net:}/{@code set:} prefix removed, {@code !} negating;</li>
 *   <li>the option is {@code option:NAME} or a bare number (DHCPv4, named through
 *       {@link Dhcp4Options#TABLE}'s dnsmasq aliases), or {@code option6:NAME}/{@code option6:NUMBER}
 *       (DHCPv6, {@link Dhcp6Options#TABLE}); {@code server-ip-address} (and code 255) is the BOOTP
 *       {@code siaddr} field, {@link OptionLine#NEXT_SERVER};</li>
 *   <li>no comma after the option: a line with no value ({@link OptionLine#value()} null), which
 *       suppresses the option and its default (dnsmasq-facts §2.9);</li>
 *   <li>a comma and nothing after it (Neutron writes {@code option:router,} for a blank API value):
 *       for an address option this is dnsmasq's {@code bad IP address} error and the line is
 *       rejected, suppressing nothing; for any other option a zero-length value, which dnsmasq
 *       sends as an empty option when asked for it;</li>
 *   <li>otherwise the value is encoded by the option's codec. {@code 0.0.0.0} (or {@code [::]}) in a
 *       plain address list means "this server" ({@link OptionLine#selfAddress()}); in the
 *       {@code a.b.c.d/n} form of options 121/249 it stays literal (dnsmasq-facts §2.5), and so does
 *       the address of {@code server-ip-address} (§5). When the codec refuses a value that is
 *       colon-separated hex, the hex bytes are taken, as dnsmasq takes hex for untyped options.</li>
 * </ul>
 *
 * <p>Codes neither table knows are encoded the way dnsmasq guesses ({@code parse_dhcp_opt}): at
 * least two colon-separated hex groups → those bytes; decimal → a number of 1, 2 or 4 octets,
 * the smallest that holds it (a {@code b}, {@code s} or {@code i} suffix forces 1, 2 or 4);
 * dotted quads with commas (DHCPv4) → IPv4 addresses, {@code a.b.c.d/n} items in the RFC 3442
 * form; IPv6 literals (DHCPv6) → IPv6 addresses; anything else → the text as bytes.
 *
 * <p>Length: as dnsmasq ({@code dhcp-option too long}), a DHCPv4 value over 255 octets is rejected
 * rather than split into RFC 3396 pieces, so a configuration that works here works with dnsmasq;
 * DHCPv6 values may be up to 65535 octets.
 *
 * <p>Order matters (dnsmasq-facts §1.1, §1.3): among equally specific lines for one option the line
 * read last wins, and options go on the wire newest first. {@link Result#lines()} is in file order
 * with a verbatim repeat counted at its last position.
 */
public final class OptsFile {

    /** The longest DHCPv4 option value dnsmasq accepts from configuration. */
    public static final int MAX_V4_VALUE = 255;

    /**
     * A parsed opts file.
     *
     * @param file   the file's name as given
     * @param lines  the good lines, in effective file order
     * @param errors the rejected lines
     */
    public record Result(String file, List<OptionLine> lines, List<LineError> errors) {
        public Result {
            lines = List.copyOf(lines);
            errors = List.copyOf(errors);
        }
    }

    private OptsFile() {
    }

    /** Reads and parses the file at {@code path}. */
    public static Result read(Path path) throws IOException {
        return parse(path.toString(), new String(Files.readAllBytes(path), StandardCharsets.UTF_8));
    }

    /** Parses opts-file text (every line not forced); never throws for bad content. */
    public static Result parse(String file, CharSequence text) {
        Map<OptionLine, OptionLine> ordered = new LinkedHashMap<>();
        List<LineError> errors = new ArrayList<>();
        for (DnsmasqSyntax.Line line : DnsmasqSyntax.lines(text)) {
            if (DnsmasqSyntax.isBlankOrComment(line.text())) {
                continue;
            }
            try {
                OptionLine o = parseLine(line.text(), false);
                ordered.remove(o);
                ordered.put(o, o);
            } catch (IllegalArgumentException e) {
                errors.add(new LineError(file, line.number(), e.getMessage()));
            }
        }
        return new Result(file, new ArrayList<>(ordered.keySet()), errors);
    }

    /**
     * Parses one option line.
     *
     * @param forced true for {@code --dhcp-option-force}: sent even when not requested
     * @throws IllegalArgumentException naming the offending part
     */
    public static OptionLine parseLine(String line, boolean forced) {
        DnsmasqSyntax.checkLine(line);
        String text = line.strip();
        List<TagMatch> tags = new ArrayList<>();
        int pos = 0;
        while (true) {
            int comma = nextComma(text, pos);
            String token = (comma < 0 ? text.substring(pos) : text.substring(pos, comma)).strip();
            if (isOptionToken(token)) {
                String value = comma < 0 ? null : text.substring(comma + 1).strip();
                return option(token, value, tags, forced);
            }
            if (token.startsWith("vendor:") || token.startsWith("encap:") || token.startsWith("vi-encap:")) {
                throw new IllegalArgumentException("'" + token + "': vendor and encapsulated options are not supported");
            }
            if (token.isEmpty()) {
                throw new IllegalArgumentException("bad dhcp-option '" + text + "': empty field before the option");
            }
            tags.add(TagMatch.parse(DnsmasqSyntax.tagName(token)));
            if (comma < 0) {
                throw new IllegalArgumentException("bad dhcp-option '" + text
                        + "': no option (expected: option:NAME, option6:NAME or a number)");
            }
            pos = comma + 1;
        }
    }

    private static int nextComma(String text, int from) {
        boolean quoted = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isOptionToken(String token) {
        return token.startsWith("option:") || token.startsWith("option6:") || isDecimal(token);
    }

    private static boolean isDecimal(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static OptionLine option(String token, String value, List<TagMatch> tags, boolean forced) {
        boolean v6 = token.startsWith("option6:");
        String name = v6 ? token.substring(8) : token.startsWith("option:") ? token.substring(7) : token;
        OptionSpace space = v6 ? OptionSpace.DHCP6 : OptionSpace.DHCP4;
        if (name.isEmpty()) {
            throw new IllegalArgumentException("'" + token + "': no option name");
        }
        if (!v6 && (name.equalsIgnoreCase(Dhcp4Options.SIADDR_PSEUDO_OPTION) || name.equals("255"))) {
            return new OptionLine(space, OptionLine.NEXT_SERVER, nextServer(value), tags, forced, false);
        }
        if (!v6 && name.equalsIgnoreCase("sip-server")) {
            throw new IllegalArgumentException("'" + token + "': option 120 (sip-server) is not supported");
        }
        OptionTable table = v6 ? Dhcp6Options.TABLE : Dhcp4Options.TABLE;
        if (isDecimal(name) && Integer.parseInt(name) > space.maxCode()) {
            throw new IllegalArgumentException("'" + token + "': option code " + name + " (expected: 0.."
                    + space.maxCode() + ")");
        }
        OptionDef<?> def = table.byName(name);
        if (def == null) {
            throw new IllegalArgumentException("unknown DHCP" + (v6 ? "v6" : "") + " option '" + name + "'");
        }
        if (value == null) {
            return new OptionLine(space, def.code(), null, tags, forced, false);
        }
        Encoded e = encode(def, value);
        int max = v6 ? 65535 : MAX_V4_VALUE;
        if (e.bytes.length() > max) {
            throw new IllegalArgumentException("dhcp-option too long: " + def.label() + " value of "
                    + e.bytes.length() + " octets (expected: at most " + max + ")");
        }
        return new OptionLine(space, def.code(), e.bytes, tags, forced, e.self);
    }

    private static Octets nextServer(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Octets.of(IpAddresses.parseIpv4(value).getAddress());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad IP address '" + value + "' for server-ip-address");
        }
    }

    /** Encoded bytes and whether they hold the unspecified address that stands for this server. */
    private record Encoded(Octets bytes, boolean self) {
    }

    /** Encodes option text for {@code def} as dnsmasq would (see the class comment). */
    private static Encoded encode(OptionDef<?> def, String value) {
        boolean v6 = def.space() == OptionSpace.DHCP6;
        if (def.isUnknown()) {
            return guess(value, v6);
        }
        String type = def.codec().type();
        boolean addresses = type.startsWith(v6 ? "ipv6" : "ipv4");
        if (value.isEmpty()) {
            if (addresses) {
                throw new IllegalArgumentException(v6 ? "bad IPv6 address: empty value for " + def.label()
                        : "bad IP address: empty value for " + def.label());
            }
            return new Encoded(Octets.EMPTY, false);
        }
        try {
            byte[] bytes = encodeTyped(def, value);
            return new Encoded(Octets.of(bytes), addresses && holdsUnspecified(bytes, v6 ? 16 : 4));
        } catch (IllegalArgumentException e) {
            byte[] hex = !addresses && !type.equals("string") && !type.equals("utf8") ? hexGuess(value) : null;
            if (hex != null) {
                return new Encoded(Octets.of(hex), false);
            }
            throw new IllegalArgumentException("bad value '" + value + "' for " + e.getMessage(), e);
        }
    }

    private static <T> byte[] encodeTyped(OptionDef<T> def, String value) {
        return def.encode(def.parse(value));
    }

    private static boolean holdsUnspecified(byte[] bytes, int width) {
        for (int i = 0; i + width <= bytes.length; i += width) {
            boolean zero = true;
            for (int j = 0; j < width; j++) {
                zero &= bytes[i + j] == 0;
            }
            if (zero) {
                return true;
            }
        }
        return false;
    }

    /**
     * dnsmasq's hex reading of an option value: hex digits and at least one colon. The value is as
     * many octets as there are colon-separated groups ({@code new->len = digs}), so the extra octets
     * of a group longer than two digits are dropped, as dnsmasq drops them.
     *
     * @return the octets, or null when the value is not hex in this sense
     */
    private static byte[] hexGuess(String value) {
        int groups = 1;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ':') {
                groups++;
            } else if (Character.digit(c, 16) < 0) {
                return null;
            }
        }
        byte[] b = groups > 1 ? DnsmasqSyntax.hex(value) : null;
        return b == null ? null : b.length > groups ? java.util.Arrays.copyOf(b, groups) : b;
    }

    /**
     * dnsmasq's value characterisation for an option it has no type for ({@code parse_dhcp_opt}):
     * the first of hex, decimal, IPv4 list, IPv6 list, string that the text can be.
     */
    static Encoded guess(String value, boolean v6) {
        boolean isAddr = true;
        boolean isAddr6 = true;
        boolean isHex = true;
        boolean isDec = true;
        boolean foundDigit = false;
        boolean foundColon = false;
        int digs = 1;
        char lenChar = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',') {
                isDec = isHex = false;
            } else if (c == ':') {
                digs++;
                isDec = isAddr = false;
                foundColon = true;
            } else if (c == '/') {
                isAddr6 = isDec = isHex = false;
                if (i == 0) {
                    isAddr = false;     // a leading slash is a path name
                }
            } else if (c == '.') {
                isDec = isHex = false;
            } else if (c == '-') {
                isHex = isAddr = isAddr6 = false;
            } else if (c == ' ') {
                isDec = isHex = false;
            } else if (c < '0' || c > '9') {
                isAddr = false;
                if (i == value.length() - 1 && isDec && (c == 'b' || c == 's' || c == 'i')) {
                    lenChar = c;
                } else {
                    isDec = false;
                }
                if (Character.digit(c, 16) < 0) {
                    isHex = false;
                    if (c != '[' && c != ']') {
                        isAddr6 = false;
                    }
                }
            } else {
                foundDigit = true;
            }
        }
        if (!foundDigit) {
            isDec = isAddr = false;
        }
        if (!foundColon) {
            isAddr6 = false;
        }
        if (isHex && digs > 1) {
            byte[] b = hexGuess(value);
            if (b != null) {
                return new Encoded(Octets.of(b), false);
            }
        }
        if (isDec) {
            String digits = lenChar != 0 ? value.substring(0, value.length() - 1) : value;
            if (digits.length() > 10 || Long.parseLong(digits) > 0xffffffffL) {
                throw new IllegalArgumentException("number '" + value + "' (expected: at most 4294967295)");
            }
            long v = Long.parseLong(digits);
            int len = (v & 0xffff0000L) != 0 ? 4 : (v & 0xff00L) != 0 ? 2 : 1;
            if (lenChar == 'b') {
                len = 1;
            } else if (lenChar == 's') {
                len = 2;
            } else if (lenChar == 'i') {
                len = 4;
            }
            byte[] b = new byte[len];
            for (int i = 0; i < len; i++) {
                b[i] = (byte) (v >>> ((len - i - 1) * 8));
            }
            return new Encoded(Octets.of(b), false);
        }
        if (isAddr && !v6) {
            return ipv4Descriptors(value);
        }
        if (isAddr6 && v6) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean self = false;
            for (String item : value.split(",", -1)) {
                Inet6Address a;
                try {
                    a = IpAddresses.parseIpv6(item.strip());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("bad IPv6 address '" + item + "'");
                }
                self |= a.isAnyLocalAddress();
                out.writeBytes(a.getAddress());
            }
            return new Encoded(Octets.of(out.toByteArray()), self);
        }
        String s = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
        return new Encoded(Octets.of(s.getBytes(StandardCharsets.UTF_8)), false);
    }

    /** IPv4 addresses, each {@code a.b.c.d} as 4 octets or {@code a.b.c.d/n} as length plus significant octets. */
    private static Encoded ipv4Descriptors(String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean descriptor = false;
        boolean self = false;
        for (String item : value.split(",", -1)) {
            String t = item.strip();
            int slash = t.indexOf('/');
            Inet4Address a;
            try {
                a = IpAddresses.parseIpv4(slash < 0 ? t : t.substring(0, slash));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad IPv4 address '" + item + "'");
            }
            byte[] b = a.getAddress();
            if (slash < 0) {
                self |= IpAddresses.toInt(a) == 0;
                out.writeBytes(b);
            } else {
                descriptor = true;
                int n;
                try {
                    n = Integer.parseInt(t.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad prefix length in '" + item + "'");
                }
                if (n < 0 || n > 32) {
                    throw new IllegalArgumentException("prefix length: " + n + " (expected: 0..32) in '" + item + "'");
                }
                out.write(n);
                out.write(b, 0, (n + 7) / 8);
            }
        }
        // Any a.b.c.d/n item makes the whole value a descriptor list, which dnsmasq never rewrites.
        return new Encoded(Octets.of(out.toByteArray()), self && !descriptor);
    }
}
