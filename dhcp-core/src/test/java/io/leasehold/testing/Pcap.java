package io.leasehold.testing;

import io.leasehold.frame.PcapFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;

/** Reads a capture stream with {@link PcapFile}, for tests. */
public final class Pcap {

    /** One captured frame and when it was seen. */
    public record Packet(int index, long timestampMicros, byte[] frame) {
    }

    private Pcap() {
    }

    /** The packets of {@code in}, which must be an Ethernet pcap. */
    public static List<Packet> read(InputStream in) {
        try {
            return PcapFile.parse(in.readAllBytes()).stream()
                    .map(p -> new Packet(p.index(), p.timestampMicros(), p.frame()))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
