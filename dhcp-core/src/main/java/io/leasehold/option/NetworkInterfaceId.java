package io.leasehold.option;

/**
 * The client network interface identifier: DHCPv4 option 94 (RFC 4578 §2.2) and DHCPv6 option
 * 62 (RFC 5970 §3.4): an interface type (1 = UNDI) and the revision of its interface.
 *
 * <p>Text form: {@code type,major,minor}.
 */
public record NetworkInterfaceId(int type, int major, int minor) {

    public NetworkInterfaceId {
        OptionCodecs.checkRange(type, 0, 255, "type");
        OptionCodecs.checkRange(major, 0, 255, "major");
        OptionCodecs.checkRange(minor, 0, 255, "minor");
    }

    public static final OptionCodec<NetworkInterfaceId> CODEC = OptionCodecs.codec("nii",
            buf -> {
                if (buf.readableBytes() != 3) {
                    throw OptionCodecs.malformed("network interface id: " + buf.readableBytes() + " bytes (expected: 3)");
                }
                return new NetworkInterfaceId(buf.readUnsignedByte(), buf.readUnsignedByte(), buf.readUnsignedByte());
            },
            (v, out) -> out.writeByte(v.type).writeByte(v.major).writeByte(v.minor),
            text -> {
                var parts = OptionCodecs.splitList(text);
                if (parts.size() != 3) {
                    throw new IllegalArgumentException("network interface id: '" + text + "' (expected: type,major,minor)");
                }
                return new NetworkInterfaceId((int) OptionCodecs.parseLong(parts.get(0), "type"),
                        (int) OptionCodecs.parseLong(parts.get(1), "major"),
                        (int) OptionCodecs.parseLong(parts.get(2), "minor"));
            },
            v -> v.type + "," + v.major + "," + v.minor);
}
