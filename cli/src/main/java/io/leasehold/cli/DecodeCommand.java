package io.leasehold.cli;

import io.leasehold.frame.Ipv4UdpFrame;
import io.leasehold.frame.PcapFile;
import io.leasehold.option.OptionDef;
import io.leasehold.v4.Dhcp4Message;
import io.leasehold.v4.Dhcp4MessageType;
import io.leasehold.v4.Dhcp4Options;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.MalformedPacketException;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code leasehold decode}: prints the DHCP messages of a capture the way Leasehold reads them,
 * every option named and in its text form. Useful to see what a client really sent.
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Print the DHCPv4 messages of pcap files (tcpdump -w), or of one hex-encoded message, "
                + "with every option decoded.",
                "Malformed messages are reported with the reason the server would count them under."})
final class DecodeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Ethernet pcap files to decode.")
    private List<Path> files = List.of();

    @Option(names = "--hex", paramLabel = "HEX", description = "A DHCPv4 message (UDP payload) in hex.")
    private String hex;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (hex == null && files.isEmpty()) {
            spec.commandLine().getErr().println("leasehold decode: give pcap FILEs or --hex HEX");
            return ExitCodes.USAGE;
        }
        if (hex != null) {
            Octets bytes;
            try {
                bytes = Octets.parseHex(hex.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("leasehold decode: --hex: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            print(out, Unpooled.wrappedBuffer(bytes.toByteArray()));
        }
        for (Path file : files) {
            List<PcapFile.Packet> packets;
            try {
                packets = PcapFile.parse(Files.readAllBytes(file));
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("leasehold decode: " + file + ": " + e.getMessage());
                return ExitCodes.FAILURE;
            }
            for (PcapFile.Packet p : packets) {
                Ipv4UdpFrame frame;
                try {
                    frame = Ipv4UdpFrame.wrap(Unpooled.wrappedBuffer(p.frame()));
                } catch (MalformedPacketException e) {
                    continue;  // not UDP over IPv4: not ours to show
                }
                if (frame.dstPort() != 67 && frame.dstPort() != 68) {
                    continue;
                }
                out.printf("%s #%d  %s:%d -> %s:%d%n", file.getFileName(), p.index(),
                        IpAddresses.ipv4Text(frame.srcIp()), frame.srcPort(),
                        IpAddresses.ipv4Text(frame.dstIp()), frame.dstPort());
                print(out, frame.payload());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void print(PrintWriter out, ByteBuf payload) {
        Dhcp4Message m;
        try {
            m = Dhcp4Message.wrap(payload);
        } catch (MalformedPacketException e) {
            out.printf("  malformed (%s): %s%n", e.reason(), e.getMessage());
            return;
        }
        out.printf("  %s xid=0x%08x chaddr=%s", Dhcp4MessageType.label(m.messageType()), m.xid(), m.chaddr().toHex());
        printAddress(out, "ciaddr", m.ciaddr());
        printAddress(out, "yiaddr", m.yiaddr());
        printAddress(out, "siaddr", m.siaddr());
        printAddress(out, "giaddr", m.giaddr());
        out.println(m.broadcast() ? " broadcast" : "");
        for (int i = 0; i < m.optionCount(); i++) {
            int code = m.optionCode(i);
            if (i > 0 && m.isSplit(code) && m.indexOf(code) != i) {
                continue;  // shown once, concatenated
            }
            OptionDef<?> def = Dhcp4Options.TABLE.byCode(code);
            out.printf("    %3d %-28s %s%n", code, def.name(), printable(def.formatWire(m.optionValue(code))));
        }
    }

    private static void printAddress(PrintWriter out, String name, int address) {
        if (address != 0) {
            out.print(" " + name + "=" + IpAddresses.ipv4Text(address));
        }
    }

    /** Control characters from the wire are shown escaped, never sent to the terminal. */
    static String printable(String s) {
        int i0 = 0;
        while (i0 < s.length() && !control(s.charAt(i0))) {
            i0++;
        }
        if (i0 == s.length()) {
            return s;   // the usual case, and the one a table of 10k leases takes 70k times
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (control(c)) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean control(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
    }
}
