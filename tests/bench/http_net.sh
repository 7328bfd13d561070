#!/bin/bash
# HTTP through the proxies across 3+3 hops (issue 16), i2prd next to
# i2pd 2.45.1 in one network: six i2pd routers (1 and 2 floodfills, 3
# with an HTTP server tunnel in its tunnels.conf, 4 with its HTTP proxy,
# 5 and 6 plain) and two i2prd routers (.10 with an "http server"
# tunnel, .11 with an "http proxy"), every one of those four
# destinations with tunnels of 3 hops each way, 2 of them.  One web
# server (python3's threaded http.server, tests/interop/httpsite.py) at
# .20 serves both server tunnels a 2 MB file of random bytes and a
# page of about 2 kB.
#
# Per run and pair (a proxy and a server tunnel, by their .b32.i2p
# names): one warm-up request for the page (it may wait for the
# LeaseSet lookup; it is left out of the figures), then
#   - the 2 MB file through curl -x, checked by its SHA-256;
#   - the page with 8 clients at once for SECONDS
#     (tests/bench/httpload.py, a new connection to the proxy per
#     request): pages per second, latency, failures;
#   - the CPU seconds the proxy's router, the server's router and all
#     eight routers spent on each (per page: over the pages that came
#     whole), and the PSS of the two under load.
# Medians of RUNS runs.  Pairs (PAIRS, proxy-server): ours-ours,
# i2pd-i2pd, ours-i2pd, i2pd-ours.  Each pair waits until our two
# destinations hold no streams of the one before (they count against
# the destination's limit of 512); the log shows how many each held
# after its load, and at the end the hops of the four destinations'
# tunnels by router.  A benchmark, not a test: it asserts nothing.
# As root.
#
#   bash tests/bench/http_net.sh [BUILD_DIR] [RUNS] [SECONDS]
#
# BENCH_DEBUG=1: both i2prd routers and i2pd 3 to 6 log at debug level
# (the figures then count the logging; with BENCH_KEEP=DIR to read them)
set -u
build=$(cd "${1:-build}" && pwd)
runs=${2:-3}
secs=${3:-20}
pairs=${PAIRS:-ours-ours i2pd-i2pd ours-i2pd i2pd-ours}
clients=8
i2prd_log=warning
i2pd_log=warn
[ -n "${BENCH_DEBUG:-}" ] && i2prd_log=debug i2pd_log=debug
here=$(cd "$(dirname "$0")/../interop" && pwd)
bench=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$bench/lib.sh"

busy=$(ps aux | grep i2pd | grep -v grep | wc -l)
bench_setup http_net "$build/i2prd"
trap 'net_down; bench_cleanup' EXIT
n_i2pd=6
web=198.18.0.20
hops="inbound length 3 quantity 2 outbound length 3 quantity 2"
i2pd_hops="inbound.length = 3
inbound.quantity = 2
outbound.length = 3
outbound.quantity = 2"

# the site: a 2 MB file of random bytes and a page of about 2 kB
site_up() {
	mkdir -p "$tmp/www"
	head -c 2097152 /dev/urandom > "$tmp/www/big.bin"
	{
		echo "<html><head><title>small</title></head><body>"
		for i in $(seq 36); do
			echo "<p>line $i of a small page behind a server tunnel</p>"
		done
		echo "</body></html>"
	} > "$tmp/www/small.html"
	big_sha=$(sha256sum < "$tmp/www/big.bin" | cut -d' ' -f1)
	small_sha=$(sha256sum < "$tmp/www/small.html" | cut -d' ' -f1)
	nsx python3 "$here/httpsite.py" $web 8080 "$tmp/www" \
	    > "$tmp/httpsite.log" 2>&1 &
}

