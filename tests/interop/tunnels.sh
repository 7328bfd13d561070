#!/bin/bash
# Interop: i2prd builds its exploratory tunnels through i2pd 2.45.1.
#
# Four i2pd routers (two floodfills) and one i2prd know each other.
# i2prd builds two-hop inbound and outbound tunnels from i2pd hops
# only: short build records to each hop, the inbound builds' replies
# coming back as the build message through the tunnel, the outbound
# ones as the endpoint's OutboundTunnelBuildReply in garlic under the
# key and tag of its record; then tests them (a DeliveryStatus out
# through each outbound tunnel and back in through an inbound one).
#
# Warm-up is the start of the network, a minute: the i2pd routers and
# i2prd dial each other.  After it the pools are raised from 2 to 12
# tunnels each way by a reload, and those builds are counted: at least
# eight (a pool may already hold a stand-in or two), 80% of them built.
# By then outbound tunnels exist, so the new inbound builds travel
# through them as garlic to the gateway's router key.  Last, with
# "build records long", builds of long records (VariableTunnelBuild).
#
# A destination's client tunnels are built beside them: tunneld makes
# its key and asks routerd for its pools, whose hops come from the fast
# and high capacity tier first; its outbound tunnels are tested through
# its own inbound ones.  Its quantity is raised at the same reload, and
# at least half the hops of the builds after warm-up, when the profiles
# have data, must be fast ones.  The destination is the same after a
# restart.
#
#   bash tests/interop/tunnels.sh BUILD_DIR [seconds to wait, default 120]
set -u
build=$(cd "${1:-build}" && pwd)
wait_max=${2:-120}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
interop_require tunnels

