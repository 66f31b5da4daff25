package io.leasehold.cli;

import io.leasehold.control.ControlServer;
import io.leasehold.control.ControlTarget;
import io.leasehold.lease.Lease4;
import io.leasehold.lease.Lease6;
import io.leasehold.lease.LeaseState;
import io.leasehold.lease.LeaseTable;
import io.leasehold.model.AddressMode;
import io.leasehold.model.IpPrefix;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.option.Duid;
import io.leasehold.server.LeaseholdServer;
import io.leasehold.wire.IpAddresses;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.Inet6Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run of the class-data sharing archive the {@code ./leasehold} launcher makes once
 * per jar ({@code -XX:ArchiveClassesAtExit}): runs the operator commands, client side, against a
 * throwaway control socket served in this same JVM, and the offline mode against a throwaway lease
 * file, output discarded, so that the archive holds the classes a real run loads. Not a command.
 */
public final class ClassDataTraining {

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("leasehold-cds-");
        try {
            train(dir);
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void train(Path dir) throws IOException {
        NetworkSnapshot net = NetworkSnapshot.builder("net")
                .subnet(Subnet.of("s4", IpPrefix.parse("10.0.0.0/24"), AddressMode.DHCPV4))
                .subnet(Subnet.of("s6", IpPrefix.parse("fd00::/64"), AddressMode.DHCPV6_STATEFUL))
                .reservation(Reservation.of("r", 0xfa163e000001L, "host", IpAddresses.parse("10.0.0.5")))
                .build();
        long later = System.currentTimeMillis() / 1000 + 3600;
        LeaseholdServer server = LeaseholdServer.builder().watchNamespaces(false).network(net)
                .leaseTables(n -> {
                    LeaseTable t = new LeaseTable(n.id(), 16);
                    t.put(new Lease4(IpAddresses.toInt(IpAddresses.parseIpv4("10.0.0.5")), 0xfa163e000001L, null, "host",
                            later, LeaseState.BOUND));
                    t.put(new Lease6((Inet6Address) IpAddresses.parse("fd00::5"), 128, Lease6.IaType.NA,
                            Duid.parse("00:03:00:01:fa:16:3e:00:00:01"), 1, null, later, LeaseState.BOUND));
                    return t;
                }).build();
        Path leaseFile = Files.writeString(dir.resolve("leases"), later + " fa:16:3e:00:00:01 10.0.0.5 host *\n"
                + "duid 00:01:00:01:00:00:00:01:fa:16:3e:00:00:02\n"
                + later + " 1 fd00::5 * 00:03:00:01:fa:16:3e:00:00:01\n");
        try (ControlServer control = ControlServer.start(ControlTarget.inMemory(server, null),
                ControlServer.Options.of(dir.resolve("run").resolve("control.sock")))) {
            String s = control.socket().toString();
            for (List<String> a : List.of(
                    List.of("leases", "--socket", s), List.of("leases", "--socket", s, "-o", "json"),
                    List.of("lease", "show", "10.0.0.5", "--socket", s), List.of("networks", "--socket", s),
                    List.of("reservations", "ls", "--socket", s), List.of("stats", "--socket", s),
                    List.of("health", "--socket", s), List.of("leases", "--lease-file", leaseFile.toString()))) {
                String[] argv = a.toArray(new String[0]);
                CommandLine cl = Main.commandLine(argv);
                PrintWriter sink = new PrintWriter(Writer.nullWriter());
                cl.setOut(sink);
                cl.setErr(sink);
                cl.execute(argv);
            }
        } finally {
            server.stop();
        }
    }
}
