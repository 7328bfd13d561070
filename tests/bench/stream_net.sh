#!/bin/bash
# Streams between two destinations across HOPS+HOPS hops (3 unless the
# environment says otherwise), i2prd next to i2pd 2.45.1 in the same
# network (tests/bench/lib.sh sam_net_up: i2pd routers 3 and 4 with SAM,
# i2prd routers .10 and .11 with SAM).  Per run and pair of client and
# server, tests/interop/samstream.py serves on one router's SAM bridge
# and connects from the other's: i2pd to i2pd, i2prd to i2prd, and the
# two mixed pairs (an i2prd client to an i2pd server, an i2pd client to
# an i2prd server):
#   - one stream, the server sending BYTES (a download);
#   - eight streams at once, each the server sending BYTES8.
# MB/s (from CONNECT to the last byte), the time to the first byte of
# a new connection, cold (a new server: LeaseSet lookup and New Session
# included) and warm (one more stream on the same session), streams
# that came back byte-exact, the CPU seconds per GB of the client's
# and the server's router (every process of an i2prd suite) and their
# memory under load (PSS, the largest of samples every 2 s); medians of
# RUNS runs.  The issue's sizes are 32 MB for both; smaller ones give a
# quicker look.  A benchmark, not a test: it asserts nothing.  As root.
# PAIRS picks pairs by key (i2pd, i2prd, mixed_c, mixed_s; all unless
# set) and KINDS the kinds (1 and 8 streams unless set), to iterate on
# one quickly: PAIRS="i2pd mixed_c" KINDS=1.
#
#   bash tests/bench/stream_net.sh [BUILD_DIR] [RUNS] [BYTES] [BYTES8]
set -u
build=$(cd "${1:-build}" && pwd)
runs=${2:-3}
bytes=${3:-32000000}
bytes8=${4:-$bytes}
hops=${HOPS:-3}
here=$(cd "$(dirname "$0")/../interop" && pwd)
. "$here/lib.sh"
. "$(dirname "$0")/lib.sh"

bench_setup stream_net "$build/i2prd"
sam_net_up

opts="inbound.length=$hops outbound.length=$hops inbound.quantity=2 outbound.quantity=2"
sst() { nsx python3 "$here/samstream.py" "$@"; }

# a router's processes: i2pd's one, or an i2prd suite's parent and
# children
router_pids() {	# 3, 4, 10 or 11
	local p
	if [ "$1" -lt 10 ]; then
		cat "$tmp/i2pd$1/i2pd.pid"
		return
	fi
	p=$(cat "$tmp/r$1/i2prd.pid")
	echo "$p"
	pgrep -P "$p"
}
router_ticks() { ticks_of $(router_pids "$1"); }
router_pss() { pss_of $(router_pids "$1"); }
# the largest PSS of a router while a flag file exists, into a file
pss_sampler() {	# router flag out
	local max=0 v
	while [ -e "$2" ]; do
		v=$(router_pss "$1")
		[ "$v" -gt "$max" ] && max=$v
		echo "$max" > "$3"
		sleep 2
	done
}

