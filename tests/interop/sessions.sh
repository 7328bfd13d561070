#!/bin/bash
# Network test of netd's session limits (audit #5), i2prd alone: one
# host completes NTCP2 handshakes and holds the sessions, with one
# identity and with fresh ones, then a few more addresses fill every
# inbound slot (tests/interop/session_probe.c).  i2prd must refuse past
# its limits per router (2 sessions), per address (8) and for the
# reserve of its table, still take a session from another address,
# still dial out, and count each refusal (i2pctl show peers limits).
#
#   bash tests/interop/sessions.sh [BUILD_DIR]   (as root; after "make")
#
# i2prd runs with a descriptor limit of 128, so its table is small (64
# slots, 8 of them for its dials), as a floodfill (it answers the
# probe's lookup by dialing).  Everything runs in a network namespace
# of its own (loopback only, 198.18.0.0/24 as TESTNET.md explains):
# i2prd at 198.18.0.1, the probe's one host at .10, another address at
# .11, the filling addresses from .20.  Nothing leaves the namespace.
set -u
build=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/lib.sh"
i2prd_require sessions

probe=$build/tests/session_probe
[ -x "$probe" ] || { echo "sessions: $probe is missing (run make first)"; exit 1; }
tmp=$(mktemp -d /tmp/i2prd-sessions.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-sessions-$$
probe_pid=
cleanup() {
	[ -n "$probe_pid" ] && kill -KILL "$probe_pid" 2>/dev/null
	[ -s "$tmp/i2prd.pid" ] && kill -TERM "$(cat "$tmp/i2prd.pid")" 2>/dev/null
	sleep 0.5
	netns_down "$ns"
	rm -rf "$tmp"
}
trap cleanup EXIT

netns_up "$ns" 1 10 11 $(seq 20 30)
mkdir -p "$tmp/state"
i2prd_write_conf "$tmp" 198.18.0.1 "floodfill yes" "log level debug"
# ulimit -n sets the soft and the hard limit; the suite inherits both
( ulimit -n 128 && i2prd_run )
check "i2prd is up with its RouterInfo" test -s "$tmp/state/router/router.info"
check "netd sized its table from the descriptor limit" grep -q \
    'netd: 64 session slots, 8 of them for our dials only (descriptor limit 128)' \
    "$tmp/i2prd.log"

ip netns exec "$ns" "$probe" "$tmp/state/router/router.info" 198.18.0.10 \
    198.18.0.11 198.18.0.20 10 >"$tmp/probe.out" 2>&1 &
probe_pid=$!
for _ in $(seq 900); do
	grep -q '^    holding' "$tmp/probe.out" && break
	kill -0 "$probe_pid" 2>/dev/null || break
	sleep 0.1
done

# while the probe holds its sessions: what i2prd counted
ip netns exec "$ns" "$build/i2pctl" -s "$tmp/i2prd.sock" show peers limits |
    sed 's/^/    /'
peers=$(ip netns exec "$ns" "$build/i2pctl" -s "$tmp/i2prd.sock" -j show peers)
js() {	# a Python expression over the JSON document d
	python3 -c 'import json, sys
d = json.loads(sys.argv[1]); s = d["sessions"]
print(eval(sys.argv[2]))' "$peers" "$1" 2>/dev/null || echo -1
}
inbound=$(js 'sum(p["direction"] == "in" for p in d["peers"])')
echo "    $inbound inbound sessions, $(js 'len(d["peers"])') in all"
check "sessions refused per router counted" test "$(js 's["refused_router"]')" -ge 2
check "sessions refused per address counted" test "$(js 's["refused_source"]')" -ge 2
check "connections refused for the dial reserve counted" \
    test "$(js 's["refused_slots"]')" -ge 2
check "inbound sessions hold every slot but the reserve" \
    test "$inbound" -eq "$(js 's["max"] - s["reserve"]')"
check "an outbound session came up meanwhile" \
    test "$(js 'sum(p["direction"] == "out" for p in d["peers"])')" -ge 1
check "no dial of i2prd's refused" test "$(js 's["dials_refused"]')" -eq 0

wait "$probe_pid"
probe_pid=
sed 's/^/    /' "$tmp/probe.out"
check "probe: the limits as expected" grep -q '^probe: 0 failed' "$tmp/probe.out"
check "the suite is still running" kill -0 "$(cat "$tmp/i2prd.pid")"

if [ "$fail" -ne 0 ]; then
	echo "--- i2prd log (netd, last 40 lines)"
	grep 'netd:' "$tmp/i2prd.log" | tail -40
fi
echo "sessions: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
