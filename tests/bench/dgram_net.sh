#!/bin/bash
# Datagrams between two destinations across 2+2 hops, i2prd next to
# i2pd 2.45.1 in the same network: four i2pd routers (1 and 2
# floodfills, 3 and 4 with SAM) and two i2prd routers (.10 and .11,
# with SAM).  Per run and implementation, a SAM application
# (tests/interop/samclient.py) echoes every datagram back on one router
# and another sends COUNT numbered datagrams of SIZE bytes from the
# other, WINDOW unanswered at most: echoes per second, MB/s, and the
# first datagram's round trip (LeaseSet lookup, New Session, reply).
# Medians of RUNS runs.  A benchmark, not a test: it asserts nothing.
#
#   bash tests/bench/dgram_net.sh [BUILD_DIR] [RUNS] [COUNT] [SIZE] [WINDOW]
#
# i2pd 2.45.1 gives up publishing a LeaseSet whose inbound tunnel was
# built before its outbound one ("Destination is not ready") until its
# tunnels change: an echo session whose LeaseSet no floodfill took in
# 30 s is made again, for both implementations alike.  As root.
set -u
build=$(cd "${1:-build}" && pwd)
runs=${2:-3}
count=${3:-2000}
size=${4:-1024}
window=${5:-64}
here=$(cd "$(dirname "$0")/../interop" && pwd)
. "$here/lib.sh"
. "$(dirname "$0")/lib.sh"

bench_setup dgram_net "$build/i2prd"
sam_net_up

opts="inbound.length=2 outbound.length=2 inbound.quantity=2 outbound.quantity=2"
samc() { nsx python3 "$here/samclient.py" "$@"; }
declare -A results
one_run() {	# who run echo_ip ping_ip version
	local who=$1 run=$2 eip=$3 pip=$4 ver=$5 tries=0 epid out
	while :; do
		rm -f "$tmp/$who.echo"
		samc echo --version "$ver" --sam "$eip:7656" --udp "$eip:7655" \
		    --bind "$eip:$((9000 + run * 10 + tries))" --id "e$run$tries" \
		    --dest-out "$tmp/$who.echo" --seconds 400 --opts "$opts" \
		    > /dev/null 2>&1 &
		epid=$!
		for _ in $(seq 360); do [ -s "$tmp/$who.echo" ] && break; sleep 0.5; done
		for _ in $(seq 30); do
			stored "$(b32_of "$(cat "$tmp/$who.echo")")" && break 2
			sleep 1
		done
		kill "$epid" 2>/dev/null
		tries=$((tries + 1))
		[ "$tries" -ge 4 ] && { echo "    $who: no LeaseSet stored"; return; }
	done
	out=$(samc ping --version "$ver" --sam "$pip:7656" --udp "$pip:7655" \
	    --bind "$pip:$((9500 + run))" --id "p$run" --to="$(cat "$tmp/$who.echo")" \
	    --count "$count" --size "$size" --window "$window" --seconds 180 \
	    --opts "$opts" 2>&1 | tail -1)
	kill "$epid" 2>/dev/null
	echo "    $who run $run: $out"
	results[$who.rate]+=" $(echo "$out" | python3 -c "import json,sys; print(json.load(sys.stdin)['rate'])" 2>/dev/null)"
	results[$who.mbs]+=" $(echo "$out" | python3 -c "import json,sys; print(round(json.load(sys.stdin)['bytes_per_s']/1e6, 3))" 2>/dev/null)"
	results[$who.first]+=" $(echo "$out" | python3 -c "import json,sys; print(json.load(sys.stdin)['first_ms'])" 2>/dev/null)"
	results[$who.intact]+=" $(echo "$out" | python3 -c "import json,sys; print(json.load(sys.stdin)['intact'])" 2>/dev/null)"
}
for r in $(seq 1 "$runs"); do
	echo "run $r of $runs"
	one_run i2pd "$r" 198.18.0.3 198.18.0.4 3.1
	one_run i2prd "$r" 198.18.0.10 198.18.0.11 3.3
done
median() { echo "$@" | tr ' ' '\n' | grep -v '^$' | grep -v None | sort -n |
    awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo
echo "datagrams of $size bytes across 2+2 hops, $count per run, window $window; medians of $runs runs"
printf '%-34s %12s %12s\n' "" i2pd i2prd
printf '%-34s %12s %12s\n' "echoes per second" "$(median ${results[i2pd.rate]:-})" "$(median ${results[i2prd.rate]:-})"
printf '%-34s %12s %12s\n' "MB/s each way" "$(median ${results[i2pd.mbs]:-})" "$(median ${results[i2prd.mbs]:-})"
printf '%-34s %12s %12s\n' "first datagram's round trip (ms)" "$(median ${results[i2pd.first]:-})" "$(median ${results[i2prd.first]:-})"
printf '%-34s %12s %12s\n' "echoed byte-exact (of $count)" "$(median ${results[i2pd.intact]:-})" "$(median ${results[i2prd.intact]:-})"
sam_net_down
