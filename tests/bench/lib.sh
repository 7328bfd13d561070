# Shared by the benchmark scripts (sourced, after tests/interop/lib.sh):
# set-up, the two routers' processes and what they cost, and medians
# printed side by side.  i2pd lives in $tmp/i2pd, with its pid file.

# bench_setup NAME PROGRAM: checks, then tmp and ns made, cleaned on exit
bench_setup() {
	command -v i2pd >/dev/null || { echo "$1: needs i2pd (make deps)"; exit 1; }
	[ "$(id -u)" -eq 0 ] || { echo "$1: needs root (namespaces)"; exit 1; }
	[ -x "$2" ] || { echo "$1: run make first"; exit 1; }
	getent passwd _i2prd >/dev/null || useradd --system --no-create-home \
	    --home-dir /nonexistent --shell /usr/sbin/nologin _i2prd
	tmp=$(mktemp -d /tmp/i2prd-bench.XXXXXX)
	chmod 0755 "$tmp"
	ns=i2prd-$1-$$
	trap bench_cleanup EXIT
}
bench_cleanup() {
	[ -s "$tmp/i2prd.pid" ] && kill -TERM "$(cat "$tmp/i2prd.pid")" 2>/dev/null
	[ -s "$tmp/i2pd/i2pd.pid" ] && kill -TERM "$(cat "$tmp/i2pd/i2pd.pid")" 2>/dev/null
	sleep 1
	netns_down "$ns"
	# BENCH_KEEP=DIR: the run's logs are kept there, in their directories
	if [ -n "${BENCH_KEEP:-}" ]; then
		mkdir -p "$BENCH_KEEP" &&
		    (cd "$tmp" && find . -name '*.log' -exec cp --parents {} "$BENCH_KEEP/" \;)
	fi
	rm -rf "$tmp"
}
nsx() { ip netns exec "$ns" "$@"; }

