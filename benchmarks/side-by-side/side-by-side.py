#!/usr/bin/env python3
"""Leasehold, dnsmasq (as Neutron runs it) and Kea, measured side by side with perfdhcp in one run.

See README.md next to this file. Needs root. Everything it creates (namespaces, veths, processes,
files under --out) it removes on exit, also on Ctrl-C; processes are ended by their PID only.
"""

import argparse
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024

# Topology: one /14 (room for 100k reserved hosts) and one /64 on a veth pair.
V4_NET = ipaddress.IPv4Network("10.0.0.0/14")
V6_NET = ipaddress.IPv6Network("fd00:10::/64")
SERVER4, RELAY4, PROBE4 = "10.0.0.2", "10.0.0.3", "10.0.0.4"
SERVER6, CLIENT6 = "fd00:10::2", "fd00:10::3"
GATEWAY4 = "10.0.0.1"
HOST4_BASE = int(ipaddress.IPv4Address("10.0.1.0"))        # host i: 10.0.1.0 + i
HOST6_BASE = int(ipaddress.IPv6Address("fd00:10::1:0"))     # host i: fd00:10::1:0 + i
POOL4 = ("10.0.1.0", "10.3.255.254")
POOL6 = ("fd00:10::1:0", "fd00:10::ffff:ffff")
NET_ID = "6e7a0000-0000-4000-8000-00000000be7c"
S4_ID = "5b000000-0000-4000-8000-000000000004"
S6_ID = "5b000000-0000-4000-8000-000000000006"
MAC_BASE = 0xFA163E000000
SERVER_CPU, CLIENT_CPU = "0", "1"
PACKAGES = {"dnsmasq": "dnsmasq-base", "kea-dhcp4": "kea-dhcp4-server", "kea-dhcp6": "kea-dhcp6-server",
            "perfdhcp": "kea-admin", "taskset": "util-linux", "ip": "iproute2", "java": "openjdk-17-jre-headless"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def mac(i):
    m = MAC_BASE + i
    return ":".join("%02x" % (m >> s & 0xFF) for s in range(40, -8, -8))


def host4(i):
    return str(ipaddress.IPv4Address(HOST4_BASE + i))


def host6(i):
    return str(ipaddress.IPv6Address(HOST6_BASE + i))


def duid(i):
    """perfdhcp's client i with -b duid=00030001fa163e000000: DUID-LL of its MAC."""
    return "00:03:00:01:" + mac(i)


def run(cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


# ---- cleanup: every namespace and process we made, by name and PID ----------------------------

class Janitor:
    def __init__(self):
        self.namespaces = []
        self.pids = []

    def ns(self, name):
        self.namespaces.append(name)
        return name

    def pid(self, pid):
        self.pids.append(pid)
        return pid

    def kill(self, pid, timeout=10.0):
        """Ends one process we started: SIGTERM, then SIGKILL after timeout seconds."""
        if pid is None or not alive(pid):
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        end = time.time() + timeout
        while time.time() < end and alive(pid):
            reap(pid)
            time.sleep(0.05)
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
            reap(pid)

    def cleanup(self):
        for pid in reversed(self.pids):
            try:
                self.kill(pid, timeout=5)
            except Exception as e:  # keep cleaning
                log(f"cleanup: pid {pid}: {e}")
        self.pids.clear()
        delete_namespaces(self.namespaces)
        self.namespaces.clear()


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def reap(pid):
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def delete_namespaces(names):
    if not names:
        return
    batch = "".join(f"netns del {n}\n" for n in names if os.path.exists(f"/run/netns/{n}"))
    if batch:
        subprocess.run(["ip", "-force", "-batch", "-"], input=batch, text=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)


JANITOR = Janitor()


def on_signal(signum, _frame):
    log(f"signal {signum}: cleaning up")
    JANITOR.cleanup()
    sys.exit(128 + signum)


# ---- per-process figures ------------------------------------------------------------------------

def cpu_seconds(pid):
    """utime + stime of the whole process (all threads), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(") ", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def softirq_seconds(cpu):
    """Time the given CPU spent in softirq (and hardirq) handling: packet processing charged to no process."""
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith(f"cpu{cpu} "):
                v = line.split()
                return (int(v[6]) + int(v[7])) / CLK_TCK
    return 0.0


def rss_kb(pid):
    """Resident set (VmRSS) and its high-water mark (VmHWM) in KiB."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1])
    return out.get("VmRSS", 0), out.get("VmHWM", 0)


def wait_idle(pid, quiet=0.5, limit=30.0):
    """Waits until the server has used no CPU for `quiet` seconds (its queue drained), at most `limit`."""
    end = time.time() + limit
    last = cpu_seconds(pid)
    while time.time() < end:
        time.sleep(quiet)
        now = cpu_seconds(pid)
        if now - last < 0.02:
            return
        last = now


# ---- the rig: server and client namespaces joined by a veth pair ---------------------------------

class Rig:
    def __init__(self, prefix):
        self.srv = JANITOR.ns(prefix + "-srv")
        self.cli = JANITOR.ns(prefix + "-cli")
        self.sif = prefix + "s"
        self.cif = prefix + "c"
        cmds = [f"netns add {self.srv}", f"netns add {self.cli}",
                f"link add {self.sif} type veth peer name {self.cif}",
                f"link set {self.sif} netns {self.srv}", f"link set {self.cif} netns {self.cli}"]
        run(["ip", "-batch", "-"], input="\n".join(cmds) + "\n")
        for ns, dev, a4, a6 in ((self.srv, self.sif, [SERVER4], SERVER6), (self.cli, self.cif, [RELAY4, PROBE4], CLIENT6)):
            run(["ip", "netns", "exec", ns, "sysctl", "-qw", f"net.ipv6.conf.{dev}.accept_dad=0"])
            lines = ["link set lo up"] + [f"addr add {a}/{V4_NET.prefixlen} dev {dev}" for a in a4] + [
                f"addr add {a6}/64 dev {dev} nodad", f"link set {dev} up"]
            run(["ip", "-n", ns, "-batch", "-"], input="\n".join(lines) + "\n")
        # The v6 link-local addresses come up without DAD; give the links a moment to carry traffic.
        time.sleep(1.0)

    def exec(self, ns, cpu, argv):
        return ["ip", "netns", "exec", ns, "taskset", "-c", cpu] + argv


# ---- the generators: one network of N Neutron ports, in each server's own format -----------------

def port_id(i):
    return "a0000000-0000-4000-8000-%012x" % i


def fqdn4(i):
    return "host-" + host4(i).replace(".", "-") + ".openstacklocal"


def fqdn6(i):
    return "host-" + host6(i).replace(":", "-") + ".openstacklocal"


class Profile:
    """static: N reserved ports (Neutron's hosts file); dynamic: a pool and N clients, no reservations."""

    def __init__(self, name, hosts, dynamic):
        self.name, self.hosts, self.dynamic = name, hosts, dynamic


def write_neutron_files(d, profile, family, extra_hosts=0):
    """dnsmasq's inputs as Neutron's agent writes them (neutron-compat.md §2): host, addn_hosts, opts, leases.

    IPv6 host lines carry the port's client-id (the DUID perfdhcp sends) as `id:`, which is the form the
    agent writes for a port whose only extra DHCP option is client-id; dnsmasq cannot match perfdhcp's
    simulated v6 clients by MAC (they share one link-local source address).
    """
    os.makedirs(d, exist_ok=True)
    n = 0 if profile.dynamic else profile.hosts + extra_hosts
    with open(os.path.join(d, "host"), "w") as f:
        for i in range(n):
            if family == 4:
                f.write(f"{mac(i)},{fqdn4(i)},{host4(i)}\n")
            else:
                f.write(f"{mac(i)},tag:dhcpv6,id:{duid(i)},{fqdn6(i)},[{host6(i)}]\n")
    with open(os.path.join(d, "addn_hosts"), "w") as f:
        for i in range(n):
            a, name = (host4(i), fqdn4(i)) if family == 4 else (host6(i), fqdn6(i))
            f.write(f"{a}\t{name}. {name.split('.')[0]}\n")
    with open(os.path.join(d, "opts"), "w") as f:
        if family == 4:
            routes = f"169.254.169.254/32,{SERVER4},0.0.0.0/0,{GATEWAY4}"
            f.write("\n".join([f"tag:subnet-{S4_ID},option:classless-static-route,{routes}",
                               f"tag:subnet-{S4_ID},249,{routes}",
                               f"tag:subnet-{S4_ID},option:router,{GATEWAY4}"]))
        else:
            f.write(f"tag:subnet-{S6_ID},option6:domain-search,openstacklocal")
    open(os.path.join(d, "leases"), "w").close()
    os.chmod(d, 0o755)


def classless_routes_hex():
    """169.254.169.254/32 via the server, 0.0.0.0/0 via the gateway, RFC 3442-encoded."""
    out = bytes([32]) + ipaddress.IPv4Address("169.254.169.254").packed + ipaddress.IPv4Address(SERVER4).packed
    out += bytes([0]) + ipaddress.IPv4Address(GATEWAY4).packed
    return out.hex().upper()


def dnsmasq_argv(d, profile, family):
    """The command line of neutron-compat.md §1.2 (Neutron's defaults: DNS on, no log)."""
    if family == 4:
        rng = (f"--dhcp-range=set:subnet-{S4_ID},{POOL4[0]},{POOL4[1]},{V4_NET.netmask},86400s" if profile.dynamic
               else f"--dhcp-range=set:subnet-{S4_ID},{V4_NET.network_address},static,{V4_NET.netmask},86400s")
    else:
        rng = (f"--dhcp-range=set:subnet-{S6_ID},{POOL6[0]},{POOL6[1]},64,86400s" if profile.dynamic
               else f"--dhcp-range=set:subnet-{S6_ID},{V6_NET.network_address},static,64,86400s")
    return ["dnsmasq", "--no-hosts", "--no-resolv", f"--pid-file={d}/pid", f"--dhcp-hostsfile={d}/host",
            f"--addn-hosts={d}/addn_hosts", f"--dhcp-optsfile={d}/opts", f"--dhcp-leasefile={d}/leases",
            "--dhcp-match=set:ipxe,175", "--dhcp-userclass=set:ipxe6,iPXE", "--local-service", "--bind-dynamic",
            rng, "--dhcp-option-force=option:mtu,1450", "--dhcp-lease-max=16777216", "--conf-file=/dev/null",
            "--domain=openstacklocal"]


def kea_config(d, iface, profile, family):
    lease_file = os.path.join(d, f"kea-leases{family}.csv")
    common = {"interfaces-config": {"interfaces": [iface]},
              "lease-database": {"type": "memfile", "persist": True, "name": lease_file, "lfc-interval": 3600},
              "valid-lifetime": 86400,
              "loggers": [{"name": f"kea-dhcp{family}", "severity": "WARN",
                           "output_options": [{"output": os.path.join(d, f"kea{family}.log")}]}]}
    n = 0 if profile.dynamic else profile.hosts
    if family == 4:
        common["interfaces-config"]["dhcp-socket-type"] = "udp"  # relayed traffic (giaddr set)
        subnet = {"id": 1, "subnet": str(V4_NET),
                  "option-data": [{"name": "routers", "data": GATEWAY4},
                                  {"name": "domain-name-servers", "data": SERVER4},
                                  {"name": "interface-mtu", "data": "1450"},
                                  {"name": "domain-name", "data": "openstacklocal"},
                                  # Kea 2.2 has no definition for option 121: RFC 3442 bytes, the same routes
                                  {"code": 121, "csv-format": False, "data": classless_routes_hex()}]}
        if profile.dynamic:
            subnet["pools"] = [{"pool": f"{POOL4[0]} - {POOL4[1]}"}]
        else:
            subnet["reservations"] = [{"hw-address": mac(i), "ip-address": host4(i), "hostname": fqdn4(i)}
                                      for i in range(n)]
        common["host-reservation-identifiers"] = ["hw-address"]
        common["subnet4"] = [subnet]
        return {"Dhcp4": common}
    common["preferred-lifetime"] = 86400
    common["data-directory"] = d
    subnet = {"id": 1, "subnet": str(V6_NET), "interface": iface,
              "option-data": [{"name": "dns-servers", "data": SERVER6},
                              {"name": "domain-search", "data": "openstacklocal"}]}
    if profile.dynamic:
        subnet["pools"] = [{"pool": f"{POOL6[0]} - {POOL6[1]}"}]
    else:
        subnet["reservations"] = [{"duid": duid(i), "ip-addresses": [host6(i)], "hostname": fqdn6(i)}
                                  for i in range(n)]
    common["host-reservation-identifiers"] = ["duid"]
    common["subnet6"] = [subnet]
    return {"Dhcp6": common}


def leasehold_config(d, namespaces, profile, family, fsync, extra_hosts=0):
    """Leasehold's native configuration: `namespaces` maps namespace → interface, one network each."""
    nets, attach = [], {}
    for k, (ns, iface) in enumerate(namespaces):
        net_id = NET_ID if len(namespaces) == 1 else "6e7a0000-0000-4000-8000-%012x" % k
        attach[ns] = [{"interface": iface, "network": net_id}]
        nets.append(leasehold_network(net_id, profile, family, extra_hosts))
    return {"dataDir": os.path.join(d, "data"), "fsync": fsync, "namespaces": attach, "networks": nets}


def leasehold_network(net_id, profile, family, extra_hosts=0):
    s4 = {"id": S4_ID, "cidr": str(V4_NET), "gateway": GATEWAY4, "leaseTime": 86400}
    s6 = {"id": S6_ID, "cidr": str(V6_NET), "ipv6AddressMode": "dhcpv6-stateful", "leaseTime": 86400}
    if profile.dynamic:
        s4["pools"] = [f"{POOL4[0]}-{POOL4[1]}"]
    subnets = [s4] if family == 4 else [s6]
    ports = [{"id": "d0000000-0000-4000-8000-000000000002", "macAddress": "fa:16:3e:ff:ff:02",
              "deviceOwner": "network:dhcp",
              "fixedIps": [{"subnetId": S4_ID if family == 4 else S6_ID,
                            "ipAddress": SERVER4 if family == 4 else SERVER6}]}]
    n = 0 if profile.dynamic else profile.hosts + extra_hosts
    for i in range(n):
        p = {"id": port_id(i), "macAddress": mac(i), "deviceOwner": "compute:nova"}
        if family == 4:
            p["fixedIps"] = [{"subnetId": S4_ID, "ipAddress": host4(i)}]
        else:
            p["fixedIps"] = [{"subnetId": S6_ID, "ipAddress": host6(i)}]
            p["extraDhcpOpts"] = [{"optName": "client-id", "optValue": duid(i)}]
        ports.append(p)
    return {"id": net_id, "mtu": 1450, "dnsDomain": "openstacklocal",
            "metadata": {"enableIsolatedMetadata": True, "forceMetadata": False},
            "subnets": subnets, "ports": ports}


# ---- servers --------------------------------------------------------------------------------------

class Server:
    name = "?"

    def __init__(self, rig, work, profile, family, args):
        self.rig, self.profile, self.family, self.args = rig, profile, family, args
        self.dir = os.path.join(work, f"{self.name}-{profile.name}-v{family}")
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.pid = None
        self.proc = None
        self.out = None

    def spawn(self, argv, env=None):
        self.out = open(os.path.join(self.dir, "server.out"), "w")
        self.proc = subprocess.Popen(argv, stdout=self.out, stderr=subprocess.STDOUT, env=env)
        self.pid = JANITOR.pid(self.proc.pid)

    def stop(self):
        JANITOR.kill(self.pid, timeout=20)
        if self.proc:
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        if self.out:
            self.out.close()

    def reload(self):
        os.kill(self.pid, signal.SIGHUP)


class Dnsmasq(Server):
    name = "dnsmasq"

    def start(self, extra_hosts=0):
        write_neutron_files(self.dir, self.profile, self.family, extra_hosts)
        # dnsmasq daemonizes, as Neutron expects; its PID comes from the pid file.
        run(self.rig.exec(self.rig.srv, SERVER_CPU, dnsmasq_argv(self.dir, self.profile, self.family)))
        pidfile = os.path.join(self.dir, "pid")
        end = time.time() + 30
        while time.time() < end and not (os.path.exists(pidfile) and open(pidfile).read().strip()):
            time.sleep(0.05)
        self.pid = JANITOR.pid(int(open(pidfile).read()))

    def add_host(self, i):
        """What the agent does for a new port: rewrite the files (replace_file: new inode), then SIGHUP."""
        for name, line in (("host", f"{mac(i)},{fqdn4(i)},{host4(i)}\n"),
                           ("addn_hosts", f"{host4(i)}\t{fqdn4(i)}. {fqdn4(i).split('.')[0]}\n")):
            path = os.path.join(self.dir, name)
            shutil.copyfile(path, path + ".tmp")
            with open(path + ".tmp", "a") as f:
                f.write(line)
            os.chmod(path + ".tmp", 0o644)
            os.rename(path + ".tmp", path)
        self.reload()


class Kea(Server):
    name = "kea"

    def start(self, extra_hosts=0):
        cfg = os.path.join(self.dir, f"kea{self.family}.json")
        with open(cfg, "w") as f:
            json.dump(kea_config(self.dir, self.rig.sif, self.profile, self.family), f)
        env = dict(os.environ, KEA_PIDFILE_DIR=self.dir, KEA_LOCKFILE_DIR=self.dir)
        self.spawn(self.rig.exec(self.rig.srv, SERVER_CPU, [f"kea-dhcp{self.family}", "-c", cfg]), env=env)


class Leasehold(Server):
    name = "leasehold"

    def config_path(self):
        return os.path.join(self.dir, "leasehold.json")

    def write_config(self, extra_hosts=0):
        cfg = leasehold_config(self.dir, [(self.rig.srv, self.rig.sif)], self.profile, self.family,
                               self.args.fsync, extra_hosts)
        tmp = self.config_path() + ".tmp"
        with open(tmp, "w") as f:
            json.dump(cfg, f)
        os.rename(tmp, self.config_path())

    def start(self, extra_hosts=0):
        self.write_config(extra_hosts)
        # The daemon runs in the initial namespace and opens its sockets inside the server namespace.
        self.spawn(["taskset", "-c", SERVER_CPU] + leasehold_command(self.args) + ["serve", "--config", self.config_path()])

    def add_host(self, i):
        self.write_config(extra_hosts=1)
        self.reload()


def leasehold_command(args):
    java_opts = os.environ.get("LEASEHOLD_JAVA_OPTS", LEASEHOLD_SERVE_OPTS)
    return ["java"] + java_opts.split() + ["-jar", args.leasehold_jar]


def launcher_serve_opts():
    """The JVM flags ./leasehold gives `serve` (read from the launcher, their one home)."""
    with open(os.path.join(REPO, "leasehold")) as f:
        m = re.search(r'serve\) LEASEHOLD_JAVA_OPTS="([^"]*)"', f.read())
    if not m:
        sys.exit("side-by-side: cannot find the serve flags in ./leasehold")
    return m.group(1)


# What ./leasehold uses for `serve`; LEASEHOLD_JAVA_OPTS overrides both.
LEASEHOLD_SERVE_OPTS = launcher_serve_opts()

SERVERS = {"leasehold": Leasehold, "dnsmasq": Dnsmasq, "kea": Kea}


# ---- perfdhcp -------------------------------------------------------------------------------------

def perfdhcp(rig, family, rate, seconds, clients, base_index=0, extra=()):
    argv = ["perfdhcp", f"-{family}", "-r", str(rate), "-p", f"{seconds:g}", "-R", str(clients),
            "-b", f"mac={mac(base_index)}", "-d", "1", "-W", "500000"] + list(extra)
    if family == 4:
        argv += ["-l", RELAY4, SERVER4]         # a relay: giaddr set, unicast to the server's port 67
    else:
        argv += ["-b", "duid=" + duid(base_index).replace(":", ""), "-l", rig.cif]   # multicast from link-local
    p = subprocess.run(rig.exec(rig.cli, CLIENT_CPU, argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=seconds + 60)
    return parse_perfdhcp(p.stdout)


def parse_perfdhcp(text):
    """The two exchange stages of perfdhcp's final report: sent, received, delays."""
    stages = []
    for block in re.split(r"\*\*\*Statistics for: ", text)[1:]:
        name = block.split("***")[0].strip()

        def num(key, default=0.0):
            m = re.search(rf"^{key}: ([0-9.]+)", block, re.M)
            return float(m.group(1)) if m else default
        stages.append({"name": name, "sent": int(num("sent packets")), "received": int(num("received packets")),
                       "avg_ms": num("avg delay"), "max_ms": num("max delay")})
    if len(stages) < 2:
        raise RuntimeError("perfdhcp gave no report:\n" + text[-2000:])
    return stages


# ---- the measurements ---------------------------------------------------------------------------

class Recorder:
    def __init__(self, path):
        self.path = path
        self.rows = []
        self.f = open(path, "a")

    def emit(self, **kv):
        line = " ".join(f"{k}={v}" for k, v in kv.items())
        print(line, flush=True)
        self.f.write(line + "\n")
        self.f.flush()
        self.rows.append(kv)


def fmt(x, digits=1):
    return f"{x:.{digits}f}"


def wait_ready(server, rig, family, limit):
    """Until one exchange for host 0 completes (dnsmasq reading 100k hosts takes a while), at most `limit` s."""
    end = time.time() + limit
    while time.time() < end:
        if server.pid is None or not alive(server.pid):
            raise RuntimeError(f"{server.name} exited; see {server.dir}/server.out")
        try:
            st = perfdhcp(rig, family, 10, 1, 1)
            if st[1]["received"] > 0:
                return
        except (RuntimeError, subprocess.TimeoutExpired):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{server.name} not answering after {limit} s; see {server.dir}")


def measure_point(rec, server, rig, family, profile, rate, rep, seconds):
    wait_idle(server.pid)
    cpu0, irq0, t0 = cpu_seconds(server.pid), softirq_seconds(SERVER_CPU), time.time()
    st = perfdhcp(rig, family, rate, seconds, profile.hosts)
    cpu = cpu_seconds(server.pid) - cpu0
    # perfdhcp has stopped sending; wait for the server to finish what is queued, then count its CPU.
    wait_idle(server.pid, quiet=0.3, limit=10)
    cpu = cpu_seconds(server.pid) - cpu0
    irq = softirq_seconds(SERVER_CPU) - irq0
    rss, hwm = rss_kb(server.pid)
    initiated, completed = st[0]["sent"], st[1]["received"]
    loss = 100.0 * (1 - completed / initiated) if initiated else 100.0
    row = dict(run="sweep", server=server.name, family=family, profile=profile.name, hosts=profile.hosts,
               rate=rate, rep=rep, seconds=seconds, initiated=initiated, completed=completed,
               loss_pct=fmt(loss, 2), xps=fmt(completed / seconds), delay1_ms=fmt(st[0]["avg_ms"], 3),
               delay2_ms=fmt(st[1]["avg_ms"], 3), delay_ms=fmt(st[0]["avg_ms"] + st[1]["avg_ms"], 3),
               max_delay_ms=fmt(max(st[0]["max_ms"], st[1]["max_ms"]), 1), cpu_s=fmt(cpu, 2),
               softirq_s=fmt(irq, 2), x_per_cpu_s=fmt(completed / cpu if cpu > 0 else 0, 0),
               x_per_cpu_irq_s=fmt(completed / (cpu + irq) if cpu + irq > 0 else 0, 0),
               rss_kb=rss, hwm_kb=hwm, wall_s=fmt(time.time() - t0, 1))
    rec.emit(**row)
    return loss, row


def sweep(rec, server, rig, family, profile, args):
    """Rates go up from args.start_rate until two medians in a row exceed 1 % loss (or one exceeds 20 %);
    if even the start rate fails, down until one passes. Each point is the median of args.runs runs."""
    ladder = args.rates
    results = {}

    def point(rate):
        seconds = min(30.0, max(args.duration, 20.0 / rate))   # at least ~20 exchanges per run
        rows = [measure_point(rec, server, rig, family, profile, rate, r + 1, seconds) for r in range(args.runs)]
        med = statistics.median(l for l, _ in rows)
        results[rate] = (med, [r for _, r in rows])
        return med

    deadline = time.time() + args.sweep_timeout
    start = min(range(len(ladder)), key=lambda k: abs(ladder[k] - args.start_rate))
    if point(ladder[start]) > 1.0:
        # Descend; when a point is far over capacity, jump to just under what it completed.
        k = start
        while k > 0 and time.time() < deadline:
            med, rows = results[ladder[k]]
            achieved = statistics.median(float(r["xps"]) for r in rows)
            below = [j for j in range(k) if ladder[j] <= max(0.9 * achieved, ladder[0])]
            k = below[-1] if med > 50.0 and below else k - 1
            if point(ladder[k]) <= 1.0:
                break
        # A jump may have skipped rates that pass: climb from the passing point until one fails.
        k += 1
        while k < start and ladder[k] not in results and time.time() < deadline:
            if point(ladder[k]) > 1.0:
                break
            k += 1
    else:
        fails = 0
        for k in range(start + 1, len(ladder)):
            if time.time() > deadline:
                break
            med = point(ladder[k])
            fails = fails + 1 if med > 1.0 else 0
            if fails >= 2 or med > 20.0:
                break
    ok = [r for r, (med, _) in results.items() if med <= 1.0]
    knee = max(ok) if ok else 0
    summary = dict(run="knee", server=server.name, family=family, profile=profile.name, hosts=profile.hosts,
                   knee_rate=knee)
    if knee:
        rows = results[knee][1]
        for key in ("xps", "delay_ms", "x_per_cpu_s", "x_per_cpu_irq_s", "rss_kb", "loss_pct"):
            summary[key] = fmt(statistics.median(float(r[key]) for r in rows), 3 if key == "delay_ms" else 1)
    summary["rates"] = ",".join(str(r) for r in sorted(results))
    rec.emit(**summary)
    return summary, results


def run_sweeps(rec, rig, args, work):
    summaries = []
    for pname in args.profiles:
        profile = PROFILES[pname](args)
        for family in args.families:
            for sname in args.servers:
                if sname == "leasehold" and profile.dynamic and family == 6:
                    rec.emit(run="knee", server=sname, family=family, profile=profile.name, hosts=profile.hosts,
                             knee_rate="n/a", note="no-dynamic-v6-pools")
                    continue
                server = SERVERS[sname](rig, work, profile, family, args)
                log(f"== {sname} v{family} {profile.name}: starting")
                t0 = time.time()
                try:
                    server.start()
                    wait_ready(server, rig, family, args.ready_timeout)
                    rec.emit(run="start", server=sname, family=family, profile=profile.name, hosts=profile.hosts,
                             ready_s=fmt(time.time() - t0, 2))
                    # Warm-up (JIT, caches, the lease table): every client served once, not measured.
                    perfdhcp(rig, family, args.start_rate, args.warmup, profile.hosts)
                    summary, _ = sweep(rec, server, rig, family, profile, args)
                    summaries.append(summary)
                except Exception as e:
                    log(f"{sname} v{family} {profile.name}: {e}")
                    rec.emit(run="knee", server=sname, family=family, profile=profile.name, hosts=profile.hosts,
                             knee_rate="error", note=re.sub(r"\s+", "_", str(e))[:120])
                finally:
                    server.stop()
    return summaries


# ---- reload: one host added to a 50k-host file ---------------------------------------------------

def dhcp4_discover(mac_int, xid, giaddr):
    chaddr = mac_int.to_bytes(6, "big") + bytes(10)
    head = struct.pack("!BBBBIHHIIII", 1, 1, 6, 1, xid, 0, 0, 0, 0, 0,
                       int(ipaddress.IPv4Address(giaddr)))
    return head + chaddr + bytes(192) + b"\x63\x82\x53\x63" + bytes([53, 1, 1, 255])


class Probe4:
    """A relay-style DHCPv4 prober in the client namespace (its own giaddr, so perfdhcp can run beside it)."""

    def __init__(self, rig):
        # The socket must live in the client namespace: a helper child in it would do, but setns from
        # Python needs ctypes; a short-lived `ip netns exec` python reading stdin is simpler.
        self.p = subprocess.Popen(["ip", "netns", "exec", rig.cli, "taskset", "-c", CLIENT_CPU, sys.executable,
                                   os.path.abspath(__file__), "--probe-helper"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        JANITOR.pid(self.p.pid)
        assert self.p.stdout.readline().strip() == "ready"

    def ask(self, index, timeout_ms):
        """Sends a DISCOVER for host `index`; returns the OFFER's latency in ms, or None."""
        self.p.stdin.write(f"{index} {timeout_ms}\n")
        self.p.stdin.flush()
        ans = self.p.stdout.readline().strip()
        return None if ans == "none" else float(ans)

    def close(self):
        self.p.stdin.close()
        JANITOR.kill(self.p.pid)


def probe_helper():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((PROBE4, 67))
    print("ready", flush=True)
    xid = 1
    for line in sys.stdin:
        index, timeout_ms = line.split()
        xid += 1
        t0 = time.monotonic()
        s.sendto(dhcp4_discover(MAC_BASE + int(index), xid, PROBE4), (SERVER4, 67))
        end = t0 + int(timeout_ms) / 1000
        ans = "none"
        while True:
            left = end - time.monotonic()
            if left <= 0:
                break
            s.settimeout(left)
            try:
                data = s.recv(2048)
            except socket.timeout:
                break
            if len(data) > 240 and struct.unpack("!I", data[4:8])[0] == xid and data[0] == 2:
                ans = fmt((time.monotonic() - t0) * 1000, 3)
                break
        print(ans, flush=True)


def run_reloads(rec, rig, args, work):
    hosts = args.reload_hosts
    profile = Profile(f"static{hosts // 1000}k", hosts, False)
    new = hosts   # the added host's index
    for sname in [s for s in args.servers if s in ("leasehold", "dnsmasq", "kea")]:
        server = SERVERS[sname](rig, work, profile, 4, args)
        log(f"== reload {sname} ({hosts} hosts)")
        probe = None
        try:
            server.start()
            wait_ready(server, rig, 4, args.ready_timeout)
            probe = Probe4(rig)
            for _ in range(50):           # warm the path for an existing host
                probe.ask(1, 200)
            if probe.ask(new, 200) is not None:
                raise RuntimeError("the new host is answered before it is added")
            if sname == "kea":
                kea_add_host(server, new)
            t0 = time.monotonic()
            if sname != "kea":
                server.add_host(new)
            else:
                server.reload()
            # Alternate: the new host (until answered), an existing one (the longest wait is the pause).
            answered, longest, asked, limit = None, 0.0, 0, time.monotonic() + args.reload_timeout
            while time.monotonic() < limit:
                r = probe.ask(new, 20)
                if r is not None:
                    answered = time.monotonic() - t0
                    break
                e0 = time.monotonic()
                r = probe.ask(2 + asked % 1000, 10000)
                longest = max(longest, (time.monotonic() - e0) * 1000 if r is None else r)
                asked += 1
            rec.emit(run="reload", server=sname, hosts=hosts,
                     reload_ms=fmt(answered * 1000, 1) if answered is not None else "timeout",
                     longest_existing_ms=fmt(longest, 1), existing_probes=asked)
        except Exception as e:
            log(f"reload {sname}: {e}")
            rec.emit(run="reload", server=sname, hosts=hosts, reload_ms="error",
                     note=re.sub(r"\s+", "_", str(e))[:120])
        finally:
            if probe:
                probe.close()
            server.stop()


def kea_add_host(server, i):
    cfg = os.path.join(server.dir, "kea4.json")
    with open(cfg) as f:
        c = json.load(f)
    c["Dhcp4"]["subnet4"][0]["reservations"].append({"hw-address": mac(i), "ip-address": host4(i),
                                                      "hostname": fqdn4(i)})
    with open(cfg + ".tmp", "w") as f:
        json.dump(c, f)
    os.rename(cfg + ".tmp", cfg)


# ---- scale: 1, 100, 1000 networks ----------------------------------------------------------------

def scale_namespaces(prefix, n):
    """Namespaces <prefix>-n<i>, each with a veth pair s<i>/c<i> (both ends inside), 10.0.0.2/24 on s<i>."""
    names = [JANITOR.ns(f"{prefix}-n{i}") for i in range(n)]
    batch = []
    for i, ns in enumerate(names):
        batch += [f"netns add {ns}"]
    run(["ip", "-batch", "-"], input="\n".join(batch) + "\n")
    batch = [f"link add s{i} netns {ns} type veth peer name c{i} netns {ns}" for i, ns in enumerate(names)]
    run(["ip", "-batch", "-"], input="\n".join(batch) + "\n")
    for i, ns in enumerate(names):
        run(["ip", "-n", ns, "-batch", "-"],
            input=f"link set lo up\nlink set s{i} up\nlink set c{i} up\naddr add 10.0.0.2/24 dev s{i}\n")
    return names


def small_profile():
    return Profile("scale10", 10, False)


def run_scale(rec, args, work, prefix):
    for n in args.scale:
        names = scale_namespaces(prefix + "x", n)
        profile = small_profile()
        try:
            if "leasehold" in args.servers:
                d = os.path.join(work, f"scale-leasehold-{n}")
                shutil.rmtree(d, ignore_errors=True)
                os.makedirs(d)
                cfg = leasehold_config(d, [(ns, f"s{i}") for i, ns in enumerate(names)], profile, 4, args.fsync)
                for net in cfg["networks"]:   # each network a /24 like ScaleBenchmark's
                    net["subnets"][0].update(cidr="10.0.0.0/24", gateway="10.0.0.1")
                    net["ports"][0]["fixedIps"][0]["ipAddress"] = "10.0.0.2"
                    for k, p in enumerate(net["ports"][1:]):
                        p["fixedIps"][0]["ipAddress"] = f"10.0.0.{10 + k}"
                path = os.path.join(d, "leasehold.json")
                with open(path, "w") as f:
                    json.dump(cfg, f)
                out = open(os.path.join(d, "server.out"), "w")
                t0 = time.time()
                p = subprocess.Popen(["taskset", "-c", SERVER_CPU] + leasehold_command(args) + ["serve", "--config", path],
                                     stdout=out, stderr=subprocess.STDOUT)
                JANITOR.pid(p.pid)
                ready = wait_log(os.path.join(d, "server.out"), "serving ", 120)
                t_ready = time.time() - t0
                time.sleep(args.scale_settle)
                rss, hwm = rss_kb(p.pid)
                rec.emit(run="scale", server="leasehold", networks=n, processes=1, rss_total_kb=rss,
                         hwm_total_kb=hwm, start_s=fmt(t_ready, 2) if ready else "timeout")
                JANITOR.kill(p.pid, timeout=20)
                p.wait(timeout=10)
                out.close()
            if "dnsmasq" in args.servers:
                pids = []
                t0 = time.time()
                for i, ns in enumerate(names):
                    d = os.path.join(work, f"scale-dnsmasq-{n}", f"n{i}")
                    shutil.rmtree(d, ignore_errors=True)
                    os.makedirs(d)
                    with open(os.path.join(d, "host"), "w") as f:
                        for k in range(profile.hosts):
                            f.write(f"{mac(k)},host-10-0-0-{10 + k}.openstacklocal,10.0.0.{10 + k}\n")
                    with open(os.path.join(d, "addn_hosts"), "w") as f:
                        for k in range(profile.hosts):
                            f.write(f"10.0.0.{10 + k}\thost-10-0-0-{10 + k}.openstacklocal. host-10-0-0-{10 + k}\n")
                    with open(os.path.join(d, "opts"), "w") as f:
                        f.write(f"tag:subnet-{S4_ID},option:classless-static-route,169.254.169.254/32,10.0.0.2,"
                                f"0.0.0.0/0,10.0.0.1\ntag:subnet-{S4_ID},option:router,10.0.0.1")
                    open(os.path.join(d, "leases"), "w").close()
                    argv = dnsmasq_argv(d, profile, 4)
                    argv = [a if not a.startswith("--dhcp-range") else
                            f"--dhcp-range=set:subnet-{S4_ID},10.0.0.0,static,255.255.255.0,86400s" for a in argv]
                    run(["ip", "netns", "exec", ns, "taskset", "-c", SERVER_CPU] + argv)
                    pids.append(JANITOR.pid(int(open(os.path.join(d, "pid")).read())))
                t_ready = time.time() - t0
                time.sleep(args.scale_settle)
                total = sum(rss_kb(p)[0] for p in pids)
                rec.emit(run="scale", server="dnsmasq", networks=n, processes=len(pids), rss_total_kb=total,
                         rss_each_kb=total // len(pids), start_s=fmt(t_ready, 2))
                for p in pids:
                    JANITOR.kill(p, timeout=5)
        finally:
            delete_namespaces(names)
            for ns in names:
                JANITOR.namespaces.remove(ns)


def wait_log(path, needle, limit):
    end = time.time() + limit
    while time.time() < end:
        with open(path) as f:
            if needle in f.read():
                return True
        time.sleep(0.1)
    return False


# ---- the report ----------------------------------------------------------------------------------

def ratio(a, b):
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return "–"
    return f"{a / b:.2f}×" if b else "∞"


def shown(path):
    """A path as the table shows it: relative to the repository when inside it."""
    p = os.path.abspath(path)
    return os.path.relpath(p, REPO) if p.startswith(REPO + os.sep) else p


def report(rows, args, started):
    knees = {(r["server"], str(r["family"]), r["profile"]): r for r in rows if r.get("run") == "knee"}
    sweeps = [r for r in rows if r.get("run") == "sweep"]
    def best_per_cpu(server, family, pname):
        """The highest per-rate median of exchanges per CPU-second over the sweep (lossy points too)."""
        by_rate = {}
        for r in sweeps:
            if r["server"] == server and str(r["family"]) == str(family) and r["profile"] == pname:
                by_rate.setdefault(r["rate"], []).append(float(r["x_per_cpu_s"]))
        return max((statistics.median(v) for v in by_rate.values()), default=None)

    out = [f"Run of {started} ({'quick' if args.quick else 'full'} mode, {args.runs} runs per point, "
           f"{args.duration:g} s each; Leasehold fsync={args.fsync}, JVM flags "
           f"`{os.environ.get('LEASEHOLD_JAVA_OPTS', LEASEHOLD_SERVE_OPTS)}`). Raw lines: `{shown(args.log)}`.",
           "", "| profile | v | server | knee (exch/s, ≤1 % loss) | exch/s at knee | exch per server CPU-s | "
           "… incl. softirq | best exch per CPU-s (any rate) | avg delay at knee (ms) | RSS (MB) | knee ratio L/peer | "
           "exch/CPU-s ratio L/peer (at knee; best) |",
           "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for pname in args.profiles:
        for family in args.families:
            lh = knees.get(("leasehold", str(family), pname), {})
            for s in args.servers:
                k = knees.get((s, str(family), pname))
                if not k:
                    continue
                rss = fmt(float(k["rss_kb"]) / 1024, 1) if "rss_kb" in k else "–"
                peer = s != "leasehold"
                best, lbest = best_per_cpu(s, family, pname), best_per_cpu("leasehold", family, pname)
                out.append(f"| {pname} | {family} | {s} | {k.get('knee_rate')} | {k.get('xps', '–')} | "
                           f"{k.get('x_per_cpu_s', '–')} | {k.get('x_per_cpu_irq_s', '–')} | "
                           f"{fmt(best, 0) if best else '–'} | {k.get('delay_ms', '–')} | "
                           f"{rss} | {ratio(lh.get('knee_rate'), k.get('knee_rate')) if peer else ''} | "
                           f"{(ratio(lh.get('x_per_cpu_s'), k.get('x_per_cpu_s')) + '; ' + ratio(lbest, best)) if peer else ''} |")
    # Delay at half of Kea's knee: the swept rate nearest it that both ran.
    lines = []
    for pname in args.profiles:
        for family in args.families:
            kk = knees.get(("kea", str(family), pname), {})
            try:
                half = float(kk.get("knee_rate")) / 2
            except (TypeError, ValueError):
                continue
            def med_delay(server, rate):
                v = [float(r["delay_ms"]) for r in sweeps if r["server"] == server and str(r["family"]) == str(family)
                     and r["profile"] == pname and int(r["rate"]) == rate]
                return statistics.median(v) if v else None
            both = sorted({int(r["rate"]) for r in sweeps if r["profile"] == pname and str(r["family"]) == str(family)
                           and r["server"] == "kea"} & {int(r["rate"]) for r in sweeps if r["profile"] == pname
                           and str(r["family"]) == str(family) and r["server"] == "leasehold"},
                          key=lambda x: abs(x - half))
            if both:
                rate = both[0]
                lk, kd = med_delay("leasehold", rate), med_delay("kea", rate)
                lines.append(f"| {pname} | {family} | {rate} | {lk:.3f} | {kd:.3f} | {ratio(lk, kd)} |")
    if lines:
        out += ["", "Average DORA/SARR delay near half of Kea's knee (the swept rate closest to it, median of runs):",
                "", "| profile | v | rate | Leasehold (ms) | Kea (ms) | ratio L/Kea |", "|---|---|---:|---:|---:|---:|"]
        out += lines
    sc = [r for r in rows if r.get("run") == "scale"]
    if sc:
        out += ["", "| networks | Leasehold RSS (MB, one daemon) | dnsmasq RSS (MB, total) | dnsmasq processes | "
                "ratio L/dnsmasq |", "|---:|---:|---:|---:|---:|"]
        for n in args.scale:
            lh = next((r for r in sc if r["server"] == "leasehold" and int(r["networks"]) == n), {})
            dm = next((r for r in sc if r["server"] == "dnsmasq" and int(r["networks"]) == n), {})
            f = lambda r: fmt(float(r["rss_total_kb"]) / 1024, 1) if r else "–"
            out.append(f"| {n} | {f(lh)} | {f(dm)} | {dm.get('processes', '–')} | "
                       f"{ratio(lh.get('rss_total_kb'), dm.get('rss_total_kb'))} |")
    rl = [r for r in rows if r.get("run") == "reload"]
    if rl:
        lh = next((r for r in rl if r["server"] == "leasehold"), {})
        out += ["", f"Reload: one host added to a {args.reload_hosts}-host file, time until it is answered, and the "
                "longest wait of an existing host meanwhile:", "",
                "| server | reload → answered (ms) | longest wait, existing host (ms) | ratio peer/L (speed-up) |",
                "|---|---:|---:|---:|"]
        for r in rl:
            sp = "" if r["server"] == "leasehold" else ratio(r.get("reload_ms"), lh.get("reload_ms"))
            out.append(f"| {r['server']} | {r.get('reload_ms')} | {r.get('longest_existing_ms', '–')} | {sp} |")
    return "\n".join(out) + "\n"


BEGIN, END = "<!-- side-by-side:begin -->", "<!-- side-by-side:end -->"


def update_results_md(path, table):
    with open(path) as f:
        text = f.read()
    block = f"{BEGIN}\n{table}{END}"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## Side by side: Leasehold, dnsmasq and Kea (issue #6)\n\n" \
            "Generated by `benchmarks/side-by-side/side-by-side.py`; see its README for the set-up.\n\n" + block + "\n"
    with open(path, "w") as f:
        f.write(text)


# ---- main ----------------------------------------------------------------------------------------

PROFILES = {
    "static10k": lambda a: Profile("static10k", a.hosts_small, False),
    "static100k": lambda a: Profile("static100k", a.hosts_large, False),
    "dynamic": lambda a: Profile("dynamic", a.hosts_small, True),
}


def preflight(args):
    missing = [c for c in ("ip", "taskset", "perfdhcp", "java") if shutil.which(c) is None]
    if "dnsmasq" in args.servers and shutil.which("dnsmasq") is None:
        missing.append("dnsmasq")
    if "kea" in args.servers:
        missing += [c for c in ("kea-dhcp4", "kea-dhcp6") if shutil.which(c) is None]
    if missing:
        pk = sorted({PACKAGES[c] for c in missing})
        sys.exit(f"missing: {', '.join(missing)}; install with: apt-get install {' '.join(pk)}")
    if os.geteuid() != 0:
        sys.exit("needs root (network namespaces); run with sudo")
    if os.cpu_count() < 2:
        sys.exit("needs 2 CPUs: the server is pinned to CPU 0 and perfdhcp to CPU 1")
    if "leasehold" in args.servers:
        if not os.path.exists(args.leasehold_jar) or args.build:
            log("building Leasehold (mvn package -pl cli -am, tests skipped)...")
            subprocess.run(["mvn", "-B", "-q", "-o", "-DskipTests", "package", "-pl", "cli", "-am"], cwd=REPO,
                           check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a smoke run of a few minutes (small sizes, short runs)")
    ap.add_argument("--servers", default="leasehold,dnsmasq,kea")
    ap.add_argument("--parts", default="sweep,reload,scale")
    ap.add_argument("--profiles", default="static10k,static100k,dynamic")
    ap.add_argument("--families", default="4,6")
    ap.add_argument("--duration", type=float, default=5.0, help="seconds per perfdhcp run")
    ap.add_argument("--runs", type=int, default=3, help="runs per rate (the point is their median)")
    ap.add_argument("--warmup", type=float, default=10.0, help="seconds of unmeasured load after start")
    ap.add_argument("--rates", default="1,2,5,10,20,50,100,200,500,1000,2000,4000,6000,8000,10000,12000,"
                                       "15000,18000,21000,25000,30000")
    ap.add_argument("--start-rate", type=int, default=2000)
    ap.add_argument("--sweep-timeout", type=float, default=900.0, help="seconds after which a sweep takes no new point")
    ap.add_argument("--hosts-small", type=int, default=10000)
    ap.add_argument("--hosts-large", type=int, default=100000)
    ap.add_argument("--reload-hosts", type=int, default=50000)
    ap.add_argument("--reload-timeout", type=float, default=120.0)
    ap.add_argument("--ready-timeout", type=float, default=600.0)
    ap.add_argument("--scale", default="1,100,1000")
    ap.add_argument("--scale-settle", type=float, default=5.0)
    ap.add_argument("--fsync", default="always", choices=["none", "batch", "always"])
    ap.add_argument("--leasehold-jar", default=os.path.join(REPO, "cli", "target", "leasehold.jar"))
    ap.add_argument("--build", action="store_true", help="rebuild Leasehold first")
    ap.add_argument("--out", default=None, help="work and output directory (default: /var/tmp/side-by-side-<time>)")
    ap.add_argument("--results-md", default=os.path.join(REPO, "benchmarks", "RESULTS.md"))
    ap.add_argument("--no-results-md", action="store_true")
    ap.add_argument("--probe-helper", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--report", metavar="RESULTS_LOG", help="only make the table again from a run's results.log")
    args = ap.parse_args()
    if args.probe_helper:
        probe_helper()
        return
    if args.quick:
        args.hosts_small, args.hosts_large, args.reload_hosts = 1000, 5000, 5000
        args.duration, args.warmup, args.runs = 2.0, 4.0, 3
        args.scale, args.scale_settle, args.start_rate = "1,20", 2.0, 1000
        if args.profiles == "static10k,static100k,dynamic":
            args.profiles = "static10k,dynamic"
        args.rates = "1,5,20,100,500,1000,4000,8000"
    args.servers = [s for s in args.servers.split(",") if s]
    args.parts = args.parts.split(",")
    args.profiles = args.profiles.split(",")
    args.families = [int(f) for f in args.families.split(",")]
    args.rates = [int(r) for r in args.rates.split(",")]
    args.scale = [int(n) for n in args.scale.split(",")]
    if args.report:
        rows = [dict(kv.split("=", 1) for kv in line.split()) for line in open(args.report) if line.strip()]
        env = next((r for r in rows if r.get("run") == "env"), {})
        args.out = os.path.dirname(os.path.abspath(args.report))
        args.log = args.report
        args.quick = env.get("quick") == "True"
        for key, attr in (("duration", "duration"), ("runs", "runs"), ("fsync", "fsync"),
                          ("reload_hosts", "reload_hosts")):
            if key in env:
                setattr(args, attr, type(getattr(args, attr))(env[key]))
        seen = lambda key: list(dict.fromkeys(r[key] for r in rows if key in r and r.get("run") in ("knee", "scale")))
        args.servers = [s for s in args.servers if s in seen("server")] or args.servers
        args.profiles = [p for p in args.profiles if p in seen("profile")] or args.profiles
        args.scale = [int(n) for n in seen("networks")] or args.scale
        table = report(rows, args, env.get("started", "?").replace("T", " "))
        print(table)
        if not args.no_results_md:
            update_results_md(args.results_md, table)
        return
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    args.out = args.out or f"/var/tmp/side-by-side-{time.strftime('%Y%m%d-%H%M%S')}"
    os.makedirs(args.out, exist_ok=True)
    args.log = os.path.join(args.out, "results.log")
    preflight(args)
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
    prefix = "lhb%d" % (os.getpid() % 100000)
    rec = Recorder(os.path.join(args.out, "results.log"))
    rec.emit(run="env", started=started.replace(" ", "T"), cpus=os.cpu_count(), kernel=os.uname().release,
             quick=args.quick, duration=args.duration, runs=args.runs, fsync=args.fsync,
             reload_hosts=args.reload_hosts, dnsmasq=version(["dnsmasq", "--version"]), kea=version(["kea-dhcp4", "-v"]),
             java=version(["java", "-version"]))
    try:
        if "sweep" in args.parts or "reload" in args.parts:
            rig = Rig(prefix)
            if "sweep" in args.parts:
                run_sweeps(rec, rig, args, args.out)
            if "reload" in args.parts:
                run_reloads(rec, rig, args, args.out)
        if "scale" in args.parts:
            run_scale(rec, args, args.out, prefix)
    finally:
        JANITOR.cleanup()
    table = report(rec.rows, args, started)
    with open(os.path.join(args.out, "table.md"), "w") as f:
        f.write(table)
    print(table)
    if not args.no_results_md:
        update_results_md(args.results_md, table)
        log(f"table written to {args.results_md}")


def version(argv):
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=20)
        m = re.search(r"(\d+\.\d+(\.\d+)?)", p.stdout)
        return m.group(1) if m else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


if __name__ == "__main__":
    main()
