package io.leasehold.demo;

import io.leasehold.lease.Lease4;
import io.leasehold.lease.Lease6;
import io.leasehold.model.AddressMode;
import io.leasehold.model.HostRoute;
import io.leasehold.model.IpPrefix;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.NeutronOptions;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.netns.NetnsSupport;
import io.leasehold.server.LeaseholdServer;
import io.leasehold.wire.IpAddresses;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code leasehold demo}: Leasehold serving a real DHCP client, end to end, in two throwaway
 * namespaces joined by a veth pair, with a built-in network shaped like a Neutron network and
 * leases kept in memory. It prints what the server granted and what the client applied, and
 * removes everything it created, also when interrupted.
 *
 * <pre>
 *   [ lhdemo…-srv ]                                [ lhdemo…-cli ]
 *   Leasehold (in this JVM)                          busybox udhcpc, dhclient -6
 *   …s  10.99.0.2/24, fd00:99::2/64  &lt;── veth ──&gt;  …c  fa:16:3e:99:00:11
 * </pre>
 */
public final class Demo {

    static final String SERVER_MAC = "fa:16:3e:99:00:02";
    static final String CLIENT_MAC = "fa:16:3e:99:00:11";
    static final long CLIENT = 0xfa163e990011L;
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

    private final PrintWriter out;

    public Demo(PrintWriter out) {
        this.out = out;
    }

    /** The network the demo serves: a v4 and a stateful v6 subnet, one reserved client, Neutron's options. */
    public static NetworkSnapshot network() {
        Subnet s4 = Subnet.of("demo-v4", IpPrefix.parse("10.99.0.0/24"), AddressMode.DHCPV4)
                .withGateway(ip("10.99.0.1"))
                .withDnsServers(List.of(ip("10.99.0.2")))
                .withHostRoutes(List.of(new HostRoute(IpPrefix.parse("172.31.0.0/16"), ip("10.99.0.1"))));
        Subnet s6 = Subnet.of("demo-v6", IpPrefix.parse("fd00:99::/64"), AddressMode.DHCPV6_STATEFUL)
                .withDnsServers(List.of(ip("fd00:99::2")));
        NetworkSnapshot.Builder b = NetworkSnapshot.builder("demo")
                .settings(NetworkSnapshot.Settings.DEFAULT.withDomain("demo.leasehold").withMtu(1450))
                .subnet(s4).subnet(s6);
        NeutronOptions.forNetwork(1450, 0, 0).forEach(b::option);
        NeutronOptions.forSubnet(s4, List.of(s4, s6), true, ip("10.99.0.2"), "demo.leasehold",
                NeutronOptions.Metadata.DEBIAN_DEFAULT).forEach(b::option);
        NeutronOptions.forSubnet(s6, List.of(s4, s6), true, null, "demo.leasehold",
                NeutronOptions.Metadata.DEBIAN_DEFAULT).forEach(b::option);
        b.reservation(Reservation.of("demo-vm-v4", CLIENT, "demo-vm.demo.leasehold", ip("10.99.0.11")));
        b.reservation(new Reservation("demo-vm-v6", CLIENT, null, null, "demo-vm.demo.leasehold",
                List.of(ip("fd00:99::11")), Set.of(), Set.of(Reservation.TAG_DHCPV6), Subnet.DEFAULT_TIME));
        return b.build();
    }

    private static InetAddress ip(String s) {
        return IpAddresses.parse(s);
    }

