#!/bin/bash
# Interop: i2pd 2.45.1 accepts the RouterInfo i2prd publishes.
#
# i2prd runs once (as a floodfill, with an NTCP2 address) and writes
# router.info.  i2pd, started in a network namespace of its own
# (loopback only, 198.18.0.0/24 as TESTNET.md explains), then gets it
# two ways:
#  - in its netDb directory: i2pd parses it, deletes it if invalid
#    ("is invalid or too old. Delete") and logs how many routers and
#    floodfills it loaded.  It does not check signatures there.
#  - in a reseed zip (reseed.zipfile): i2pd verifies the signature and
#    logs "RouterInfo added" or "Signature verification failed".
set -u
build=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/lib.sh"
interop_require interop

tmp=$(mktemp -d /tmp/i2prd-interop.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-ri-$$
i2pd_pid=
cleanup() {
	[ -n "$i2pd_pid" ] && kill -KILL "$i2pd_pid" 2>/dev/null
	[ -s "$tmp/i2prd.pid" ] && kill -TERM "$(cat "$tmp/i2prd.pid")" 2>/dev/null
	netns_down "$ns"
	rm -rf "$tmp"
}
trap cleanup EXIT

# 1. i2prd publishes its RouterInfo
cat > "$tmp/i2prd.conf" <<CONF
statedir "$tmp/state"
socket "$tmp/i2prd.sock"
pidfile "$tmp/i2prd.pid"
netid 99
floodfill yes
listen on 198.18.0.2 port 20000
CONF
I2PRD_LIBEXEC=$build "$build/i2prd" -d -f "$tmp/i2prd.conf" >"$tmp/i2prd.log" 2>&1 &
for _ in $(seq 100); do
	"$build/i2pctl" -s "$tmp/i2prd.sock" show router 2>/dev/null |
	    grep -q '^Router hash' && break
	sleep 0.1
done
hash=$("$build/i2pctl" -s "$tmp/i2prd.sock" show router |
    awk '/^Router hash/ { print $3 }')
cp "$tmp/state/router/router.info" "$tmp/ours.dat" 2>/dev/null
kill -TERM "$(cat "$tmp/i2prd.pid")"
wait
check "i2prd published a RouterInfo" test -s "$tmp/ours.dat" -a ${#hash} -eq 44

# i2pd's configuration: $1 data dir, $2 an extra [reseed] line
i2pd_conf() {
	i2pd_write_conf "$1" 198.18.0.1 false debug "$2"
}

# runs i2pd on data dir $1 until its log shows $2, then a second more
run_i2pd() {
	ip netns exec "$ns" i2pd --datadir="$1" --conf="$1/i2pd.conf" \
	    --tunconf=/dev/null --pidfile="$1/i2pd.pid" >/dev/null 2>&1 &
	i2pd_pid=$!
	for _ in $(seq 200); do
		grep -q "$2" "$1/i2pd.log" 2>/dev/null && break
		sleep 0.1
	done
	sleep 1
	kill -TERM "$i2pd_pid" 2>/dev/null
	for _ in $(seq 50); do
		kill -0 "$i2pd_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$i2pd_pid" 2>/dev/null
	wait "$i2pd_pid" 2>/dev/null
	i2pd_pid=
}

netns_up "$ns" 1

# 2. our RouterInfo in i2pd's netDb
d=$tmp/i2pd-netdb
mkdir -p "$d/netDb/r${hash:0:1}"
ri_file=$d/netDb/r${hash:0:1}/routerInfo-$hash.dat
cp "$tmp/ours.dat" "$ri_file"
i2pd_conf "$d" "threshold = 0"
run_i2pd "$d" 'routers loaded'
grep 'NetDb: .*loaded' "$d/i2pd.log" | sed 's/^/    /'
check "netDb: i2pd loaded it as 1 router, 1 floodfill" \
    grep -q 'NetDb: 1 routers loaded (1 floodfils)' "$d/i2pd.log"
check "netDb: i2pd did not call it invalid" \
    bash -c "! grep -q 'is invalid' '$d/i2pd.log'"
check "netDb: i2pd kept the file" test -s "$ri_file"

# 3. our RouterInfo in a reseed zip: the signature is verified
d=$tmp/i2pd-zip
mkdir -p "$d"
python3 - "$tmp/ours.dat" "$tmp/seed.zip" "$hash" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[2], "w") as z:
    z.write(sys.argv[1], "routerInfo-%s.dat" % sys.argv[3])
PY
i2pd_conf "$d" "zipfile = $tmp/seed.zip"
run_i2pd "$d" 'Reseed: Processing file'
grep -E 'Reseed: Processing|RouterInfo added|Signature' "$d/i2pd.log" |
    sed 's/^/    /'
check "reseed zip: i2pd verified the signature and added it" \
    grep -q "NetDb: RouterInfo added: $hash" "$d/i2pd.log"
check "reseed zip: no signature complaint" \
    bash -c "! grep -q 'Signature verification failed' '$d/i2pd.log'"

echo "interop: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
