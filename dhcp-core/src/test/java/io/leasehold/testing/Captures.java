package io.leasehold.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shared client captures (test resources under {@code pcap/}): real exchanges between dhclient,
 * udhcpc(6), dhcpcd, dhcp6c and dnsmasq configured as Neutron configures it. See
 * {@code pcap/README.md} for their provenance and {@code pcap/summary.md} for their dissection.
 */
public final class Captures {

    /** Every capture file name, in the order of {@code summary.md}. */
    public static final List<String> FILES = CaptureSummary.load().files();

    private Captures() {
    }

    /** The packets of capture {@code name} (e.g. {@code dhclient-v4-acquire.pcap}). */
    public static List<Pcap.Packet> packets(String name) {
        try (InputStream in = resource(name)) {
            return Pcap.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The DHCPv4 captures. */
    public static List<String> v4Files() {
        return FILES.stream().filter(f -> f.contains("-v4-")).collect(Collectors.toList());
    }

    /** The DHCPv6 captures. */
    public static List<String> v6Files() {
        return FILES.stream().filter(f -> f.contains("-v6-")).collect(Collectors.toList());
    }

    /** A resource under {@code pcap/}. */
    public static InputStream resource(String name) {
        InputStream in = Captures.class.getResourceAsStream("/pcap/" + name);
        if (in == null) {
            throw new IllegalArgumentException("no capture resource pcap/" + name);
        }
        return in;
    }

    /** A named frame: capture file and index, for test names and failure messages. */
    public record Frame(String file, int index, byte[] bytes) {
        @Override
        public String toString() {
            return file + "#" + index;
        }
    }

    /** Every frame of every capture whose name matches {@code filter}. */
    public static List<Frame> frames(java.util.function.Predicate<String> filter) {
        List<Frame> out = new ArrayList<>();
        for (String f : FILES) {
            if (filter.test(f)) {
                for (Pcap.Packet p : packets(f)) {
                    out.add(new Frame(f, p.index(), p.frame()));
                }
            }
        }
        return out;
    }
}
