package io.leasehold.option;

import io.leasehold.wire.IpAddresses;
import io.netty.buffer.ByteBuf;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * One classless static route of options 121 and 249 (RFC 3442): a destination prefix and the
 * router that reaches it. A router of 0.0.0.0 means the destination is on-link.
 *
 * <p>Wire form: the prefix length, then only the significant octets of the destination
 * ({@code ceil(len / 8)}), then the router's four octets. Text form: the dnsmasq pairs
 * {@code 169.254.169.254/32,10.0.0.1}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3442#section-2">RFC 3442 §2</a>
 */
public record ClasslessRoute(Inet4Address destination, int prefixLength, Inet4Address router) {

    public ClasslessRoute {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length: " + prefixLength + " (expected: 0..32)");
        }
        int dest = IpAddresses.toInt(destination);
        if ((dest & ~IpAddresses.prefixMask(prefixLength)) != 0) {
            throw new IllegalArgumentException("destination: " + destination.getHostAddress() + "/" + prefixLength
                    + " has bits set beyond its prefix");
        }
        if (router == null) {
            throw new NullPointerException("router");
        }
    }

    /** The route list codec of options 121 and 249. */
    public static final OptionCodec<List<ClasslessRoute>> LIST_CODEC = OptionCodecs.codec("classless-routes",
            buf -> {
                List<ClasslessRoute> routes = new ArrayList<>();
                while (buf.isReadable()) {
                    routes.add(read(buf));
                }
                if (routes.isEmpty()) {
                    throw OptionCodecs.malformed("classless routes: empty (expected: at least one route)");
                }
                return List.copyOf(routes);
            },
            (v, out) -> v.forEach(r -> r.writeTo(out)),
            ClasslessRoute::parseList,
            ClasslessRoute::formatList);

    private static ClasslessRoute read(ByteBuf buf) {
        int len = buf.readUnsignedByte();
        if (len > 32) {
            throw OptionCodecs.malformed("classless route: prefix length " + len + " (expected: 0..32)");
        }
        int significant = (len + 7) / 8;
        int dest = 0;
        for (int i = 0; i < significant; i++) {
            dest |= buf.readUnsignedByte() << (24 - 8 * i);
        }
        Inet4Address router = IpAddresses.readIpv4(buf);
        if ((dest & ~IpAddresses.prefixMask(len)) != 0) {
            throw OptionCodecs.malformed("classless route: destination " + IpAddresses.ipv4Text(dest) + "/" + len
                    + " has bits set beyond its prefix");
        }
        return new ClasslessRoute(IpAddresses.ipv4(dest), len, router);
    }

    /** Writes the RFC 3442 encoding of this route. */
    public void writeTo(ByteBuf out) {
        out.writeByte(prefixLength);
        int dest = IpAddresses.toInt(destination);
        for (int i = 0; i < (prefixLength + 7) / 8; i++) {
            out.writeByte(dest >>> (24 - 8 * i));
        }
        out.writeBytes(router.getAddress());
    }

    /**
     * Parses {@code dest/len,router,dest/len,router...}. A destination without {@code /len} is a
     * host route (/32), as dnsmasq reads it.
     */
    public static List<ClasslessRoute> parseList(String text) {
        List<String> items = OptionCodecs.splitList(text);
        if (items.isEmpty() || (items.size() & 1) != 0) {
            throw new IllegalArgumentException("classless routes: '" + text
                    + "' (expected: pairs of destination/prefix,router)");
        }
        List<ClasslessRoute> routes = new ArrayList<>();
        for (int i = 0; i < items.size(); i += 2) {
            String dest = items.get(i);
            int slash = dest.indexOf('/');
            int len = 32;
            if (slash >= 0) {
                len = (int) OptionCodecs.checkRange(OptionCodecs.parseLong(dest.substring(slash + 1), "prefix length"),
                        0, 32, "prefix length");
                dest = dest.substring(0, slash);
            }
            routes.add(new ClasslessRoute(IpAddresses.parseIpv4(dest), len, IpAddresses.parseIpv4(items.get(i + 1))));
        }
        return List.copyOf(routes);
    }

    /** The dnsmasq text form of a route list. */
    public static String formatList(List<ClasslessRoute> routes) {
        StringBuilder sb = new StringBuilder();
        for (ClasslessRoute r : routes) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(r);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return destination.getHostAddress() + "/" + prefixLength + "," + router.getHostAddress();
    }
}
