#!/bin/bash
# The security audit's attacks (AUDIT.md in the shared docs) against a
# live i2prd floodfill with i2prd routers around it, from the private
# network launcher (etc/testnet.sh): one stranger, tests/interop/
# hostile_probe.c, mounts each attack it can reach over NTCP2.  Shown,
# with figures: the suite stays up, lookups are still answered and
# tunnels still build during and after the attacks, memory stays
# bounded (RSS before and after), and each attack is counted in the
# i2pctl show views.  Needs root (namespaces), not i2pd.
#
#   bash tests/interop/hostile.sh BUILD_DIR [SUITE_BUILD_DIR]
#
# SUITE_BUILD_DIR (default BUILD_DIR) runs another build of the suite
# against the same probes: an older commit's, to see the attacks work;
# HOSTILE_ONLY="1 3" mounts only those attacks.  The suite runs with
# MALLOC_PERTURB_ set, so that memory used after its free crashes at
# once instead of some time later.
set -u
build=$(cd "${1:-build}" && pwd)
suite=$(cd "${2:-$build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "hostile: needs root"; exit 1; }

launcher_setup hostile

want() { case " ${HOSTILE_ONLY:-1 2 3 4 6 11 12 15 16} " in *" $1 "*) return 0 ;; esac; return 1; }

# router 1, the target, is the one floodfill; 2-4 route around it
MALLOC_PERTURB_=165 bash "$top/etc/testnet.sh" start -n 4 -m 0 -f 1 -b "$suite" -d "$tmp" |
    sed 's/^/    /'
ri1=$tmp/i2prd1/state/router/router.info
nsx() { ip netns exec "$ns" "$@"; }
ctl1() { nsx "$suite/i2pctl" -s "$tmp/i2prd1/i2prd.sock" "$@"; }
fig() {		# view, then a Python expression over its JSON (d)
	ctl1 -j show "$1" | python3 -c "import json, sys
d = json.load(sys.stdin)['$1']
print($2)"
}
tr() { fig transit "d['$1']"; }
pools() { fig tunnels "d['pools']['inbound']['$1'] + d['pools']['outbound']['$1']"; }
up() {		# every process of router 1 runs
	suite_up "$tmp/i2prd1" && kill -0 "$(cat "$tmp/i2prd1/i2prd.pid")" 2>/dev/null
}
# a suite that died stops the test: what follows would only say so again
still_up() {	# what was just done
	check "$1: the suite still runs" up
	up && return 0
	tail -5 "$tmp/i2prd1/i2prd.log" | sed 's/^/    /'
	echo "hostile: $pass passed, $fail failed"
	exit 1
}
rss() { suite_rss "$tmp/i2prd1"; }
for a in 60 61 62 63 70 71; do nsx ip addr add 198.18.0.$a/32 dev lo; done
probe() { nsx "$build/tests/hostile_probe" "$ri1" 198.18.0.70 "$@"; }
# lookups of the routers router 1 holds, from two drivers, for 2 s
for k in 1 2 3 4; do ri_hash "$tmp/i2prd$k/state/router/router.info"; done \
    >"$tmp/keys"
lookups() {
	nsx "$build/tests/netdb_load" "$ri1" 198.18.0.60 2 2 "$tmp/keys" |
	    awk '{ print $3 }'
}
ready() {
	[ "$(fig tunnels "d['pools']['inbound']['ready']")" -ge 2 ] &&
	    [ "$(fig tunnels "d['pools']['outbound']['ready']")" -ge 2 ]
}
for _ in $(seq 90); do ready && break; sleep 1; done
check "router 1 has its exploratory tunnels" ready
rss0=$(rss)
built0=$(pools built)
look0=$(lookups)
echo "    before: RSS $rss0 kB, $look0 lookups answered in 2 s," \
    "$built0 tunnels built"
check "lookups answered before the attacks" test "${look0:-0}" -gt 0

# 1: redials that fail inside connect(); netd used the freed session
if want 1; then
	probe redial 30 | sed 's/^/    /'
	sleep 2
	still_up "#1 redial to an unroutable router"
	look1=$(lookups)
	echo "    after #1: $look1 lookups answered in 2 s"
	check "#1: lookups still answered" test "${look1:-0}" -gt 0
fi

# 2: a tunnel looped through router 1 itself
if want 2; then
	loop0=$(tr refused_loop)
	probe loop | sed 's/^/    /'
	sleep 1
	still_up "#2 tunnel looped through ourselves"
	echo "    router 1 refused $(( $(tr refused_loop) - loop0 )) build records" \
	    "whose next hop was itself"
	check "#2: records whose next hop is us refused and counted" \
	    test "$(tr refused_loop)" -ge $((loop0 + 2))
fi

# 4: junk build records enough to fill the replay filter of old
if want 4; then
	thr0=$(tr builds_throttled); rep0=$(tr builds_replayed)
	probe junk 270000 | sed 's/^/    /'
	sleep 2
	echo "    router 1: $(( $(tr builds_throttled) - thr0 )) junk records over" \
	    "the sender's budget, $(( $(tr builds_replayed) - rep0 )) counted replayed"
	still_up "#4 junk build records"
	check "#4: the junk sender's records throttled before any DH" \
	    test "$(tr builds_throttled)" -gt "$thr0"
	genuine=$(probe build)
	echo "    then a genuine build from another router: $genuine"
	check "#4: a genuine build is still accepted" test "$genuine" = "build: reply code 0"
fi

