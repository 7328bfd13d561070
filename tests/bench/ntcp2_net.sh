#!/bin/bash
# NTCP2 against live routers, i2pd 2.45.1 next to i2prd, on the same
# machine and the same load (tests/bench/ntcp2_load.c):
#   - full handshakes per second from W driver processes, each a router
#     of its own, and the latency of one handshake: with few drivers the
#     rate follows latency, with many the router's CPU is the limit;
#   - data-phase throughput into the router: 16 KiB frames of TunnelData
#     messages it decrypts, parses and drops (unknown tunnels);
#   - the router's CPU time per handshake and per GB, read from /proc
#     (all i2prd processes summed), and its memory (PSS) afterwards.
# Prints the medians of RUNS runs side by side.  A benchmark, not a test:
# it asserts nothing.
#
#   bash tests/bench/ntcp2_net.sh [BUILD_DIR] [RUNS] [HS_SECONDS] ["WORKERS..."] [MBYTES]
#
# Both routers run in a network namespace of their own (loopback only,
# 198.18.0.0/24 as TESTNET.md explains); nothing leaves it.  As root.
set -u
build=$(cd "${1:-build}" && pwd)
runs=${2:-5}
secs=${3:-10}
workers=${4:-4 16}
mbytes=${5:-1000}
here=$(cd "$(dirname "$0")/../interop" && pwd)
. "$here/lib.sh"
. "$(dirname "$0")/lib.sh"
load=$build/tests/ntcp2_load

bench_setup ntcp2_net "$load"

# routers at .1 and .2, the drivers from .10 up
maxw=$(echo $workers | tr ' ' '\n' | sort -n | tail -1)
netns_up "$ns" 1 2 $(seq 10 $((10 + maxw)))

bench_routers

measure_hs() {	# target name, RouterInfo, drivers
	local who=$1 ri=$2 w=$3 c0 c1 out n
	c0=$(cpu_ticks "$who")
	out=$(nsx "$load" hs "$ri" 198.18.0.10 "$secs" "$w")
	c1=$(cpu_ticks "$who")
	echo "    $who, $w drivers: $out"
	n=$(echo "$out" | awk '{ print $2 }')
	record "$who.hs$w" "$(echo "$out" | sed -n 's/.*rate \([0-9.]*\)\/s.*/\1/p')"
	record "$who.p50$w" "$(echo "$out" | sed -n 's/.*p50 \([0-9.]*\) ms.*/\1/p')"
	[ "${n:-0}" -gt 0 ] && record "$who.hscpu$w" \
	    "$(awk -v t=$((c1 - c0)) -v n="$n" -v hz="$hz" 'BEGIN { printf "%.3f", t / hz * 1000 / n }')"
}

measure() {	# target name, RouterInfo
	local who=$1 ri=$2 w c0 c1 out mb
	for w in $workers; do measure_hs "$who" "$ri" "$w"; done
	c0=$(cpu_ticks "$who")
	out=$(nsx "$load" bulk "$ri" 198.18.0.10 "$mbytes")
	c1=$(cpu_ticks "$who")
	echo "    $who: $out"
	mb=$(echo "$out" | sed -n 's/.*: \([0-9.]*\) MB\/s.*/\1/p')
	record "$who.mbs" "$mb"
	record "$who.gbcpu" "$(awk -v t=$((c1 - c0)) -v m="$mbytes" -v hz="$hz" 'BEGIN { printf "%.3f", t / hz / (m / 1000) }')"
}

for r in $(seq 1 "$runs"); do
	echo "run $r of $runs"
	# alternate who goes first, so neither always meets a warm cache
	if [ $((r % 2)) -eq 1 ]; then
		measure i2pd "$i2pd_ri"; measure i2prd "$i2prd_ri"
	else
		measure i2prd "$i2prd_ri"; measure i2pd "$i2pd_ri"
	fi
done
for w in i2pd i2prd; do record "$w.pss" "$(( $(pss_kb $w) / 1024 ))"; done

echo
echo "NTCP2 against a live router, medians of $runs runs ($(nproc) CPUs, drivers on the same machine;"
echo "handshakes for $secs s per figure, $mbytes MB for the data phase)"
header
for w in $workers; do
	row "handshakes/s, $w drivers" "hs$w"
	row "  latency p50 (ms)" "p50$w"
	row "  router CPU per handshake (ms)" "hscpu$w"
done
row "data phase into the router (MB/s)" mbs
row "router CPU per GB received (s)" gbcpu
row "memory afterwards, PSS (MB)" pss
