package io.leasehold.testing;

import io.leasehold.option.ClasslessRoute;
import io.leasehold.option.ClientFqdn;
import io.leasehold.option.ClientId;
import io.leasehold.option.Duid;
import io.leasehold.option.MachineId;
import io.leasehold.option.NetworkInterfaceId;
import io.leasehold.option.OptionDef;
import io.leasehold.option.SubOption;
import io.leasehold.option.UserClass;
import io.leasehold.option.VendorClass;
import io.leasehold.option.VendorOptions;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Random valid values for the shared option codecs, keyed by {@link io.leasehold.option.OptionCodec#type()}.
 * Property tests draw from it with a seeded {@link Random} so a failure reproduces from its seed.
 */
public final class RandomOptionValues {

    private static final Map<String, Function<Random, Object>> BY_TYPE = new HashMap<>();

    static {
        BY_TYPE.put("flag", r -> Boolean.TRUE);
        BY_TYPE.put("boolean", Random::nextBoolean);
        BY_TYPE.put("u8", r -> r.nextInt(256));
        BY_TYPE.put("u16", r -> r.nextInt(65536));
        BY_TYPE.put("u32", r -> r.nextLong() & 0xffffffffL);
        BY_TYPE.put("seconds", r -> r.nextInt(10) == 0 ? 0xffffffffL : r.nextLong() & 0xffffffffL);
        BY_TYPE.put("s32", Random::nextInt);
        BY_TYPE.put("overload", r -> 1 + r.nextInt(3));
        BY_TYPE.put("message-type", r -> 1 + r.nextInt(r.nextBoolean() ? 18 : 255));
        BY_TYPE.put("u8-list", r -> ints(r, 1 + r.nextInt(20), 256));
        BY_TYPE.put("u16-list", r -> ints(r, 1 + r.nextInt(8), 65536));
        BY_TYPE.put("ipv4", RandomOptionValues::ipv4);
        BY_TYPE.put("ipv4-list", r -> ipv4s(r, 1 + r.nextInt(5)));
        BY_TYPE.put("ipv4-pairs", r -> ipv4s(r, 2 * (1 + r.nextInt(3))));
        BY_TYPE.put("ipv6", RandomOptionValues::ipv6);
        BY_TYPE.put("ipv6-list", r -> {
            List<Inet6Address> out = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                out.add(ipv6(r));
            }
            return List.copyOf(out);
        });
        BY_TYPE.put("string", r -> string(r, r.nextInt(40)));
        BY_TYPE.put("hex", r -> octets(r, r.nextInt(40)));
        BY_TYPE.put("domain-list", r -> {
            List<String> out = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                out.add(domain(r));
            }
            return List.copyOf(out);
        });
        BY_TYPE.put("domain-name", RandomOptionValues::domain);
        BY_TYPE.put("classless-routes", r -> {
            List<ClasslessRoute> out = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(5); i < n; i++) {
                int len = r.nextInt(33);
                int dest = r.nextInt() & IpAddresses.prefixMask(len);
                out.add(new ClasslessRoute(IpAddresses.ipv4(dest), len, ipv4(r)));
            }
            return List.copyOf(out);
        });
        BY_TYPE.put("suboptions", r -> subOptions(r, 255));
        BY_TYPE.put("suboptions16", r -> subOptions(r, 65535));
        BY_TYPE.put("client-id", r -> ClientId.of(octets(r, 1 + r.nextInt(30))));
        BY_TYPE.put("duid", RandomOptionValues::duid);
        BY_TYPE.put("user-class", r -> userClass(r, true));
        BY_TYPE.put("user-class6", r -> userClass(r, false));
        BY_TYPE.put("client-fqdn", r -> {
            int flags = r.nextInt(256);
            if ((flags & ClientFqdn.FLAG_E) != 0) {
                boolean absolute = r.nextBoolean();
                String name = r.nextInt(5) == 0 ? "" : domain(r);
                return new ClientFqdn(flags, r.nextInt(256), r.nextInt(256), name, absolute);
            }
            byte[] ascii = new byte[r.nextInt(30)];
            r.nextBytes(ascii);
            return new ClientFqdn(flags, r.nextInt(256), r.nextInt(256), new String(ascii, StandardCharsets.ISO_8859_1), false);
        });
        BY_TYPE.put("vendor-classes", r -> {
            List<VendorClass> out = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
                List<Octets> items = new ArrayList<>();
                for (int j = 0, m = r.nextInt(3); j < m; j++) {
                    items.add(octets(r, r.nextInt(12)));
                }
                out.add(new VendorClass(r.nextLong() & 0xffffffffL, items));
            }
            return List.copyOf(out);
        });
        BY_TYPE.put("vendor-options", r -> {
            List<VendorOptions> out = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
                out.add(new VendorOptions(r.nextLong() & 0xffffffffL, subOptions(r, 255)));
            }
            return List.copyOf(out);
        });
        BY_TYPE.put("nii", r -> new NetworkInterfaceId(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
        BY_TYPE.put("machine-id", r -> r.nextBoolean()
                ? new MachineId(0, octets(r, 16))
                : new MachineId(r.nextInt(256), octets(r, r.nextInt(20))));
    }

    private RandomOptionValues() {
    }

    /** Registers a generator for a codec type defined elsewhere (e.g. DHCPv6 structures). */
    public static void register(String type, Function<Random, Object> generator) {
        BY_TYPE.put(type, generator);
    }

    /** True when a generator exists for {@code def}'s value type. */
    public static boolean supports(OptionDef<?> def) {
        return BY_TYPE.containsKey(def.codec().type());
    }

    /** A random valid value for {@code def}. */
    @SuppressWarnings("unchecked")
    public static <T> T value(OptionDef<T> def, Random r) {
        Function<Random, Object> g = BY_TYPE.get(def.codec().type());
        if (g == null) {
            throw new IllegalArgumentException("no generator for value type " + def.codec().type() + " of " + def);
        }
        return (T) g.apply(r);
    }

    public static Inet4Address ipv4(Random r) {
        return IpAddresses.ipv4(r.nextInt());
    }

    public static Inet6Address ipv6(Random r) {
        byte[] b = new byte[16];
        r.nextBytes(b);
        return IpAddresses.ipv6(b);
    }

    public static List<Inet4Address> ipv4s(Random r, int n) {
        List<Inet4Address> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ipv4(r));
        }
        return List.copyOf(out);
    }

    public static List<Integer> ints(Random r, int n, int bound) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(r.nextInt(bound));
        }
        return List.copyOf(out);
    }

    public static Octets octets(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return Octets.of(b);
    }

    /** A string of random code points, sometimes plain ASCII, sometimes anything but surrogates. */
    public static String string(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        boolean ascii = r.nextBoolean();
        for (int i = 0; i < n; i++) {
            int cp;
            do {
                cp = ascii ? 0x20 + r.nextInt(0x5f) : r.nextInt(0x3000);
            } while (cp >= 0xd800 && cp <= 0xdfff);
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    /** A domain name: mostly LDH labels, sometimes a label with any bytes (escaped in text). */
    public static String domain(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
            if (i > 0) {
                sb.append('.');
            }
            int len = 1 + r.nextInt(12);
            for (int j = 0; j < len; j++) {
                if (r.nextInt(20) == 0) {
                    int b = r.nextInt(256);
                    sb.append('\\').append(String.format("%03d", b));
                } else {
                    sb.append("abcdefghijklmnopqrstuvwxyz0123456789-".charAt(r.nextInt(37)));
                }
            }
        }
        // Normalise through the parser so the value is in canonical text form.
        return io.leasehold.option.DomainNames.toText(io.leasehold.option.DomainNames.parseLabels(sb.toString()));
    }

    public static List<SubOption> subOptions(Random r, int maxCode) {
        List<SubOption> out = new ArrayList<>();
        for (int i = 0, n = r.nextInt(5); i < n; i++) {
            out.add(new SubOption(r.nextInt(maxCode + 1), octets(r, r.nextInt(20))));
        }
        return List.copyOf(out);
    }

    public static Duid duid(Random r) {
        switch (r.nextInt(5)) {
            case 0: return Duid.llt(1, r.nextLong() & 0xffffffffL, octets(r, 6));
            case 1: return Duid.ll(1, octets(r, 6));
            case 2: return Duid.en(r.nextLong() & 0xffffffffL, octets(r, 1 + r.nextInt(20)));
            case 3: return Duid.uuid(new java.util.UUID(r.nextLong(), r.nextLong()));
            default: return Duid.of(octets(r, Duid.MIN_LENGTH + r.nextInt(Duid.MAX_LENGTH - Duid.MIN_LENGTH + 1)));
        }
    }

    private static UserClass userClass(Random r, boolean allowRaw) {
        if (allowRaw && r.nextInt(4) == 0) {
            // A bare string whose first byte is no plausible length, as iPXE sends "iPXE".
            byte[] b = new byte[1 + r.nextInt(20)];
            r.nextBytes(b);
            b[0] = (byte) (0x41 + r.nextInt(0x3e));   // 65..126: longer than the 20-byte value
            return new UserClass(List.of(Octets.of(b)), false);
        }
        List<Octets> items = new ArrayList<>();
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
            items.add(octets(r, 1 + r.nextInt(12)));
        }
        return new UserClass(items, true);
    }
}
