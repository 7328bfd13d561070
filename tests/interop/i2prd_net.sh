#!/bin/bash
# A network of i2prd routers alone, started by the private network
# launcher (etc/testnet.sh): four routers, two floodfills, build their
# exploratory tunnels through each other (every transit role on i2prd)
# and pass their tunnel tests.  Then a test peer
# (tests/interop/tunnel_probe.c) has one router take part in a tunnel
# built with long records (VariableTunnelBuild), another, as an outbound
# endpoint, deliver to a router it must look up first, and, hostile, sends
# another malformed, truncated, replayed and random tunnel messages,
# garlic and build records: they are dropped and counted, and the
# router goes on building tunnels.
# Needs root (namespaces), not i2pd.
#
#   bash tests/interop/i2prd_net.sh BUILD_DIR [seconds to wait, default 90]
set -u
build=$(cd "${1:-build}" && pwd)
wait_max=${2:-90}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "i2prd_net: needs root"; exit 1; }

launcher_setup net

bash "$top/etc/testnet.sh" start -n 4 -m 0 -f 2 -b "$build" -d "$tmp" |
    sed 's/^/    /'
check "the launcher started four i2prd routers" \
    bash -c "[ \$(ls $tmp/i2prd*/i2prd.pid | wc -l) -eq 4 ]"

ctlk() {	# router k, then i2pctl arguments
	local k=$1
	shift
	ip netns exec "$ns" "$build/i2pctl" -s "$tmp/i2prd$k/i2prd.sock" "$@"
}
poolk() {	# router k, in|out, key
	ctlk "$1" -j show tunnels | python3 -c "import json, sys
d = json.load(sys.stdin)['tunnels']['pools']
print(d['inbound' if sys.argv[1] == 'in' else 'outbound'][sys.argv[2]])" "$2" "$3"
}
ready_all() {
	local k
	for k in 1 2 3 4; do
		[ "$(poolk $k in ready)" -ge 3 ] && [ "$(poolk $k out ready)" -ge 3 ] &&
		    [ "$(poolk $k out tests_ok)" -gt 0 ] || return 1
	done
}
for _ in $(seq "$wait_max"); do ready_all && break; sleep 1; done
for k in 1 2 3 4; do
	echo "    i2prd$k: inbound $(poolk $k in built) of $(poolk $k in builds) built," \
	    "outbound $(poolk $k out built) of $(poolk $k out builds);" \
	    "tests $(poolk $k out tests_ok) passed, $(poolk $k out tests_failed) failed"
done
check "every router has three tunnels each way, tested" ready_all
# make run's demo: demo.i2p on router 1, fetched through router 2's proxy
for _ in 1 2 3 4 5 6; do
	ip netns exec "$ns" curl -s --max-time 60 -x http://198.18.0.12:4444 \
	    http://demo.i2p/ > "$tmp/demo.html" 2>/dev/null &&
	    grep -q "Hello from demo.i2p" "$tmp/demo.html" && break
	sleep 5
done
check "the launcher's demo: demo.i2p by name through router 2's HTTP proxy" \
    grep -q "Hello from demo.i2p" "$tmp/demo.html"
