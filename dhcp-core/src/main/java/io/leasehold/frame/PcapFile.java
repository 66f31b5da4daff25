package io.leasehold.frame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The classic libpcap file format (not pcapng), as tcpdump writes it: a 24-byte global header, then
 * per packet a 16-byte record header (seconds, microseconds, captured length, original length) and
 * the captured bytes. Only Ethernet captures (link type 1) are read, which is what a DHCP server's
 * interfaces see. Reading the file is the caller's business; this parses its bytes.
 */
public final class PcapFile {

    /** One captured frame, its position in the file and when it was seen. */
    public record Packet(int index, long timestampMicros, byte[] frame) {
    }

    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int GLOBAL_HEADER_LENGTH = 24;
    private static final int RECORD_HEADER_LENGTH = 16;

    private PcapFile() {
    }

    /**
     * The packets of a pcap file's bytes.
     *
     * @throws IllegalArgumentException when the bytes are not an Ethernet pcap file, or a record runs
     *         past the end
     */
    public static List<Packet> parse(byte[] file) {
        ByteBuffer all = ByteBuffer.wrap(file);
        if (file.length < GLOBAL_HEADER_LENGTH) {
            throw new IllegalArgumentException("pcap: " + file.length + " bytes (expected: at least a 24-byte header)");
        }
        int magic = all.getInt(0);
        if (magic == MAGIC_MICROS) {
            all.order(ByteOrder.BIG_ENDIAN);
        } else if (Integer.reverseBytes(magic) == MAGIC_MICROS) {
            all.order(ByteOrder.LITTLE_ENDIAN);
        } else {
            throw new IllegalArgumentException("pcap: magic 0x" + Integer.toHexString(magic)
                    + " (expected: a classic microsecond pcap file; convert pcapng with editcap -F pcap)");
        }
        int linkType = all.getInt(20);
        if (linkType != LINKTYPE_ETHERNET) {
            throw new IllegalArgumentException("pcap: link type " + linkType + " (expected: 1, Ethernet)");
        }
        List<Packet> packets = new ArrayList<>();
        int pos = GLOBAL_HEADER_LENGTH;
        while (pos + RECORD_HEADER_LENGTH <= file.length) {
            long seconds = all.getInt(pos) & 0xffffffffL;
            long micros = all.getInt(pos + 4) & 0xffffffffL;
            int captured = all.getInt(pos + 8);
            if (captured < 0 || captured > file.length - pos - RECORD_HEADER_LENGTH) {
                throw new IllegalArgumentException("pcap: record " + packets.size() + " of " + captured
                        + " bytes runs past the end of the file");
            }
            byte[] frame = new byte[captured];
            all.get(pos + RECORD_HEADER_LENGTH, frame);
            packets.add(new Packet(packets.size(), seconds * 1_000_000 + micros, frame));
            pos += RECORD_HEADER_LENGTH + captured;
        }
        return packets;
    }
}
