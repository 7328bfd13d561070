#!/bin/bash
# Interop: i2prd as a plain router in a network of i2pd 2.45.1 routers.
#
# Four i2pd routers (1 and 2 floodfills) know each other; i2prd knows
# only i2pd 1.  Checked:
# - i2prd publishes its RouterInfo to the closest floodfill and the
#   DeliveryStatus verifies it;
# - it reaches every i2pd router: i2pd 1 and 2 as floodfills (stored,
#   flooded), 3 and 4, which i2prd never dials, through lookups and
#   explorations of their own at the floodfills;
# - i2prd learns every i2pd router by exploration from i2pd 1.
#
#   bash tests/interop/explore.sh BUILD_DIR [seconds to wait, default 240]
set -u
build=$(cd "${1:-build}" && pwd)
wait_max=${2:-240}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
interop_require explore

tmp=$(mktemp -d /tmp/i2prd-explore.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-ex-$$
me=198.18.0.10
n_i2pd=4
nsx() { ip netns exec "$ns" "$@"; }
ctl() { nsx "$build/i2pctl" -s "$tmp/i2prd.sock" "$@"; }
nd() { ctl_json netdb "$1"; }
trap testnet_cleanup EXIT

netns_up "$ns" $(seq 1 $n_i2pd) 10
i2pd_identities 2
for i in $(seq 1 $n_i2pd); do h[$i]=$(ri_hash "$tmp/i2pd$i/router.info"); done

# i2prd, a plain router knowing i2pd 1 only; i2pd routers start first
# and know each other, not i2prd
i2pd_know_each_other
for i in $(seq 1 $n_i2pd); do i2pd_start "$i"; done
mkdir -p "$tmp/state/router/netDb"
netdb_seed "$tmp/state/router/netDb" "$tmp/i2pd1/router.info"
chown -R _i2prd "$tmp/state/router"
i2prd_write_conf "$tmp" "$me" "log level debug"
i2prd_run
our=$(ri_hash "$tmp/state/router/router.info")

knows_all() {	# i2prd holds every i2pd router
	local i
	for i in 2 3 4; do
		[ -e "$tmp/state/router/netDb/r${h[$i]:0:1}/routerInfo-${h[$i]}.dat" ] ||
		    return 1
	done
}
known_by_all() {	# every i2pd router holds i2prd
	local i
	for i in $(seq 1 $n_i2pd); do netdb_has "$tmp/i2pd$i" "$our" || return 1; done
}
for _ in $(seq "$wait_max"); do
	knows_all && known_by_all && [ "$(nd stores_verified)" -gt 0 ] && break
	sleep 1
done
ctl show netdb | sed 's/^/    /'
check "our store to the closest floodfill was verified (DeliveryStatus)" \
    test "$(nd stores_verified)" -gt 0
check "i2prd explored (exploratory lookups, search replies, lookups)" bash -c \
    "[ $(nd explorations) -gt 0 ] && [ $(nd search_replies) -gt 0 ] &&
     [ $(nd lookups_sent) -gt 0 ]"
check "i2prd learnt i2pd 2, 3 and 4 from i2pd 1 alone" knows_all
for i in $(seq 1 $n_i2pd); do
	check "i2pd $i holds i2prd's RouterInfo" netdb_has "$tmp/i2pd$i" "$our"
done
check "the suite is still running" kill -0 "$(cat "$tmp/i2prd.pid")"

if [ "$fail" -ne 0 ]; then
	echo "--- i2prd log (announce, lookups, last 30 lines)"
	grep -E "announce|Search|lookup|DeliveryStatus" "$tmp/i2prd.log" | tail -30
	for i in $(seq 1 $n_i2pd); do
		echo "--- i2pd$i: NetDb lines"
		grep -E "NetDb" "$tmp/i2pd$i/i2pd.log" | tail -8
	done
fi
echo "explore: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