# 3: a store with a reply token sent down router 1's exploratory
# inbound tunnel, through its gateway: acknowledged straight from
# router 1, it would tie the tunnel to the router
if want 3; then
	gw=$(ctl1 -j show tunnels | python3 -c "import json, sys
d = json.load(sys.stdin)['tunnels']
for t in d['list']:
    if t['direction'] == 'in' and t['state'] == 'ready' and \\
        t['pool'] == 'exploratory' and t['hops']:
        print(t['hops'][0]['hash'], t['hops'][0]['tunnel_id'])
        break")
	gwhash=${gw% *}
	gwid=${gw#* }
	gwri=
	for k in 1 2 3 4; do
		f=$tmp/i2prd$k/state/router/router.info
		[ "$(ri_hash "$f")" = "$gwhash" ] && gwri=$f
	done
	unw0=$(fig tunnels "d['pools']['inbound']['unwanted']" 2>/dev/null || echo 0)
	if [ -n "$gwri" ]; then
		ts=$(probe tunnelstore "$gwri" "$gwid")
	else
		ts="tunnelstore: no gateway found"
	fi
	echo "    through gateway ${gwhash:0:8} tunnel $gwid: $ts"
	check "#3: a store down our exploratory tunnel is not acknowledged" \
	    test "$ts" = "tunnelstore: no answer"
	sleep 1
	check "#3: it is dropped and counted" \
	    test "$(fig tunnels "d['pools']['inbound']['unwanted']")" -gt "$unw0"
fi

# 6: a stream of stores of new RouterInfos from one router, each a
# signature check and a file write in routerd's event loop
if want 6; then
	st0=$(fig netdb "d['stores_throttled']")
	t0=$(date +%s.%N)
	probe stores 400 | sed 's/^/    /'
	echo "    router 1 refused $(( $(fig netdb "d['stores_throttled']") - st0 ))" \
	    "of them over the sender's rate, in $(awk -v a="$t0" -v b="$(date +%s.%N)" \
	    'BEGIN { printf "%.1f", b - a }') s"
	still_up "#6 a store flood"
	check "#6: stores over the sender's rate refused before the signature" \
	    test "$(fig netdb "d['stores_throttled']")" -ge $((st0 + 300))
fi

# 15: one frame of 5000 DateTime blocks an hour off: one log line, not 5000
if want 15; then
	lines0=$(grep -c "clock differs" "$tmp/i2prd1/i2prd.log")
	probe datetime 5000 | sed 's/^/    /'
	sleep 1
	lines=$(( $(grep -c "clock differs" "$tmp/i2prd1/i2prd.log") - lines0 ))
	echo "    router 1 logged the skew $lines times"
	still_up "#15 DateTime flood"
	check "#15: a clock skew is logged once per session" test "$lines" -le 1
fi

# 11: messages begun and never ended in five tunnels whose endpoint is
# router 1: 40 MB of fragments to hold, over the one 32 MiB budget
if want 11; then
	rd0=$(tr reassembly_dropped); rss_a=$(rss)
	probe frags 5 | sed 's/^/    /'
	held=$(tr reassembly_bytes); rss_b=$(rss)
	echo "    router 1 holds $((held / 1024)) kB for reassembly," \
	    "dropped $(( $(tr reassembly_dropped) - rd0 )) fragments over the" \
	    "budget; RSS $rss_a kB before, $rss_b kB after"
	still_up "#11 fragments never ended"
	check "#11: reassembly held within its 32 MiB budget" \
	    test "$held" -le $((32 * 1024 * 1024))
	check "#11: fragments over the budget dropped and counted" \
	    test "$(tr reassembly_dropped)" -gt "$rd0"
fi

# 12: garlic under no tag, each a DH in cryptod for router 1
if want 12; then
	g() { fig netdb "d['garlic_$1']"; }
	gin0=$(g in); gthr0=$(g throttled)
	probe garlic 500 | sed 's/^/    /'
	echo "    router 1: $(( $(g in) - gin0 )) garlic in," \
	    "$(( $(g throttled) - gthr0 )) over the sender's budget (no DH)"
	still_up "#12 garlic under no tag"
	check "#12: garlic beyond the sender's budget costs no DH, counted" \
	    test "$(g throttled)" -ge $((gthr0 + 400))
fi

# 16: search replies to no lookup of router 1's, each naming routers to
# look up: they used to start lookups and hold every search slot
if want 16; then
	nd() { fig netdb "d['$1']"; }
	una0=$(nd search_replies_unasked)
	probe dsrm 64 | sed 's/^/    /'
	echo "    router 1 dropped $(( $(nd search_replies_unasked) - una0 ))" \
	    "search replies to no lookup of its own"
	still_up "#16 unsolicited search replies"
	check "#16: unsolicited search replies dropped and counted" \
	    test "$(nd search_replies_unasked)" -ge $((una0 + 64))
fi

# after it all: one more tunnel each way, built now
sed -i 's/^log level info$/log level info\nexploratory inbound length 2 quantity 4\nexploratory outbound length 2 quantity 4/' \
    "$tmp/i2prd1/i2prd.conf"
ctl1 reload >/dev/null
look2=$(lookups)
for _ in $(seq 150); do
	[ "$(pools built)" -ge $((built0 + 2)) ] && break
	sleep 1
done
rss1=$(rss)
echo "    after: RSS $rss1 kB (before $rss0), $look2 lookups answered in 2 s," \
    "$(pools built) tunnels built (before $built0)"
check "the suite runs after every attack" up
check "lookups answered after the attacks" test "${look2:-0}" -gt 0
check "tunnels built after the attacks" test "$(pools built)" -ge $((built0 + 2))
[ "$(pools built)" -ge $((built0 + 2)) ] || ctl1 show tunnels | sed 's/^/    /'

check "memory bounded: RSS after under twice before plus 32 MB" \
    test "$rss1" -lt $((2 * rss0 + 32768))

echo "hostile: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
