#!/bin/bash
# Interop: SSU2 Peer Test with i2prd as Alice, i2pd 2.45.1 as Bob and
# Charlie.
#
# Three i2pd routers with SSU2 published (nat = false: they believe they
# are reachable, and publish "B"): i2pd 1 (Bob), a floodfill we know,
# without NTCP2, so that our session with it is SSU2; i2pd 2 and 3
# (Charlies) with NTCP2 too, which we are not given and dial over NTCP2
# if at all (a Charlie refuses a test for an Alice it has an SSU2
# session with, and i2pd dials either transport at random: with two, one
# is free often enough; we try again every minute without a result).
# Bob relays our test to a Charlie over their SSU2 session; Charlie's
# message 5 reaches us: reachable.  Then nftables in
# our namespace drops inbound UDP to us from all but Bob, the suite
# restarts and tests again: message 4 comes through Bob, 5 does not:
# firewalled.  (Not "ct state new": when we had been Charlie for that
# i2pd, our message 5 to it left a conntrack entry that let its own
# message 5 through.)
#
#   bash tests/interop/ssu2_ptest.sh BUILD_DIR
set -u
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
interop_require ssu2_ptest
command -v nft >/dev/null || {
	echo "ssu2_ptest: nft is not installed (apt-get install nftables)"
	exit 1
}

tmp=$(mktemp -d /tmp/i2prd-ptest.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-pt-$$
me=198.18.0.10
n_i2pd=3
nsx() { ip netns exec "$ns" "$@"; }
ctl() { nsx "$build/i2pctl" -s "$tmp/i2prd.sock" "$@"; }
# says WORD: show transports names it on our SSU2 line
says() { ctl show transports | grep "^SSU2 .*$me port 20000 .* $1 " >/dev/null; }

# lib.sh's i2pd, with SSU2 published; i2pd 1 without NTCP2
i2pd_conf() {
	mkdir -p "$tmp/i2pd$1"
	i2pd_write_conf "$tmp/i2pd$1" "198.18.0.$1" "$2" \
	    "${I2PD_LOGLEVEL:-info}" "threshold = 0"
	i2pd_ssu2_on "$1"
	[ "$1" -eq 1 ] && i2pd_ntcp2_off "$1"
}

trap testnet_cleanup EXIT
netns_up "$ns" 1 2 3 10

i2pd_identities 1
check "i2pd 1 (Bob) publishes SSU2 with caps B, and no NTCP2" bash -c \
    "grep -aq 'caps=.[0-9A-Z]*B' '$tmp/i2pd1/router.info' &&
    ! grep -aq NTCP2 '$tmp/i2pd1/router.info'"
check "i2pd 2 (a Charlie) publishes NTCP2 and SSU2" bash -c \
    "grep -aq SSU2 '$tmp/i2pd2/router.info' && grep -aq NTCP2 '$tmp/i2pd2/router.info'"

mkdir -p "$tmp/state/router/netDb"
netdb_seed "$tmp/state/router/netDb" "$tmp/i2pd1/router.info"
chown -R _i2prd "$tmp/state/router"
i2prd_write_conf "$tmp" "$me" "log level debug" "listen on $me port 20000 ssu2"
i2pd_know_each_other
for i in 1 2 3; do i2pd_start "$i"; done
i2prd_run

# ssu2_addr: our published SSU2 address's options, "key=value ..."
ssu2_addr() {
	python3 - "$tmp/state/router/router.info" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
i = d.index(b"\x04SSU2") + 5
n = int.from_bytes(d[i:i + 2], "big")
m, out = d[i + 2:i + 2 + n], []
while m:
    k = m[1:1 + m[0]].decode(); m = m[1 + m[0] + 1:]
    v = m[1:1 + m[0]].decode(); m = m[1 + m[0] + 1:]
    out.append(k + "=" + v)
print(" ".join(out))
PY
}
# published WHAT: waits up to 20 s for our RouterInfo to say it
published() {
	for _ in $(seq 20); do
		case " $(ssu2_addr) " in *" $1 "*) return 0 ;; esac
		sleep 1
	done
	return 1
}

# result LINE: waits up to 150 s for our log to say it
result() {
	for _ in $(seq 150); do
		grep -q "SSU2 peer test (IPv4): $1" "$tmp/i2prd.log" && return 0
		sleep 1
	done
	return 1
}
check "peer test through i2pd Bob and Charlie: reachable" result reachable
grep 'peer test' "$tmp/i2prd.log" | sed 's/^/    /' | head -8
check "reachable: our SSU2 address has its host" published "host=$me"
check "reachable: our SSU2 address has caps 4" published "caps=4"
echo "    SSU2: $(ssu2_addr)"
ctl show transports | sed 's/^/    /'
check "show transports says reachable" says reachable

# inbound UDP from all but Bob dropped; the suite again, from no state
i2prd_stop
nsx nft -f - <<NFT
table inet ptest {
	chain input {
		type filter hook input priority 0; policy accept;
		ip daddr $me ip saddr != 198.18.0.1 udp dport 20000 drop
	}
}
NFT
mv "$tmp/i2prd.log" "$tmp/i2prd.log.1"
i2prd_run
check "peer test with inbound UDP dropped: firewalled" result firewalled
grep 'peer test' "$tmp/i2prd.log" | sed 's/^/    /' | head -8
# no_host: waits up to 20 s for our SSU2 address to lose its host
no_host() {
	for _ in $(seq 20); do
		case " $(ssu2_addr) " in *" host="*) ;; *) return 0 ;; esac
		sleep 1
	done
	return 1
}
check "firewalled, no introducers: our SSU2 address has no host" no_host
echo "    SSU2: $(ssu2_addr)"
ctl show transports | sed 's/^/    /'
check "show transports says firewalled" says firewalled
check "show transports -j says firewalled" bash -c \
    "ip netns exec '$ns' '$build/i2pctl' -s '$tmp/i2prd.sock' -j show transports |
    python3 -c 'import json, sys
t = json.load(sys.stdin)[\"transports\"]
sys.exit(not any(x[\"reachability\"] == \"firewalled\" for x in t))'"
check "the suite is still running" kill -0 "$(cat "$tmp/i2prd.pid")"

if [ "$fail" -ne 0 ]; then
	echo "--- i2prd log (peer test and SSU2, last 40 lines)"
	grep -hiE 'peer test|SSU2' "$tmp"/i2prd.log* | tail -40
	for i in 1 2 3; do
		echo "--- i2pd$i: PeerTest lines"
		grep -E "PeerTest|Peer test" "$tmp/i2pd$i/i2pd.log" | tail -15
	done
fi
echo "ssu2_ptest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