# bench_routers [i2pd top-level lines...]: i2pd at 198.18.0.1 (errors
# logged only), i2prd at .2 as it runs on a server (root, chroots,
# sandboxes); waits for both RouterInfos: i2pd_ri, i2prd_ri.  With
# bench_ssu2=yes both also publish SSU2 on port 20000.
bench_routers() {
	local ours=()
	mkdir -p "$tmp/i2pd"
	i2pd_write_conf "$tmp/i2pd" 198.18.0.1 false "${I2PD_LOGLEVEL:-error}" "threshold = 0"
	[ $# -eq 0 ] || sed -i "1i $(printf '%s\\n' "$@")" "$tmp/i2pd/i2pd.conf"
	if [ "${bench_ssu2:-}" = yes ]; then
		sed -i '/^\[ssu2\]$/,/^\[r/ s/^enabled = false$/enabled = true\npublished = true/' \
		    "$tmp/i2pd/i2pd.conf"
		ours=("listen on 198.18.0.2 port 20000 ssu2")
	fi
	nsx i2pd --datadir="$tmp/i2pd" --conf="$tmp/i2pd/i2pd.conf" \
	    --tunconf=/dev/null --pidfile="$tmp/i2pd/i2pd.pid" >/dev/null 2>&1 &
	mkdir -p "$tmp/state"
	i2prd_write_conf "$tmp" 198.18.0.2 "log level warning" "${ours[@]}"
	I2PRD_LIBEXEC=$build nsx "$build/i2prd" -d -f "$tmp/i2prd.conf" \
	    >"$tmp/i2prd.log" 2>&1 &
	for _ in $(seq 100); do
		[ -s "$tmp/state/router/router.info" ] && [ -s "$tmp/i2pd/router.info" ] &&
		    [ -s "$tmp/i2pd/i2pd.pid" ] && break
		sleep 0.1
	done
	sleep 2
	i2pd_ri=$tmp/i2pd/router.info
	i2prd_ri=$tmp/state/router/router.info
	[ -s "$i2pd_ri" ] && [ -s "$i2prd_ri" ] || { echo "routers did not start"; exit 1; }
}

# the target's processes: i2pd's one, or every process of our suite
pids_of() {
	if [ "$1" = i2pd ]; then cat "$tmp/i2pd/i2pd.pid"
	else ip netns pids "$ns" | grep -vx "$(cat "$tmp/i2pd/i2pd.pid")"; fi
}
# utime + stime, and the proportional set size (shared pages, such as
# libcrypto in all five of our processes, count once, split among the
# processes that map them), of the processes given
ticks_of() {
	local p t=0
	for p in "$@"; do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$t"
}
pss_of() {
	local p t=0
	for p in "$@"; do
		t=$((t + $(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
	done
	echo "$t"
}
cpu_ticks() { ticks_of $(pids_of "$1"); }	# the target's processes
pss_kb() { pss_of $(pids_of "$1"); }
hz=$(getconf CLK_TCK)

declare -A res
record() { res[$1]="${res[$1]:-} $2"; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END {
	if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
	else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

row() {	# label, key
	printf '%-40s %14s %14s\n' "$1" "$(echo "${res[i2pd.$2]:-}" | median)" \
	    "$(echo "${res[i2prd.$2]:-}" | median)"
}
header() {
	printf '%-40s %14s %14s\n' "" "i2pd $(i2pd --version 2>/dev/null |
	    sed -n '1s/.*version \([0-9.]*\).*/\1/p')" "i2prd"
}

# bench_i2prd N [extra lines...]: an i2prd router at 198.18.0.N under
# $tmp/rN knowing the $n_i2pd i2pd routers, logging at $i2prd_log
# (warning unless set); returns once its RouterInfo is written
bench_i2prd() {
	local r=$1 d=$tmp/r$1 i
	shift
	mkdir -p "$d/state/router/netDb"
	for i in $(seq 1 "$n_i2pd"); do
		netdb_seed "$d/state/router/netDb" "$tmp/i2pd$i/router.info"
	done
	chown -R _i2prd "$d/state/router"
	i2prd_write_conf "$d" "198.18.0.$r" "log level ${i2prd_log:-warning}" "$@"
	I2PRD_LIBEXEC=$build nsx "$build/i2prd" -d -f "$d/i2prd.conf" \
	    > "$d/i2prd.log" 2>&1 &
	for _ in $(seq 100); do
		[ -s "$d/state/router/router.info" ] && break
		sleep 0.1
	done
}

# sam_net_up: four i2pd routers (1 and 2 floodfills, 3 and 4 with SAM
# on 198.18.0.3 and .4 port 7656) and two i2prd routers (.10 and .11,
# with SAM on port 7656 and UDP 7655), warmed up 90 s; sam_net_down
# stops them
sam_net_up() {
	local i r
	n_i2pd=4
	netns_up "$ns" 1 2 3 4 10 11
	i2pd_identities 2
	for i in 3 4; do
		sed -i "/^\[sam\]/{n;s/.*/enabled = true\naddress = 198.18.0.$i\nport = 7656/}" \
		    "$tmp/i2pd$i/i2pd.conf"
	done
	for r in 10 11; do
		bench_i2prd "$r" "sam listen on 198.18.0.$r port 7656"
	done
	i2pd_know_each_other
	for i in 1 2 3 4; do
		for r in 10 11; do
			netdb_seed "$tmp/i2pd$i/netDb" "$tmp/r$r/state/router/router.info"
		done
		i2pd_start "$i"
	done
	echo "warming up (90 s)"
	sleep 90
}
sam_net_down() {
	local r
	for r in 10 11; do
		[ -s "$tmp/r$r/i2prd.pid" ] && kill -TERM "$(cat "$tmp/r$r/i2prd.pid")" 2>/dev/null
	done
	i2pd_stop_all
}
# a base64 destination's b32 name, without .b32.i2p
b32_of() {
	python3 -c "import base64, hashlib, sys
b = base64.b64decode(sys.argv[1].replace('-', '+').replace('~', '/'))
print(base64.b32encode(hashlib.sha256(b).digest()).decode().lower().rstrip('='))" "$1"
}
stored() {	# b32: did an i2pd floodfill take its LeaseSet?
	cat "$tmp"/i2pd[12]/i2pd.log | grep -q "LeaseSet2 updated: $1"
}

# The transport benchmarks (ntcp2_net.sh, ssu2_net.sh): with the
# routers up, $load's handshakes from each of $workers drivers for $secs
# s, then $mbytes MB of data phase, into i2pd and i2prd, $runs times;
# prints the medians under the transport's name (the argument).
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
	local who=$1 ri=$2 w c0 c1 out mb m
	for w in $workers; do measure_hs "$who" "$ri" "$w"; done
	c0=$(cpu_ticks "$who")
	out=$(nsx "$load" bulk "$ri" 198.18.0.10 "$mbytes")
	c1=$(cpu_ticks "$who")
	echo "    $who: $out"
	mb=$(echo "$out" | sed -n 's/.*: \([0-9.]*\) MB\/s.*/\1/p')
	record "$who.mbs" "$mb"
	# over UDP, what the router ACKed is what it received
	m=$(echo "$out" | sed -n 's/.* \([0-9.]*\) MB acked.*/\1/p')
	record "$who.gbcpu" "$(awk -v t=$((c1 - c0)) -v m="${m:-$mbytes}" -v hz="$hz" 'BEGIN { printf "%.3f", t / hz / (m / 1000) }')"
}

transport_bench() {
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
	echo "$1 against a live router, medians of $runs runs ($(nproc) CPUs, drivers on the same machine;"
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
}
