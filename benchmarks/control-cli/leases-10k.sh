#!/usr/bin/env bash
# End-to-end time of `leasehold leases` printing one network's 10,000 leases, as a whole process:
# JVM start, command line, control socket round trip, 1.8 MB of JSON, the aligned table.
#
# Starts `./leasehold serve` (root: the daemon needs it) on a throwaway data directory whose lease
# file holds 10,000 leases, runs the command RUNS times (default 20) against it, prints wall and
# CPU (user+sys) seconds per run and their minimum and median, then stops the daemon by its PID.
# Usage: benchmarks/control-cli/leases-10k.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-20}"
work="$(mktemp -d /tmp/leasehold-bench-XXXXXX)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/data/leases"
exp=$(( $(date +%s) + 86400 ))
awk -v until="$exp" 'BEGIN { for (i = 0; i < 10000; i++) { a = 10 + i;
  printf "%d fa:16:3e:%02x:%02x:%02x 10.50.%d.%d host-%d 01:fa:16:3e:%02x:%02x:%02x\n", until + i,
    int(i / 65536) % 256, int(i / 256) % 256, i % 256, int(a / 256), a % 256, i,
    int(i / 65536) % 256, int(i / 256) % 256, i % 256 } }' > "$work/data/leases/net-big.leases"
cat > "$work/leasehold.yaml" <<YAML
dataDir: $work/data
controlSocket: $work/run/control.sock
networks:
  - id: net-big
    leaseMax: 100000
    subnets:
      - {id: s4, cidr: 10.50.0.0/16, gateway: 10.50.0.1}
YAML

"$root/leasehold" --version >/dev/null   # builds the jar (and its class-data archive) if needed
"$root/leasehold" serve --config "$work/leasehold.yaml" >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  LEASEHOLD_SOCKET="$work/run/control.sock" "$root/leasehold" health >/dev/null 2>&1 && break
  sleep 0.1
done
export LEASEHOLD_SOCKET="$work/run/control.sock"
lines=$("$root/leasehold" leases --network net-big | wc -l)
echo "leases printed: $((lines - 1)) (plus the header)"

TIMEFORMAT='%R %U %S'
: > "$work/times"
for _ in $(seq 1 "$runs"); do
  { time "$root/leasehold" leases --network net-big >/dev/null; } 2>>"$work/times"
done
awk '{ printf "wall %.3f s  cpu %.3f s\n", $1, $2 + $3 }' "$work/times"
sort -n "$work/times" | awk '{ w[NR] = $1 } END { printf "wall: min %.3f s, median %.3f s, max %.3f s over %d runs\n",
  w[1], (NR % 2 ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2), w[NR], NR }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
