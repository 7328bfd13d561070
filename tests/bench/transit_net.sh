#!/bin/bash
# Transit forwarding through a live participant, i2pd 2.45.1 next to
# i2prd, on the same machine and the same load (tests/bench/transit_load.c):
# a driver builds a tunnel through the router (a ShortTunnelBuild; the
# router is a participant whose next hop is the driver again), sends
# TunnelData into it for SECONDS with at most WINDOW messages on their
# way, and counts what the router sends on.  Per router: messages/s and
# MB/s forwarded, messages lost, CPU per GB forwarded (all i2prd
# processes summed, from /proc), memory (PSS) afterwards.  The in-process
# figure of the same layer and OpenSSL's AES-256-CBC, its limit, first
# (build/tests/transit_bench).  Medians of RUNS runs, each on a fresh
# tunnel.  A benchmark, not a test: it asserts nothing.  As root.
#
#   bash tests/bench/transit_net.sh [BUILD_DIR] [RUNS] [SECONDS] [WINDOW]
#
# Both routers are in a network namespace of their own (loopback only,
# 198.18.0.0/24 as TESTNET.md explains); nothing leaves it.
set -u
build=$(cd "${1:-build}" && pwd)
runs=${2:-5}
secs=${3:-10}
window=${4:-240}
here=$(cd "$(dirname "$0")/../interop" && pwd)
. "$here/lib.sh"
. "$(dirname "$0")/lib.sh"
load=$build/tests/transit_load

bench_setup transit_net "$load"
echo "in-process, one participant's layer ($build/tests/transit_bench 200000):"
"$build/tests/transit_bench" 200000 | sed 's/^/    /'

# routers at .1 (i2pd) and .2 (i2prd); the driver's two routers from .10
netns_up "$ns" 1 2 10 11 12 13

# i2pd with no bandwidth limit and all of it for transit; no limit is
# i2prd's default
bench_routers "bandwidth = X" "share = 100"

measure() {	# target name, RouterInfo, driver's address
	local who=$1 ri=$2 from=$3 c0 c1 out n
	c0=$(cpu_ticks "$who")
	out=$(nsx "$load" "$ri" "$from" "$secs" "$window")
	c1=$(cpu_ticks "$who")
	echo "    $who: $out"
	n=$(echo "$out" | sed -n 's/^forwarded \([0-9]*\) .*/\1/p')
	[ -n "$n" ] || return
	record "$who.msgs" "$(echo "$out" | sed -n 's/.* \([0-9]*\) msgs\/s.*/\1/p')"
	record "$who.mbs" "$(echo "$out" | sed -n 's/.* \([0-9.]*\) MB\/s.*/\1/p')"
	record "$who.lost" "$(echo "$out" | sed -n 's/.*lost \([0-9]*\).*/\1/p')"
	record "$who.gbcpu" "$(awk -v t=$((c1 - c0)) -v n="$n" -v hz="$hz" \
	    'BEGIN { printf "%.3f", t / hz / (n * 1024 / 1e9) }')"
}

# each run a fresh tunnel from fresh driver routers (new addresses: a
# router keeps a session per peer)
for r in $(seq 1 "$runs"); do
	echo "run $r of $runs"
	a=198.18.0.$((10 + 2 * ((r - 1) % 2)))
	if [ $((r % 2)) -eq 1 ]; then
		measure i2pd "$i2pd_ri" "$a"; measure i2prd "$i2prd_ri" "$a"
	else
		measure i2prd "$i2prd_ri" "$a"; measure i2pd "$i2pd_ri" "$a"
	fi
done
for w in i2pd i2prd; do record "$w.pss" "$(( $(pss_kb $w) / 1024 ))"; done

echo
echo "Transit forwarding through one participant, medians of $runs runs ($(nproc) CPUs,"
echo "driver on the same machine; $secs s per figure, at most $window messages in flight)"
header
row "TunnelData forwarded (msgs/s)" msgs
row "  data forwarded (MB/s)" mbs
row "  messages lost" lost
row "router CPU per GB forwarded (s)" gbcpu
row "memory afterwards, PSS (MB)" pss
