package io.leasehold.dns;

import io.leasehold.dnsmasq.AddnHostsFile;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names a network answers itself, as dnsmasq answers those of its {@code --addn-hosts} files:
 * each name resolves to every address it is listed with (A and AAAA), and each address's PTR
 * answer is the first name of its first line, which Neutron writes as the FQDN
 * (neutron-compat §2.2). Immutable; a reload makes a new one.
 */
public final class LocalNames {

    /** No names. */
    public static final LocalNames EMPTY = new LocalNames(Map.of(), Map.of());

    private final Map<String, List<InetAddress>> byName;
    private final Map<String, String> byReverse;

    private LocalNames(Map<String, List<InetAddress>> byName, Map<String, String> byReverse) {
        this.byName = byName;
        this.byReverse = byReverse;
    }

    /** The names of these files, in file order. */
    public static LocalNames of(List<AddnHostsFile.Result> files) {
        Map<String, List<InetAddress>> byName = new HashMap<>();
        Map<String, String> byReverse = new HashMap<>();
        for (AddnHostsFile.Result f : files) {
            for (AddnHostsFile.Entry e : f.entries()) {
                for (String n : e.names()) {
                    List<InetAddress> l = byName.computeIfAbsent(key(n), k -> new ArrayList<>());
                    if (!l.contains(e.address())) {
                        l.add(e.address());
                    }
                }
                byReverse.putIfAbsent(reverseName(e.address()), e.names().get(0));
            }
        }
        return new LocalNames(byName, byReverse);
    }

    /** Whether {@code name} is a local name (any type). */
    public boolean contains(String name) {
        return byName.containsKey(key(name));
    }

    /** The addresses of {@code name} of one family ({@code v6} false: IPv4), in file order; empty if none. */
    public List<InetAddress> addresses(String name, boolean v6) {
        List<InetAddress> all = byName.get(key(name));
        if (all == null) {
            return List.of();
        }
        List<InetAddress> out = new ArrayList<>();
        for (InetAddress a : all) {
            if ((a instanceof Inet6Address) == v6) {
                out.add(a);
            }
        }
        return out;
    }

    /** The name a PTR query for {@code reverseName} ({@code d.c.b.a.in-addr.arpa}) answers, or null. */
    public String pointer(String reverseName) {
        return byReverse.get(key(reverseName));
    }

    public int size() {
        return byName.size();
    }

    /** Lower case, without the trailing dot. */
    static String key(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.toLowerCase(Locale.ROOT);
    }

    /** The {@code in-addr.arpa} or {@code ip6.arpa} name of an address (RFC 1035 §3.5, RFC 3596 §2.5). */
    public static String reverseName(InetAddress a) {
        byte[] b = a.getAddress();
        StringBuilder s = new StringBuilder();
        if (a instanceof Inet4Address) {
            for (int i = 3; i >= 0; i--) {
                s.append(b[i] & 0xff).append('.');
            }
            return s.append("in-addr.arpa").toString();
        }
        for (int i = 15; i >= 0; i--) {
            s.append(Character.forDigit(b[i] & 0xf, 16)).append('.').append(Character.forDigit((b[i] >> 4) & 0xf, 16))
                    .append('.');
        }
        return s.append("ip6.arpa").toString();
    }

    @Override
    public String toString() {
        return byName.size() + " names, " + byReverse.size() + " addresses";
    }
}
