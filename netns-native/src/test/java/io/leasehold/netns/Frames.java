package io.leasehold.netns;

import java.nio.ByteBuffer;

/**
 * Crafts Ethernet II / IPv4 / UDP frames for the filter tests and the raw-send test, with a real
 * IPv4 header checksum (RFC 791 §3.1) and UDP checksum 0 ("not computed", RFC 768).
 */
final class Frames {

    static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    /** Knobs for one frame; defaults describe a DHCPDISCOVER-like broadcast to UDP/67. */
    static final class Spec {
        byte[] destinationMac = BROADCAST;
        byte[] sourceMac = {0x02, 0, 0, 0, 0, 0x01};
        int etherType = 0x0800;
        int version = 4;
        int ihl = 5;
        int protocol = 17;
        int flagsAndFragment = 0;
        byte[] sourceIp = {0, 0, 0, 0};
        byte[] destinationIp = {-1, -1, -1, -1};
        int sourcePort = 68;
        int destinationPort = 67;
        byte[] payload = new byte[] {1, 1, 6, 0};
    }

    private Frames() {
    }

    static Spec spec() {
        return new Spec();
    }

    static byte[] build(Spec s) {
        int ipHeader = s.ihl * 4;
        int udpLength = 8 + s.payload.length;
        ByteBuffer b = ByteBuffer.allocate(14 + ipHeader + udpLength);
        b.put(s.destinationMac).put(s.sourceMac).putShort((short) s.etherType);
        int ip = b.position();
        b.put((byte) (s.version << 4 | s.ihl)).put((byte) 0).putShort((short) (ipHeader + udpLength));
        b.putShort((short) 0x1234).putShort((short) s.flagsAndFragment);
        b.put((byte) 64).put((byte) s.protocol).putShort((short) 0);
        b.put(s.sourceIp).put(s.destinationIp);
        // IP options (ihl > 5): NOPs, which keep the header valid.
        for (int i = 20; i < ipHeader; i++) {
            b.put((byte) 1);
        }
        b.putShort(ip + 10, (short) checksum(b.array(), ip, ipHeader));
        b.putShort((short) s.sourcePort).putShort((short) s.destinationPort).putShort((short) udpLength).putShort((short) 0);
        b.put(s.payload);
        return b.array();
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes from {@code offset}. */
    static int checksum(byte[] bytes, int offset, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int hi = bytes[offset + i] & 0xff;
            int lo = i + 1 < length ? bytes[offset + i + 1] & 0xff : 0;
            sum += hi << 8 | lo;
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) ~sum & 0xffff;
    }
}
