#!/bin/bash
# Interop: SSU2 between i2prd and i2pd 2.45.1, both directions.
#
# Three i2pd routers (1 and 2 floodfills) with SSU2 on and NTCP2 off,
# so that SSU2 is the only way, and one i2prd with "listen on ... ssu2"
# beside its NTCP2 line, in a namespace of their own (loopback only,
# 198.18.0.0/24).  i2prd knows the floodfills and dials them (i2pd 1
# through a RouterInfo that still names NTCP2: that dial falls back to
# SSU2); i2pd 3 knows i2prd and dials it; i2pd builds tunnels through
# us.  Then I2NP flows for a while, and hostile
# datagrams (garbage, oversized, replayed, Session Requests without a
# token, a Token Request flood) are dropped, counted, and change nothing.
#
#   bash tests/interop/ssu2.sh BUILD_DIR [hold seconds, default 60]
set -u
build=$(cd "${1:-build}" && pwd)
hold=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
interop_require ssu2

tmp=$(mktemp -d /tmp/i2prd-ssu2.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-s2-$$
me=198.18.0.10
n_i2pd=3
nsx() { ip netns exec "$ns" "$@"; }
ctl() { nsx "$build/i2pctl" -s "$tmp/i2prd.sock" "$@"; }

# lib.sh's i2pd, with SSU2; NTCP2 off but for i2pd 1's first start
i2pd_conf() {
	mkdir -p "$tmp/i2pd$1"
	i2pd_write_conf "$tmp/i2pd$1" "198.18.0.$1" "$2" \
	    "${I2PD_LOGLEVEL:-info}" "threshold = 0"
	i2pd_ssu2_on "$1"
	[ "$1" -ne 1 ] && i2pd_ntcp2_off "$1"
}

trap testnet_cleanup EXIT

# 20-23: the hostile probes' addresses, one per check (limits are per address)
netns_up "$ns" $(seq 1 $n_i2pd) 10 20 21 22 23

# 1. i2pd routers make their identities: 1 and 2 are floodfills.  i2pd 1
#    publishes NTCP2 and SSU2 in the RouterInfo i2prd is given, then runs
#    without NTCP2: our NTCP2 dial to it is refused, and falls back.
i2pd_identities 2
i2pd_ntcp2_off 1
check "i2pd 2 publishes SSU2 and no NTCP2" bash -c \
    "grep -aq SSU2 '$tmp/i2pd2/router.info' && ! grep -aq NTCP2 '$tmp/i2pd2/router.info'"
check "i2pd 1 as i2prd knows it: NTCP2 and SSU2" bash -c \
    "grep -aq SSU2 '$tmp/i2pd1/router.info' && grep -aq NTCP2 '$tmp/i2pd1/router.info'"

# 2. i2prd, knowing the floodfills, with SSU2 on the same port
mkdir -p "$tmp/state/router/netDb"
for i in 1 2; do netdb_seed "$tmp/state/router/netDb" "$tmp/i2pd$i/router.info"; done
chown -R _i2prd "$tmp/state/router"
i2prd_write_conf "$tmp" "$me" "log level debug" "listen on $me port 20000 ssu2"
i2prd_run
check "i2prd publishes its RouterInfo with an SSU2 address" \
    grep -aq SSU2 "$tmp/state/router/router.info"
our=$(ri_hash "$tmp/state/router/router.info")

# 3. the i2pd routers: all know each other, i2pd 3 also knows i2prd.
#    i2pd 3 starts first, so that it dials us before we learn of it
#    (we would dial it, and it would keep our session, not open one).
i2pd_know_each_other
netdb_seed "$tmp/i2pd3/netDb" "$tmp/state/router/router.info"
dirs() { ctl show peers | awk 'NR > 1 && /SSU2/ { print $3 }' | sort -u | tr '\n' ' '; }
i2pd_start 3
for _ in $(seq 60); do
	case "$(dirs)" in *in*) break ;; esac
	sleep 1
done
for i in 1 2; do i2pd_start "$i"; done

# 4. sessions both ways, over SSU2
for _ in $(seq 120); do
	case "$(dirs)" in *in*out*) break ;; esac
	sleep 1
done
ctl show peers | sed 's/^/    /'
peers_json() { ctl -j show peers; }
check "i2prd dialled i2pd routers over SSU2 (outbound sessions)" bash -c \
    "'$build/i2pctl' -s '$tmp/i2prd.sock' -j show peers | python3 -c '
