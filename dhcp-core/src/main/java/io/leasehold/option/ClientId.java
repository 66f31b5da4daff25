package io.leasehold.option;

import io.leasehold.wire.Octets;

import java.util.Objects;

/**
 * A DHCPv4 client identifier (option 61, RFC 2132 §9.14): a type octet and an identifier. Type 1
 * with six octets is an Ethernet address; type 255 is the RFC 4361 form, an IAID followed by a
 * DUID, which dhcpcd sends.
 *
 * <p>The whole value, type included, is the identity, and its text form is colon-separated hex,
 * as in the last field of a dnsmasq lease line.
 */
public final class ClientId implements Comparable<ClientId> {

    /** RFC 4361 §6.1: type 255 means IAID plus DUID follow. */
    public static final int TYPE_RFC4361 = 255;

    /** The option codec: one or more octets. */
    public static final OptionCodec<ClientId> CODEC = OptionCodecs.codec("client-id",
            buf -> {
                if (!buf.isReadable()) {
                    throw OptionCodecs.malformed("client identifier: empty (expected: at least 1 byte)");
                }
                return new ClientId(Octets.read(buf, buf.readableBytes()));
            },
            (v, out) -> v.bytes.writeTo(out),
            ClientId::parse,
            ClientId::toString);

    private final Octets bytes;

    private ClientId(Octets bytes) {
        this.bytes = bytes;
    }

    /** The client identifier with these bytes (type first). */
    public static ClientId of(Octets bytes) {
        if (bytes.isEmpty()) {
            throw new IllegalArgumentException("client identifier: empty (expected: at least 1 byte)");
        }
        return new ClientId(bytes);
    }

    /** Parses colon-separated hex of the whole value. */
    public static ClientId parse(String text) {
        return of(Octets.parseHex(text));
    }

    /** The RFC 4361 identifier of {@code iaid} and {@code duid}. */
    public static ClientId rfc4361(long iaid, Duid duid) {
        byte[] b = new byte[5 + duid.bytes().length()];
        b[0] = (byte) TYPE_RFC4361;
        b[1] = (byte) (iaid >>> 24);
        b[2] = (byte) (iaid >>> 16);
        b[3] = (byte) (iaid >>> 8);
        b[4] = (byte) iaid;
        System.arraycopy(duid.bytes().toByteArray(), 0, b, 5, duid.bytes().length());
        return new ClientId(Octets.of(b));
    }

    /** The whole value, type octet first. */
    public Octets bytes() {
        return bytes;
    }

    /** The type octet. */
    public int type() {
        return bytes.unsignedByte(0);
    }

    /** The Ethernet address of a type-1 identifier with six octets, or null. */
    public Octets hardwareAddress() {
        return type() == 1 && bytes.length() == 7 ? bytes.slice(1, 7) : null;
    }

    /** True when this is an RFC 4361 identifier with a well-formed DUID. */
    public boolean isRfc4361() {
        return type() == TYPE_RFC4361 && bytes.length() >= 5 + Duid.MIN_LENGTH && bytes.length() <= 5 + Duid.MAX_LENGTH;
    }

    /** The IAID of an RFC 4361 identifier, or -1. */
    public long iaid() {
        if (!isRfc4361()) {
            return -1;
        }
        return (long) bytes.unsignedByte(1) << 24 | bytes.unsignedByte(2) << 16 | bytes.unsignedByte(3) << 8
                | bytes.unsignedByte(4);
    }

    /** The DUID of an RFC 4361 identifier, or null. */
    public Duid duid() {
        return isRfc4361() ? Duid.of(bytes.slice(5, bytes.length())) : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientId && bytes.equals(((ClientId) o).bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bytes);
    }

    @Override
    public int compareTo(ClientId o) {
        return bytes.compareTo(o.bytes);
    }

    @Override
    public String toString() {
        return bytes.toHex();
    }
}