    /** Runs the demo; returns the process exit code (0 when the client got its address). */
    public int run() throws IOException, InterruptedException {
        if (!Sandbox.isRoot()) {
            out.println("leasehold demo: needs root to create network namespaces: run it with sudo");
            return 1;
        }
        if (!NetnsSupport.isAvailable()) {
            out.println("leasehold demo: " + NetnsSupport.unavailabilityCause().getMessage());
            return 1;
        }
        if (!Sandbox.hasCommand("busybox")) {
            out.println("leasehold demo: needs a DHCP client: apt-get install busybox (udhcpc), isc-dhcp-client (dhclient)");
            return 1;
        }
        Sandbox sandbox = Sandbox.create("lhdemo");
        LeaseholdServer[] server = new LeaseholdServer[1];
        // Ctrl-C: the hook takes everything down even while the demo is in the middle of a step.
        Thread cleanup = new Thread(() -> {
            if (server[0] != null) {
                server[0].stop();
            }
            sandbox.close();
        }, "leasehold-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return run(sandbox, server);
        } finally {
            cleanup.run();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    private int run(Sandbox sandbox, LeaseholdServer[] server) throws IOException, InterruptedException {
        String srv = sandbox.namespace("srv");
        String cli = sandbox.namespace("cli");
        String s = sandbox.prefix() + "s";
        String c = sandbox.prefix() + "c";
        sandbox.veth(srv, s, SERVER_MAC, cli, c, CLIENT_MAC);
        sandbox.address(srv, s, "10.99.0.2/24");
        sandbox.address(srv, s, "fd00:99::2/64");
        out.printf("Created namespaces %s (server, %s 10.99.0.2/24 fd00:99::2/64) and %s (client, %s %s)%n",
                srv, s, cli, c, CLIENT_MAC);

        NetworkSnapshot network = network();
        server[0] = LeaseholdServer.builder().network(network).serve(srv, s, network.id())
                .watchNamespaces(false).eventLoopThreads(1).build().start();
        if (!server[0].awaitServing(srv, s, Duration.ofSeconds(10))) {
            out.println("leasehold demo: the server did not come up on " + s);
            return 1;
        }
        out.println("Leasehold is serving network 'demo' on " + srv + "/" + s + " (leases in memory)");
        out.flush();

        int exit = runUdhcpc(sandbox, cli, c);
        runDhclient6(sandbox, cli, c);

        out.println();
        out.println("Leases the server holds:");
        for (Lease4 l : server[0].leases4("demo")) {
            out.printf("  %-15s %s %s expires in %ds%n", IpAddresses.ipv4Text(l.address()), mac(l.mac()),
                    l.hostname() == null ? "*" : l.hostname(), l.remainingAt(System.currentTimeMillis() / 1000));
        }
        for (Lease6 l : server[0].leases6("demo")) {
            out.printf("  %-15s iaid %d %s expires in %ds%n", IpAddresses.text(l.address()), l.iaid(),
                    l.hostname() == null ? "*" : l.hostname(), l.remainingAt(System.currentTimeMillis() / 1000));
        }
        out.println("Counters: " + nonZero(server[0].network("demo").counters().snapshot()));
        out.println();
        out.println("Removing the namespaces.");
        out.flush();
        return exit;
    }

    private int runUdhcpc(Sandbox sandbox, String cli, String c) throws IOException, InterruptedException {
        Path resolv = sandbox.dir().resolve("resolv.conf");
        Path script = sandbox.dir().resolve("udhcpc.sh");
        Files.writeString(script, UDHCPC_SCRIPT.replace("@RESOLV@", resolv.toString()));
        script.toFile().setExecutable(true);
        out.println();
        out.println("$ busybox udhcpc -i " + c + "    (in " + cli + ")");
        out.flush();
        Sandbox.Result r = sandbox.exec(cli, CLIENT_TIMEOUT, "busybox", "udhcpc", "-i", c, "-n", "-q", "-f", "-t", "5",
                "-T", "1", "-s", script.toString(), "-O", "mtu", "-O", "staticroutes", "-O", "search");
        for (String line : (r.out() + r.err()).split("\n")) {
            if (!line.isBlank()) {
                out.println("  " + line);
            }
        }
        if (!r.ok()) {
            out.println("udhcpc got no lease (exit " + r.exit() + ")");
            return 1;
        }
        out.println("What the client applied:");
        out.println("  address: " + grep(Sandbox.run("ip", "-n", cli, "-4", "-o", "addr", "show", "dev", c).out(), "inet "));
        for (String route : Sandbox.run("ip", "-n", cli, "-4", "route").out().split("\n")) {
            if (!route.isBlank()) {
                out.println("  route:   " + route.trim());
            }
        }
        String link = Sandbox.run("ip", "-n", cli, "link", "show", "dev", c).out();
        out.println("  mtu:     " + link.replaceAll("(?s).*mtu (\\d+).*", "$1"));
        for (String line : Files.readString(resolv).split("\n")) {
            if (!line.isBlank()) {
                out.println("  resolv:  " + line);
            }
        }
        return 0;
    }

    private void runDhclient6(Sandbox sandbox, String cli, String c) throws IOException, InterruptedException {
        out.println();
        if (!Sandbox.hasCommand("dhclient")) {
            out.println("DHCPv6: dhclient is not installed (apt-get install isc-dhcp-client) - skipping the v6 client.");
            return;
        }
        sandbox.awaitLinkLocal(cli, c);
        sandbox.resolvConf(cli);
        out.println("$ dhclient -6 -1 " + c + "    (in " + cli + ")");
        out.flush();
        Sandbox.Result r = sandbox.exec(cli, CLIENT_TIMEOUT, "unshare", "--uts", "dhclient", "-6", "-1", "-sf",
                "/sbin/dhclient-script", "-pf", sandbox.dir().resolve("dhclient6.pid").toString(),
                "-lf", sandbox.dir().resolve("dhclient6.leases").toString(), c);
        if (!r.ok()) {
            out.println("  dhclient -6 got no lease: " + r);
            return;
        }
        out.println("  address: " + grep(Sandbox.run("ip", "-n", cli, "-6", "-o", "addr", "show", "dev", c, "scope",
                "global").out(), "inet6 "));
        // dhclient daemonized after binding; it is ended with the sandbox's namespaces.
        Path pid = sandbox.dir().resolve("dhclient6.pid");
        if (Files.exists(pid)) {
            Sandbox.run("kill", Files.readString(pid).trim());
        }
    }

    private static String grep(String text, String marker) {
        for (String line : text.split("\n")) {
            int at = line.indexOf(marker);
            if (at >= 0) {
                return line.substring(at + marker.length()).trim().split("\\s+")[0];
            }
        }
        return "(none)";
    }

    private static String mac(long mac) {
        return String.format("%012x", mac).replaceAll("(..)(?!$)", "$1:");
    }

    private static String nonZero(Map<String, Long> counters) {
        StringBuilder sb = new StringBuilder();
        counters.forEach((k, v) -> {
            if (v != 0) {
                sb.append(sb.length() > 0 ? ", " : "").append(k).append('=').append(v);
            }
        });
        return sb.toString();
    }

    /** A udhcpc script that applies what the server sent: address, MTU, routes, DNS (to a file). */
    public static final String UDHCPC_SCRIPT = """
            #!/bin/sh
            case "$1" in
              deconfig)
                ip -4 addr flush dev "$interface"
                ;;
              bound|renew)
                ip -4 addr flush dev "$interface"
                ip addr add "$ip/$mask" dev "$interface"
                [ -n "$mtu" ] && ip link set dev "$interface" mtu "$mtu"
                if [ -n "$staticroutes" ]; then
                  set -- $staticroutes
                  while [ $# -ge 2 ]; do
                    if [ "$1" = "0.0.0.0/0" ]; then ip route replace default via "$2" dev "$interface";
                    else ip route replace "$1" via "$2" dev "$interface"; fi
                    shift 2
                  done
                elif [ -n "$router" ]; then
                  for r in $router; do ip route replace default via "$r" dev "$interface"; done
                fi
                {
                  [ -n "$search" ] && echo "search $search"
                  [ -z "$search" ] && [ -n "$domain" ] && echo "search $domain"
                  for d in $dns; do echo "nameserver $d"; done
                } > @RESOLV@
                ;;
            esac
            exit 0
            """;
}
