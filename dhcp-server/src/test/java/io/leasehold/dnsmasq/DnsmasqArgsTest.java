package io.leasehold.dnsmasq;

import io.leasehold.model.MatchRule;
import io.leasehold.model.Subnet;
import io.leasehold.wire.IpAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dnsmasq command line, every row of neutron-compat §1.2 and the short and separate-value forms.
 * Expected validity was checked against Debian's dnsmasq 2.90 {@code --test}.
 */
class DnsmasqArgsTest {

    private static final String N = "/var/lib/neutron/dhcp/6f5c0a1e-8d2b-4c3a-9e71-2b7d4c0e9a10";

    @Test
    void neutronsWorkedExample() {
        DnsmasqArgs a = DnsmasqArgs.parseCommandLine(List.of("dnsmasq", "--no-hosts", "", "--pid-file=" + N + "/pid",
                "--dhcp-hostsfile=" + N + "/host", "--addn-hosts=" + N + "/addn_hosts", "--dhcp-optsfile=" + N + "/opts",
                "--dhcp-leasefile=" + N + "/leases", "--dhcp-match=set:ipxe,175", "--dhcp-userclass=set:ipxe6,iPXE",
                "--local-service", "--bind-dynamic", "--bridge-interface=tap1a2b3c4d-5e,tap*",
                "--dhcp-range=set:subnet-s4,10.0.0.0,static,255.255.255.0,86400s",
                "--dhcp-range=set:subnet-s6,fd00:10::,static,64,infinite",
                "--dhcp-option-force=option:mtu,1450", "--dhcp-lease-max=16777216",
                "--dhcp-option-force=option:T1,600s", "--dhcp-option-force=option:T2,900s", "--conf-file=/dev/null",
                "--server=192.0.2.53", "--domain=openstacklocal", "--dhcp-broadcast", "--log-queries", "--log-dhcp",
                "--log-facility=/var/log/neutron/dnsmasq/x/dhcp_dns_log"));
        assertEquals(List.of(), a.errors());
        assertEquals(List.of(), a.warnings());
        assertEquals("6f5c0a1e-8d2b-4c3a-9e71-2b7d4c0e9a10", a.networkId());
        assertFalse(a.noResolv(), "'' stands in for --no-resolv");
        assertTrue(a.noHosts() && a.localService() && a.bindDynamic() && a.dhcpBroadcast() && a.logQueries() && a.logDhcp());
        assertEquals(N + "/pid", a.pidFile());
        assertEquals(N + "/host", a.hostsFile());
        assertEquals(List.of(N + "/addn_hosts"), a.addnHostsFiles());
        assertEquals(N + "/opts", a.optsFile());
        assertEquals(N + "/leases", a.leaseFile());
        assertEquals(List.of(MatchRule.NEUTRON_IPXE, MatchRule.NEUTRON_IPXE6), a.matchRules());
        assertEquals(List.of("tap1a2b3c4d-5e,tap*"), a.bridgeInterfaces());
        DnsmasqArgs.DhcpRange v4 = a.ranges().get(0);
        assertEquals("subnet-s4", v4.setTag());
        assertEquals(IpAddresses.parse("10.0.0.0"), v4.start());
        assertTrue(v4.isStatic());
        assertEquals(24, v4.prefixLength());
        assertEquals(86400, v4.leaseSeconds());
        assertEquals(Subnet.INFINITE, a.ranges().get(1).leaseSeconds());
        assertEquals(64, a.ranges().get(1).prefixLength());
        assertEquals(3, a.options().size());
        assertTrue(a.options().stream().allMatch(o -> o.forced()));
        assertEquals(16777216, a.leaseMax());
        assertEquals(List.of("/dev/null"), a.confFiles());
        assertEquals(List.of("192.0.2.53"), a.servers());
        assertEquals("openstacklocal", a.domain());
        assertEquals("/var/log/neutron/dnsmasq/x/dhcp_dns_log", a.logFacility());
        assertEquals(1450, DnsmasqNetwork.settings(a).mtu());
    }

