#!/bin/bash
# Tunnel building in one private network, i2pd 2.45.1 next to i2prd:
# four i2pd routers (two floodfills) and one i2prd, from the private
# network launcher (etc/testnet.sh), each with five exploratory tunnels
# of two hops each way.  After SECONDS, per run:
#   - build success: i2prd's builds every hop accepted, of those
#     answered or timed out (i2pctl show tunnels); i2pd's "tunnel
#     creation success rate" from each console, the median of the four;
#   - build latency, median and p90: i2prd's (i2pd 2.45.1 shows none),
#     of all its builds (the first ones wait for sessions to the hops and
#     between them) and of those after a minute's warm-up, when i2prd's
#     pools are raised from 5 to 12 each way;
#   - tunnel test round trip, median and p90: i2prd's tests; i2pd's
#     console shows each tunnel's mean test latency, taken over all the
#     tunnels of the four routers.
# Medians of RUNS runs, each on a fresh network.  A benchmark, not a
# test: it asserts nothing.  As root, i2pd installed.
#
#   bash tests/bench/tunnels_net.sh [BUILD_DIR] [RUNS] [SECONDS]
set -u
build=$(cd "${1:-build}" && pwd)
runs=${2:-3}
secs=${3:-180}
[ "$secs" -gt 90 ] || { echo "tunnels_net: SECONDS must be over 90 (a minute of warm-up first)"; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/interop
. "$here/lib.sh"
. "$(dirname "$0")/lib.sh"

bench_setup tunnels_net "$build/i2prd"
export TESTNET_NS=$ns
export TESTNET_I2PRD_CONF="exploratory inbound length 2 quantity 5
exploratory outbound length 2 quantity 5"
export TESTNET_I2PD_CONF="[exploratory]
inbound.length = 2
inbound.quantity = 5
outbound.length = 2
outbound.quantity = 5"
trap 'bash "$top/etc/testnet.sh" stop -d "$tmp/net" >/dev/null 2>&1; bench_cleanup' EXIT

# one figure from i2prd's show tunnels JSON (a Python expression on p,
# the pools)
ours() {
	ip netns exec "$ns" "$build/i2pctl" -s "$tmp/net/i2prd1/i2prd.sock" \
	    -j show tunnels | python3 -c "import json, sys
p = json.load(sys.stdin)['tunnels']['pools']
i, o = p['inbound'], p['outbound']
print($1)"
}
# i2pd's consoles: success rates (median) and tunnel latencies (p50, p90)
theirs() {
	ip netns exec "$ns" python3 - <<'PY'
import re, statistics, urllib.request
rates, lat = [], []
for k in range(1, 5):
    base = "http://198.18.0.%d:7070/" % k
    main = urllib.request.urlopen(base, timeout=10).read().decode("utf-8", "replace")
    m = re.search(r"success rate:</b> (\d+)%", main)
    if m:
        rates.append(int(m.group(1)))
    page = urllib.request.urlopen(base + "?page=tunnels", timeout=10).read().decode(
        "utf-8", "replace")
    lat += [int(x) for x in re.findall(r"\( (\d+)ms \)", page)]
lat.sort()
p = lambda q: lat[min(len(lat) - 1, int(len(lat) * q))] if lat else "-"
print(statistics.median(rates) if rates else "-", p(0.5), p(0.9), len(lat))
PY
}

for r in $(seq 1 "$runs"); do
	rm -rf "$tmp/net"
	bash "$top/etc/testnet.sh" start -n 1 -m 4 -f 2 -b "$build" -d "$tmp/net" >/dev/null
	sleep 60
	sed -i 's/quantity 5$/quantity 12/' "$tmp/net/i2prd1/i2prd.conf"
	ip netns exec "$ns" "$build/i2pctl" -s "$tmp/net/i2prd1/i2prd.sock" reload >/dev/null
	sleep $((secs - 60))
	# the build latency of tunnels built after the warm-up (the first
	# ones are as old as the run, less ten seconds or so)
	read -r wp50 wp90 nwarm < <(ip netns exec "$ns" "$build/i2pctl" \
	    -s "$tmp/net/i2prd1/i2prd.sock" -j show tunnels | python3 -c "
import json, sys
l = sorted(t['build_ms'] for t in json.load(sys.stdin)['tunnels']['list']
    if t['state'] == 'ready' and t['age'] < int(sys.argv[1]) - 30)
p = lambda q: l[min(len(l) - 1, int(len(l) * q))] if l else '-'
print(p(0.5), p(0.9), len(l))" "$secs")
	read -r rate p50 p90 nlat < <(theirs)
	ok=$(ours "i['built'] + o['built']")
	ans=$(ours "i['built'] + o['built'] + i['refused'] + o['refused'] + i['timeouts'] + o['timeouts'] + i['bad_reply'] + o['bad_reply']")
	our_rate=$(awk -v b="$ok" -v a="$ans" 'BEGIN { printf "%.1f", (a > 0 ? 100 * b / a : 0) }')
	echo "run $r: i2prd built $ok of $ans ($our_rate%); i2pd success rate $rate%;" \
	    "test latency i2pd p50 $p50 ms p90 $p90 ms ($nlat tunnels)," \
	    "i2prd p50 $(ours "o['test_rtt_p50_ms']") ms; i2prd builds after" \
	    "warm-up $nwarm, latency p50 $wp50 ms p90 $wp90 ms"
	record i2prd.rate "$our_rate"
	record i2pd.rate "$rate"
	record i2prd.bp50 "$(ours "max(i['latency_p50_ms'], o['latency_p50_ms'])")"
	record i2prd.bp90 "$(ours "max(i['latency_p90_ms'], o['latency_p90_ms'])")"
	record i2prd.wp50 "$wp50"
	record i2prd.wp90 "$wp90"
	record i2prd.tp50 "$(ours "o['test_rtt_p50_ms']")"
	record i2prd.tp90 "$(ours "o['test_rtt_p90_ms']")"
	record i2pd.tp50 "$p50"
	record i2pd.tp90 "$p90"
	bash "$top/etc/testnet.sh" stop -d "$tmp/net" >/dev/null
done

echo
echo "Tunnel building in one network (4 i2pd, 1 i2prd; 5 two-hop exploratory"
echo "tunnels each way, i2prd's raised to 12 after 60 s), medians of $runs runs"
echo "of $secs s, $(nproc) CPUs"
header
row "build success (%)" rate
row "build latency p50 (ms; the slower pool)" bp50
row "build latency p90 (ms; the slower pool)" bp90
row "  after warm-up, p50 (ms)" wp50
row "  after warm-up, p90 (ms)" wp90
row "tunnel test round trip p50 (ms)" tp50
row "tunnel test round trip p90 (ms)" tp90
