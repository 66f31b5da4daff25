package io.leasehold.option;

import io.leasehold.wire.Octets;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The client machine identifier (DHCPv4 option 97, RFC 4578 §2.3): a type octet (0 = a 16-octet
 * UUID/GUID) and the identifier.
 *
 * <p>Text form: the UUID ({@code 8-4-4-4-12}) for type 0 with 16 octets, otherwise
 * {@code type,hex}.
 */
public record MachineId(int type, Octets id) {

    public MachineId {
        OptionCodecs.checkRange(type, 0, 255, "type");
        if (id == null) {
            throw new NullPointerException("id");
        }
    }

    /** A type-0 identifier of {@code uuid}. */
    public static MachineId of(UUID uuid) {
        ByteBuffer b = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return new MachineId(0, Octets.of(b.array()));
    }

    /** The UUID of a type-0, 16-octet identifier, or null. */
    public UUID uuid() {
        if (type != 0 || id.length() != 16) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(id.toByteArray());
        return new UUID(b.getLong(), b.getLong());
    }

    public static final OptionCodec<MachineId> CODEC = OptionCodecs.codec("machine-id",
            buf -> {
                if (!buf.isReadable()) {
                    throw OptionCodecs.malformed("machine id: empty (expected: a type octet and an identifier)");
                }
                int type = buf.readUnsignedByte();
                return new MachineId(type, Octets.read(buf, buf.readableBytes()));
            },
            (v, out) -> {
                out.writeByte(v.type);
                v.id.writeTo(out);
            },
            MachineId::parse,
            MachineId::format);

    private static MachineId parse(String text) {
        String t = text.trim();
        int comma = t.indexOf(',');
        if (comma < 0) {
            try {
                return of(UUID.fromString(t));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("machine id: '" + text + "' (expected: a UUID or type,hex)");
            }
        }
        int type = (int) OptionCodecs.checkRange(OptionCodecs.parseLong(t.substring(0, comma), "type"), 0, 255, "type");
        return new MachineId(type, Octets.parseHex(t.substring(comma + 1)));
    }

    private static String format(MachineId v) {
        UUID uuid = v.uuid();
        return uuid != null ? uuid.toString() : v.type + "," + v.id.toHex();
    }
}