tmp=$(mktemp -d /tmp/i2prd-tunnels.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-tun-$$
me=198.18.0.10
n_i2pd=4
trap testnet_cleanup EXIT

netns_up "$ns" $(seq 1 $n_i2pd) 10
i2pd_identities 2
mkdir -p "$tmp/state/router/netDb"
for i in $(seq 1 $n_i2pd); do
	netdb_seed "$tmp/state/router/netDb" "$tmp/i2pd$i/router.info"
done
chown -R _i2prd "$tmp/state/router"
i2prd_write_conf "$tmp" "$me" "log level debug" \
    "exploratory inbound length 2 quantity 2 fixed gateway 30" \
    "exploratory outbound length 2 quantity 2" \
    "destination probe inbound length 2 quantity 3 outbound length 2 quantity 3" \
    "transit max 3"
i2prd_run
i2pd_know_each_other
for i in $(seq 1 $n_i2pd); do
	netdb_seed "$tmp/i2pd$i/netDb" "$tmp/state/router/router.info"
	i2pd_start "$i"
done

ctl() { ip netns exec "$ns" "$build/i2pctl" -s "$tmp/i2prd.sock" "$@"; }
pool() {	# pool figure: in|out KEY
	ctl -j show tunnels | python3 -c "import json, sys
d = json.load(sys.stdin)['tunnels']['pools']
print(d['inbound' if sys.argv[1] == 'in' else 'outbound'][sys.argv[2]])" "$1" "$2"
}
client() {	# destination probe: in|out KEY, or destination
	ctl -j show tunnels | python3 -c "import json, sys
c = [x for x in json.load(sys.stdin)['tunnels']['clients']
    if x['name'] == 'probe']
a = sys.argv[1:]
if not c:
    print(-1 if a[0] != 'destination' else '')
elif a[0] == 'destination':
    print(c[0]['destination'])
else:
    print(c[0]['inbound' if a[0] == 'in' else 'outbound'][a[1]])" "$@"
}
hops() {	# hops picked, both ways: exploratory|probe fast|all
	ctl -j show tunnels | python3 -c "import json, sys
d = json.load(sys.stdin)['tunnels']
p = d['pools'] if sys.argv[1] == 'exploratory' else \\
    [x for x in d['clients'] if x['name'] == sys.argv[1]][0]
t = [p[k]['hop_tiers'] for k in ('inbound', 'outbound')]
print(sum(x['fast'] if sys.argv[2] == 'fast' else sum(x.values())
    for x in t))" "$@"
}
answered() {
	echo $(( $(pool "$1" built) + $(pool "$1" refused) + \
	    $(pool "$1" timeouts) + $(pool "$1" bad_reply) ))
}

# warm-up: both pools full, a tunnel test passed, and a minute for the
# i2pd routers to dial each other (until they have, a message between
# two of them can wait tens of seconds for a session, or go with one
# that loses a simultaneous dial)
started=$(date +%s)
for _ in $(seq "$wait_max"); do
	[ "$(pool in ready)" -ge 2 ] && [ "$(pool out ready)" -ge 2 ] &&
	    [ "$(pool out tests_ok)" -gt 0 ] && break
	sleep 1
done
check "warm-up: two inbound and two outbound tunnels built" \
    bash -c "[ $(pool in ready) -ge 2 ] && [ $(pool out ready) -ge 2 ]"
check "warm-up: a tunnel test passed" test "$(pool out tests_ok)" -gt 0
sleep $(( 60 - ($(date +%s) - started) > 0 ? 60 - ($(date +%s) - started) : 0 ))
b_in=$(pool in built); a_in=$(answered in)
nd() { ctl_json netdb "$1"; }
replies0=$(nd search_replies)
b_out=$(pool out built); a_out=$(answered out)
t_ok=$(pool out tests_ok); t_bad=$(pool out tests_failed)
c_fast=$(hops probe fast); c_all=$(hops probe all)
e_fast=$(hops exploratory fast); e_all=$(hops exploratory all)

# after warm-up: twelve each way (the inbound gateway stays), and the
# destination's six
sed -i 's/quantity 2\b/quantity 12/; s/quantity 3\b/quantity 6/g' "$tmp/i2prd.conf"
check "reload with 12 tunnels each way" ctl reload
for _ in $(seq "$wait_max"); do
	[ "$(pool in ready)" -ge 12 ] && [ "$(pool out ready)" -ge 12 ] &&
	    [ "$(pool in building)" -eq 0 ] && [ "$(pool out building)" -eq 0 ] &&
	    [ "$(client in ready)" -ge 6 ] && [ "$(client out ready)" -ge 6 ] &&
	    break
	sleep 1
done
sleep 45		# two more rounds of tests
ctl show tunnels | sed 's/^/    /'
rate() {	# built answered: a percentage
	awk -v b="$1" -v a="$2" 'BEGIN { printf "%d", (a > 0 ? 100 * b / a : 0) }'
}
nb_in=$(( $(pool in built) - b_in )); na_in=$(( $(answered in) - a_in ))
nb_out=$(( $(pool out built) - b_out )); na_out=$(( $(answered out) - a_out ))
echo "    after warm-up: inbound $nb_in of $na_in built ($(rate $nb_in $na_in)%)," \
    "outbound $nb_out of $na_out ($(rate $nb_out $na_out)%)"
echo "    build latency p50/p90: inbound $(pool in latency_p50_ms)/$(pool in latency_p90_ms) ms," \
    "outbound $(pool out latency_p50_ms)/$(pool out latency_p90_ms) ms"
check "after warm-up, at least 80% of inbound builds succeed" \
    bash -c "[ $na_in -ge 8 ] && [ $(rate $nb_in $na_in) -ge 80 ]"
check "after warm-up, at least 80% of outbound builds succeed" \
    bash -c "[ $na_out -ge 8 ] && [ $(rate $nb_out $na_out) -ge 80 ]"
n_ok=$(( $(pool out tests_ok) - t_ok )); n_bad=$(( $(pool out tests_failed) - t_bad ))
echo "    tunnel tests after warm-up: $n_ok passed, $n_bad failed"
check "our tunnels pass their tests (at least 80%)" \
    bash -c "[ $n_ok -gt 0 ] && [ $((n_bad * 4)) -le $n_ok ]"
# the netDb traffic went through the tunnels, and answers came back
echo "    through our tunnels: $(nd lookups_tunneled) lookups;" \
    "search replies since warm-up: $(( $(nd search_replies) - replies0 ))"
check "lookups go through our tunnels and are answered" \
    bash -c "[ $(nd lookups_tunneled) -gt 0 ] && [ $(nd search_replies) -gt $replies0 ]"
gateways=$(ctl -j show tunnels | python3 -c "import json, sys
t = json.load(sys.stdin)['tunnels']['list']
print(len(set(x['hops'][0]['hash'] for x in t if x['pool'] == 'exploratory'
    and x['direction'] == 'in' and x['state'] == 'ready')))")
check "inbound tunnels keep one gateway (fixed gateway 30)" test "$gateways" -eq 1
our=$(ri_hash "$tmp/state/router/router.info")
check "no tunnel of ours has us as a hop" \
    bash -c "! ip netns exec $ns $build/i2pctl -s $tmp/i2prd.sock show tunnels | grep -q -- '> ${our:0:8}\|  ${our:0:8} >'"
check "no build reply failed to open" \
    bash -c "[ $(pool in bad_reply) -eq 0 ] && [ $(pool out bad_reply) -eq 0 ]"
# inbound builds sent through an outbound tunnel go as Noise N garlic to
# the gateway's key: built means i2pd opened it.  (i2pd's own garlic
# failures are shown for the record: they include the i2pd routers'
# traffic among themselves.)
echo "    inbound builds sent as garlic: $(pool in builds_garlic), built $(pool in built_garlic)"
grep -hE 'Garlic: .*(AEAD verification failed|Incorrect)' "$tmp"/i2pd*/i2pd.log |
    head -3 | sed 's/^/    i2pd: /'
check "i2pd opens the garlic we send it (inbound builds through our tunnels)" \
    bash -c "[ $(pool in builds_garlic) -ge 5 ] && [ $(( $(pool in built_garlic) * 5 )) -ge $(( $(pool in builds_garlic) * 4 )) ]"
check "the suite is still running" kill -0 "$(cat "$tmp/i2prd.pid")"

# the destination's client tunnels
echo "    destination probe: inbound $(client in ready) ready, outbound" \
    "$(client out ready); tests $(client out tests_ok) passed," \
    "$(client out tests_failed) failed"
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b > 0 ? 100 * a / b : 0) }'; }
c_fast=$(( $(hops probe fast) - c_fast )); c_all=$(( $(hops probe all) - c_all ))
e_fast=$(( $(hops exploratory fast) - e_fast ))
e_all=$(( $(hops exploratory all) - e_all ))
echo "    hops picked after warm-up from the fast tier: client $c_fast of" \
    "$c_all ($(pct $c_fast $c_all)%), exploratory $e_fast of $e_all" \
    "($(pct $e_fast $e_all)%)"
