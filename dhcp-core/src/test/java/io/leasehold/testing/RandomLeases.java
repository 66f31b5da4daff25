package io.leasehold.testing;

import io.leasehold.lease.Lease4;
import io.leasehold.lease.Lease6;
import io.leasehold.lease.LeaseChange;
import io.leasehold.lease.LeaseState;
import io.leasehold.option.Duid;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;

import java.net.Inet6Address;
import java.util.List;
import java.util.Random;

/**
 * Random leases and lease changes for property tests and benchmarks, drawn from a seeded
 * {@link Random}. Host names and client ids include hostile ones: blanks, line breaks, NULs,
 * {@code *}, names longer than DNS allows, non-ASCII letters and unpaired surrogates.
 */
public final class RandomLeases {

    private static final String[] HOSTILE = {
        "", " ", "*", "a b", "evil\nduid 00:01", "nul\0byte", "tab\there", "cr\r", "comma,name", "-leading",
        "trailing.", ".leading", "double..dot", "ünïcødé", "名前", "\ud800lone", "emoji\ud83d\ude00",
        "semi;colon", "quote\"d", "back\\slash", "0 0 0 0 0", "%s%n", "\u0085nel", "\u2028ls",
    };

    private RandomLeases() {
    }

    /** A host name nothing should trust: see the class comment. */
    public static String hostileHostname(Random r) {
        switch (r.nextInt(4)) {
            case 0:
                return "h".repeat(256 + r.nextInt(100));  // longer than a DNS name
            case 1: {
                // Random UTF-16 units, surrogates included.
                StringBuilder sb = new StringBuilder();
                for (int i = 0, n = 1 + r.nextInt(30); i < n; i++) {
                    sb.append((char) r.nextInt(0x10000));
                }
                return sb.toString();
            }
            default:
                return HOSTILE[r.nextInt(HOSTILE.length)];
        }
    }

    /** A legal host name, sometimes with several labels, hyphens and underscores. */
    public static String legalHostname(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int label = 0, labels = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0); label < labels; label++) {
            if (label > 0) {
                sb.append('.');
            }
            sb.append((char) ('a' + r.nextInt(26)));
            for (int i = 0, n = r.nextInt(20); i < n; i++) {
                int k = r.nextInt(40);
                sb.append(k < 26 ? (char) ('a' + k) : k < 36 ? (char) ('0' + k - 26) : k < 38 ? '-' : k < 39 ? '_' : 'Z');
            }
        }
        return sb.toString();
    }

    /** Null, a legal name or a hostile one. */
    public static String hostname(Random r) {
        int k = r.nextInt(10);
        return k < 3 ? null : k < 7 ? legalHostname(r) : hostileHostname(r);
    }

    public static Octets octets(Random r, int length) {
        byte[] b = new byte[length];
        r.nextBytes(b);
        return Octets.of(b);
    }

    /** Null, or 1..40 arbitrary bytes (text-unsafe ones included). */
    public static Octets clientId(Random r) {
        return r.nextInt(4) == 0 ? null : octets(r, 1 + r.nextInt(40));
    }

    public static Duid duid(Random r) {
        switch (r.nextInt(3)) {
            case 0:
                return Duid.llt(1, r.nextLong() & 0xffffffffL, octets(r, 6));
            case 1:
                return Duid.ll(1, octets(r, 6));
            default:
                return Duid.of(octets(r, Duid.MIN_LENGTH + r.nextInt(Duid.MAX_LENGTH - Duid.MIN_LENGTH + 1)));
        }
    }

    public static long expiry(Random r) {
        return r.nextInt(8) == 0 ? Lease4.NEVER : 1_700_000_000L + r.nextInt(10_000_000);
    }

    public static LeaseState state(Random r) {
        int k = r.nextInt(10);
        return k < 7 ? LeaseState.BOUND : k < 9 ? LeaseState.OFFERED : LeaseState.DECLINED;
    }

    public static Lease4 lease4(Random r) {
        long mac = r.nextInt(10) == 0 ? Lease4.NO_MAC : r.nextLong() & 0xffff_ffff_ffffL;
        return new Lease4(r.nextInt(), mac, clientId(r), hostname(r), expiry(r), state(r));
    }

    public static Inet6Address ipv6(Random r) {
        byte[] b = new byte[16];
        r.nextBytes(b);
        return IpAddresses.ipv6(b);
    }

    public static Lease6 lease6(Random r) {
        Lease6.IaType type = Lease6.IaType.values()[r.nextInt(3)];
        int prefixLength = type == Lease6.IaType.PD ? 48 + r.nextInt(81) : 128;
        return new Lease6(ipv6(r), prefixLength, type, duid(r), r.nextLong() & 0xffffffffL, hostname(r), expiry(r), state(r));
    }

    /** A network id: usually a UUID-like string, sometimes hostile text. */
    public static String networkId(Random r) {
        return r.nextInt(5) == 0 ? hostileHostname(r) : new java.util.UUID(r.nextLong(), r.nextLong()).toString();
    }

    /** A random change of one of the networks. */
    public static LeaseChange change(Random r, List<String> networks) {
        String n = networks.get(r.nextInt(networks.size()));
        switch (r.nextInt(9)) {
            case 0:
            case 1:
            case 2:
                return LeaseChange.put(n, lease4(r));
            case 3:
                return LeaseChange.delete(n, lease4(r));
            case 4:
            case 5:
            case 6:
                return LeaseChange.put(n, lease6(r));
            case 7:
                return LeaseChange.delete(n, lease6(r));
            default:
                return LeaseChange.reset(n);
        }
    }
}