import json, sys
p = json.load(sys.stdin)[\"peers\"]
sys.exit(not any(x[\"direction\"] == \"out\" and x[\"transport\"] == \"SSU2\" for x in p))'"
check "i2pd dialled i2prd over SSU2 (inbound sessions)" bash -c \
    "'$build/i2pctl' -s '$tmp/i2prd.sock' -j show peers | python3 -c '
import json, sys
p = json.load(sys.stdin)[\"peers\"]
sys.exit(not any(x[\"direction\"] == \"in\" and x[\"transport\"] == \"SSU2\" for x in p))'"

check "our NTCP2 dial to i2pd 1 failed and fell back to SSU2" \
    grep -q '198.18.0.1:20000: dial failed, trying SSU2' "$tmp/i2prd.log"
check "an SSU2 session with i2pd 1, and no NTCP2 one" bash -c \
    "'$build/i2pctl' -s '$tmp/i2prd.sock' show peers | grep '198.18.0.1:' | grep -q SSU2 &&
    ! '$build/i2pctl' -s '$tmp/i2prd.sock' show peers | grep -q NTCP2"

# 5. RouterInfos flow both ways
stored() { netdb_has "$tmp/i2pd$1" "$our"; }
for _ in $(seq 120); do
	stored 1 && stored 2 && break
	sleep 1
done
check "i2pd 1 and 2 stored i2prd's RouterInfo, learnt over SSU2" \
    bash -c "[ -e '$tmp/i2pd1/netDb/r${our:0:1}/routerInfo-$our.dat' ] &&
	[ -e '$tmp/i2pd2/netDb/r${our:0:1}/routerInfo-$our.dat' ]"
check "i2prd stored the RouterInfo of i2pd 3, which it was not given" \
    bash -c "ls '$tmp'/state/router/netDb/r*/routerInfo-*.dat | wc -l |
	awk '{ exit !(\$1 > 2) }'"
for _ in $(seq 60); do
	grep -q 'DeliveryStatus' "$tmp/i2prd.log" && break
	sleep 1
done
check "i2pd floodfills answered our stores (DeliveryStatus)" \
    grep -q 'DeliveryStatus' "$tmp/i2prd.log"

# 6. hostile datagrams, from a UDP socket in the namespace
limits() { ctl -j show peers limits | python3 -c "import json, sys
print(json.load(sys.stdin)['sessions']['$1'])"; }
drop0=$(limits ssu2_dropped)
over0=$(limits ssu2_oversized)
tok0=$(limits ssu2_tokens)
nsx python3 - "$me" <<'PY'
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
to = (sys.argv[1], 20000)
for _ in range(200):
    s.sendto(os.urandom(60 + _ * 7 % 1400), to)	# garbage
for _ in range(20):
    s.sendto(os.urandom(1600), to)		# oversized
for _ in range(20):
    s.sendto(os.urandom(10), to)		# runts
PY
sleep 1
drop1=$(limits ssu2_dropped)
over1=$(limits ssu2_oversized)
echo "    dropped $drop0 -> $drop1, oversized $over0 -> $over1"
check "garbage and runt datagrams dropped and counted" \
    test "$((drop1 - drop0))" -ge 220
check "oversized datagrams dropped and counted" \
    test "$((over1 - over0))" -ge 20
check "no Retry (token) was spent on garbage" test "$(limits ssu2_tokens)" -eq "$tok0"
probe() { nsx "$build/tests/ssu2_probe" "$tmp/state/router/router.info" "$@"; }
hs0=$(limits refused_handshakes_source)
# 16 answered at once, 8 unanswered in 4 s: within a token's 10 s
r=$(probe 198.18.0.20 tokens 24); echo "    token flood: $r"
check "a Token Request flood from one address gets 16 tokens, no more" \
    test "$r" = "retries 16 of 24"
r=$(probe 198.18.0.21 badtoken); echo "    unknown token: $r"
check "a Session Request with an unknown token gets a Retry" test "$r" = "retry"
r=$(probe 198.18.0.22 flood 12); echo "    handshake flood: $r"
check "a handshake flood from one address: 8 at a time (NETD_HS_PER_SRC)" \
    test "$r" = "created 8 of 12"
check "the handshakes refused are counted" \
    test "$(limits refused_handshakes_source)" -ge "$((hs0 + 4))"
r=$(probe 198.18.0.23 replay); echo "    replay: $r"
check "a replayed Session Request (its token used) gets no Created" \
    test "$r" = "first created, replay refused"
check "sessions still up after hostile datagrams" bash -c \
    "'$build/i2pctl' -s '$tmp/i2prd.sock' show peers | awk 'NR > 1' | grep -q SSU2"

# 7. sessions hold with traffic both ways
before=$(ctl -j show peers)
echo "    holding $hold s"
sleep "$hold"
after=$(ctl -j show peers)
check "SSU2 sessions stayed up for $hold s with I2NP both ways" python3 - "$before" "$after" "$hold" <<'PY'
import json, sys
b = {p["hash"]: p for p in json.loads(sys.argv[1])["peers"] if p["transport"] == "SSU2"}
a = {p["hash"]: p for p in json.loads(sys.argv[2])["peers"] if p["transport"] == "SSU2"}
held = [h for h in b if h in a and a[h]["age"] >= int(sys.argv[3])
        and a[h]["msgs_in"] > b[h]["msgs_in"] and a[h]["msgs_out"] > b[h]["msgs_out"]]
print("    held with traffic:", len(held), "of", len(b))
sys.exit(0 if held else 1)
PY
ctl show peers | sed 's/^/    /'
# i2pd's tunnels build through us: build records and tunnel data over SSU2
for _ in $(seq 60); do
	[ "$(transit_accepted)" -gt 0 ] && break
	sleep 1
done
echo "    transit tunnels accepted: $(transit_accepted)"
check "i2pd routers built tunnels through i2prd over SSU2" test "$(transit_accepted)" -gt 0
errs=$(grep -hE "${our:0:8}|$me" "$tmp"/i2pd*/i2pd.log |
    grep SSU2 | grep -iE 'error|terminat|invalid|mismatch' | head -5)
[ -n "$errs" ] && echo "$errs" | sed 's/^/    /'
check "no i2pd logged an SSU2 error or termination naming i2prd" test -z "$errs"
check "the suite is still running" kill -0 "$(cat "$tmp/i2prd.pid")"

if [ "$fail" -ne 0 ]; then
	echo "--- i2prd log (SSU2 and sessions, last 60 lines)"
	grep -E 'SSU2|session' "$tmp/i2prd.log" | tail -60
	for i in $(seq 1 $n_i2pd); do
		echo "--- i2pd$i: SSU2 lines"
		grep -E "SSU2" "$tmp/i2pd$i/i2pd.log" | tail -15
	done
fi
echo "ssu2: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