check "tunneld made the destination's key and asked for its pools" \
    bash -c "[ -n '$(client destination)' ] &&
    grep -q '^probe ' '$tmp/state/client/destinations'"
check "its client tunnels are built through i2pd hops (six each way)" \
    bash -c "[ $(client in ready) -ge 6 ] && [ $(client out ready) -ge 6 ]"
check "its outbound tunnels pass tests through its inbound ones (80%)" \
    bash -c "[ $(client out tests_ok) -gt 0 ] &&
    [ $(( $(client out tests_failed) * 4 )) -le $(client out tests_ok) ]"
# Which peers are fast moves with build latency, and on a loaded machine
# it moves a lot between tier updates: the fast tier can be one peer or
# none for a while.  So the client pools are measured against the
# exploratory ones, which pick among all peers at random over the same
# minutes: fast first must give the client pools the larger share.
check "client hops come from the fast tier more often than exploratory ones" \
    bash -c "[ $c_all -ge 8 ] && [ $c_fast -gt 0 ] &&
    [ $((c_fast * e_all)) -gt $((e_fast * c_all)) ]"
check "tunneld hears of them (ready each way)" \
    grep -q "destination probe: client tunnels ready" "$tmp/i2prd.log"
dest_before=$(client destination)

# limits: with "transit max 3" the i2pd routers' builds through us are
# refused beyond three, and our caps say so (proposal 162: E at 90%)
tr() { ctl_json transit "$1"; }
active=$(ctl -j show transit | python3 -c "import json, sys
print(sum(json.load(sys.stdin)['transit']['active'].values()))")
caps=$(ctl -j show summary | python3 -c "import json, sys
print(json.load(sys.stdin)['summary']['caps'])")
echo "    transit: $active tunnels (max $(tr max)), $(tr refused_limit) builds refused" \
    "at the limit; our caps $caps"
check "transit max 3: never more than three transit tunnels" test "$active" -le 3
check "builds beyond it refused and counted" test "$(tr refused_limit)" -gt 0
check "our caps carry the congestion cap E" bash -c "echo '$caps' | grep -q E"

# profiles: every i2pd router agreed to builds; kept across a restart
prof() {	# peers profiled, or those with agreed builds (arg "agreed")
	ctl -j show profiles | python3 -c "import json, sys
p = json.load(sys.stdin)['profiles']['peers']
print(len([x for x in p if sys.argv[1] != 'agreed' or x['agreed'] > 0]))" "$1"
}
ctl show profiles | sed 's/^/    /'
check "show profiles: the four i2pd routers agreed to builds" \
    test "$(prof agreed)" -eq 4
check "no i2pd router is failing" bash -c \
    "[ \$(ip netns exec $ns $build/i2pctl -s $tmp/i2prd.sock -j show profiles |
    python3 -c 'import json,sys; print(json.load(sys.stdin)[\"profiles\"][\"tiers\"][\"failing\"])') -eq 0 ]"
