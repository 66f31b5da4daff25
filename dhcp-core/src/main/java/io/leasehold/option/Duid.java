package io.leasehold.option;

import io.leasehold.wire.Octets;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;

/**
 * A DHCP Unique Identifier (RFC 8415 §11), as carried by DHCPv6 client and server identifiers and
 * by RFC 4361 DHCPv4 client identifiers. The bytes are the identity; the typed accessors read the
 * standard forms (LLT, EN, LL, and UUID from RFC 6355), and a DUID of an unknown type is kept as its
 * bytes.
 *
 * <p>Text form: colon-separated hex of the whole DUID, type included, as in dnsmasq lease files.
 */
public final class Duid implements Comparable<Duid> {

    /** Link-layer address plus time (RFC 8415 §11.2). */
    public static final int TYPE_LLT = 1;
    /** Vendor-assigned, based on an enterprise number (RFC 8415 §11.3). */
    public static final int TYPE_EN = 2;
    /** Link-layer address (RFC 8415 §11.4). */
    public static final int TYPE_LL = 3;
    /** UUID (RFC 6355). */
    public static final int TYPE_UUID = 4;

    /** RFC 8415 §11.1: a two-octet type plus 1..128 octets of identifier. */
    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 130;

    /** The identifier codec: a whole option value is one DUID. */
    public static final OptionCodec<Duid> CODEC = OptionCodecs.codec("duid",
            buf -> {
                int n = buf.readableBytes();
                if (n < MIN_LENGTH || n > MAX_LENGTH) {
                    throw OptionCodecs.malformed("DUID: " + n + " bytes (expected: " + MIN_LENGTH + ".." + MAX_LENGTH + ")");
                }
                return new Duid(Octets.read(buf, n));
            },
            (v, out) -> v.bytes.writeTo(out),
            Duid::parse,
            Duid::toString);

    private final Octets bytes;

    private Duid(Octets bytes) {
        this.bytes = bytes;
    }

    /**
     * The DUID with these bytes.
     *
     * @throws IllegalArgumentException when the length is outside 3..130
     */
    public static Duid of(Octets bytes) {
        int n = bytes.length();
        if (n < MIN_LENGTH || n > MAX_LENGTH) {
            throw new IllegalArgumentException("DUID: " + n + " bytes (expected: " + MIN_LENGTH + ".." + MAX_LENGTH + ")");
        }
        return new Duid(bytes);
    }

    /** Parses colon-separated hex. */
    public static Duid parse(String text) {
        return of(Octets.parseHex(text));
    }

    /** A DUID-LLT of a link-layer address; {@code time} is seconds since 2000-01-01 UTC, mod 2^32. */
    public static Duid llt(int hardwareType, long time, Octets linkLayerAddress) {
        ByteBuffer b = ByteBuffer.allocate(8 + linkLayerAddress.length());
        b.putShort((short) TYPE_LLT).putShort((short) hardwareType).putInt((int) time).put(linkLayerAddress.toByteArray());
        return of(Octets.of(b.array()));
    }

    /** A DUID-LL of a link-layer address. */
    public static Duid ll(int hardwareType, Octets linkLayerAddress) {
        ByteBuffer b = ByteBuffer.allocate(4 + linkLayerAddress.length());
        b.putShort((short) TYPE_LL).putShort((short) hardwareType).put(linkLayerAddress.toByteArray());
        return of(Octets.of(b.array()));
    }

    /** A DUID-EN. */
    public static Duid en(long enterpriseNumber, Octets identifier) {
        ByteBuffer b = ByteBuffer.allocate(6 + identifier.length());
        b.putShort((short) TYPE_EN).putInt((int) enterpriseNumber).put(identifier.toByteArray());
        return of(Octets.of(b.array()));
    }

    /** A DUID-UUID (RFC 6355). */
    public static Duid uuid(UUID uuid) {
        ByteBuffer b = ByteBuffer.allocate(18);
        b.putShort((short) TYPE_UUID).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return of(Octets.of(b.array()));
    }

    /** The whole DUID, type included. */
    public Octets bytes() {
        return bytes;
    }

    /** The DUID type. */
    public int type() {
        return bytes.unsignedByte(0) << 8 | bytes.unsignedByte(1);
    }

    /** The hardware type of an LLT or LL DUID (1 = Ethernet), or -1. */
    public int hardwareType() {
        int t = type();
        if ((t == TYPE_LLT && bytes.length() >= 8) || (t == TYPE_LL && bytes.length() >= 4)) {
            return bytes.unsignedByte(2) << 8 | bytes.unsignedByte(3);
        }
        return -1;
    }

    /** The link-layer address of an LLT or LL DUID, or null for other types. */
    public Octets linkLayerAddress() {
        int t = type();
        if (t == TYPE_LLT && bytes.length() > 8) {
            return bytes.slice(8, bytes.length());
        }
        if (t == TYPE_LL && bytes.length() > 4) {
            return bytes.slice(4, bytes.length());
        }
        return null;
    }

    /** The time field of an LLT DUID, or -1. */
    public long time() {
        if (type() != TYPE_LLT || bytes.length() < 8) {
            return -1;
        }
        return (long) bytes.unsignedByte(4) << 24 | bytes.unsignedByte(5) << 16 | bytes.unsignedByte(6) << 8
                | bytes.unsignedByte(7);
    }

    /** The enterprise number of an EN DUID, or -1. */
    public long enterpriseNumber() {
        if (type() != TYPE_EN || bytes.length() < 6) {
            return -1;
        }
        return (long) bytes.unsignedByte(2) << 24 | bytes.unsignedByte(3) << 16 | bytes.unsignedByte(4) << 8
                | bytes.unsignedByte(5);
    }

    /** The UUID of a UUID DUID of the right length, or null. */
    public UUID uuid() {
        if (type() != TYPE_UUID || bytes.length() != 18) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray(), 2, 16);
        return new UUID(b.getLong(), b.getLong());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Duid && bytes.equals(((Duid) o).bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bytes);
    }

    @Override
    public int compareTo(Duid o) {
        return bytes.compareTo(o.bytes);
    }

    @Override
    public String toString() {
        return bytes.toHex();
    }
}