# and a browser: headless Chromium through the same proxy loads the
# demo's check page, whose script waits for the picture, puts its width
# into the form with this run's q and submits it; the answer page shows
# what the site received
browser_check() {	# q: once, up to 60 s; the answer page on stdout
	local c=$tmp/chromium
	mkdir -p "$c"
	ip netns exec "$ns" env HOME="$c" XDG_CONFIG_HOME="$c" \
	    XDG_CACHE_HOME="$c" timeout -k 5 60 chromium --headless \
	    --no-sandbox --disable-gpu --no-first-run \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --user-data-dir="$c/profile" \
	    --proxy-server=http://198.18.0.12:4444 \
	    --virtual-time-budget=10000 --dump-dom \
	    "http://demo.i2p/check.html?q=$1" 2>>"$tmp/chromium.log"
}
browser_got() {	# q: the answer page shows it and the picture's width
	grep -q "<li id=\"q\">q = $1</li>" "$tmp/browser.html" &&
	    grep -q '<li id="width">width = 64</li>' "$tmp/browser.html"
}
site_saw() {	# the demo site's log has each line
	local l
	for l in "$@"; do grep -qF "$l" "$tmp/demo-site.log" || return 1; done
}
if command -v chromium >/dev/null; then
	q=run$$x$RANDOM
	t0=$SECONDS
	while [ $((SECONDS - t0)) -lt 120 ]; do
		browser_check "$q" > "$tmp/browser.html" && browser_got "$q" && break
		sleep 5
	done
	echo "    chromium, after $((SECONDS - t0)) s: page \"$(sed -n \
	    's:.*<title>\(.*\)</title>.*:\1:p' "$tmp/browser.html")\"" \
	    "$(sed -n 's:.*<p id="status">\(.*\)</p>.*:(\1):p' "$tmp/browser.html")"
	check "headless Chromium through router 2's HTTP proxy: demo.i2p's picture loaded, its form sent and answered" \
	    browser_got "$q"
	check "the demo site served Chromium the picture and took the form" \
	    site_saw '"GET /i2p.png HTTP/1.1" 200' '"POST /echo HTTP/1.1" 200'
else
	nok "headless Chromium: chromium is not installed (sh tests/deps.sh installs it)"