i2prd_stop
check "profiles written at stop" test -s "$tmp/state/router/profiles.dat"
rm -f "$tmp/state/router/router.info"
i2prd_run
check "profiles read back at start: the four i2pd routers" \
    test "$(prof agreed)" -eq 4
for _ in $(seq 30); do
	[ -n "$(client destination)" ] && break
	sleep 1
done
check "the destination is the same after the restart" \
    test "$(client destination)" = "$dest_before"
# after the restart our RouterInfo is published once tunnels are up
for _ in $(seq 60); do
	[ "$(nd stores_verified)" -gt 0 ] && break
	sleep 1
done
echo "    after the restart: $(nd stores_sent) stores of our RouterInfo," \
    "$(nd stores_tunneled) through our tunnels, $(nd stores_verified) verified"
check "our RouterInfo is published through our tunnels and verified" \
    bash -c "[ $(nd stores_tunneled) -gt 0 ] && [ $(nd stores_verified) -gt 0 ]"

# long records: with "build records long", the tunnels that bring each
# pool up to 16 go as VariableTunnelBuild (528-byte ECIES records; the
# outbound endpoint's reply a VariableTunnelBuildReply, not garlic): at
# least two each way (a pool may hold a stand-in or two beyond 12)
for _ in $(seq 60); do
	[ "$(pool in ready)" -ge 12 ] && [ "$(pool out ready)" -ge 12 ] && break
	sleep 1
done
sed -i 's/quantity 12\b/quantity 16/; $a build records long' "$tmp/i2prd.conf"
ctl reload >/dev/null
for _ in $(seq 90); do
	[ "$(pool in ready)" -ge 16 ] && [ "$(pool out ready)" -ge 16 ] &&
	    [ "$(pool in building)" -eq 0 ] && [ "$(pool out building)" -eq 0 ] &&
	    break
	sleep 1
done
echo "    long records: inbound $(pool in built_long) of $(pool in builds_long) built," \
    "outbound $(pool out built_long) of $(pool out builds_long)"
check "long records: i2pd hops build our tunnels (at least 80%)" bash -c "
	for d in in out; do
		b=\$(ip netns exec $ns $build/i2pctl -s $tmp/i2prd.sock -j show tunnels |
		    python3 -c \"import json,sys; p=json.load(sys.stdin)['tunnels']['pools']['\${d}bound']; print(p['builds_long'], p['built_long'])\")
		set -- \$b
		[ \$1 -ge 2 ] && [ \$((\$2 * 5)) -ge \$((\$1 * 4)) ] || exit 1
	done"

if [ "$fail" -ne 0 ]; then
	echo "--- i2prd: tunnel lines"
	grep -E "tunnel [0-9]+|garlic|OutboundTunnelBuildReply" "$tmp/i2prd.log" |
	    grep -v "transit tunnel" | tail -20
fi
i2pd_stop_all
echo "tunnels: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
