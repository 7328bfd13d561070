#!/bin/bash
# Interop: i2prd as a floodfill among i2pd 2.45.1 routers.
#
# i2prd (floodfill yes) at .10; i2pd 1 is a floodfill, i2pd 2-4 are
# not.  Each i2pd knows only i2prd, and i2prd knows only i2pd 1, so:
# - i2pd 2-4 publish their RouterInfos to i2prd, the one floodfill they
#   know, and i2prd acknowledges each store and floods it to i2pd 1;
# - the i2pd routers' lookups are answered; how soon they learn each
#   other depends on i2pd's own schedule (it explores a floodfill it is
#   connected to with plain RouterInfo lookups for random keys, and
#   looks routers up as its tunnels need them), so that is printed, not
#   checked.  A lookup of our own, for each i2pd router, must come back
#   with its RouterInfo, and one for an unknown key with a search reply.
#   (i2pd 2.45.1 sends lookups through tunnels only to floodfills it is
#   not connected to: here every lookup comes direct, so garlic replies
#   are not exercised against i2pd by this test.)
#
#   bash tests/interop/floodfill.sh BUILD_DIR [seconds to wait, default 240]
set -u
build=$(cd "${1:-build}" && pwd)
wait_max=${2:-240}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
interop_require floodfill

tmp=$(mktemp -d /tmp/i2prd-ff.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-ff-$$
me=198.18.0.10
n_i2pd=4
nsx() { ip netns exec "$ns" "$@"; }
ctl() { nsx "$build/i2pctl" -s "$tmp/i2prd.sock" "$@"; }
ff() { ctl_json floodfill "$1"; }
[ -x "$build/tests/netdb_load" ] || { echo "floodfill: run make first"; exit 1; }
trap testnet_cleanup EXIT

netns_up "$ns" $(seq 1 $n_i2pd) 10 20
i2pd_identities 1
for i in $(seq 1 $n_i2pd); do h[$i]=$(ri_hash "$tmp/i2pd$i/router.info"); done

# i2prd, a floodfill knowing i2pd 1 only
mkdir -p "$tmp/state/router/netDb"
netdb_seed "$tmp/state/router/netDb" "$tmp/i2pd1/router.info"
chown -R _i2prd "$tmp/state/router"
i2prd_write_conf "$tmp" "$me" "log level debug" "floodfill yes"
i2prd_run
check "i2prd publishes a floodfill RouterInfo (caps f)" \
    bash -c "'$build/i2pctl' -s '$tmp/i2prd.sock' show summary | grep -q '^Caps .*f'"
our=$(ri_hash "$tmp/state/router/router.info")

# the i2pd routers know i2prd only
for i in $(seq 1 $n_i2pd); do
	netdb_seed "$tmp/i2pd$i/netDb" "$tmp/state/router/router.info"
	i2pd_start "$i"
done

# stores from the i2pd routers, acknowledged, flooded to i2pd 1
for _ in $(seq "$wait_max"); do
	netdb_has "$tmp/i2pd1" "${h[2]}" && netdb_has "$tmp/i2pd1" "${h[3]}" &&
	    netdb_has "$tmp/i2pd1" "${h[4]}" && [ "$(ff stores_flooded)" -gt 0 ] &&
	    break
	sleep 1
done
ctl show floodfill | sed 's/^/    /'
check "i2pd routers published their RouterInfos to i2prd" \
    test "$(ff stores_received)" -ge 3
check "i2prd acknowledged the stores (DeliveryStatus)" \
    test "$(ff stores_acknowledged)" -ge 3
check "i2prd flooded the stores on" test "$(ff stores_flooded)" -ge 1
check "i2pd 1 (floodfill) holds the RouterInfos of i2pd 2, 3 and 4" bash -c \
    "[ -e '$tmp/i2pd1/netDb/r${h[2]:0:1}/routerInfo-${h[2]}.dat' ] &&
     [ -e '$tmp/i2pd1/netDb/r${h[3]:0:1}/routerInfo-${h[3]}.dat' ] &&
     [ -e '$tmp/i2pd1/netDb/r${h[4]:0:1}/routerInfo-${h[4]}.dat' ]"

# lookups answered; what the i2pd routers learnt of each other
learnt() {
	local i j
	for i in 2 3 4; do
		for j in 2 3 4; do
			[ "$i" -ne "$j" ] && ! netdb_has "$tmp/i2pd$i" "${h[$j]}" &&
			    return 1
		done
	done
	return 0
}
for _ in $(seq 60); do
	learnt && break
	sleep 1
done
ctl show floodfill | sed 's/^/    /'
check "i2prd answered the i2pd routers' lookups" \
    test "$(( $(ff lookups_answered) + $(ff lookups_not_found) ))" -gt 0
echo "    i2pd 2, 3 and 4 learnt each other: $(learnt && echo yes || echo not yet)"
# our own lookups (tests/bench/netdb_load.c), from 198.18.0.20
for i in 2 3 4; do echo "${h[$i]}"; done > "$tmp/keys"
out=$(ip netns exec "$ns" "$build/tests/netdb_load" \
    "$tmp/state/router/router.info" 198.18.0.20 2 1 "$tmp/keys")
echo "    $out"
check "lookups for the i2pd routers come back with their RouterInfos" \
    bash -c "echo '$out' | grep -Eq 'entry [1-9][0-9]*, search reply 0'"
python3 -c 'import os,base64; print(base64.b64encode(os.urandom(32), b"-~").decode())' \
    > "$tmp/keys"
out=$(ip netns exec "$ns" "$build/tests/netdb_load" \
    "$tmp/state/router/router.info" 198.18.0.20 2 1 "$tmp/keys")
echo "    $out"
check "a lookup for an unknown key gets a search reply" \
    bash -c "echo '$out' | grep -Eq 'entry 0, search reply [1-9]'"
check "show netdb counts what i2prd holds" bash -c \
    "'$build/i2pctl' -s '$tmp/i2prd.sock' -j show netdb | python3 -c \
    'import json,sys; d=json.load(sys.stdin)[\"netdb\"]; sys.exit(not (d[\"routers\"] >= 4 and d[\"floodfills\"] >= 1))'"
# i2pd logs "Garlic: Payload for router AEAD verification failed" for
# any garlic to the router whose tag it does not hold, its own routers'
# late replies included (seen in tunnels.sh too, where i2prd is no
# floodfill): shown for the record, not counted as ours
errs=$(grep -hiE "garlic|DatabaseSearchReply|DatabaseStore" "$tmp"/i2pd*/i2pd.log |
    grep -iE 'error|fail|invalid|malformed' |
    grep -v 'Garlic: Payload for router AEAD verification failed' | head -5)
[ -n "$errs" ] && echo "$errs" | sed 's/^/    /'
grep -h 'Garlic: Payload for router AEAD verification failed' "$tmp"/i2pd*/i2pd.log |
    head -3 | sed 's/^/    i2pd, not counted: /'
check "no i2pd error about our stores, replies or garlic" test -z "$errs"
check "the suite is still running" kill -0 "$(cat "$tmp/i2prd.pid")"

if [ "$fail" -ne 0 ]; then
	echo "--- i2prd log (last 40 lines)"; tail -40 "$tmp/i2prd.log"
	for i in $(seq 1 $n_i2pd); do
		echo "--- i2pd$i: NetDb lines"
		grep -E "NetDb|Garlic" "$tmp/i2pd$i/i2pd.log" | tail -12
	done
fi
echo "floodfill: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
