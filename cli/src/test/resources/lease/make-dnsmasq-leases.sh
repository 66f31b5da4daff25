#!/usr/bin/env bash
# Makes dnsmasq-real.leases: a lease file written by a real dnsmasq that served real clients.
# Root only. Two throwaway namespaces joined by a veth pair; dnsmasq in one (DHCPv4 range, a
# reserved host, stateful DHCPv6), three DHCPv4 clients (busybox udhcpc on macvlans with fixed MACs)
# and one DHCPv6 client (dhclient -6) in the other. Everything is removed on exit.
set -euo pipefail
out="$(cd "$(dirname "$0")" && pwd)/dnsmasq-real.leases"
p="lhfx$$"
work="$(mktemp -d)"
cleanup() {
  [ -f "$work/dnsmasq.pid" ] && kill "$(cat "$work/dnsmasq.pid")" 2>/dev/null || true
  [ -f "$work/dhclient.pid" ] && kill "$(cat "$work/dhclient.pid")" 2>/dev/null || true
  ip netns del "${p}s" 2>/dev/null || true
  ip netns del "${p}c" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "${p}s"
ip netns add "${p}c"
ip link add "${p}a" type veth peer name "${p}b"
ip link set "${p}a" netns "${p}s"
ip link set "${p}b" netns "${p}c"
ip -n "${p}s" link set lo up
ip -n "${p}c" link set lo up
ip -n "${p}s" link set "${p}a" address fa:16:3e:99:00:02 up
ip -n "${p}s" addr add 10.99.0.2/24 dev "${p}a"
ip -n "${p}s" addr add fd00:99::2/64 dev "${p}a" nodad
ip -n "${p}c" link set "${p}b" address fa:16:3e:99:00:10 up
sleep 1
ip netns exec "${p}s" dnsmasq --no-resolv --port=0 --interface="${p}a" --bind-interfaces \
  --dhcp-range=set:s4,10.99.0.50,10.99.0.150,255.255.255.0,3600 \
  --dhcp-range=set:s6,fd00:99::50,fd00:99::150,64,3600 \
  --dhcp-host=fa:16:3e:99:00:12,10.99.0.12,fixed-host \
  --dhcp-leasefile="$work/leases" --pid-file="$work/dnsmasq.pid" --log-dhcp --log-facility="$work/dnsmasq.log"
sleep 0.5
n=0
for mac in fa:16:3e:99:00:11 fa:16:3e:99:00:12 fa:16:3e:99:00:13; do
  n=$((n+1))
  ip -n "${p}c" link add "mv$n" link "${p}b" type macvlan mode bridge
  ip -n "${p}c" link set "mv$n" address "$mac" up
  ip netns exec "${p}c" busybox udhcpc -i "mv$n" -q -n -t 5 -T 1 -x "hostname:vm-$n" -s /bin/true
done
ip netns exec "${p}c" dhclient -6 -1 -v -pf "$work/dhclient.pid" -lf "$work/dhclient6.leases" \
  -sf /bin/true "${p}b" 2>&1 | tail -n 3
# dnsmasq rewrites the file on every change; give it the last one, then stop it so it writes it out.
sleep 1
kill "$(cat "$work/dnsmasq.pid")"
sleep 0.5
cp "$work/leases" "$out"
echo "wrote $out:"
cat "$out"
