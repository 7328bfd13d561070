#!/bin/bash
# Floodfill lookups, i2pd 2.45.1 next to i2prd: both floodfills hold the
# same N generated RouterInfos (tests/bench/netdb_gen.c); W driver
# routers (tests/bench/netdb_load.c) keep RouterInfo lookups for random
# held keys outstanding over NTCP2 (few drivers: each router's latency
# shows; many: its capacity).  Printed side by side, medians of
# RUNS runs: lookups answered per second, the router's CPU time per
# thousand, and its memory (PSS) once loaded and after the lookups.
# i2prd's per-peer lookup limit is lifted for this ("floodfill lookups");
# i2pd 2.45.1 has none.  A benchmark, not a test: it asserts nothing.
#
#   bash tests/bench/netdb_net.sh [BUILD_DIR] [RUNS] [SECONDS] ["WORKERS..."] [N]
#
# Both routers run in a network namespace of their own (loopback only);
# the generated RouterInfos name addresses nothing routes.  As root.
set -u
build=$(cd "${1:-build}" && pwd)
runs=${2:-5}
secs=${3:-10}
workers=${4:-4 16}
n=${5:-10000}
here=$(cd "$(dirname "$0")/../interop" && pwd)
. "$here/lib.sh"
. "$(dirname "$0")/lib.sh"

bench_setup netdb_net "$build/tests/netdb_load"
maxw=$(echo $workers | tr ' ' '\n' | sort -n | tail -1)
netns_up "$ns" 1 2 $(seq 10 $((10 + maxw)))

echo "generating $n RouterInfos"
"$build/tests/netdb_gen" "$tmp/gen" "$n" "$tmp/keys" || exit 1

# i2pd at .1 and i2prd at .2, floodfills, the same netDb
mkdir -p "$tmp/i2pd"
i2pd_write_conf "$tmp/i2pd" 198.18.0.1 true error "threshold = 0"
cp -r "$tmp/gen" "$tmp/i2pd/netDb"
ip netns exec "$ns" i2pd --datadir="$tmp/i2pd" --conf="$tmp/i2pd/i2pd.conf" \
    --tunconf=/dev/null --pidfile="$tmp/i2pd/i2pd.pid" >/dev/null 2>&1 &
mkdir -p "$tmp/state/router"
cp -r "$tmp/gen" "$tmp/state/router/netDb"
chown -R _i2prd "$tmp/state/router"
i2prd_write_conf "$tmp" 198.18.0.2 "log level ${BENCH_LOGLEVEL:-warning}" "floodfill yes" \
    "floodfill lookups 1000000 burst 1000000"
i2prd_run
for _ in $(seq 300); do
	[ -s "$tmp/i2pd/router.info" ] && [ -s "$tmp/i2pd/i2pd.pid" ] && break
	sleep 0.1
done
sleep 5
held=$(ctl_json netdb routers)
echo "i2prd holds $held RouterInfos"

for w in i2pd i2prd; do record "$w.pss0" "$(( $(pss_kb $w) / 1024 ))"; done
measure_w() {	# target name, RouterInfo, drivers
	local who=$1 w=$3 c0 c1 out n_ans
	c0=$(cpu_ticks "$who")
	out=$(nsx "$build/tests/netdb_load" "$2" 198.18.0.10 "$secs" "$w" \
	    "$tmp/keys")
	c1=$(cpu_ticks "$who")
	echo "    $who, $w drivers: $out"
	n_ans=$(echo "$out" | awk '{ print $3 }')
	record "$who.rate$w" "$(echo "$out" | sed -n 's/.*: \([0-9.]*\)\/s$/\1/p')"
	[ "${n_ans:-0}" -gt 0 ] && record "$who.cpu$w" "$(awk -v t=$((c1 - c0)) \
	    -v n="$n_ans" -v hz="$hz" 'BEGIN { printf "%.1f", t / hz * 1000 * 1000 / n }')"
}
measure() {	# target name, RouterInfo
	local w
	for w in $workers; do measure_w "$1" "$2" "$w"; done
}
for r in $(seq 1 "$runs"); do
	echo "run $r of $runs"
	if [ $((r % 2)) -eq 1 ]; then
		measure i2pd "$tmp/i2pd/router.info"
		measure i2prd "$tmp/state/router/router.info"
	else
		measure i2prd "$tmp/state/router/router.info"
		measure i2pd "$tmp/i2pd/router.info"
	fi
done
for w in i2pd i2prd; do record "$w.pss1" "$(( $(pss_kb $w) / 1024 ))"; done

echo
echo "Floodfill lookups, $n RouterInfos held, medians of $runs runs"
echo "($(nproc) CPUs, drivers on the same machine, $secs s each)"
header
for w in $workers; do
	row "lookups answered/s, $w drivers" "rate$w"
	row "  router CPU per 1000 lookups (ms)" "cpu$w"
done
row "memory with the netDb loaded, PSS (MB)" pss0
row "memory after the lookups, PSS (MB)" pss1