# a server's process: $! is the shell around it, which a kill leaves
# the python process behind, its session and its ACCEPT sockets alive
# (SAM takes 128 connections from one address: leftovers filled them)
stop_server() { pkill -f -- "--id $1 " 2>/dev/null; }
# a server whose LeaseSet a floodfill took (i2pd may not publish it:
# see dgram_net.sh), then the client's streams: its JSON line
one_kind() {	# key run server client streams bytes
	local key=$1 run=$2 s=$3 c=$4 n=$5 b=$6 tries=0
	local dest=$tmp/$key.$n.dest sver=3.1 cver=3.1 one=--one-accept
	# i2pd's SAM takes one ACCEPT at a time (samstream.py --one-accept)
	[ "$s" -ge 10 ] && sver=3.3 && one=
	[ "$c" -ge 10 ] && cver=3.3
	while :; do
		rm -f "$dest"
		sst serve --sam "198.18.0.$s:7656" --version "$sver" \
		    --id "s$key$n$run$tries" --dest-out "$dest" --opts "$opts" \
		    --accepts $((n + 1)) $one --seconds 1200 > /dev/null \
		    2>> "$tmp/serve.$key.log" &
		for _ in $(seq 360); do [ -s "$dest" ] && break; sleep 0.5; done
		for _ in $(seq 30); do
			[ -s "$dest" ] && stored "$(b32_of "$(cat "$dest")")" && break 2
			sleep 1
		done
		stop_server "s$key$n$run$tries"
		tries=$((tries + 1))
		[ "$tries" -ge 4 ] && { echo '{"error": "no LeaseSet stored"}'; return; }
	done
	sst connect --sam "198.18.0.$c:7656" --version "$cver" \
	    --id "c$key$n$run" --to="$(cat "$dest")" --streams "$n" \
	    --bytes "$b" --mode source --warm --opts "$opts" --seconds 1200 \
	    2>&1 | tail -1
	stop_server "s$key$n$run$tries"
}
field() { python3 -c "import json, sys
try:
    v = json.loads(sys.argv[1])[sys.argv[2]]
    print('None' if v is None else v)
except Exception:
    print('None')" "$1" "$2"; }
# An i2pd 2.45.1 sender's second (or fourth) resend timeout in a row
# without an ACK between: it logs this line, sets its RTO to 9 s
# (INITIAL_RTO) and picks another lease.  Its resend timer is not
# rearmed by ACKs while packets are in flight, so a loss in the next
# 9 s waits for it: a stall of seconds, whoever the receiver is.  The
# pairs where i2pd sends (the server: i2pd-i2pd, i2prd->i2pd) swing by
# them; counted, so a slow figure can be told from a slow receiver.
i2pd_rto9() {	# router: such lines so far in its log, 0 for ours
	local n=0
	[ "$1" -lt 10 ] && n=$(grep -c "Another remote lease has been selected" \
	    "$tmp/i2pd$1/i2pd.log" 2>/dev/null)
	echo "${n:-0}"
}
# one measured transfer: its JSON fields, the two routers' CPU and
# memory, and the server's 9 s RTOs if it is an i2pd
measured() {	# key run server client streams bytes tag
	local key=$1 s=$3 c=$4 tag=$7 out t0s t0c t1s t1c ps1 ps2 ps3 st0 st1
	local flag=$tmp/sampling
	touch "$flag"
	pss_sampler "$s" "$flag" "$tmp/pss.s" &
	ps1=$!
	pss_sampler "$c" "$flag" "$tmp/pss.c" &
	ps2=$!
	rm -f "$tmp"/r*.streams* "$tmp"/r*.metrics*
	streams_sampler "$flag" "$s" "$c" &
	ps3=$!
	t0s=$(router_ticks "$s")
	t0c=$(router_ticks "$c")
	st0=$(i2pd_rto9 "$s")
	out=$(one_kind "$@")
	st1=$(i2pd_rto9 "$s")
	t1s=$(router_ticks "$s")
	t1c=$(router_ticks "$c")
	rm -f "$flag"
	wait "$ps1" "$ps2" "$ps3"
	echo "    $key run $2, $5 stream(s): $out, i2pd sender 9 s RTOs $((st1 - st0))"
	[[ "$out" == *'"errors": []'* ]] || streams_kept "$key.$2.$5" "$s" "$c"
	record "$key.rto9_$tag" "$((st1 - st0))"
	record "$key.mbs$tag" "$(field "$out" mb_per_s)"
	record "$key.ok$tag" "$(field "$out" ok)"
	record "$key.cold$tag" "$(field "$out" first_byte_ms)"
	record "$key.warm$tag" "$(field "$out" warm_first_byte_ms)"
	# CPU seconds per GB carried: "None" when nothing came
	per_gb() { python3 -c "import sys
b = sys.argv[2]
print(round(int(sys.argv[1]) / $hz / (int(b) / 1e9), 1) if b.isdigit() and int(b) else 'None')" "$1" "$(field "$out" bytes)"; }
	record "$key.cpus$tag" "$(per_gb $((t1s - t0s)))"
	record "$key.cpuc$tag" "$(per_gb $((t1c - t0c)))"
	record "$key.pss_s$tag" "$(( $(cat "$tmp/pss.s" 2>/dev/null || echo 0) / 1024 ))"
	record "$key.pss_c$tag" "$(( $(cat "$tmp/pss.c" 2>/dev/null || echo 0) / 1024 ))"
}
# with BENCH_KEEP, our routers' streams and metrics every 5 s while a
# flag file exists, the one before kept too (the last may come after
# the client's end)
streams_sampler() {	# flag router router
	local r f
	[ -n "${BENCH_KEEP:-}" ] || return 0
	while [ -e "$1" ]; do
		for r in "$2" "$3"; do
			[ "$r" -ge 10 ] || continue
			for f in streams metrics; do
				[ -e "$tmp/r$r.$f" ] &&
				    mv "$tmp/r$r.$f" "$tmp/r$r.$f.prev"
			done
			nsx "$build/i2pctl" -s "$tmp/r$r/i2prd.sock" show streams \
			    > "$tmp/r$r.streams" 2>&1
			nsx "$build/i2pctl" -s "$tmp/r$r/i2prd.sock" show metrics \
			    > "$tmp/r$r.metrics" 2>&1
		done
		sleep 5
	done
}
# a transfer that went wrong: those samples kept beside the logs
streams_kept() {	# tag router router
	local r f
	[ -n "${BENCH_KEEP:-}" ] || return 0
	mkdir -p "$BENCH_KEEP"
	for r in "$2" "$3"; do
		for f in "$tmp/r$r".streams* "$tmp/r$r".metrics*; do
			[ -e "$f" ] && cp "$f" "$BENCH_KEEP/$1.${f##*/}"
		done
	done
}
# pairs: key server client
pairs="i2pd:3:4 i2prd:10:11 mixed_c:3:11 mixed_s:10:4"
kinds=${KINDS:-1 8}	# 1 and 8 only: the table's rows
picked() { [ -z "${PAIRS:-}" ] || [[ " $PAIRS " == *" $1 "* ]]; }
for r in $(seq 1 "$runs"); do
	echo "run $r of $runs"
	for p in $pairs; do
		IFS=: read -r key s c <<<"$p"
		picked "$key" || continue
		for k in $kinds; do
			b=$bytes8
			[ "$k" = 1 ] && b=$bytes
			measured "$key" "$r" "$s" "$c" "$k" "$b" "$k"
		done
	done
done

med() { echo "${res[$1]:-}" | tr ' ' '\n' | grep -v '^$' | grep -v None |
    sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "-";
    else if (NR % 2) print a[(NR + 1) / 2];
    else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
sum() { echo "${res[$1]:-}" | tr ' ' '\n' | awk '{ t += $1 } END { print t + 0 }'; }
line() {	# label, key suffix
	printf '%-44s %10s %10s %14s %14s\n' "$1" "$(med "i2pd.$2")" \
	    "$(med "i2prd.$2")" "$(med "mixed_c.$2")" "$(med "mixed_s.$2")"
}
echo
echo "streams across $hops+$hops hops, 1 stream of $bytes bytes and 8 of $bytes8;"
echo "medians of $runs runs; client -> server"
printf '%-44s %10s %10s %14s %14s\n' "" "i2pd-i2pd" "i2prd-i2prd" \
    "i2prd->i2pd" "i2pd->i2prd"
line "1 stream, MB/s (CONNECT to last byte)" mbs1
line "8 streams, MB/s in all" mbs8
line "first byte, cold (ms)" cold1
line "first byte, warm (ms)" warm1
printf '%-44s %10s %10s %14s %14s\n' "i2pd sender RTOs of 9 s, all runs, 1 stream" \
    "$(sum i2pd.rto9_1)" "-" "$(sum mixed_c.rto9_1)" "-"
line "byte-exact: 1 stream (of 1)" ok1
line "byte-exact: 8 streams (of 8)" ok8
line "client router CPU s/GB, 8 streams" cpuc8
line "server router CPU s/GB, 8 streams" cpus8
line "client router PSS MB under load, 8 streams" pss_c8
line "server router PSS MB under load, 8 streams" pss_s8
sam_net_down