fi
check "no build failed" bash -c "for k in 1 2 3 4; do
	for d in in out; do
		[ \$(ip netns exec $ns $build/i2pctl -s $tmp/i2prd\$k/i2prd.sock -j show tunnels |
		    python3 -c \"import json,sys; p=json.load(sys.stdin)['tunnels']['pools']['\${d}bound']; print(p['refused']+p['timeouts']+p['bad_reply'])\") -eq 0 ] || exit 1
	done
done"
roles=$(for k in 1 2 3 4; do ctlk $k -j show transit; done | python3 -c "import json, sys
dec = json.JSONDecoder(); s = sys.stdin.read().strip(); n = {}
while s:
    d, i = dec.raw_decode(s); s = s[i:].strip()
    for r, v in d['transit']['accepted'].items(): n[r] = n.get(r, 0) + v
print(n.get('participant', 0), n.get('gateway', 0), n.get('endpoint', 0))")
echo "    transit tunnels accepted, all routers: participant, gateway, endpoint: $roles"
check "i2prd takes every transit role for i2prd" \
    bash -c "set -- $roles; [ \$1 -gt 0 ] && [ \$2 -gt 0 ] && [ \$3 -gt 0 ]"

# long records (VariableTunnelBuild): router 2 as a participant whose
# next hop is the probe, which reads router 2's reply from the build
ip netns exec "$ns" ip addr add 198.18.0.98/32 dev lo
long=$(ip netns exec "$ns" "$build/tests/tunnel_probe" \
    "$tmp/i2prd2/state/router/router.info" 198.18.0.98 long)
echo "    $long"
check "a VariableTunnelBuild (long records) accepted and sent on" \
    test "$long" = "long: reply code 0, message ID ours"

# an outbound endpoint asked to deliver to a router it does not know
# (router 4; the new router's RouterInfo only at floodfill 1): it holds
# the message, looks the router up and sends it on
tr4() { ctlk 4 -j show transit | python3 -c "import json, sys
print(json.load(sys.stdin)['transit'][sys.argv[1]])" "$1"; }
held0=$(tr4 held_sent)
ip netns exec "$ns" ip addr add 198.18.0.97/32 dev lo
obep=$(ip netns exec "$ns" "$build/tests/tunnel_probe" \
    "$tmp/i2prd4/state/router/router.info" 198.18.0.97 obep \
    "$tmp/i2prd1/state/router/router.info")
for _ in $(seq 30); do
	[ "$(tr4 held_sent)" -gt "$held0" ] && break
	sleep 1
done
echo "    $obep; router 4 held $(tr4 held), sent on $(tr4 held_sent) once found"
check "an outbound endpoint holds a message for an unknown router, looks it up, sends it on" \
    test "$(tr4 held_sent)" -gt "$held0"

# the hostile peer, against router 1
tr1() { ctlk 1 -j show transit | python3 -c "import json, sys
print(json.load(sys.stdin)['transit'][sys.argv[1]])" "$1"; }
mal0=$(tr1 builds_malformed); drop0=$(tr1 dropped); rep0=$(tr1 builds_replayed)
built0=$(( $(poolk 1 in built) + $(poolk 1 out built) ))
ip netns exec "$ns" ip addr add 198.18.0.99/32 dev lo
ip netns exec "$ns" "$build/tests/tunnel_probe" \
    "$tmp/i2prd1/state/router/router.info" 198.18.0.99 800 | sed 's/^/    /'
sleep 2
echo "    router 1 counted: $(( $(tr1 builds_malformed) - mal0 )) malformed builds," \
    "$(( $(tr1 builds_replayed) - rep0 )) replayed, $(( $(tr1 dropped) - drop0 ))" \
    "tunnel messages dropped"
check "malformed build messages counted" test "$(tr1 builds_malformed)" -gt "$mal0"
check "the replayed build record counted" test "$(tr1 builds_replayed)" -gt "$rep0"
check "malformed tunnel messages dropped and counted" test "$(tr1 dropped)" -gt "$drop0"
check "every process of router 1 still runs" bash -c \
    "[ \$(pgrep -f 'i2prd-(netd|cryptod|routerd|tunneld) .*-s $tmp/i2prd1/' | wc -l) -eq 4 ]"
ctlk 1 show summary >/dev/null
check "router 1 still answers i2pctl" test $? -eq 0
# and keeps building: one more tunnel each way (a build may first try
# the probe's router, which it learnt from the handshake and which is
# gone: 30 s until that one is given up)
sed -i 's/^log level info$/log level info\nexploratory inbound length 2 quantity 4\nexploratory outbound length 2 quantity 4/' \
    "$tmp/i2prd1/i2prd.conf"
ctlk 1 reload | sed 's/^/    /'
for _ in $(seq 120); do
	[ $(( $(poolk 1 in built) + $(poolk 1 out built) )) -ge $((built0 + 2)) ] && break
	sleep 1
done
check "router 1 builds tunnels after the attack" \
    test $(( $(poolk 1 in built) + $(poolk 1 out built) )) -ge $((built0 + 2))

# bandwidth: router 3 given 1 KB/s and 1% of it for transit (10
# bytes/s) drops the others' tunnel traffic through it, and its caps say
# so (bandwidth class K, congestion E, within a minute's check)
sed -i 's/^log level info$/log level info\nbandwidth 1\nshare 1/' \
    "$tmp/i2prd3/i2prd.conf"
ctlk 3 reload >/dev/null
tr3() { ctlk 3 -j show transit | python3 -c "import json, sys
print(json.load(sys.stdin)['transit'][sys.argv[1]])" "$1"; }
caps3() { ctlk 3 -j show summary | python3 -c "import json, sys
print(json.load(sys.stdin)['summary']['caps'])"; }
for _ in $(seq 90); do
	[ "$(tr3 dropped_bandwidth)" -gt 0 ] && caps3 | grep -q E && break
	sleep 1
done
echo "    router 3: share $(tr3 share) bytes/s, load $(tr3 load)%," \
    "$(tr3 dropped_bandwidth) tunnel messages dropped over it," \
    "$(tr3 refused_bandwidth) builds refused; caps $(caps3)"
check "bandwidth share: transit traffic beyond it dropped and counted" \
    test "$(tr3 dropped_bandwidth)" -gt 0
check "bandwidth share: caps carry class K and congestion E" \
    bash -c "caps=\$(ip netns exec $ns $build/i2pctl -s $tmp/i2prd3/i2prd.sock show summary |
    awk '/^Caps/ { print \$2 }'); case \$caps in K*E*) ;; *) exit 1 ;; esac"

echo "i2prd_net: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
