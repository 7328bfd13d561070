#!/bin/bash
# Interop: NTCP2 between i2prd and i2pd 2.45.1, both directions.
#
# Four i2pd routers (two floodfill) and one i2prd in a network namespace
# of their own (loopback only; 198.18.0.0/24 as TESTNET.md explains).
# i2prd knows only the two floodfills (1, 2) and dials them; i2pd 3
# knows i2prd and dials it; i2pd 4 learns it from the network
# (tests/interop/explore.sh checks that).
#
#   bash tests/interop/ntcp2.sh BUILD_DIR [hold seconds, default 300]
set -u
build=$(cd "${1:-build}" && pwd)
hold=${2:-300}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
interop_require ntcp2

tmp=$(mktemp -d /tmp/i2prd-ntcp2.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-nt-$$
me=198.18.0.10
n_i2pd=4
nsx() { ip netns exec "$ns" "$@"; }
ctl() { nsx "$build/i2pctl" -s "$tmp/i2prd.sock" "$@"; }

trap testnet_cleanup EXIT

netns_up "$ns" $(seq 1 $n_i2pd) 10

# 1. i2pd routers make their identities: 1 and 2 are floodfills
i2pd_identities 2

# 2. i2prd, knowing the floodfills
mkdir -p "$tmp/state/router/netDb"
for i in 1 2; do netdb_seed "$tmp/state/router/netDb" "$tmp/i2pd$i/router.info"; done
# routerd writes there as the unprivileged user
chown -R _i2prd "$tmp/state/router"
i2prd_write_conf "$tmp" "$me" "log level debug"
i2prd_run
check "i2prd publishes its RouterInfo" test -s "$tmp/state/router/router.info"
our=$(ri_hash "$tmp/state/router/router.info")

# 3. the i2pd routers: all know each other, i2pd 3 also knows i2prd
i2pd_know_each_other
netdb_seed "$tmp/i2pd3/netDb" "$tmp/state/router/router.info"
for i in $(seq 1 $n_i2pd); do i2pd_start "$i"; done

# 4. sessions both ways
dirs() { ctl show peers | awk 'NR > 1 { print $3 }' | sort -u | tr '\n' ' '; }
for _ in $(seq 240); do
	case "$(dirs)" in *in*out*) break ;; esac
	sleep 1
done
ctl show peers | sed 's/^/    /'
check "i2prd dialled i2pd routers (outbound sessions)" \
    bash -c "'$build/i2pctl' -s '$tmp/i2prd.sock' show peers | awk '\$3 == \"out\"' | grep -q ." 
check "i2pd routers dialled i2prd (inbound sessions)" \
    bash -c "'$build/i2pctl' -s '$tmp/i2prd.sock' show peers | awk '\$3 == \"in\"' | grep -q ."
check "show peers -j parses" bash -c "'$build/i2pctl' -s '$tmp/i2prd.sock' -j show peers | python3 -m json.tool >/dev/null"

# 5. RouterInfos flow: the i2pd routers with a session to i2prd store
#    ours; 1 and 2 were never given it, they got it from our sessions.
stored() { netdb_has "$tmp/i2pd$1" "$our"; }
for _ in $(seq 180); do
	stored 1 && stored 2 && stored 3 && break
	sleep 1
done
check "i2pd 1 and 2 stored i2prd's RouterInfo, learnt from our sessions" \
    bash -c "[ -e '$tmp/i2pd1/netDb/r${our:0:1}/routerInfo-$our.dat' ] &&
	[ -e '$tmp/i2pd2/netDb/r${our:0:1}/routerInfo-$our.dat' ]"
check "i2pd 3 (which dialled us) keeps it" stored 3
check "i2prd stored RouterInfos of i2pd routers it was not given" \
    bash -c "ls '$tmp'/state/router/netDb/r*/routerInfo-*.dat | wc -l |
	awk '{ exit !(\$1 > 2) }'"
# routerd stores our RouterInfo to the closest floodfill with a reply token
for _ in $(seq 90); do
	grep -q 'DeliveryStatus' "$tmp/i2prd.log" && break
	sleep 1
done
check "i2pd floodfills answered our stores (DeliveryStatus)" \
    grep -q 'DeliveryStatus' "$tmp/i2prd.log"

# 6. message 1 probes: refused, and the router keeps serving
probe() { nsx "$build/tests/ntcp2_probe" "$tmp/state/router/router.info" "$me" 20000 "$1"; }
for m in netid stale random; do
	r=$(probe $m)
	echo "    probe $m: $r"
	check "message 1 with $m: no reply, closed after a delay" \
	    bash -c "echo '$r' | grep -Eq '^closed after ([0-9]{3,}) ms'"
done
r=$(probe good)
echo "    probe good: $r"
# message 2 is 64 bytes and up to 223 of padding
check "a correct message 1 gets message 2" bash -c \
    "n=\$(echo '$r' | sed -n 's/^reply \\([0-9]*\\) bytes.*/\\1/p'); [ \"\$n\" -ge 64 ]"
check "sessions still up after the probes" bash -c \
    "'$build/i2pctl' -s '$tmp/i2prd.sock' show peers | awk 'NR > 1' | grep -q ."

# 7. sessions hold with traffic: compare a session before and after
before=$(ctl -j show peers)
echo "    holding $hold s"
sleep "$hold"
after=$(ctl -j show peers)
check "sessions stayed up for $hold s with I2NP both ways" python3 - "$before" "$after" "$hold" <<'PY'
import json, sys
b = {p["hash"]: p for p in json.loads(sys.argv[1])["peers"]}
a = {p["hash"]: p for p in json.loads(sys.argv[2])["peers"]}
held = [h for h in b if h in a and a[h]["age"] >= int(sys.argv[3])
        and a[h]["msgs_in"] > b[h]["msgs_in"] and a[h]["msgs_out"] > b[h]["msgs_out"]]
print("    held with traffic:", len(held), "of", len(b))
sys.exit(0 if held else 1)
PY
errs=$(grep -hE "${our:0:8}|$me" "$tmp"/i2pd*/i2pd.log |
    grep NTCP2 | grep -iE 'error|terminat|invalid' | head -5)
[ -n "$errs" ] && echo "$errs" | sed 's/^/    /'
check "no i2pd logged an NTCP2 error or termination naming i2prd" test -z "$errs"
check "the suite is still running" kill -0 "$(cat "$tmp/i2prd.pid")"

if [ "$fail" -ne 0 ]; then
	echo "--- i2prd log (last 60 lines)"; tail -60 "$tmp/i2prd.log"
	for i in $(seq 1 $n_i2pd); do
		echo "--- i2pd$i: NTCP2 and netDb lines about i2prd"
		grep -E "NTCP2|NetDb" "$tmp/i2pd$i/i2pd.log" |
		    grep -E "${our:0:8}|$me|rror" | tail -15
	done
fi
echo "ntcp2: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
