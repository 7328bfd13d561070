#!/bin/bash
# Streams between two destinations across 2+2 hops, i2prd next to
# i2pd 2.45.1 in the same network (tests/bench/lib.sh sam_net_up: i2pd
# routers 3 and 4 with SAM, i2prd routers .10 and .11 with SAM).  Per
# run and implementation, tests/interop/samstream.py serves on one
# router and connects from the other, through each implementation's
# own SAM bridge at both ends:
#   - one stream, the server sending BYTES (a download);
#   - four streams at once, each echoing BYTES/4 back.
# MB/s (from CONNECT to the last byte), the CONNECT's time (LeaseSet
# lookup, New Session, SYN and SYN-ACK) and streams that came back
# byte-exact; medians of RUNS runs.  A benchmark, not a test: it
# asserts nothing.  As root.
#
#   bash tests/bench/stream_net.sh [BUILD_DIR] [RUNS] [BYTES]
set -u
build=$(cd "${1:-build}" && pwd)
runs=${2:-3}
bytes=${3:-4000000}
here=$(cd "$(dirname "$0")/../interop" && pwd)
. "$here/lib.sh"
. "$(dirname "$0")/lib.sh"

bench_setup stream_net "$build/i2prd"
sam_net_up

opts="inbound.length=2 outbound.length=2 inbound.quantity=2 outbound.quantity=2"
sst() { nsx python3 "$here/samstream.py" "$@"; }
declare -A results
# a server whose LeaseSet a floodfill took (i2pd may not publish it:
# see dgram_net.sh), then the client's streams: its JSON line
one_kind() {	# who run server_ip client_ip version streams bytes mode
	local who=$1 run=$2 sip=$3 cip=$4 ver=$5 n=$6 b=$7 mode=$8 tries=0 spid
	local dest=$tmp/$who.$mode.dest
	while :; do
		rm -f "$dest"
		sst serve --sam "$sip:7656" --version "$ver" --id "s$mode$run$tries" \
		    --dest-out "$dest" --opts "$opts" --accepts 4 --seconds 400 \
		    > /dev/null 2>&1 &
		spid=$!
		for _ in $(seq 360); do [ -s "$dest" ] && break; sleep 0.5; done
		for _ in $(seq 30); do
			[ -s "$dest" ] && stored "$(b32_of "$(cat "$dest")")" && break 2
			sleep 1
		done
		kill "$spid" 2>/dev/null
		tries=$((tries + 1))
		[ "$tries" -ge 4 ] && { echo '{"error": "no LeaseSet stored"}'; return; }
	done
	sst connect --sam "$cip:7656" --version "$ver" --id "c$mode$run" \
	    --to="$(cat "$dest")" --streams "$n" --bytes "$b" --mode "$mode" \
	    --opts "$opts" --seconds 300 2>&1 | tail -1
	kill "$spid" 2>/dev/null
}
field() { python3 -c "import json, sys
try:
    print(json.loads(sys.argv[1])[sys.argv[2]])
except Exception:
    print('None')" "$1" "$2"; }
one_run() {	# who run server_ip client_ip version
	local who=$1 run=$2 out
	out=$(one_kind "$@" 1 "$bytes" source)
	echo "    $who run $run, 1 stream: $out"
	results[$who.mbs1]+=" $(field "$out" mb_per_s)"
	results[$who.conn]+=" $(field "$out" connect_ms)"
	results[$who.ok1]+=" $(field "$out" ok)"
	out=$(one_kind "$@" 4 $((bytes / 4)) echo)
	echo "    $who run $run, 4 streams: $out"
	results[$who.mbs4]+=" $(field "$out" mb_per_s)"
	results[$who.ok4]+=" $(field "$out" ok)"
}
for r in $(seq 1 "$runs"); do
	echo "run $r of $runs"
	one_run i2pd "$r" 198.18.0.3 198.18.0.4 3.1
	one_run i2prd "$r" 198.18.0.10 198.18.0.11 3.3
done
med() { echo "$@" | tr ' ' '\n' | grep -v '^$' | grep -v None | sort -g |
    awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo
echo "streams across 2+2 hops, $bytes bytes per run; medians of $runs runs"
printf '%-40s %12s %12s\n' "" i2pd i2prd
printf '%-40s %12s %12s\n' "1 stream, MB/s (CONNECT to last byte)" "$(med ${results[i2pd.mbs1]:-})" "$(med ${results[i2prd.mbs1]:-})"
printf '%-40s %12s %12s\n' "4 streams echoing, MB/s each way" "$(med ${results[i2pd.mbs4]:-})" "$(med ${results[i2prd.mbs4]:-})"
printf '%-40s %12s %12s\n' "CONNECT (ms)" "$(med ${results[i2pd.conn]:-})" "$(med ${results[i2prd.conn]:-})"
printf '%-40s %12s %12s\n' "byte-exact: 1 stream (of 1)" "$(med ${results[i2pd.ok1]:-})" "$(med ${results[i2prd.ok1]:-})"
printf '%-40s %12s %12s\n' "byte-exact: 4 streams (of 4)" "$(med ${results[i2pd.ok4]:-})" "$(med ${results[i2prd.ok4]:-})"
sam_net_down
