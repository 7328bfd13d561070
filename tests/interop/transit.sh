#!/bin/bash
# Interop: i2pd 2.45.1 routers build their tunnels through i2prd.
#
# Four i2pd routers (two floodfills) and one i2prd know each other.
# The i2pd routers build exploratory tunnels of two hops from the
# routers they know; i2prd must take every role: participant, inbound
# gateway and outbound endpoint, answer the ShortTunnelBuild records
# so that the creators accept the replies, and carry their TunnelData
# (their tunnel tests go through it).  Checked from both sides:
# i2prd's "show transit", and the i2pd routers' peer profiles, where
# each counts builds through i2prd that it agreed to.
#
#   bash tests/interop/transit.sh BUILD_DIR [seconds to wait, default 180]
set -u
build=$(cd "${1:-build}" && pwd)
wait_max=${2:-180}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
interop_require transit

tmp=$(mktemp -d /tmp/i2prd-transit.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-tr-$$
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
i2prd_write_conf "$tmp" "$me" "log level debug"
i2prd_run
our=$(ri_hash "$tmp/state/router/router.info")
i2pd_know_each_other
# i2pd 1's web console shows its tunnels, their hops and their state
python3 - "$tmp/i2pd1/i2pd.conf" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("[http]\nenabled = false", "[http]\nenabled = true\n"
    "address = 198.18.0.1\nport = 7070\nstrictheaders = false")
open(p, "w").write(s)
PY
# five exploratory tunnels each way, not two: every role comes up soon
for i in $(seq 1 $n_i2pd); do
	printf '[exploratory]\ninbound.quantity = 5\noutbound.quantity = 5\n' \
	    >> "$tmp/i2pd$i/i2pd.conf"
	netdb_seed "$tmp/i2pd$i/netDb" "$tmp/state/router/router.info"
	i2pd_start "$i"
done

tr() {	# one figure of show transit: a key, or a role under "accepted"
	ip netns exec "$ns" "$build/i2pctl" -s "$tmp/i2prd.sock" -j show transit |
	    python3 -c "import json, sys
d = json.load(sys.stdin)['transit']
k = sys.argv[1].split('.')
print(d[k[0]][k[1]] if len(k) == 2 else d[k[0]])" "$1"
}
for _ in $(seq "$wait_max"); do
	[ "$(tr accepted.participant)" -gt 0 ] && [ "$(tr accepted.gateway)" -gt 0 ] &&
	    [ "$(tr accepted.endpoint)" -gt 0 ] && [ "$(tr delivered)" -gt 0 ] &&
	    [ "$(tr gateway_in)" -gt 0 ] && break
	sleep 1
done
ip netns exec "$ns" "$build/i2pctl" -s "$tmp/i2prd.sock" show transit | sed 's/^/    /'
check "i2pd builds through i2prd as a participant" test "$(tr accepted.participant)" -gt 0
check "... as an inbound gateway" test "$(tr accepted.gateway)" -gt 0
check "... as an outbound endpoint" test "$(tr accepted.endpoint)" -gt 0
check "TunnelData passes through (received and sent on)" bash -c \
    "[ $(tr data_in) -gt 0 ] && [ $(tr data_out) -gt 0 ]"
check "the outbound endpoint delivers messages" test "$(tr delivered)" -gt 0
check "the inbound gateway takes TunnelGateway messages in" \
    test "$(tr gateway_in)" -gt 0
check "no build request was malformed" test "$(tr builds_malformed)" -eq 0
check "the suite is still running" kill -0 "$(cat "$tmp/i2prd.pid")"

# i2pd 1's tunnels through i2prd (hops shown by 4 characters of their
# hash): built, and still established after i2pd's tunnel tests, run
# every 15 s, had their turn; those through i2pd routers alone counted
# beside them for comparison.  i2pd marks a tunnel failed after one lost
# test (a tunnel test pairs two tunnels: either may have lost it) and
# established again after the next that passes, so the console is read
# three times, 10 s apart, and the counts summed.
sleep 20
console() {
	ip netns exec "$ns" python3 -c '
import re, sys, urllib.request
page = urllib.request.urlopen("http://198.18.0.1:7070/?page=tunnels",
    timeout=10).read().decode("utf-8", "replace")
n = {True: [0, 0], False: [0, 0]}
for item in re.findall(r"<div class=\"listitem\">(.*?)</div>", page, re.S):
    ours = sys.argv[1] in item
    if "tunnel established" in item:
        n[ours][0] += 1
    elif "tunnel failed" in item:
        n[ours][1] += 1
        if ours:
            sys.stderr.write("failed: " + " ".join(
                re.sub("<[^>]*>", "", item).split()) + "\n")
print(*n[True], *n[False])' "${our:0:4}"
}
est=0 failed=0 oest=0 ofailed=0
for k in 1 2 3; do
	[ "$k" -eq 1 ] || sleep 10
	console > "$tmp/console" 2>&1
	grep "^failed:" "$tmp/console" | sed 's/^/    /'
	read -r e f oe of < <(grep -v "^failed:" "$tmp/console")
	est=$((est + ${e:-0})) failed=$((failed + ${f:-99}))
	oest=$((oest + ${oe:-0})) ofailed=$((ofailed + ${of:-0}))
done
echo "    i2pd 1's tunnels through i2prd, three looks summed: $est established, $failed failed"
echo "    (its tunnels through i2pd routers only: $oest established, $ofailed failed)"
# tests of tunnels through i2pd routers alone fail now and then too
check "i2pd 1's tunnels through i2prd pass its tests (at least 80% established)" \
    bash -c "[ $est -gt 0 ] && [ $((failed * 4)) -le $est ]"

# i2pd's side: its peer profiles, written when it stops
i2pd_stop_all
agreed=0
for i in $(seq 1 $n_i2pd); do
	f=$(ls "$tmp/i2pd$i/peerProfiles/"p*/"profile-$our.txt" 2>/dev/null)
	[ -n "$f" ] || continue
	a=$(awk -F' *= *' '/^agreed/ { print $2 }' "$f")
	d=$(awk -F' *= *' '/^declined/ { print $2 }' "$f")
	echo "    i2pd$i's profile of i2prd: agreed ${a:-0}, declined ${d:-0}"
	agreed=$((agreed + ${a:-0}))
done
check "the i2pd routers count builds i2prd agreed to" test "$agreed" -gt 0

if [ "$fail" -ne 0 ]; then
	# i2pd logs each lost test (at warn level): which routers lost tests
	for i in $(seq 1 $n_i2pd); do
		echo "--- i2pd$i: $(grep -c 'Test of tunnel .* failed' \
		    "$tmp/i2pd$i/i2pd.log") tunnel tests failed"
	done
	ip netns exec "$ns" "$build/i2pctl" -s "$tmp/i2prd.sock" show transit |
	    sed 's/^/    /'
fi
if [ "$fail" -ne 0 ] || [ "$(tr dropped 2>/dev/null || echo 0)" != 0 ]; then
	echo "--- i2prd: dropped tunnel messages"
	grep -E "dropped|endpoint:" "$tmp/i2prd.log" | grep -v "expired" | tail -10
fi
echo "transit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