# i2pd 3: an HTTP server tunnel to the site (site_tunnel, once the
# router runs); i2pd 4: the HTTP proxy.  Both with their consoles on,
# for their tunnels' hops; the routers that are not floodfills log
# warnings only.
site_tunnel() {	# on or off, then SIGHUP
	: > "$tmp/i2pd3/tunnels.conf"
	[ "$1" = on ] && cat > "$tmp/i2pd3/tunnels.conf" <<EOF
[site]
type = http
host = $web
port = 8080
inport = 80
keys = site.dat
$i2pd_hops
EOF
	kill -HUP "$(cat "$tmp/i2pd3/i2pd.pid")"
}
i2pd_tunnels() {
	local i
	: > "$tmp/i2pd3/tunnels.conf"
	sed -i "/^\[httpproxy\]/{n;s/.*/enabled = true\naddress = 198.18.0.4\nport = 4444\n$(echo "$i2pd_hops" | sed -z 's/\n/\\n/g')/}" \
	    "$tmp/i2pd4/i2pd.conf"
	for i in 3 4; do
		sed -i "s/^\[http\]\$/[http]\naddress = 198.18.0.$i\nport = 7070\nstrictheaders = false/;
		    /^\[http\]/,/^\[/ s/^enabled = false/enabled = true/" \
		    "$tmp/i2pd$i/i2pd.conf"
	done
	for i in 3 4 5 6; do
		sed -i "s/^loglevel = .*/loglevel = $i2pd_log/" "$tmp/i2pd$i/i2pd.conf"
	done
}

net_up() {
	local i r
	netns_up "$ns" $(seq 1 $n_i2pd) 10 11 20
	i2pd_identities 2	# it kills all in $ns: the site after it
	site_up
	i2pd_tunnels
	bench_i2prd 10 "destination site $hops {" \
	    "	http server to $web port 8080" "}"
	bench_i2prd 11 "destination browse $hops {" \
	    "	http proxy listen on 198.18.0.11 port 4444" "}"
	i2pd_know_each_other
	for i in $(seq 1 $n_i2pd); do
		for r in 10 11; do
			netdb_seed "$tmp/i2pd$i/netDb" "$tmp/r$r/state/router/router.info"
		done
		i2pd_start "$i"
	done
}
net_down() {
	local r i
	for r in 10 11; do
		[ -s "$tmp/r$r/i2prd.pid" ] &&
		    kill -TERM "$(cat "$tmp/r$r/i2prd.pid")" 2>/dev/null
	done
	[ "${n_i2pd:-0}" -gt 0 ] && i2pd_stop_all
	# BENCH_KEEP keeps $tmp/*.log
	for r in 10 11; do cp "$tmp/r$r/i2prd.log" "$tmp/i2prd$r.log" 2>/dev/null; done
	for i in $(seq 1 "${n_i2pd:-0}"); do
		cp "$tmp/i2pd$i/i2pd.log" "$tmp/i2pd$i.log" 2>/dev/null
	done
	n_i2pd=0
}

ctl() {	# N args...: i2pctl of router .N
	local r=$1
	shift
	nsx "$build/i2pctl" -s "$tmp/r$r/i2prd.sock" "$@"
}
our_b32() {	# N name: the destination's b32 once it has leases
	ctl "$1" -j show destinations | python3 -c "import json, sys
for d in json.load(sys.stdin)['destinations']:
    if d['name'] == sys.argv[1] and d['address'] and d['leases'] > 0:
        print(d['address'].replace('.b32.i2p', ''))" "$2"
}
i2pd_b32() {	# keys file of a tunnel: its destination's b32
	python3 -c "import base64, hashlib, sys
d = open(sys.argv[1], 'rb').read()
n = 387 + int.from_bytes(d[385:387], 'big')
h = hashlib.sha256(d[:n]).digest()
print(base64.b32encode(h).decode().lower().rstrip('='))" "$1" 2>/dev/null
}
our_streams() {	# N name: the streams the destination holds
	ctl "$1" -j show destinations | python3 -c "import json, sys
for d in json.load(sys.stdin)['destinations']:
    if d['name'] == sys.argv[1]:
        print(d['streams'])" "$2"
}
# each pair starts with our destinations holding no streams of the one
# before: after a load with i2pd at the other end they may hold
# hundreds, waiting for an ACK of their CLOSE (i2pd 2.45.1 sends none
# once it sent its own CLOSE), up to 2 minutes, each holding one of the
# destination's 512 stream slots
settle() {
	local t0=$SECONDS a b
	for _ in $(seq 150); do
		a=$(our_streams 10 site) b=$(our_streams 11 browse)
		[ "${a:-0}" -lt 8 ] && [ "${b:-0}" -lt 8 ] && break
		sleep 1
	done
	[ $((SECONDS - t0)) -gt 1 ] && echo "    waited $((SECONDS - t0)) s for our" \
	    "destinations' old streams to go (site $a, browse $b left)"
}
wait_stored() {	# b32 seconds: a floodfill took its LeaseSet
	for _ in $(seq "$2"); do
		stored "$1" && return 0
		sleep 1
	done
	return 1
}

# both sites' LeaseSets at a floodfill.  i2pd 2.45.1 may never publish
# a LeaseSet when its tunnels were built in a certain order (see
# dgram_net.sh); its site comes by a SIGHUP once the router runs (as in
# tests/interop/i2ptunnel.sh), and goes and comes again (same keys)
# while no floodfill has its LeaseSet.
sites_up() {
	local tries
	for tries in 1 2 3 4; do
		site_tunnel on
		for _ in $(seq 50); do
			[ -s "$tmp/i2pd3/site.dat" ] && break
			sleep 0.2
		done
		i2pd_site=$(i2pd_b32 "$tmp/i2pd3/site.dat")
		[ -n "$i2pd_site" ] && wait_stored "$i2pd_site" 60 && break
		echo "    i2pd's site: LeaseSet not stored, its tunnel again ($tries)"
		site_tunnel off
		sleep 5
	done
	for _ in $(seq 120); do
		ours_site=$(our_b32 10 site)
		[ -n "$ours_site" ] && break
		sleep 1
	done
	wait_stored "$ours_site" 60 || echo "    our site's LeaseSet: not seen at a floodfill"
}

# CPU ticks of a router: "i2pd N" (one process) or "ours N" (the parent
# and its four children)
router_pids() {
	if [ "$1" = i2pd ]; then
		cat "$tmp/i2pd$2/i2pd.pid"
	else
		cat "$tmp/r$2/i2prd.pid"
		pgrep -f "i2prd-(netd|cryptod|routerd|tunneld) .*-s $tmp/r$2/"
	fi
}
ticks() {	# router pids on stdin: utime + stime
	local p t=0
	while read -r p; do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$t"
}
all_routers() {
	local i
	for i in $(seq 1 $n_i2pd); do echo "i2pd $i"; done
	echo "ours 10"
	echo "ours 11"
}
cpu() {	# "kind N" or all
	if [ "$1" = all ]; then
		all_routers | while read -r k n; do router_pids "$k" "$n"; done | ticks
	else
		router_pids $1 | ticks
	fi
}
pss() {	# "kind N": MB
	local p t=0
	for p in $(router_pids $1); do
		t=$((t + $(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
	done
	awk -v k="$t" 'BEGIN { printf "%.1f\n", k / 1024 }'
}
secs_of() { awk -v t="$1" -v h="$hz" 'BEGIN { printf "%.2f\n", t / h }'; }
per_page() { awk -v t="$1" -v h="$hz" -v n="$2" 'BEGIN {
	if (n > 0) printf "%.2f\n", 1000 * t / h / n }'; }

# a pair: its proxy, the proxy's and the server's routers, the site
pair_set() {
	case ${1%-*} in
	ours) proxy=198.18.0.11:4444; prouter="ours 11" ;;
	i2pd) proxy=198.18.0.4:4444; prouter="i2pd 4" ;;
	esac
	case ${1#*-} in
	ours) site=$ours_site; srouter="ours 10" ;;
	i2pd) site=$i2pd_site; srouter="i2pd 3" ;;
	esac
}
curl_x() {	# path out: "status seconds"
	nsx curl -s -o "$2" -x "$proxy" --max-time 300 \
	    -w '%{http_code} %{time_total}' "http://$site.b32.i2p/$1"
}
cpu_start() { c_p=$(cpu "$prouter"); c_s=$(cpu "$srouter"); c_a=$(cpu all); }
cpu_stop() {	# pair key [pages]
	local dp=$(($(cpu "$prouter") - c_p)) ds=$(($(cpu "$srouter") - c_s))
	local da=$(($(cpu all) - c_a))
	if [ $# -eq 3 ]; then
		record "$1.$2cpup" "$(per_page $dp "$3")"
		record "$1.$2cpus" "$(per_page $ds "$3")"
		record "$1.$2cpua" "$(per_page $da "$3")"
	else
		record "$1.$2cpup" "$(secs_of $dp)"
		record "$1.$2cpus" "$(secs_of $ds)"
		record "$1.$2cpua" "$(secs_of $da)"
	fi
}
field() { python3 -c "import json, sys
try:
    v = json.loads(sys.argv[1])[sys.argv[2]]
    print('' if v is None else v)
except Exception:
    pass" "$1" "$2"; }

warm() {	# pair: the page once, a few tries (LeaseSet lookup, tunnels)
	local out
	for _ in $(seq 6); do
		out=$(curl_x small.html "$tmp/warm.html")
		[ "${out%% *}" = 200 ] &&
		    [ "$(sha256sum < "$tmp/warm.html" | cut -d' ' -f1)" = "$small_sha" ] &&
		    { record "$1.warm" "${out#* }"; return 0; }
		sleep 10
	done
	echo "    $1: no page in six tries ($out)"
	return 1
}
big() {	# pair run
	local out ok=0
	rm -f "$tmp/big.out"
	cpu_start
	out=$(curl_x big.bin "$tmp/big.out")
	cpu_stop "$1" big
	[ "${out%% *}" = 200 ] &&
	    [ "$(sha256sum < "$tmp/big.out" | cut -d' ' -f1)" = "$big_sha" ] && ok=1
	echo "    $1 run $2, 2 MB: status ${out%% *}, ${out#* } s, byte-exact $ok"
	record "$1.bigok" "$ok"
	[ "$ok" -eq 1 ] && record "$1.big" "${out#* }"
}
small() {	# pair run
	local out lpid
	cpu_start
	nsx python3 "$bench/httpload.py" "$proxy" "http://$site.b32.i2p/small.html" \
	    "$small_sha" "$clients" "$secs" > "$tmp/load.json" 2>&1 &
	lpid=$!
	sleep "$((secs / 2))"
	record "$1.pssp" "$(pss "$prouter")"
	record "$1.psss" "$(pss "$srouter")"
	wait "$lpid"
	out=$(tail -1 "$tmp/load.json")
	cpu_stop "$1" small "$(field "$out" ok)"
	echo "    $1 run $2, $clients clients: $out"
	echo "    streams held after it: our site $(our_streams 10 site)," \
	    "our proxy $(our_streams 11 browse)"
	{ ctl 10 show streams; ctl 11 show streams; } > "$tmp/streams-$1-$2.log" 2>&1
	record "$1.rate" "$(field "$out" rate)"
	record "$1.p50" "$(field "$out" p50_ms)"
	record "$1.p90" "$(field "$out" p90_ms)"
	record "$1.failed" "$(field "$out" failed)"
}

# the hops of the four destinations' tunnels: i2prd's in a line each,
# hops by router (i2pd N or ours N), and both implementations' pages
# into logs
names() {
	local i r
	for i in $(seq 1 $n_i2pd); do echo "$(ri_hash "$tmp/i2pd$i/router.info") i2pd$i"; done
	for r in 10 11; do
		echo "$(ri_hash "$tmp/r$r/state/router/router.info") ours$r"
	done
}
i2pd_hops() {	# N b32 label: a local destination's tunnels in i2pd N
	nsx curl -s --max-time 10 \
	    "http://198.18.0.$1:7070/?page=local_destination&b32=$2" \
	    > "$tmp/tunnels-i2pd$1.log" 2>&1
	echo "    i2pd$1's $3: $(python3 "$bench/hops.py" i2pd "$tmp/names" \
	    < "$tmp/tunnels-i2pd$1.log" 2>&1)"
}
hops_log() {
	local r b32
	names > "$tmp/names"
	for r in 10 11; do
		ctl "$r" show tunnels > "$tmp/tunnels-r$r.log" 2>&1
		echo "    ours$r's destination: $(ctl "$r" -j show tunnels |
		    python3 "$bench/hops.py" ours "$tmp/names" 2>&1)"
	done
	i2pd_hops 3 "$i2pd_site" site
	b32=$(nsx curl -s --max-time 10 "http://198.18.0.4:7070/?page=i2p_tunnels" |
	    grep -o 'b32=[a-z2-7]*' | head -1)
	i2pd_hops 4 "${b32#b32=}" "HTTP proxy"
}

echo "other i2pd processes on the machine before the start: $busy"
net_up
echo "warming up (90 s)"
sleep 90
sites_up
echo "    our site: $ours_site.b32.i2p"
echo "    i2pd's site: $i2pd_site.b32.i2p"
for r in $(seq 1 "$runs"); do
	echo "run $r of $runs"
	for p in $pairs; do
		pair_set "$p"
		settle
		warm "$p" || continue
		big "$p" "$r"
		small "$p" "$r"
	done
done
hops_log
echo "at the end: load average $(cut -d' ' -f1-3 /proc/loadavg), other" \
    "i2pd processes on the machine $(ps aux | grep i2pd | grep -v grep |
    grep -vc "$tmp/")"

col() {	# key [of]: each pair's median
	local p v
	for p in $pairs; do
		v=$(echo "${res[$p.$1]:-}" | median)
		[ $# -eq 2 ] && v=$(echo "${res[$p.$1]:-}" | tr ' ' '\n' |
		    grep -c '^1$')" of $runs"
		printf ' %12s' "$v"
	done
	echo
}
line() { printf '%-38s' "$1"; shift; col "$@"; }
echo
echo "HTTP through the proxies across 3+3 hops; 2 MB file, a 2 kB page with" \
    "$clients clients for $secs s; medians of $runs runs"
echo "pairs: proxy-server, ours = i2prd $(git -C "$bench" rev-parse --short HEAD 2>/dev/null)," \
    "i2pd = $(i2pd --version 2>/dev/null | sed -n '1s/.*version \([0-9.]*\).*/\1/p')"
printf '%-38s' "proxy-server"
for p in $pairs; do printf ' %12s' "$p"; done
echo
line "2 MB through curl -x, s" big
line "2 MB byte-exact" bigok of
line "pages/s, $clients clients" rate
line "page latency p50, ms" p50
line "page latency p90, ms" p90
line "pages failed per run" failed
line "warm-up request, s" warm
line "CPU s for 2 MB, proxy's router" bigcpup
line "CPU s for 2 MB, server's router" bigcpus
line "CPU s for 2 MB, all 8 routers" bigcpua
line "CPU ms per page, proxy's router" smallcpup
line "CPU ms per page, server's router" smallcpus
line "CPU ms per page, all 8 routers" smallcpua
line "PSS MB under load, proxy's router" pssp
line "PSS MB under load, server's router" psss