    @Test
    void shortFormsAndSeparateValues() {
        DnsmasqArgs a = DnsmasqArgs.parse(List.of("-h", "-R", "-x", "/run/n/pid", "-l/run/n/leases", "-H", "/run/n/addn",
                "-F", "set:subnet-a,10.1.0.0,static,255.255.0.0,1h", "-O", "option:mtu,1400", "-X", "50",
                "-S", "1.1.1.1", "-s", "example.org", "-K", "-k", "-d", "-i", "ns-dhcp", "-q", "-8", "/tmp/log",
                "--dhcp-hostsfile", "/run/n/host", "--dhcp-optsfile", "/run/n/opts", "-j", "set:x,foo", "-kd"));
        assertEquals(List.of(), a.errors());
        assertEquals("/run/n/pid", a.pidFile());
        assertEquals("/run/n/leases", a.leaseFile());
        assertEquals("n", a.networkId());
        assertEquals(16, a.ranges().get(0).prefixLength());
        assertEquals(3600, a.ranges().get(0).leaseSeconds());
        assertEquals(50, a.leaseMax());
        assertTrue(a.authoritative() && a.keepInForeground() && a.noDaemon() && a.noHosts() && a.noResolv());
        assertEquals(List.of("ns-dhcp"), a.interfaces());
        assertEquals("/run/n/host", a.hostsFile());
        assertEquals(new MatchRule("x", MatchRule.Kind.USER_CLASS, 0, "foo"), a.matchRules().get(0));
    }

    @Test
    void runtimeChecksAndVersion() {
        DnsmasqArgs check = DnsmasqArgs.parse(List.of("--test", "--dhcp-host=tag:foo"));
        assertEquals(List.of(), check.errors(), "Neutron's host-tag check must pass");
        assertTrue(check.test());
        assertEquals(1, check.warnings().size());
        assertTrue(DnsmasqArgs.parse(List.of("--version")).version());
        assertTrue(DnsmasqArgs.parse(List.of("--test", "--local-service")).isValid());
        assertTrue(DnsmasqArgs.parse(List.of("--local-service=net", "--log-queries=extra", "--dhcp-rapid-commit")).isValid());
        assertEquals(List.of(), DnsmasqArgs.parse(List.of()).errors());
        assertEquals(DnsmasqArgs.DEFAULT_LEASE_MAX, DnsmasqArgs.parse(List.of()).leaseMax());
        assertNull(DnsmasqArgs.parse(List.of()).networkId());
    }

    @Test
    void dnsmasqOptionsLeaseholdIgnoresAreWarnings() {
        DnsmasqArgs a = DnsmasqArgs.parse(List.of("--cache-size=150", "--user=nobody", "-z", "--conf-file=/etc/dnsmasq.conf",
                "--dhcp-match=set:pxe,60,PXEClient", "--domain=a.example,10.0.0.0/8"));
        assertEquals(List.of(), a.errors());
        assertEquals(6, a.warnings().size(), a.warnings().toString());
        assertEquals("argv:1: --cache-size=150: a dnsmasq option Leasehold does not implement; ignored",
                a.warnings().get(0).toString());
        assertEquals("a.example", a.domain());
        assertEquals(0, DnsmasqArgs.parse(List.of("--port=0")).port());
        assertFalse(DnsmasqNetwork.settings(DnsmasqArgs.parse(List.of("--port=0"))).dnsService());
    }

    /** Each fails dnsmasq 2.90's {@code --test} too ("bad command line options", "junk found"). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--bogus|unrecognized option '--bogus'",
            "junk|junk found",
            "--conf-file /dev/null|junk found",
            "--pid-file /tmp/p|junk found",
            "-x /tmp/p --pid-file=/tmp/q|illegal repeated flag",
            "--dhcp-range=bad|bad dhcp-range",
            "--dhcp-range=fd00::,static,48|at least 64",
            "--dhcp-lease-max=abc|expected: a number",
            "--dhcp-option=option:router,|bad IP address",
            "--dhcp-option=option:foo,1|unknown DHCP option",
            "--dhcp-option=tag:x|no option",
            "--dhcp-userclass=iPXE|set:TAG",
            "--log-facility=/a --log-facility=/b|illegal repeated flag",
            "-X 5 -X 6|illegal repeated flag",
            "--no-hosts=1|takes no value",
            "-%|unrecognized option '-%'",
            "--dhcp-host=fa:16:3e:00:00:0g,10.0.0.1|not hex",
    })
    void whatDnsmasqRefusesIsAnError(String argv, String reason) {
        DnsmasqArgs a = DnsmasqArgs.parse(Arrays.asList(argv.split(" ")));
        assertFalse(a.isValid());
        assertTrue(a.errors().get(0).message().contains(reason), a.errors().toString());
        assertTrue(a.errors().get(0).toString().startsWith("argv:"), a.errors().toString());
    }
}
