#!/bin/bash
# Interop: the NTCP2 protocol core (netd/ntcp2_hs.c, ntcp2_data.c) with
# i2pd 2.45.1 both ways, driven by tests/interop/ntcp2_core_probe.c:
# i2pd as Bob accepts our Alice's handshake, then dials us and our Bob
# accepts its; on each session frames open in both directions.
#
#   bash tests/interop/ntcp2_core.sh [BUILD_DIR]   (as root; after "make")
#
# i2pd runs in a network namespace of its own (loopback only,
# 198.18.0.0/24 as TESTNET.md explains) at 198.18.0.1; the probe runs in
# the same namespace from 198.18.0.2.  Nothing leaves the namespace.
set -u
build=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/lib.sh"
interop_require interop

tmp=$(mktemp -d /tmp/i2prd-ntcp2core.XXXXXX)
ns=i2prd-ntcp2core-$$
i2pd_pid=
cleanup() {
	[ -n "$i2pd_pid" ] && kill -KILL "$i2pd_pid" 2>/dev/null
	netns_down "$ns"
	rm -rf "$tmp"
}
trap cleanup EXIT

# the probe: our NTCP2 core as make built it
probe=$build/tests/ntcp2_core_probe
[ -x "$probe" ] || { echo "interop: $probe is missing (run make first)"; exit 1; }

d=$tmp/i2pd
mkdir -p "$d"
i2pd_write_conf "$d" 198.18.0.1 false debug "threshold = 0"

netns_up "$ns" 1 2

ip netns exec "$ns" i2pd --datadir="$d" --conf="$d/i2pd.conf" \
    --tunconf=/dev/null --pidfile="$d/i2pd.pid" >/dev/null 2>&1 &
i2pd_pid=$!
for _ in $(seq 200); do
	[ -s "$d/router.info" ] &&
	    grep -q 'NTCP2: Start listening' "$d/i2pd.log" 2>/dev/null && break
	sleep 0.1
done
sleep 1
check "i2pd is up with an NTCP2 address" test -s "$d/router.info"

ip netns exec "$ns" "$probe" "$d/router.info" 198.18.0.2 |
    sed 's/^/    /' | tee "$tmp/probe.out"
check "probe: handshake and both directions" \
    grep -q '^    probe: 0 failed' "$tmp/probe.out"
sleep 1

grep -E 'NTCP2:|RouterInfo' "$d/i2pd.log" |
    grep -vE 'Block type|Next frame sent|Received length|Sent length|Padding|Datetime' |
    sed 's/^/    i2pd: /' | head -60
[ -n "${NTCP2_KEEP_LOG:-}" ] && cp "$d/i2pd.log" "$NTCP2_KEEP_LOG"
check "i2pd as Bob: SessionConfirmed received" \
    grep -q 'NTCP2: SessionConfirmed received' "$d/i2pd.log"
check "i2pd as Alice: SessionCreated received, SessionConfirmed sent" \
    bash -c "grep -q 'NTCP2: SessionCreated received' '$d/i2pd.log' &&
    grep -q 'NTCP2: SessionConfirmed sent' '$d/i2pd.log'"
check "i2pd: no AEAD or signature failure" \
    bash -c "! grep -qE 'AEAD verification failed|Signature verification failed|No NTCP2 address with static key|time difference|too old' '$d/i2pd.log'"
check "i2pd: decrypted our data frame" \
    grep -q 'NTCP2: Received message decrypted' "$d/i2pd.log"

kill -TERM "$i2pd_pid" 2>/dev/null
for _ in $(seq 50); do
	kill -0 "$i2pd_pid" 2>/dev/null || break
	sleep 0.1
done
kill -KILL "$i2pd_pid" 2>/dev/null
wait "$i2pd_pid" 2>/dev/null
i2pd_pid=

echo "interop: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
