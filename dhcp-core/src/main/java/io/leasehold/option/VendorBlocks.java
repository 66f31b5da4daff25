package io.leasehold.option;

import io.netty.buffer.ByteBuf;

/**
 * The enterprise-number blocks shared by DHCPv4 options 124 and 125 (RFC 3925): a four-octet
 * enterprise number, a one-octet data length, then that many octets of data.
 */
final class VendorBlocks {

    private VendorBlocks() {
    }

    /** One block: its enterprise number and a fenced slice of its data. */
    record Block(long enterprise, ByteBuf data) {
    }

    static Block read(ByteBuf buf, String what) {
        if (buf.readableBytes() < 5) {
            throw OptionCodecs.malformed(what + ": block header cut short (" + buf.readableBytes() + " bytes)");
        }
        long enterprise = buf.readUnsignedInt();
        int len = buf.readUnsignedByte();
        if (len > buf.readableBytes()) {
            throw OptionCodecs.malformed(what + " " + enterprise + ": data length " + len + " runs past the option");
        }
        ByteBuf data = buf.readSlice(len);
        return new Block(enterprise, data);
    }

    /** Writes the enterprise number and a length placeholder; returns the placeholder's index. */
    static int begin(long enterprise, ByteBuf out) {
        out.writeInt((int) enterprise);
        int lengthAt = out.writerIndex();
        out.writeByte(0);
        return lengthAt;
    }

    /** Fills in the length placeholder at {@code lengthAt}. */
    static void end(int lengthAt, ByteBuf out) {
        int len = out.writerIndex() - lengthAt - 1;
        if (len > 255) {
            throw new IllegalArgumentException("vendor block: " + len + " bytes of data (expected: at most 255)");
        }
        out.setByte(lengthAt, len);
    }
}
