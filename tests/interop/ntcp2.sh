#!/bin/bash
# Interop: NTCP2 between i2prd and i2pd 2.45.1, both directions.
#
# Four i2pd routers (two floodfill) and one i2prd in a network namespace
# of their own (loopback only; 198.18.0.0/24 as TESTNET.md explains).
# i2prd knows only the two floodfills (1, 2) and dials them; i2pd 3
# knows i2prd and dials it; i2pd 4 must learn it from the network.
#
#   bash tests/interop/ntcp2.sh BUILD_DIR [hold seconds, default 300]
set -u
build=$(cd "${1:-build}" && pwd)
hold=${2:-300}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
pass=0; fail=0
ok()  { echo "ok - $*"; pass=$((pass + 1)); }
nok() { echo "not ok - $*"; fail=$((fail + 1)); }
check() { local w=$1; shift; if "$@"; then ok "$w"; else nok "$w"; fi; }

if ! command -v i2pd >/dev/null; then
	echo "ntcp2 interop: i2pd is not installed (apt-get install i2pd): skipped"
	echo "ntcp2: 0 passed, 0 failed"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "the interop test needs root"; exit 1; }
getent passwd _i2prd >/dev/null || useradd --system --no-create-home \
    --home-dir /nonexistent --shell /usr/sbin/nologin _i2prd

tmp=$(mktemp -d /tmp/i2prd-ntcp2.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-nt-$$
me=198.18.0.10
n_i2pd=4
declare -a pids
nsx() { ip netns exec "$ns" "$@"; }
ctl() { nsx "$build/i2pctl" -s "$tmp/i2prd.sock" "$@"; }

cleanup() {
	local p
	for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -KILL "$p" 2>/dev/null; done
	[ -s "$tmp/i2prd.pid" ] && kill -TERM "$(cat "$tmp/i2prd.pid")" 2>/dev/null
	sleep 0.5
	pkill -KILL -f "i2prd-(netd|cryptod|routerd|tunneld) .*-s $tmp/" 2>/dev/null
	# whatever still runs in the namespace goes with it
	netns_down "$ns"
	rm -rf "$tmp"
}
trap cleanup EXIT

netns_up "$ns" $(seq 1 $n_i2pd) 10

i2pd_conf() {	# index, floodfill true/false
	mkdir -p "$tmp/i2pd$1"
	i2pd_write_conf "$tmp/i2pd$1" "198.18.0.$1" "$2" info "threshold = 0"
}

# not through nsx: $! must be i2pd itself, for kill and wait
i2pd_start() {
	local d=$tmp/i2pd$1
	ip netns exec "$ns" i2pd --datadir="$d" --conf="$d/i2pd.conf" \
	    --tunconf=/dev/null --pidfile="$d/i2pd.pid" >/dev/null 2>&1 &
	pids[$1]=$!
}

# i2pd may detach: stop it through its pid file and wait for it to go
i2pd_stop_all() {
	local i p
	for i in $(seq 1 $n_i2pd); do
		p=$(cat "$tmp/i2pd$i/i2pd.pid" 2>/dev/null)
		[ -n "$p" ] && kill -TERM "$p" 2>/dev/null
	done
	for _ in $(seq 100); do
		[ -z "$(ip netns pids "$ns")" ] && break
		sleep 0.1
	done
	ip netns pids "$ns" | xargs -r kill -KILL 2>/dev/null
	for i in $(seq 1 $n_i2pd); do wait "${pids[$i]}" 2>/dev/null; pids[$i]=; done
}

# b64 hash of a RouterInfo file (SHA-256 of its 391-byte identity)
ri_hash() {
	python3 -c 'import sys,hashlib,base64
print(base64.b64encode(hashlib.sha256(open(sys.argv[1],"rb").read()[:391]).digest(), b"-~").decode())' "$1"
}

# netDb/r<C>/routerInfo-<hash>.dat under $1 for RouterInfo file $2; i2pd
# saves only into the r<C> directories it finds, so make all 64
seed() {
	local h c
	h=$(ri_hash "$2")
	for c in {A..Z} {a..z} {0..9} - '~'; do mkdir -p "$1/r$c"; done
	cp "$2" "$1/r${h:0:1}/routerInfo-$h.dat"
	chmod 0644 "$1/r${h:0:1}/routerInfo-$h.dat"
}

# 1. i2pd routers make their identities
for i in $(seq 1 $n_i2pd); do
	i2pd_conf "$i" "$([ "$i" -le 2 ] && echo true || echo false)"
	i2pd_start "$i"
done
for _ in $(seq 100); do
	n=0
	for i in $(seq 1 $n_i2pd); do [ -s "$tmp/i2pd$i/router.info" ] && n=$((n + 1)); done
	[ "$n" -eq "$n_i2pd" ] && break
	sleep 0.1
done
i2pd_stop_all
for i in $(seq 1 $n_i2pd); do rm -rf "$tmp/i2pd$i/netDb"; done

# 2. i2prd, knowing the floodfills
mkdir -p "$tmp/state/router/netDb"
for i in 1 2; do seed "$tmp/state/router/netDb" "$tmp/i2pd$i/router.info"; done
# routerd writes there as the unprivileged user
chown -R _i2prd "$tmp/state/router"
cat > "$tmp/i2prd.conf" <<CONF
statedir "$tmp/state"
socket "$tmp/i2prd.sock"
pidfile "$tmp/i2prd.pid"
netid 99
log level debug
listen on $me port 20000
CONF
I2PRD_LIBEXEC=$build nsx "$build/i2prd" -d -f "$tmp/i2prd.conf" >"$tmp/i2prd.log" 2>&1 &
for _ in $(seq 100); do [ -s "$tmp/state/router/router.info" ] && break; sleep 0.1; done
check "i2prd publishes its RouterInfo" test -s "$tmp/state/router/router.info"
our=$(ri_hash "$tmp/state/router/router.info")

# 3. the i2pd routers: all know each other, i2pd 3 also knows i2prd
for i in $(seq 1 $n_i2pd); do
	for j in $(seq 1 $n_i2pd); do
		[ "$i" -ne "$j" ] && seed "$tmp/i2pd$i/netDb" "$tmp/i2pd$j/router.info"
	done
done
seed "$tmp/i2pd3/netDb" "$tmp/state/router/router.info"
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
#    (i2pd 4 learning it through the floodfills needs our netDb work.)
stored() {
	[ -e "$tmp/i2pd$1/netDb/r${our:0:1}/routerInfo-$our.dat" ]
}
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
# routerd stores to floodfills every 60 s, with a reply token
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
